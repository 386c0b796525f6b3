"""The web app and JSON API over a ledger store: server-rendered pages, each with a JSON twin.

Requires: fastapi, jinja2, python-multipart (the ``web`` extra); a store the CLI wrote (any backend).
Provides: ``create_app(db_url, *, allow_fetch=False, max_upload=...) -> FastAPI``. Pages read through
``claimscope.store.queries`` only; the JSON twins under ``/api`` return the same data as the CLI's
``--json`` (contract shapes where they overlap); ``/openapi.json`` describes them.
Limits: the store is opened read-only per request; pasted articles are analysed, shown, not stored.

Safety, in order of the request:
1. a body larger than ``max_upload`` is refused with 413 before anything parses it;
2. every response carries a Content-Security-Policy without inline script (``script-src 'self'``);
3. templates autoescape; the article text is escaped piece by piece in ``highlight``;
4. library errors map to 4xx with their one-line message (unknown article 404, bad input 422);
5. URL fetching is off unless ``allow_fetch``; then ``fetch`` refuses non-public addresses on every hop.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, TypeVar

import httpx
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from claimscope import serialize
from claimscope.errors import ClaimscopeError, InputError, NotFoundError
from claimscope.model import FLAG_KINDS, Article, Ledger
from claimscope.sources import fetch as fetching
from claimscope.store import Store, open_store
from claimscope.web.chart import series_svg
from claimscope.web.highlight import highlight, speaker_colours, speaker_key
from claimscope.web.limits import BodyLimit, RefuseNul, SecurityHeaders

HERE = Path(__file__).parent
MAX_UPLOAD = 2 * 1024 * 1024
JSON = dict[str, Any]
T = TypeVar("T")
Scope = Literal["statements", "articles", "actors"]


class AnalyzeRequest(BaseModel):
    """An article to analyse: its text or an HTML page (exactly one), and an optional publication date."""

    text: str | None = Field(default=None, description="Plain text of the article.")
    html: str | None = Field(default=None, description="An HTML page; its main text is extracted.")
    published: str | None = Field(default=None, description="Publication date, YYYY-MM-DD.")


class WebApp:
    """What the routes share: the store's address, the pipeline (built on first use) and the templates."""

    def __init__(self, db_url: str, allow_fetch: bool, max_upload: int, fetch_config: fetching.Config,
                 fetch_transport: httpx.BaseTransport | None, resolve: fetching.Resolver) -> None:
        self.db_url = db_url
        self.allow_fetch = allow_fetch
        self.max_upload = max_upload
        self.fetch_config = fetch_config
        self.fetch_transport = fetch_transport
        self.resolve = resolve
        self._pipeline: Any = None
        self._lock = threading.Lock()
        self.env = Environment(loader=FileSystemLoader(HERE / "templates"),
                               autoescape=select_autoescape(default=True, default_for_string=True))

    @contextmanager
    def store(self) -> Iterator[Store]:
        with open_store(self.db_url, read_only=True) as st:
            yield st

    def read(self, fn: Callable[[Store], T]) -> T:
        with self.store() as st:
            return fn(st)

    def analyze(self, article: Article) -> Ledger:
        """Run the whole pipeline on one article (CPU-bound: call it from a worker thread)."""
        with self._lock:
            if self._pipeline is None:
                from claimscope.pipeline import default_pipeline

                self._pipeline = default_pipeline()
            ledger: Ledger = self._pipeline.run(article)
            return ledger

    def page(self, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(self.env.get_template(name).render(**context), status_code=status_code)


def create_app(db_url: str, *, allow_fetch: bool = False, max_upload: int = MAX_UPLOAD,
               allow_private_fetch: bool = False, fetch_transport: httpx.BaseTransport | None = None,
               resolve: fetching.Resolver = fetching.system_resolve) -> FastAPI:
    """The app over the store at ``db_url`` (checked now: a missing or foreign file raises ``StoreError``)."""
    with open_store(db_url, read_only=True):
        pass
    web = WebApp(db_url, allow_fetch, max_upload,
                 fetching.Config(allow_private=allow_private_fetch, max_bytes=max_upload), fetch_transport, resolve)
    app = FastAPI(title="claimscope", version="1", docs_url=None, redoc_url=None,
                  description="Source-attributed ledgers of news articles: who said what, which figures, when.")
    app.state.web = web
    app.add_middleware(BodyLimit, max_bytes=max_upload)
    app.add_middleware(RefuseNul)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _errors(app, web)
    from claimscope.web import routes

    routes.add_api(app, web)
    routes.add_pages(app, web)
    return app


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _errors(app: FastAPI, web: WebApp) -> None:
    def reply(request: Request, status: int, message: str) -> Response:
        message = message.replace(web.db_url, "the store")  # the server's paths are not the reader's business
        if wants_json(request):
            return JSONResponse({"detail": message}, status_code=status)
        return web.page("error.html", status, status=status, message=message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return reply(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        msgs = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors())
        return reply(request, 422, f"invalid request: {msgs}")

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return reply(request, 404, str(exc))

    @app.exception_handler(InputError)
    async def bad_input(request: Request, exc: InputError) -> Response:
        return reply(request, 422, str(exc))

    @app.exception_handler(fetching.FetchRefused)
    async def refused(request: Request, exc: fetching.FetchRefused) -> Response:
        return reply(request, 400, str(exc))

    @app.exception_handler(ClaimscopeError)
    async def failed(request: Request, exc: ClaimscopeError) -> Response:
        return reply(request, 503, f"the store could not answer: {exc}")


# --- the data behind each page (the JSON twins return exactly these) ------------------------------


def parse_day(name: str, value: str | None) -> str | None:
    """An ISO date from user input (empty means none); a 422 naming the field otherwise."""
    if value is None or not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise HTTPException(422, f"{name}: expected a date as YYYY-MM-DD, got {value.strip()[:40]!r}") from None


def check_flag(flag: str | None) -> str | None:
    if flag and flag not in FLAG_KINDS:
        raise HTTPException(422, f"flag: expected one of {', '.join(FLAG_KINDS)}, got {flag[:40]!r}")
    return flag or None


def article_view(doc: JSON) -> JSON:
    """What the article template needs beyond the contract JSON: marked-up blocks, colours, the table."""
    colours = speaker_colours(doc)
    names = {a["id"]: a["name"] for a in doc.get("actors") or ()}
    rows = [{**st, "who": names.get(st.get("speaker") or "") or st.get("speaker_text") or "(unattributed)",
             "slot": colours.get(speaker_key(st), 0)} for st in doc.get("statements") or ()]
    return {"doc": doc, "blocks": highlight(doc), "rows": rows, "names": names, "title": display_title(doc),
            "flag_count": len(doc.get("flags") or ()), "chart": series_svg}


def display_title(doc: JSON, width: int = 90) -> str:
    """The article's title; else its source file's name (or URL); else its first non-blank line, shortened."""
    meta = doc.get("meta") or {}
    if (meta.get("title") or "").strip():
        return str(meta["title"]).strip()
    source = str(meta.get("url") or meta.get("source") or "").strip()
    if source:
        return source.rstrip("/").rsplit("/", 1)[-1] or source
    line = next((ln.strip() for ln in str(doc.get("text") or "").splitlines() if ln.strip()), "")
    if not line:
        return f"Article {doc.get('id', '')}".strip()
    return line if len(line) <= width else line[: width - 1].rstrip() + "\u2026"


def summary(doc: JSON) -> JSON:
    """The article's brief (claimscope.brief): questions answered from the ledger, each line citing its spans."""
    from claimscope.brief import make_brief, to_json
    from claimscope.serialize import from_json

    out = to_json(make_brief(from_json(doc)))
    out.update({"title": doc["meta"].get("title"), "published": doc.get("published")})
    return out


async def analyze_input(web: WebApp, *, text: str | None, page: str | None, data: bytes | None,
                        url: str | None, published: str | None, form: str = "auto") -> JSON:
    """Read pasted text, an uploaded file or (when allowed) a URL, analyse it in a thread, return its ledger."""
    from claimscope import sources
    from claimscope.sources.html import article_from_html, looks_like_html

    day = parse_day("published", published)
    pub = dt.date.fromisoformat(day) if day else None
    where = "the pasted article"
    if url and url.strip():
        if not web.allow_fetch:
            raise HTTPException(403, "fetching a URL is turned off on this server; paste the article's text instead")
        got = await run_in_threadpool(fetching.fetch, url.strip(), web.fetch_config, web.fetch_transport,
                                      web.resolve)
        page, where = sources.decode(got.content, got.url), got.url
    elif data:
        text, where = sources.decode(data, "the uploaded file"), "the uploaded file"
    if page is None and text is not None and (form == "html" or (form == "auto" and looks_like_html(text))):
        page, text = text, None
    if page is not None and page.strip():
        article = await run_in_threadpool(lambda: article_from_html(page or "", where, published=pub))
    elif text is not None and text.strip():
        article = sources.article_from_text(text, where, published=pub)
    else:
        raise HTTPException(422, "nothing to analyse: paste an article's text or HTML, or choose a file")
    ledger = await run_in_threadpool(web.analyze, article)
    return serialize.to_json(ledger)


__all__ = ["AnalyzeRequest", "WebApp", "create_app"]
