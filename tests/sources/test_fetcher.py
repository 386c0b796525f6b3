"""The polite crawler: robots.txt, per-host pauses, retries with backoff, its user agent, address checks."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from claimscope.sources.fetch import USER_AGENT, Config, Fetcher, FetchRefused

Handler = Callable[[httpx.Request], httpx.Response]


def public(host: str) -> list[str]:
    return {"inside.example": ["10.1.1.1"]}.get(host, ["93.184.216.34"])


class Clock:
    """A clock that moves only when the fetcher sleeps (no wall-clock time in tests)."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds

    def __call__(self) -> float:
        return self.now


def crawler(handler: Handler, clock: Clock, **config: object) -> Fetcher:
    return Fetcher(Config(**config), transport=httpx.MockTransport(handler), resolve=public,  # type: ignore[arg-type]
                   sleep=clock.sleep, clock=clock)


def site(robots: httpx.Response, pages: dict[str, list[httpx.Response]] | None = None,
         seen: list[str] | None = None) -> Handler:
    queues = {k: list(v) for k, v in (pages or {}).items()}

    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(f"{request.url.host}{request.url.path} {request.headers['user-agent']}")
        if request.url.path == "/robots.txt":
            return robots
        queue = queues.get(request.url.path)
        return queue.pop(0) if queue else httpx.Response(200, text="<p>page</p>", headers={"content-type": "text/html"})

    return handler


def test_the_user_agent_names_claimscope_and_robots_txt_is_read_once_per_host() -> None:
    seen: list[str] = []
    with crawler(site(httpx.Response(404), seen=seen), Clock()) as fetcher:
        for url in ("https://a.example/1", "https://a.example/2", "https://b.example/1"):
            assert fetcher.get(url).content == b"<p>page</p>"
    assert USER_AGENT.startswith("claimscope/") and all(line.endswith(USER_AGENT) for line in seen)
    assert [line.split()[0] for line in seen] == ["a.example/robots.txt", "a.example/1", "a.example/2",
                                                  "b.example/robots.txt", "b.example/1"]


@pytest.mark.parametrize(("robots", "path", "allowed"), [
    ("User-agent: *\nDisallow: /private/\n", "/private/x", False),
    ("User-agent: *\nDisallow: /private/\n", "/news/x", True),
    ("User-agent: claimscope\nDisallow: /\n\nUser-agent: *\nAllow: /\n", "/news/x", False),
    ("User-agent: otherbot\nDisallow: /\n", "/news/x", True),
    ("", "/news/x", True),
])
def test_robots_rules_are_honoured(robots: str, path: str, allowed: bool) -> None:
    with crawler(site(httpx.Response(200, text=robots)), Clock()) as fetcher:
        if allowed:
            fetcher.get(f"https://a.example{path}")
        else:
            with pytest.raises(FetchRefused, match="robots.txt"):
                fetcher.get(f"https://a.example{path}")


@pytest.mark.parametrize(("status", "allowed"), [(404, True), (403, True), (503, False), (500, False)])
def test_a_missing_robots_txt_allows_and_a_failing_one_disallows(status: int, allowed: bool) -> None:
    with crawler(site(httpx.Response(status)), Clock()) as fetcher:
        if allowed:
            fetcher.get("https://a.example/x")
        else:
            with pytest.raises(FetchRefused, match="robots.txt"):
                fetcher.get("https://a.example/x")


def test_requests_to_one_host_are_spaced_and_crawl_delay_can_lengthen_the_pause() -> None:
    clock = Clock()
    with crawler(site(httpx.Response(404)), clock, rate=0.5) as fetcher:
        fetcher.get("https://a.example/1")
        fetcher.get("https://b.example/1")
        fetcher.get("https://a.example/2")
    assert clock.sleeps == [2.0, 2.0]  # a.example: robots then page 1; b.example: robots then page 1; a again: no wait
    slow = Clock()
    with crawler(site(httpx.Response(200, text="User-agent: *\nCrawl-delay: 5\n")), slow, rate=1) as fetcher:
        fetcher.get("https://a.example/1")
        fetcher.get("https://a.example/2")
    assert slow.sleeps == [5.0, 5.0]


def test_429_and_5xx_are_retried_with_exponential_backoff_and_retry_after() -> None:
    clock = Clock()
    answers = [httpx.Response(503), httpx.Response(429, headers={"retry-after": "7"}), httpx.Response(502),
               httpx.Response(200, text="ok")]
    with crawler(site(httpx.Response(404), {"/x": answers}), clock, rate=1000, backoff=1.0) as fetcher:
        assert fetcher.get("https://a.example/x").content == b"ok"
    assert [s for s in clock.sleeps if s >= 0.5] == [1.0, 7.0, 4.0]


@pytest.mark.parametrize(("answers", "message"), [
    ([httpx.Response(503)] * 3, "after 3 attempt"),
    ([httpx.Response(404)], "HTTP 404"),
])
def test_retries_end_and_client_errors_are_not_retried(answers: list[httpx.Response], message: str) -> None:
    fetcher = crawler(site(httpx.Response(404), {"/x": answers}), Clock(), rate=1000, retries=2)
    with fetcher, pytest.raises(FetchRefused, match=message):
        fetcher.get("https://a.example/x")


def test_timeouts_are_retried() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        calls.append(1)
        if len(calls) < 3:
            raise httpx.ReadTimeout("slow", request=request)
        return httpx.Response(200, text="late")

    with crawler(handler, Clock(), rate=1000) as fetcher:
        assert fetcher.get("https://a.example/x").content == b"late"
    assert len(calls) == 3


@pytest.mark.parametrize(("url", "location"), [
    ("http://10.0.0.1/x", None), ("https://inside.example/x", None), ("https://a.example/x", "http://127.0.0.1/admin"),
    ("https://a.example/x", "https://inside.example/"),
])
def test_private_addresses_are_refused_also_after_a_redirect(url: str, location: str | None) -> None:
    pages = {"/x": [httpx.Response(302, headers={"location": location})]} if location else None
    fetcher = crawler(site(httpx.Response(404), pages), Clock(), rate=1000)
    with fetcher, pytest.raises(FetchRefused, match="refused"):
        fetcher.get(url)


def test_the_size_limit_refuses_a_large_page() -> None:
    pages = {"/big": [httpx.Response(200, content=b"x" * 5000)]}
    fetcher = crawler(site(httpx.Response(404), pages), Clock(), rate=1000, max_bytes=1000)
    with fetcher, pytest.raises(FetchRefused, match="larger"):
        fetcher.get("https://a.example/big")
