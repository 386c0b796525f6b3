"""Hostile content: search input never reaches SQL (both backends), URL fetching refuses the operator's own
network in every spelling of an address (also after a redirect), and names taken from inputs never become
paths outside the folder they belong in. Script in articles never running in a browser is checked in
``tests/web/test_browser.py::test_hostile_markup_never_runs``.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from articles import article
from bounded import cli

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")

with warnings.catch_warnings():  # Starlette asks for httpx2, which the pinned extras do not include
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
from backends import BACKENDS, backend_url  # noqa: E402

from claimscope.model import Article  # noqa: E402
from claimscope.sources.fetch import Config, Fetcher, FetchRefused, check_host, fetch  # noqa: E402
from claimscope.store import open_store  # noqa: E402
from claimscope.store.export import TABLES  # noqa: E402
from claimscope.web import create_app  # noqa: E402

FIGURES: Counter[str] = Counter()

# --- search input never reaches SQL ---------------------------------------------------------------------

INJECTIONS = [
    "'; DROP TABLE articles; --", "\" OR 1=1 --", "council' OR '1'='1", "bridge) OR (1=1", "1; SELECT pg_sleep(5)",
    "x' UNION SELECT id, text, text FROM articles --", "NEAR(bridge council)", "\"unbalanced", "bridge*", "*",
    "AND", "OR NOT", "text:council", "^council", "council NOT", "(((", "'", "\\", "%", "_", "council\x00bridge",
    "$$; DROP TABLE statements; $$", "--", "/*", "council & bridge | !x", "<->", ":*", "{", "a" * 500,
    "council\" AND \"bridge", "💥 ∑ 文字", "council\r\nbridge", "\u202econcil",
]
SCOPES = ["statements", "articles", "actors"]


@pytest.fixture(params=BACKENDS, scope="module")
def store_with_articles(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from claimscope.pipeline import default_pipeline

    with backend_url(request.param, tmp_path_factory.mktemp("hostile")) as url:
        pipeline = default_pipeline()
        with open_store(url) as store:
            for n in range(6):
                store.put(pipeline.run(Article(id=f"a{n}", text=article(n))))
        yield url


def _counts(url: str) -> dict[str, int]:
    with open_store(url, read_only=True) as store:
        return {t: int(store.rows(f"SELECT count(*) AS n FROM {t}")[0]["n"])
                for t in ("articles", "statements", "quantities", "actors")}


def test_search_input_cannot_inject_sql(store_with_articles: str) -> None:
    url = store_with_articles
    before = _counts(url)
    statuses: Counter[int] = Counter()
    with TestClient(create_app(url), raise_server_exceptions=False) as client:
        for q in INJECTIONS:
            for scope in SCOPES:
                for path in ("/api/search", "/search"):
                    got = client.get(path, params={"q": q, "scope": scope})
                    statuses[got.status_code] += 1
                    assert got.status_code in (200, 400, 422), (q, scope, path, got.text[:300])
            for field in ("actor", "source", "since", "flag"):  # the filters are user input too
                got = client.get("/api/search", params={"q": "council", field: q})
                statuses[got.status_code] += 1
                assert got.status_code in (200, 400, 422), (q, field, got.text[:300])
        found = client.get("/api/search", params={"q": "council", "scope": "articles"})
        assert found.status_code == 200 and len(found.json()) == before["articles"]  # search still works
    assert _counts(url) == before  # nothing dropped, nothing added
    FIGURES["search requests"] += sum(statuses.values())
    FIGURES["search 500s"] += statuses[500]
    backend = "postgresql" if url.startswith("postgresql") else "sqlite"
    print(f"\nsearch injection on {backend}: {sum(statuses.values())} requests {dict(statuses)}")


# --- URL fetching refuses private addresses ------------------------------------------------------------

PRIVATE = [
    "http://127.0.0.1/", "http://127.1/", "http://2130706433/", "http://017700000001/", "http://0x7f000001/",
    "http://0x7f.1/", "http://0177.0.0.1/", "http://0/", "http://localhost/", "http://10.0.0.1/",
    "http://3232235777/", "http://169.254.169.254/latest/meta-data", "http://100.64.0.1/", "http://[::1]/",
    "http://[::]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://[::ffff:169.254.169.254]/",
    "http://[::127.0.0.1]/", "http://[fc00::1]/", "http://[fd12:3456::1]/", "http://[fe80::1%25eth0]/",
    "http://[2002:7f00:1::]/", "http://[2002:a00:1::]/", "http://[64:ff9b::a00:1]/", "http://[64:ff9b::7f00:1]/",
    "http://[ff02::1]/", "http://224.0.0.1/", "http://255.255.255.255/", "http://user:pw@127.0.0.1:8080/",
    "http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/",  # Teredo, its client 10.0.0.1
]


@pytest.mark.parametrize("url", PRIVATE)
def test_private_addresses_are_refused_in_every_form(url: str) -> None:
    """The real resolver reads numeric forms as the system does (no network is needed for them)."""
    with pytest.raises(FetchRefused):
        check_host(url)
    FIGURES["private addresses refused"] += 1


def _redirecting_to(target: str) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.host == "news.example":
            return httpx.Response(302, headers={"location": target})
        return httpx.Response(200, text="<html><body><p>the inside page</p></body></html>")

    return httpx.MockTransport(answer)


def _public(host: str) -> list[str]:
    if host == "news.example":
        return ["93.184.216.34"]
    from claimscope.sources.fetch import system_resolve

    return system_resolve(host)


@pytest.mark.parametrize("target", PRIVATE)
def test_a_redirect_to_a_private_address_is_refused(target: str) -> None:
    with pytest.raises(FetchRefused):
        fetch("https://news.example/story", transport=_redirecting_to(target), resolve=_public)
    with Fetcher(Config(retries=0), transport=_redirecting_to(target), resolve=_public) as fetcher, \
            pytest.raises(FetchRefused):
        fetcher.get("https://news.example/story")
    FIGURES["redirects refused"] += 1


def test_public_addresses_are_still_fetched() -> None:
    for url in ("http://93.184.216.34/", "http://[2606:2800:220:1:248:1893:25c8:1946]/", "http://[2002:5db8:d822::]/"):
        check_host(url)


# --- names from inputs never become paths outside their folder ------------------------------------------

HOSTILE_IDS = ["../../escaped", "/tmp/absolute-escape", "..\\..\\windows-escape", "a/b/../../../up", "CON",
               ".", "..", "~/home-escape", "nul\x00byte", "x" * 300]


def _hostile_warc() -> bytes:
    out = b""
    for n, uri in enumerate(["https://x.example/../../../../escaped-warc", "file:///etc/passwd",
                             "https://x.example/%2e%2e/%2e%2e/escaped"]):
        body = (f"<html><head><title>../../t{n}</title></head><body><article><p>{article(n)}</p>"
                "</article></body></html>").encode()
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
        head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <../../../record-{n}>\r\n"
                f"WARC-Date: 2024-05-02T10:00:00Z\r\nWARC-Target-URI: {uri}\r\n"
                f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n").encode()
        out += head + http + b"\r\n\r\n"
    return out


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_names_from_inputs_never_become_paths_outside_their_folder(tmp_path: Path) -> None:
    inputs, work, cwd = tmp_path / "in", tmp_path / "work", tmp_path / "cwd"
    for folder in (inputs, work, cwd):
        folder.mkdir()
    (inputs / "batch.jsonl").write_text("\n".join(json.dumps({"id": i, "text": article(k), "url": f"file:///{i}"})
                                                  for k, i in enumerate(HOSTILE_IDS)), encoding="utf-8")
    (inputs / "crawl.warc").write_bytes(_hostile_warc())
    given = _tree(inputs)
    outside = {p.name for p in tmp_path.parent.iterdir()}
    db = work / "store.db"
    done = cli("ingest", "--db", str(db), str(inputs), timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    exports = [("jsonl", work / "out.jsonl"), ("csv", work / "csv"), ("labelstudio", work / "tasks.json")]
    if _has("pyarrow"):
        exports.append(("parquet", work / "parquet"))
    for fmt, out in exports:
        got = cli("export", "--db", str(db), "--format", fmt, str(out), timeout=120)
        assert got.returncode == 0, got.stderr[-2000:]
    with TestClient(create_app(str(db), max_upload=100_000)) as client:  # an upload's file name is not a path
        for name in ("../../../upload-escape.txt", "/tmp/upload-absolute.txt", "..\\upload.txt"):
            page = client.post("/analyze", data={"form": "auto"},
                               files={"file": (name, article(1).encode(), "text/plain")})
            assert page.status_code == 200, page.text[:300]
    expected = {"store.db", "out.jsonl", "tasks.json", "csv", *(f"csv{os.sep}{t}.csv" for t in TABLES)}
    if _has("pyarrow"):
        expected |= {"parquet", *(f"parquet{os.sep}{t}.parquet" for t in TABLES)}
    assert _tree(work) - {"store.db-wal", "store.db-shm"} == expected
    assert _tree(inputs) == given and _tree(cwd) == set()
    assert {p.name for p in tmp_path.parent.iterdir()} == outside  # nothing appeared beside the test's folder
    assert not any(Path(p).exists() for p in ("/tmp/absolute-escape", "/tmp/upload-absolute.txt"))
    with open_store(str(db), read_only=True) as store:
        ids = {r["id"] for r in store.rows("SELECT id FROM articles")}
    FIGURES["hostile names ingested"] += len(ids)
    print(f"\nhostile names: {len(ids)} articles stored under hostile ids and URLs, {len(exports)} exports, "
          f"3 uploads; files outside their folder: 0")


def _has(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True
