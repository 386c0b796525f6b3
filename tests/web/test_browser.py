"""The web app in a real headless browser (Debian's chromium driven by Playwright), against a live server.

Skips with a reason when Playwright or /usr/bin/chromium is missing. Screenshots go to the folder named
by CLAIMSCOPE_SCREENSHOTS (a temporary folder otherwise).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not at /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (browser-tests extra)")
uvicorn = pytest.importorskip("uvicorn")

from web_samples import build_store  # noqa: E402

from claimscope.web import create_app  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(db: Path) -> Iterator[str]:
    """The app over the store at ``db``, served by uvicorn in a thread on a free loopback port; its base URL."""
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(str(db)), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:  # readiness, not a timing assertion
        if not thread.is_alive():
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    db = tmp_path_factory.mktemp("browser") / "ledgers.db"
    aid = build_store(db)
    with live_server(db) as base:
        yield base, aid


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.errors = errors
    yield pg
    context.close()
    assert errors == [], f"the page reported errors (CSP violations or script errors): {errors}"


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("CLAIMSCOPE_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_article_page_highlights_speakers_and_flags(server: tuple[str, str], page: Any, shots: Path) -> None:
    base, aid = server
    ledger = page.request.get(f"{base}/api/articles/{aid}").json()
    page.goto(f"{base}/articles/{aid}")
    for st in ledger["statements"]:
        assert page.locator(f'#text [data-items~="{st["id"]}"].st').count() >= 1
    reyna = page.locator(".who", has_text="Tomas Reyna").first.evaluate("e => getComputedStyle(e).backgroundColor")
    ada = page.locator(".who", has_text="Ada Brightwater").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert reyna != ada
    flags = page.locator(".margin .flag")
    assert flags.count() == len(ledger["flags"])
    assert ledger["flags"][0]["reason"] in flags.first.inner_text()
    page.screenshot(path=str(shots / "article.png"), full_page=True)


def test_clicking_a_statement_shows_its_source(server: tuple[str, str], page: Any, shots: Path) -> None:
    base, aid = server
    page.goto(f"{base}/articles/{aid}")
    page.locator(".who", has_text="Ada Brightwater").first.click()
    card = page.locator("#source-panel .card:visible")
    assert card.count() == 1
    text = card.inner_text()
    assert "Ada Brightwater" in text and "said" in text and "chars" in text
    page.locator(".wsw tr", has_text="Tomas Reyna").first.click()
    assert "Tomas Reyna" in page.locator("#source-panel .card:visible").first.inner_text()
    assert page.locator("#text .lit").count() >= 1
    page.screenshot(path=str(shots / "article-source.png"))


def test_script_in_an_article_runs_nothing(server: tuple[str, str], page: Any) -> None:
    base, aid = server
    page.goto(f"{base}/articles/{aid}")
    assert page.title() != "pwned"
    assert "<script>document.title" in page.locator("#text").inner_text()


def test_paste_an_article(server: tuple[str, str], page: Any, shots: Path) -> None:
    base, _ = server
    page.goto(f"{base}/analyze")
    page.fill("#paste", "The lighthouse keeper said 3 ships ran aground near the pier on Sunday.\n"
                        "\u201cThe fog came in fast,\u201d Mara Quill, a fisherman, told the Coast Courier.\n")
    page.fill("#published", "2031-04-07")
    page.click("#analyze-btn")
    page.wait_for_selector("#text")
    assert "not stored" in page.inner_text(".meta")
    assert page.locator("#text .st").count() >= 2 and page.locator("#text .fig").count() >= 1
    page.screenshot(path=str(shots / "paste-result.png"), full_page=True)


def test_search_then_follow_an_actor(server: tuple[str, str], page: Any, shots: Path) -> None:
    base, _ = server
    page.goto(f"{base}/search")
    page.fill("input[name=q]", "contract")
    page.click("form.filters button")
    page.wait_for_selector("ol.hits li")
    assert page.locator("ol.hits li").count() == 2  # Reyna in both; the company stops before "while"
    page.screenshot(path=str(shots / "search.png"), full_page=True)
    page.locator("ol.hits li a", has_text="Tomas Reyna").first.click()
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "Tomas Reyna"
    assert page.locator("table.grid tbody tr").count() == 3
    page.screenshot(path=str(shots / "actor.png"), full_page=True)


def test_measure_chart(server: tuple[str, str], page: Any, shots: Path) -> None:
    base, _ = server
    page.goto(f"{base}/measures")
    page.locator("table.grid a").first.click()
    page.wait_for_selector("svg.chart")
    assert page.locator("svg.chart circle").count() >= 1
    page.screenshot(path=str(shots / "measure.png"), full_page=True)


HOSTILE = (
    "Council defends budget <script>window.__pwned = 'script'</script>\n"
    "The mayor said the plan <img src=x onerror=\"window.__pwned = 'onerror'\"> would cost 12 million euros.\n"
    "\u201cRead <a href=\"javascript:window.__pwned = 'href'\">the report</a>,\u201d said Mara Quint, "
    "the council leader.\n"
    "<svg onload=\"window.__pwned = 'svg'\"></svg><iframe srcdoc=\"<script>parent.__pwned = 'iframe'</script>\">"
    "</iframe> <body onload=\"window.__pwned = 'body'\">\n"
    "According to <b onmouseover=\"window.__pwned = 'hover'\">the office</b>, 30% of residents agree, "
    "and \"><script>window.__pwned = 'attr'</script> said it too.\n"
)
HOSTILE_PAGES = ["/articles/{aid}", "/articles/{aid}/brief", "/", "/search?q=council&scope=articles",
                 "/search?q=report", "/search?q=Quint&scope=actors", "/actors/Mara%20Quint", "/measures"]
_MARKUP_ALIVE = """() => ({
  pwned: window.__pwned === undefined ? null : String(window.__pwned),
  handlers: [...document.querySelectorAll('*')]
    .filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
  jsLinks: document.querySelectorAll('a[href^="javascript:" i], [src^="javascript:" i]').length,
  scripts: [...document.scripts].filter(s => !s.src.startsWith(location.origin + '/static/')).length,
  frames: document.querySelectorAll('iframe, object, embed').length,
})"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    from claimscope.model import Article
    from claimscope.pipeline import default_pipeline
    from claimscope.store import open_store

    db = tmp_path_factory.mktemp("hostile") / "ledgers.db"
    art = Article(id="hostile-1", text=HOSTILE, title="<img src=x onerror=\"window.__pwned = 'title'\">",
                  site="<script>window.__pwned = 'site'</script>", url="javascript:window.__pwned = 'url'",
                  source="\"><svg onload=\"window.__pwned = 'source'\">")
    with open_store(db) as store:
        store.put(default_pipeline().run(art))
    with live_server(db) as base:
        yield base, art.id


def test_hostile_markup_never_runs(hostile_server: tuple[str, str], page: Any) -> None:
    """Script, event handlers, javascript: links and frames in an article's text, title, site, URL and source
    appear as text on every page that shows them; nothing runs, and every page carries the CSP."""
    base, aid = hostile_server
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for path in HOSTILE_PAGES:
        response = page.goto(base + path.format(aid=aid))
        assert response is not None and response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        for link in page.locator("#text span, a").all()[:40]:  # hover what a reader would point at
            if link.is_visible():
                link.hover()
        state = page.evaluate(_MARKUP_ALIVE)
        assert state == {"pwned": None, "handlers": 0, "jsLinks": 0, "scripts": 0, "frames": 0}, (path, state)
    page.goto(f"{base}/articles/{aid}")
    assert "<script>window.__pwned = 'script'</script>" in page.locator("#text").inner_text()
    page.goto(f"{base}/analyze")  # the same text pasted: analysed, shown, never run
    page.fill("#paste", HOSTILE)
    page.click("#analyze-btn")
    page.wait_for_selector("#text")
    assert page.evaluate(_MARKUP_ALIVE) == {"pwned": None, "handlers": 0, "jsLinks": 0, "scripts": 0, "frames": 0}
    assert dialogs == []
