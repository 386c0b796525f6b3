"""Fetching an article by URL for the web app, refusing addresses inside the operator's network.

Requires: httpx. Provides: ``fetch(url, config, transport=None, resolve=...) -> Fetched`` and
``check_host``; both raise ``FetchRefused`` (a ``ClaimscopeError``) with a one-line reason.
Limits: the address check resolves the host name itself, then httpx resolves it again to connect; a
name whose DNS answer changes between the two (rebinding) is not caught. Only http and https.

The checks, for the first URL and again for every redirect hop:
1. the scheme is http or https, and there is a host name;
2. every address the host resolves to is public: private, loopback, link-local, multicast, reserved,
   unspecified and shared (carrier-grade NAT) addresses are refused unless ``allow_private``;
3. at most ``max_redirects`` hops; the body is read up to ``max_bytes`` and refused past it.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from claimscope.errors import ClaimscopeError

Resolver = Callable[[str], list[str]]


class FetchRefused(ClaimscopeError):
    """The URL may not or cannot be fetched."""


@dataclass(frozen=True, slots=True)
class Config:
    allow_private: bool = False
    max_redirects: int = 5
    max_bytes: int = 5 * 1024 * 1024
    timeout: float = 15.0


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    content: bytes
    content_type: str


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
        if not ip.is_global or ip.is_multicast:
            raise FetchRefused(f"refused to fetch {url!r}: {host} resolves to {ip}, a private, loopback, "
                               "link-local or reserved address; the operator can allow these")


def fetch(url: str, config: Config = Config(), transport: httpx.BaseTransport | None = None,
          resolve: Resolver = system_resolve) -> Fetched:
    """GET ``url``, following redirects by hand so that every hop passes ``check_host``."""
    with httpx.Client(transport=transport, follow_redirects=False, timeout=config.timeout) as client:
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
                        raise FetchRefused(f"fetching {current!r} failed: HTTP {resp.status_code}")
                    return Fetched(current, _read(resp, current, config), resp.headers.get("content-type", ""))
            except httpx.HTTPError as exc:
                raise FetchRefused(f"fetching {current!r} failed: {exc}") from exc
    raise FetchRefused(f"fetching {url!r}: more than {config.max_redirects} redirects")


def _read(resp: httpx.Response, url: str, config: Config) -> bytes:
    body = bytearray()
    for chunk in resp.iter_bytes():
        body += chunk
        if len(body) > config.max_bytes:
            raise FetchRefused(f"the page at {url!r} is larger than {config.max_bytes} bytes")
    return bytes(body)
