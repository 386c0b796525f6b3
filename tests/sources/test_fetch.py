"""URL fetching refuses the operator's own network, also after redirects (no outside network is used)."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import httpx
import pytest

from claimscope.sources.fetch import Config, FetchRefused, check_host, fetch


def public(host: str) -> list[str]:
    return {"news.example": ["93.184.216.34"], "inside.example": ["10.0.0.7"],
            "mixed.example": ["93.184.216.34", "127.0.0.1"], "v6.example": ["fe80::1"]}[host]


@pytest.mark.parametrize(("url", "ok"), [
    ("https://news.example/a", True),
    ("http://93.184.216.34/", True),
    ("http://127.0.0.1/", False),
    ("http://localhost.localdomain.invalid@10.1.2.3/", False),
    ("http://[::1]/", False),
    ("http://169.254.169.254/latest/meta-data", False),
    ("http://192.168.1.1/", False),
    ("http://100.64.0.1/", False),
    ("http://0.0.0.0/", False),
    ("http://inside.example/", False),
    ("http://mixed.example/", False),
    ("http://v6.example/", False),
    ("ftp://news.example/", False),
    ("file:///etc/passwd", False),
    ("news.example/a", False),
])
def test_check_host(url: str, ok: bool) -> None:
    if ok:
        check_host(url, resolve=public)
    else:
        with pytest.raises(FetchRefused):
            check_host(url, resolve=public)


def test_the_operator_can_allow_private_addresses() -> None:
    check_host("http://127.0.0.1/", Config(allow_private=True), resolve=public)


def redirecting(target: str) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "news.example":
            return httpx.Response(302, headers={"location": target})
        return httpx.Response(200, text="<html><body><p>inside</p></body></html>")

    return httpx.MockTransport(handler)


@pytest.mark.parametrize("target", ["http://127.0.0.1:8080/admin", "http://inside.example/", "http://[::1]/x"])
def test_a_redirect_into_the_network_is_refused(target: str) -> None:
    with pytest.raises(FetchRefused, match="refused"):
        fetch("https://news.example/story", transport=redirecting(target), resolve=public)


def test_a_public_page_is_fetched() -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(200, text="hello", headers={"content-type": "text/plain"}))
    got = fetch("https://news.example/story", transport=transport, resolve=public)
    assert got.content == b"hello" and got.url == "https://news.example/story"


def test_too_many_redirects_and_too_large_bodies() -> None:
    loop = httpx.MockTransport(lambda r: httpx.Response(302, headers={"location": "/again"}))
    with pytest.raises(FetchRefused, match="redirects"):
        fetch("https://news.example/", transport=loop, resolve=public)
    big = httpx.MockTransport(lambda r: httpx.Response(200, content=b"x" * 100))
    with pytest.raises(FetchRefused, match="larger"):
        fetch("https://news.example/", Config(max_bytes=10), transport=big, resolve=public)


class _Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        body = b"local page"
        self.send_response(200)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def local_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


def test_a_local_server_is_refused_unless_allowed(local_server: str) -> None:
    with pytest.raises(FetchRefused, match="loopback"):
        fetch(local_server)
    assert fetch(local_server, Config(allow_private=True)).content == b"local page"
