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
    assert page.locator("ol.hits li").count() == 3
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
