"""The routes: each page under ``/`` and its JSON twin under ``/api`` share one data function.

Requires: a ``WebApp`` (``claimscope.web.app``). Provides: ``add_api(app, web)``, ``add_pages(app, web)``.
Limits: HTML routes are left out of the OpenAPI document; their twins are in it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from claimscope.model import FLAG_KINDS
from claimscope.store import Store, queries
from claimscope.web.app import (
    AnalyzeRequest,
    Scope,
    WebApp,
    analyze_input,
    article_view,
    check_flag,
    parse_day,
    summary,
)
from claimscope.web.chart import series_svg

JSON = dict[str, Any]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0)]


def search_data(store: Store, q: str, scope: Scope, source: str | None, actor: str | None, since: str | None,
                until: str | None, flag: str | None, limit: int, offset: int) -> list[JSON]:
    if scope == "actors":
        return queries.actor_search(store, q, limit)
    return queries.search_filtered(store, q, scope, source=source or None, actor=actor or None,
                                   since=parse_day("since", since), until=parse_day("until", until),
                                   flag=check_flag(flag), limit=limit, offset=offset)


def add_api(app: FastAPI, web: WebApp) -> None:
    @app.get("/api/articles", tags=["articles"], summary="Stored articles, newest first")
    def api_articles(limit: Limit = 50, offset: Offset = 0) -> list[JSON]:
        return web.read(lambda st: queries.list_articles(st, limit, offset))

    @app.get("/api/articles/{article_id}", tags=["articles"], summary="One article's ledger (contract JSON)")
    def api_article(article_id: str) -> JSON:
        return web.read(lambda st: queries.get_ledger(st, article_id))

    @app.get("/api/articles/{article_id}/brief", tags=["articles"], summary="The article's brief or summary")
    def api_brief(article_id: str) -> JSON:
        return summary(web.read(lambda st: queries.get_ledger(st, article_id)))

    @app.get("/api/actors/{name}", tags=["actors"], summary="Everything credited to an actor, by date")
    def api_actor(name: Annotated[str, Path(max_length=300)], limit: Limit = 200, offset: Offset = 0) -> JSON:
        return web.read(lambda st: queries.actor_profile(st, name, limit, offset))

    @app.get("/api/measures", tags=["measures"], summary="Measure labels across the corpus")
    def api_measures(limit: Limit = 200, offset: Offset = 0) -> list[JSON]:
        return web.read(lambda st: queries.measure_labels(st, limit, offset))

    @app.get("/api/measures/{label}", tags=["measures"], summary="The figures every source gives for a measure")
    def api_measure(label: Annotated[str, Path(max_length=300)]) -> JSON:
        return web.read(lambda st: queries.measure_series(st, label))

    @app.get("/api/search", tags=["search"], summary="Full-text search with filters")
    def api_search(q: Annotated[str, Query(max_length=500)] = "", scope: Scope = "statements",
                   source: str | None = None, actor: str | None = None,
                   since: Annotated[str | None, Query(description="YYYY-MM-DD")] = None,
                   until: Annotated[str | None, Query(description="YYYY-MM-DD")] = None,
                   flag: Annotated[str | None, Query(description=", ".join(FLAG_KINDS))] = None,
                   limit: Limit = 20, offset: Offset = 0) -> list[JSON]:
        return web.read(lambda st: search_data(st, q, scope, source, actor, since, until, flag, limit, offset))

    @app.post("/api/analyze", tags=["analyze"], summary="Analyse an article's text or HTML (not stored)")
    async def api_analyze(body: AnalyzeRequest) -> JSON:
        return await analyze_input(web, text=body.text, page=body.html, data=None, url=None,
                                   published=body.published)


def add_pages(app: FastAPI, web: WebApp) -> None:
    page = web.page

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(limit: Limit = 50, offset: Offset = 0) -> HTMLResponse:
        rows = web.read(lambda st: queries.list_articles(st, limit, offset))
        return page("index.html", articles=rows, limit=limit, offset=offset, flags=FLAG_KINDS)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article(article_id: str) -> HTMLResponse:
        doc = web.read(lambda st: queries.get_ledger(st, article_id))
        return page("article.html", **article_view(doc), stored=True)

    @app.get("/articles/{article_id}/brief", response_class=HTMLResponse, include_in_schema=False)
    def brief(article_id: str) -> HTMLResponse:
        return page("brief.html", s=summary(web.read(lambda st: queries.get_ledger(st, article_id))))

    @app.get("/actors/{name}", response_class=HTMLResponse, include_in_schema=False)
    def actor(name: Annotated[str, Path(max_length=300)], limit: Limit = 200, offset: Offset = 0) -> HTMLResponse:
        return page("actor.html", p=web.read(lambda st: queries.actor_profile(st, name, limit, offset)))

    @app.get("/measures", response_class=HTMLResponse, include_in_schema=False)
    def measures(limit: Limit = 200, offset: Offset = 0) -> HTMLResponse:
        return page("measures.html", labels=web.read(lambda st: queries.measure_labels(st, limit, offset)))

    @app.get("/measures/{label}", response_class=HTMLResponse, include_in_schema=False)
    def measure(label: Annotated[str, Path(max_length=300)]) -> HTMLResponse:
        series = web.read(lambda st: queries.measure_series(st, label))
        return page("measure.html", m=series, chart=series_svg(series["points"]))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search(q: Annotated[str, Query(max_length=500)] = "", scope: Scope = "statements", source: str = "",
               actor: str = "", since: str = "", until: str = "", flag: str = "", limit: Limit = 20,
               offset: Offset = 0) -> HTMLResponse:
        form = {"q": q, "scope": scope, "source": source, "actor": actor, "since": since, "until": until,
                "flag": flag}
        searched = any(form[k] for k in form if k != "scope")
        hits = web.read(lambda st: search_data(st, q, scope, source, actor, since, until, flag, limit, offset)) \
            if searched else []
        return page("search.html", form=form, hits=hits, searched=searched, flags=FLAG_KINDS)

    @app.get("/analyze", response_class=HTMLResponse, include_in_schema=False)
    def analyze_form() -> HTMLResponse:
        return page("analyze.html", allow_fetch=web.allow_fetch, max_upload=web.max_upload)

    @app.post("/analyze", response_class=HTMLResponse, include_in_schema=False)
    async def analyze(text: Annotated[str, Form()] = "", published: Annotated[str, Form()] = "",
                      form: Annotated[str, Form(pattern="^(auto|text|html)$")] = "auto",
                      url: Annotated[str, Form()] = "",
                      file: Annotated[UploadFile | None, File()] = None) -> HTMLResponse:
        data = await file.read() if file is not None and file.filename else None
        doc = await analyze_input(web, text=text or None, page=None, data=data, url=url or None,
                                  published=published, form=form)
        return page("article.html", **article_view(doc), stored=False)

    @app.get("/articles", include_in_schema=False)
    def articles_redirect(request: Request) -> RedirectResponse:
        return RedirectResponse("/", status_code=307)
