"""ASGI middleware for the web app: a request body limit, the security headers, no NUL in URLs.

Requires: nothing beyond Starlette's ASGI types. Provides: ``BodyLimit`` (413 past ``max_bytes``,
before anything parses the body), ``SecurityHeaders`` (CSP without inline script, no sniffing,
no referrer, no framing) and ``RefuseNul`` (400 for a NUL character in the path or query: no stored
text holds one on PostgreSQL, and SQLite's FTS5 reads queries as C strings, so it is never searchable).
Limits: ``BodyLimit`` buffers bodies up to the limit in memory, which the limit keeps small.

How ``BodyLimit`` decides:
1. a declared Content-Length above the limit is refused at once;
2. otherwise the body is read, counting, and refused as soon as the count passes the limit;
3. a body within the limit is replayed to the app unchanged.
"""

from __future__ import annotations

import html
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in HEADERS if h[0] not in names)]
            await send(message)

        await self.app(scope, receive, with_headers)


class RefuseNul:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and ("\x00" in scope.get("path", "")
                                        or b"%00" in bytes(scope.get("query_string", b"")).lower()):
            await _answer(scope, send, 400, "Bad request", "the address holds a NUL character (%00), "
                          "which no article, name or search can contain: remove it")
            return
        await self.app(scope, receive, send)


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        # 1. the declared length
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, send, int(declared))
            return
        # 2. the actual length
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = bool(message.get("more_body", False))
            if len(body) > self.max_bytes:
                await self._refuse(scope, send, len(body), at_least=more)
                return
        # 3. replay
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, send: Send, size: int, at_least: bool = False) -> None:
        message = (f"the upload is {'more than ' if at_least else ''}{size:,} bytes; this server accepts at most "
                   f"{self.max_bytes:,} bytes ({self.max_bytes / 1048576:.1f} MB): send a shorter article")
        await _answer(scope, send, 413, "Too large", message, back="/analyze")


async def _answer(scope: Scope, send: Send, status: int, title: str, message: str, back: str = "/") -> None:
    """A JSON error under /api/, a small page elsewhere, and the connection closed."""
    if str(scope.get("path", "")).startswith("/api/"):
        body, kind = json.dumps({"detail": message}).encode(), b"application/json"
    else:
        body = (f"<!doctype html><title>{title}</title><h1>{status} {title}</h1><p>{html.escape(message)}</p>"
                f'<p><a href="{back}">Back</a></p>').encode()
        kind = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
