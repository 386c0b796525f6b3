"""The web app through FastAPI's test client: every page and its JSON twin, errors, headers, escaping."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

with warnings.catch_warnings():  # Starlette asks for httpx2, which the pinned extras do not include
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402
from web_samples import build_store  # noqa: E402

from claimscope.web import create_app  # noqa: E402


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("web") / "ledgers.db"
    return path, build_store(path)


@pytest.fixture
def client(db: tuple[Path, str]) -> Iterator[TestClient]:
    with TestClient(create_app(str(db[0]), max_upload=20_000)) as c:
        yield c


@pytest.fixture
def aid(db: tuple[Path, str]) -> str:
    return db[1]


def test_index_lists_the_articles(client: TestClient) -> None:
    page, api = client.get("/"), client.get("/api/articles")
    assert page.status_code == api.status_code == 200
    assert {a["title"] for a in api.json()} == {"Ferry crews strike", "Ferries sail again"}
    assert "Ferry crews strike" in page.text


def test_article_json_is_the_contract_ledger(client: TestClient, aid: str) -> None:
    doc = client.get(f"/api/articles/{aid}").json()
    assert doc["id"] == aid and doc["published"] == "2031-06-13"
    assert {"text", "segments", "actors", "statements", "quantities", "times", "flags", "measures"} <= set(doc)


def test_article_page_marks_every_statement_and_figure(client: TestClient, aid: str) -> None:
    doc = client.get(f"/api/articles/{aid}").json()
    html = client.get(f"/articles/{aid}").text
    for item in doc["statements"] + doc["quantities"] + doc["flags"]:
        assert f'data-card="{item["id"]}"' in html
        assert item["id"] in html.split('id="text"')[1].split('class="side"')[0]


def test_article_page_shades_segments_and_puts_flags_in_the_margin(client: TestClient, aid: str) -> None:
    doc = client.get(f"/api/articles/{aid}").json()
    html = client.get(f"/articles/{aid}").text
    for kind in {s["kind"] for s in doc["segments"] if s["parent"] is None}:
        assert f"seg seg-{kind}" in html
    assert doc["flags"], "the appended Q&A should be flagged"
    assert html.count('<div class="flag ') == len(doc["flags"])


def test_script_in_an_article_is_shown_not_run(client: TestClient, aid: str) -> None:
    html = client.get(f"/articles/{aid}").text
    assert "<script>document.title" not in html
    assert "&lt;script&gt;" in html or "&lt;" in html
    assert html.count("<script") == 1  # only the vendored, external app.js


@pytest.mark.parametrize("path", ["/", "/search", "/analyze", "/measures", "/api/articles", "/openapi.json"])
def test_every_response_forbids_inline_script(client: TestClient, path: str) -> None:
    csp = client.get(path).headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_brief_cites_the_article(client: TestClient, aid: str) -> None:
    api = client.get(f"/api/articles/{aid}/brief").json()
    assert [sec["question"] for sec in api["sections"]][:2] == ["What happened?", "Who says what?"]
    doc = client.get(f"/api/articles/{aid}").json()
    for sec in api["sections"]:
        for line in sec["lines"]:
            assert line["cites"] and all(doc["text"][c["start"]:c["end"]] == c["text"] for c in line["cites"])
    assert "Who says what?" in client.get(f"/articles/{aid}/brief").text


def test_actor_page_gathers_the_corpus(client: TestClient) -> None:
    api = client.get("/api/actors/Tomas Reyna").json()
    assert api["articles"] == 2
    assert "Reyna" in api["variants"]
    dates = [s["published"] for s in api["statements"]]
    assert dates == sorted(dates)
    assert "Also written as" in client.get("/actors/Tomas Reyna").text


@pytest.mark.parametrize(("name", "found"), [("tomas reyna", True), ("Nobody Here", False), ("%", False)])
def test_actor_lookup_is_exact_and_case_blind(client: TestClient, name: str, found: bool) -> None:
    assert bool(client.get(f"/api/actors/{name}").json()["statements"]) is found


def test_measure_pages(client: TestClient) -> None:
    labels = client.get("/api/measures").json()
    assert labels
    label = labels[0]["label"]
    series = client.get(f"/api/measures/{label}").json()
    assert series["points"] and all("disagree" in p for p in series["points"])
    page = client.get(f"/measures/{label}").text
    assert "<svg" in page and "<table" in page


@pytest.mark.parametrize(("query", "expect"), [
    # "contract" is in Reyna's words in both articles (the company's content ends before "while Reyna said")
    ({"q": "contract"}, 2),
    ({"q": "contract", "since": "2031-06-15"}, 1),
    ({"q": "contract", "until": "2031-06-15"}, 1),
    ({"q": "contract", "source": "verin.example"}, 1),
    ({"q": "contract", "source": "elsewhere.example"}, 0),
    ({"actor": "Tomas Reyna"}, 3),
    ({"q": "contract", "actor": "Ada Brightwater"}, 0),
    ({"q": "'; DROP TABLE statements; --"}, 0),
])
def test_search_filters(client: TestClient, query: dict[str, Any], expect: int) -> None:
    hits = client.get("/api/search", params=query).json()
    assert len(hits) == expect, hits
    assert client.get("/search", params=query).status_code == 200


@pytest.mark.parametrize(("scope", "q", "key"), [("articles", "ferry", "title"), ("actors", "reyna", "name")])
def test_search_other_scopes(client: TestClient, scope: str, q: str, key: str) -> None:
    hits = client.get("/api/search", params={"q": q, "scope": scope}).json()
    assert hits and all(h[key] for h in hits)


@pytest.mark.parametrize(("path", "status", "words"), [
    ("/articles/nosuchid", 404, "no stored article"),
    ("/api/articles/nosuchid", 404, "no stored article"),
    ("/api/search?since=2031-13-01", 422, "since: expected a date"),
    ("/search?until=yesterday", 422, "until: expected a date"),
    ("/api/search?flag=bogus", 422, "flag: expected one of"),
    ("/api/search?scope=everything", 422, "scope"),
    ("/api/articles?limit=0", 422, "limit"),
    ("/nowhere", 404, "Not Found"),
])
def test_errors_are_4xx_with_a_message(client: TestClient, path: str, status: int, words: str) -> None:
    resp = client.get(path)
    assert resp.status_code == status
    assert words in resp.text
    assert "ledgers.db" not in resp.text


def test_paste_analyses_without_storing(client: TestClient) -> None:
    text = "The harbour master said 12 boats were damaged. <b>bold</b>\n"
    page = client.post("/analyze", data={"text": text, "published": "2031-01-02", "form": "text"})
    assert page.status_code == 200 and "not stored" in page.text and "&lt;b&gt;" in page.text
    api = client.post("/api/analyze", json={"text": text, "published": "2031-01-02"}).json()
    assert api["published"] == "2031-01-02" and api["quantities"]
    assert len(client.get("/api/articles").json()) == 2


def test_upload_a_file(client: TestClient) -> None:
    resp = client.post("/analyze", files={"file": ("a.html", b"<html><body><article><p>" + b"The mayor said "
                                                   b"the bridge would reopen soon, and residents agreed. " * 5 +
                                                   b"</p></article></body></html>")})
    assert resp.status_code == 200


@pytest.mark.parametrize(("kwargs", "status", "words"), [
    ({"json": {"text": "x", "published": "2031-02-30"}}, 422, "published: expected a date"),
    ({"json": {"text": "   "}}, 422, "nothing to analyse"),
    ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 422, "invalid request"),
    ({"content": b"x" * 30_000, "headers": {"content-type": "application/json"}}, 413, "at most 20,000 bytes"),
])
def test_analyze_refuses_bad_input(client: TestClient, kwargs: dict[str, Any], status: int, words: str) -> None:
    resp = client.post("/api/analyze", **kwargs)
    assert resp.status_code == status and words in resp.json()["detail"]


def test_binary_upload_is_a_422(client: TestClient) -> None:
    resp = client.post("/analyze", files={"file": ("x.txt", b"\x00\x01binary" * 10)})
    assert resp.status_code == 422 and "binary" in resp.text


def test_large_form_upload_is_a_413_page(client: TestClient) -> None:
    resp = client.post("/analyze", files={"file": ("big.txt", b"word " * 10_000)})
    assert resp.status_code == 413 and "at most 20,000 bytes" in resp.text


def test_url_fetching_is_off_by_default(client: TestClient) -> None:
    resp = client.post("/analyze", data={"url": "http://127.0.0.1:9/"})
    assert resp.status_code == 403 and "turned off" in resp.text


def test_openapi_documents_the_json_twins(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/articles", "/api/articles/{article_id}", "/api/actors/{name}", "/api/measures/{label}",
            "/api/search", "/api/analyze", "/api/articles/{article_id}/brief"} <= set(paths)
    assert not any(p.startswith("/articles") for p in paths)


def test_a_missing_store_is_refused_at_start(tmp_path: Path) -> None:
    from claimscope.errors import StoreError

    with pytest.raises(StoreError, match="does not exist"):
        create_app(str(tmp_path / "none.db"))


def test_fetching_when_enabled_checks_every_hop(db: tuple[Path, str]) -> None:
    import httpx

    page = b"<html><body><article><p>" + b"The mayor said the bridge would reopen on Friday. " * 6 + b"</p></article>"

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/moved":
            return httpx.Response(301, headers={"location": "http://127.0.0.1:8000/admin"})
        return httpx.Response(200, content=page, headers={"content-type": "text/html"})

    app = create_app(str(db[0]), allow_fetch=True, fetch_transport=httpx.MockTransport(handler),
                     resolve=lambda host: ["93.184.216.34"])
    with TestClient(app) as c:
        assert "allow_fetch" not in c.get("/analyze").text and 'name="url"' in c.get("/analyze").text
        ok = c.post("/analyze", data={"url": "https://news.example/story"})
        assert ok.status_code == 200 and "bridge would reopen" in ok.text
        refused = c.post("/analyze", data={"url": "https://news.example/moved"})
        assert refused.status_code == 400 and "127.0.0.1" in refused.text


@pytest.mark.parametrize(("meta", "text", "expect"), [
    ({"title": "Ferry crews strike", "source": "/in/ferry.txt"}, "First line\n", "Ferry crews strike"),
    ({"title": "  ", "source": "/in/ferry.txt"}, "First line\n", "ferry.txt"),
    ({"title": None, "url": "https://news.example/2031/ferry-strike/"}, "x", "ferry-strike"),
    ({"title": None, "source": None}, "\n\n  Ferries stop on Lake Verin  \nMore.", "Ferries stop on Lake Verin"),
    ({}, "word " * 40, ("word " * 40)[:89].rstrip() + "\u2026"),
    ({}, " \n ", "Article a1"),
])
def test_display_title_falls_back_to_file_then_first_line(meta: dict[str, Any], text: str, expect: str) -> None:
    from claimscope.web.app import display_title

    assert display_title({"id": "a1", "meta": meta, "text": text}) == expect


def test_pasted_article_without_title_shows_its_first_line(client: TestClient) -> None:
    page = client.post("/analyze", data={"text": "Ferries stop on Lake Verin\nCrews said 42 crossings were cut.\n"})
    assert page.status_code == 200
    assert "<h1>Ferries stop on Lake Verin</h1>" in page.text and "Untitled" not in page.text
