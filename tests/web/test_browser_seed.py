"""The seed article (../shared, read at run time, never copied) in a real browser, over a store the real
pipeline built: every highlight, speaker and flag is where the ledger says; search; follow an actor.

Skips with a reason when ../shared, Playwright or /usr/bin/chromium is missing. Screenshots go to the
folder named by CLAIMSCOPE_SCREENSHOTS (a temporary folder otherwise), prefixed ``seed-``.
"""
# ruff: noqa: F811  (the imported fixtures are parameters of the tests below)

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "000_b363215d67523c3c.txt"
if not SEED.exists():
    pytest.skip("../shared (annotated development data) is not beside the repository", allow_module_level=True)

# The browser, page and screenshot fixtures (and the live server) are test_browser's, shared by import.
from test_browser import browser, live_server, page, shots  # noqa: E402,F401

from claimscope.pipeline import default_pipeline  # noqa: E402
from claimscope.sources import article_from_text  # noqa: E402
from claimscope.store import open_store  # noqa: E402

PUBLISHED = dt.date(2024, 11, 3)


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The seed analysed by the default pipeline into a fresh SQLite store, served on a free port."""
    db = tmp_path_factory.mktemp("seed") / "ledgers.db"
    article = article_from_text(SEED.read_text(encoding="utf-8"), str(SEED), published=PUBLISHED, source=str(SEED))
    with open_store(str(db)) as store:
        store.put(default_pipeline().run(article))
    with live_server(db) as base:
        yield base, article.id


@pytest.fixture(scope="module")
def ledger(seed: tuple[str, str]) -> dict[str, Any]:
    import httpx

    base, aid = seed
    return dict(httpx.get(f"{base}/api/articles/{aid}").json())


def _pieces(pg: Any, item: str, cls: str) -> list[dict[str, str]]:
    return list(pg.eval_on_selector_all(
        f'#text [data-items~="{item}"].{cls}', "els => els.map(e => ({text: e.textContent, cls: e.className}))"))


def _speaker_slots(ledger: dict[str, Any]) -> dict[str, int]:
    slots: dict[str, int] = {}
    for st in ledger["statements"]:
        slots.setdefault(st["speaker"] or st["speaker_text"] or "", len(slots) % 12)
    return slots


def test_each_statement_is_highlighted_over_its_content(seed: tuple[str, str], ledger: dict[str, Any],
                                                        page: Any, shots: Path) -> None:
    base, aid = seed
    page.goto(f"{base}/articles/{aid}")
    assert ledger["statements"], "the pipeline found no statement in the seed"
    slots = _speaker_slots(ledger)
    for st in ledger["statements"]:
        pieces = _pieces(page, st["id"], "st")
        assert "".join(p["text"] for p in pieces) == st["content_text"], st["id"]
        colour = f"sp{slots[st['speaker'] or st['speaker_text']]}"
        assert all(colour in p["cls"].split() for p in pieces), (st["id"], colour)
    page.screenshot(path=str(shots / "seed-article.png"), full_page=True)


def test_each_speaker_mention_is_marked_in_the_speakers_colour(seed: tuple[str, str], ledger: dict[str, Any],
                                                               page: Any) -> None:
    base, aid = seed
    page.goto(f"{base}/articles/{aid}")
    slots = _speaker_slots(ledger)
    for st in (s for s in ledger["statements"] if s["speaker_start"] is not None):
        who = _pieces(page, st["id"], "who")
        assert "".join(p["text"] for p in who) == ledger["text"][st["speaker_start"]:st["speaker_end"]]
        assert all(f"sp{slots[st['speaker'] or st['speaker_text']]}" in p["cls"].split() for p in who)


def test_flags_sit_in_the_margin_beside_their_segment(seed: tuple[str, str], ledger: dict[str, Any],
                                                      page: Any) -> None:
    base, aid = seed
    page.goto(f"{base}/articles/{aid}")
    assert page.locator(".margin .flag").count() == len(ledger["flags"]) >= 1
    tops = [s for s in ledger["segments"] if s["parent"] is None]
    for flag in ledger["flags"]:
        row = page.locator("#text .row", has=page.locator(f'.margin .flag[data-item="{flag["id"]}"]'))
        assert row.count() == 1, flag["id"]
        home = next(s for s in tops if s["start"] <= flag["start"] < s["end"])
        assert row.locator(".seg").get_attribute("data-kind") == home["kind"]
        assert row.locator(f'.seg [data-items~="{flag["id"]}"]').count() >= 1
        assert flag["reason"] in row.locator(".margin .flag").filter(
            has_text=flag["kind"].replace("_", " ")).first.inner_text()


def test_clicking_a_statement_shows_its_source_card(seed: tuple[str, str], ledger: dict[str, Any],
                                                    page: Any, shots: Path) -> None:
    base, aid = seed
    page.goto(f"{base}/articles/{aid}")
    names = {a["id"]: a["name"] for a in ledger["actors"]}
    for st in [s for s in ledger["statements"] if s["speaker"]][:4]:
        page.locator(f'.wsw tr[data-item="{st["id"]}"]').click()
        card = page.locator(f'#source-panel .card[data-card="{st["id"]}"]')
        assert card.is_visible()
        assert card.locator(".chip").inner_text() == names[st["speaker"]]
        assert f"chars {st['start']}–{st['end']}" in card.inner_text()
    page.screenshot(path=str(shots / "seed-source.png"))


def test_follow_the_speaker_to_the_actor_page(seed: tuple[str, str], ledger: dict[str, Any], page: Any,
                                              shots: Path) -> None:
    base, aid = seed
    page.goto(f"{base}/articles/{aid}")
    actor = next(a for a in ledger["actors"] if a["name"].endswith("Guterres"))
    said = {s["content_text"] for s in ledger["statements"] if s["speaker"] == actor["id"]}
    page.locator(".wsw a", has_text=actor["name"]).first.click()
    page.wait_for_selector("table.grid")
    assert page.inner_text("h1") == actor["name"]
    rows = page.locator("table.grid tbody tr")
    assert rows.count() == len(said) >= 1
    assert {rows.nth(i).locator("td").nth(4).inner_text() for i in range(rows.count())} <= {
        t if len(t) <= 200 else t[:197] for t in said} | {t for t in said}
    page.screenshot(path=str(shots / "seed-actor.png"), full_page=True)


@pytest.mark.parametrize(("form", "expect"), [
    ({"q": "", "actor": "GUR"}, "GUR"),
    ({"q": "training camps", "actor": "GUR"}, "GUR"),
    ({"q": "training camps", "actor": "Guterres"}, None),
    ({"q": "Telegram", "scope": "articles"}, "article"),
    ({"q": "Telegram"}, None),  # the channel is not the statement's content: statements match their content
])
def test_search_finds_the_statement(seed: tuple[str, str], ledger: dict[str, Any], page: Any, shots: Path,
                                    form: dict[str, str], expect: str | None) -> None:
    base, aid = seed
    page.goto(f"{base}/search")
    for name, value in form.items():
        (page.select_option if name == "scope" else page.fill)(f"[name={name}]", value)
    page.click("form.filters button")
    page.wait_for_selector("p.meta")
    hits = page.locator("ol.hits li")
    if expect is None:
        assert hits.locator("a").count() == 0 and "Nothing found" in hits.first.inner_text()
        return
    if expect == "article":
        assert hits.count() == 1 and hits.locator(f'a[href="/articles/{aid}"]').count() == 1
        return
    names = {a["id"]: a["name"] for a in ledger["actors"]}
    wanted = [s for s in ledger["statements"] if names.get(s["speaker"]) == expect
              and all(w in s["content_text"] for w in form["q"].split())]
    assert hits.count() == len(wanted) >= 1
    assert all(expect in hits.nth(i).locator("a").first.inner_text() for i in range(hits.count()))
    page.screenshot(path=str(shots / "seed-search.png"), full_page=True)


def test_a_pasted_article_with_a_script_runs_nothing(seed: tuple[str, str], page: Any, shots: Path) -> None:
    base, _ = seed
    page.goto(f"{base}/analyze")
    page.fill("#paste", "Harbour pilots said 14 tugs were idle on Tuesday.\n"
                        "<script>window.pwned = 1; document.title = 'pwned'</script>\n"
                        "\u201cWe are waiting,\u201d said Oren Vale, a pilot.\n")
    page.select_option("select[name=form]", "text")
    page.click("#analyze-btn")
    page.wait_for_selector("#text")
    assert page.title() != "pwned" and page.evaluate("typeof window.pwned") == "undefined"
    assert "<script>window.pwned" in page.locator("#text").inner_text()
    assert page.locator("#text .st").count() >= 1
    page.screenshot(path=str(shots / "seed-paste.png"), full_page=True)
