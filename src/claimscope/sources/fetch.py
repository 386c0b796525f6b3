"""Fetching pages by URL, the only network code: address checks, robots.txt, rate limits, retries.

Requires: httpx. Provides: ``Config``, ``fetch`` (one page a person asked for: the web app's paste page),
``Fetcher`` (a polite crawler for ingest: robots.txt, per-host rate limit, retries), ``check_host`` and
``FetchRefused`` (a ``ClaimscopeError`` with a one-line reason).

Every request, the first and each redirect hop:
1. the scheme is http or https, and there is a host name;
2. every address the host resolves to is public: private, loopback, link-local, multicast, reserved,
   unspecified and shared (carrier-grade NAT) addresses are refused unless ``allow_private``; so is an
   IPv6 address that carries a non-public IPv4 one (IPv4-mapped or -compatible, 6to4, Teredo, NAT64
   ``64:ff9b::/96``); numeric host forms ("2130706433", "0x7f.1", "0177.0.0.1") are resolved as the
   system reads them, so they are checked as the addresses they are;
3. at most ``max_redirects`` hops; the body is read up to ``max_bytes`` and refused past it; each request
   has a ``timeout``; the User-Agent names claimscope and its version.
``Fetcher.get`` adds, in order:
4. robots.txt, fetched once per host (through the same checks) and honoured for our user agent: a 4xx
   answer allows everything, a 5xx or an unreachable robots.txt disallows the host (RFC 9309);
5. a per-host pause of ``1 / rate`` seconds (or the site's Crawl-delay, if longer) between requests;
6. retries with exponential backoff (``backoff * 2**n``, or the server's Retry-After, capped at
   ``max_backoff``) on 429, 5xx, timeouts and connection errors, ``retries`` times.

Limits: the address check resolves the host name itself, then httpx resolves it again to connect; a
name whose DNS answer changes between the two (rebinding) is not caught. ``fetch`` (one page on a
person's request) does not read robots.txt, as a browser does not.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from claimscope.errors import ClaimscopeError

if TYPE_CHECKING:
    import httpx  # the ``feeds`` or ``web`` extra: imported when the first request is made

__all__ = ["Config", "Fetched", "FetchRefused", "Fetcher", "check_host", "fetch", "system_resolve", "USER_AGENT"]

Resolver = Callable[[str], list[str]]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("claimscope")
    except PackageNotFoundError:
        return "0+unknown"


USER_AGENT = f"claimscope/{_version()} (+https://pypi.org/project/claimscope/; news-claims research crawler)"
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309: at least 500 KiB must be parsed


class FetchRefused(ClaimscopeError):
    """The URL may not or cannot be fetched."""


class _Unreachable(FetchRefused):
    """No answer: a timeout or a connection, protocol or network error (worth a retry)."""


@dataclass(frozen=True, slots=True)
class Config:
    allow_private: bool = False
    max_redirects: int = 5
    max_bytes: int = 5 * 1024 * 1024
    timeout: float = 15.0
    user_agent: str = USER_AGENT
    rate: float = 1.0  # requests per second to one host (Fetcher)
    retries: int = 3  # further attempts after a 429, 5xx, timeout or connection error (Fetcher)
    backoff: float = 1.0  # first retry pause in seconds, doubled each time
    max_backoff: float = 60.0
    robots: bool = True  # honour robots.txt (Fetcher)


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    content: bytes
    content_type: str


@dataclass(frozen=True, slots=True)
class _Status:
    code: int  # an HTTP error status (>= 400)
    retry_after: float | None = None


class _Retry(Exception):
    def __init__(self, reason: str, after: float | None = None) -> None:
        super().__init__(reason)
        self.after = after


def system_resolve(host: str) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise FetchRefused(f"cannot resolve host {host!r}: {exc}") from exc
    return sorted({str(info[4][0]) for info in infos})


def check_host(url: str, config: Config = Config(), resolve: Resolver = system_resolve) -> None:
    """Refuse a URL whose scheme is not http(s) or whose host has a non-public address."""
    # 1. scheme and host
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchRefused(f"cannot fetch {url!r}: expected an http:// or https:// URL with a host name")
    if config.allow_private:
        return
    # 2. every address must be public
    host = parts.hostname
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        addresses = resolve(host)
    if not addresses:
        raise FetchRefused(f"cannot fetch {url!r}: host {host!r} has no address")
    for addr in addresses:
        ip = ipaddress.ip_address(addr.split("%", 1)[0])
        if any(not x.is_global or x.is_multicast or x.is_reserved for x in (ip, *_embedded(ip))):
            raise FetchRefused(f"refused to fetch {url!r}: {host} resolves to {ip}, a private, loopback, "
                               "link-local or reserved address; the operator can allow these")


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address leads to (mapped, compatible, 6to4, Teredo, NAT64)."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return []
    out = [x for x in (ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())) if x is not None]
    low = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _NAT64 or int(ip) >> 32 == 0:  # NAT64 and the old IPv4-compatible ::a.b.c.d
        out.append(low)
    return out


def fetch(url: str, config: Config = Config(), transport: httpx.BaseTransport | None = None,
          resolve: Resolver = system_resolve) -> Fetched:
    """GET one page a person asked for (no robots.txt, no retries), checking every redirect hop."""
    with _client(config, transport) as client:
        got = _get(client, url, config, resolve, config.max_bytes)
    if isinstance(got, _Status):
        raise FetchRefused(f"fetching {url!r} failed: HTTP {got.code}")
    return got


class Fetcher:
    """A polite crawler over one connection pool: ``get(url)`` for each page, then ``close()``."""

    def __init__(self, config: Config = Config(), *, transport: httpx.BaseTransport | None = None,
                 resolve: Resolver = system_resolve, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.config = config
        self._transport = transport
        self._http: httpx.Client | None = None
        self._resolve = resolve
        self._sleep = sleep
        self._clock = clock
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._last: dict[str, float] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    @property
    def _client(self) -> httpx.Client:
        if self._http is None:  # made on the first request: a run over local files needs no HTTP client
            self._http = _client(self.config, self._transport)
        return self._http

    def get(self, url: str) -> Fetched:
        check_host(url, self.config, self._resolve)
        # 4. robots.txt, once per host
        robots = self._robots_for(url) if self.config.robots else None
        if robots is not None and not robots.can_fetch(self.config.user_agent, url):
            raise FetchRefused(f"robots.txt of {_origin(url)} disallows fetching {url!r}")
        delay = 1.0 / self.config.rate if self.config.rate > 0 else 0.0
        crawl_delay = robots.crawl_delay(self.config.user_agent) if robots is not None else None
        delay = max(delay, float(crawl_delay or 0))
        # 6. retries with exponential backoff
        for attempt in range(self.config.retries + 1):
            self._wait(url, delay)
            try:
                got = self._attempt(url)
            except _Retry as retry:
                if attempt == self.config.retries:
                    raise FetchRefused(f"fetching {url!r} failed after {attempt + 1} attempt(s): {retry}") from None
                pause = self.config.backoff * 2 ** attempt if retry.after is None else retry.after
                self._sleep(min(pause, self.config.max_backoff))
                continue
            return got
        raise AssertionError("unreachable")  # pragma: no cover

    def _attempt(self, url: str) -> Fetched:
        try:
            got = _get(self._client, url, self.config, self._resolve, self.config.max_bytes)
        except _Unreachable as exc:
            raise _Retry(str(exc)) from None
        if isinstance(got, _Status):
            if got.code in _RETRY_STATUS:
                raise _Retry(f"HTTP {got.code}", got.retry_after)
            raise FetchRefused(f"fetching {url!r} failed: HTTP {got.code}")
        return got

    def _wait(self, url: str, delay: float) -> None:
        # 5. the per-host pause
        host = _origin(url)
        last = self._last.get(host)
        if last is not None:
            pause = last + delay - self._clock()
            if pause > 0:
                self._sleep(pause)
        self._last[host] = self._clock()

    def _robots_for(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        origin = _origin(url)
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        robots = self._robots[origin]
        if robots is None:
            raise FetchRefused(f"robots.txt of {origin} could not be read (a server error or no answer), which "
                               "disallows the whole site; try again later")
        return robots

    def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        self._wait(origin, 1.0 / self.config.rate if self.config.rate > 0 else 0.0)
        try:
            got = _get(self._client, origin + "/robots.txt", self.config, self._resolve, _ROBOTS_MAX_BYTES)
        except _Unreachable:
            return None
        except FetchRefused as exc:
            if "larger than" in str(exc):
                parser.parse([])
                return parser
            raise
        if isinstance(got, _Status):
            if got.code >= 500 or got.code == 429:
                return None
            parser.parse([])  # 4xx: no robots.txt, everything allowed
            return parser
        parser.parse(got.content.decode("utf-8", "replace").splitlines())
        return parser


def _client(config: Config, transport: httpx.BaseTransport | None) -> httpx.Client:
    try:
        import httpx
    except ImportError:
        raise FetchRefused("fetching URLs needs httpx: pip install 'claimscope[feeds]'") from None
    return httpx.Client(transport=transport, follow_redirects=False, timeout=config.timeout,
                        headers={"user-agent": config.user_agent})


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _get(client: httpx.Client, url: str, config: Config, resolve: Resolver, max_bytes: int) -> Fetched | _Status:
    """The page at ``url`` after redirects, or the HTTP status (>= 400) it ended with."""
    import httpx

    current = url
    # 3. a bounded number of hops
    for _ in range(config.max_redirects + 1):
        check_host(current, config, resolve)
        try:
            with client.stream("GET", current) as resp:
                if resp.is_redirect and "location" in resp.headers:
                    current = urljoin(current, resp.headers["location"])
                    continue
                if resp.status_code >= 400:
                    return _Status(resp.status_code, _seconds(resp.headers.get("retry-after")))
                return Fetched(current, _read(resp, current, max_bytes), resp.headers.get("content-type", ""))
        except (httpx.TimeoutException, httpx.TransportError) as exc:
            raise _Unreachable(f"fetching {current!r} failed: {exc or type(exc).__name__}") from exc
        except httpx.HTTPError as exc:
            raise FetchRefused(f"fetching {current!r} failed: {exc or type(exc).__name__}") from exc
    raise FetchRefused(f"fetching {url!r}: more than {config.max_redirects} redirects")


def _seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None  # an HTTP date: fall back to the exponential pause


def _read(resp: httpx.Response, url: str, max_bytes: int) -> bytes:
    body = bytearray()
    for chunk in resp.iter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise FetchRefused(f"the page at {url!r} is larger than {max_bytes} bytes")
    return bytes(body)
