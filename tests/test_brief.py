"""The brief: every line cites spans of the article, and it says nothing the ledger does not hold."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimscope.brief import make_brief, to_json, to_text
from claimscope.cli import main
from claimscope.model import Ledger

Build = Callable[..., Ledger]
TEXT = ("Dock strike closes Port Alder\n"
        "The harbour authority said on Tuesday that more than 1,200 containers were stuck on the quays.\n"
        "The Alder Gazette put the number of stuck containers at 3,000.\n"
        "“We will not give up,” said union leader Tomas Reyes.\n"
        "About 40 ships are waiting offshore.\n")


def test_every_line_cites_the_article(parsed: Build) -> None:
    led = parsed(TEXT, upto="measures", published="2024-11-05")
    brief = make_brief(led)
    assert [s.question for s in brief.sections][0] == "What happened?"
    lines = [ln for s in brief.sections for ln in s.lines]
    assert lines and all(ln.cites and all(c.matches(TEXT) for c in ln.cites) for ln in lines)


def test_sections_hold_what_the_ledger_holds(parsed: Build) -> None:
    led = parsed(TEXT, upto="measures", published="2024-11-05")
    sections = {s.question: [ln.text for ln in s.lines] for s in make_brief(led).sections}
    assert sections["What happened?"] == ["Dock strike closes Port Alder"]
    assert any("Tomas Reyes" in ln and "We will not give up" in ln for ln in sections["Who says what?"])
    assert any("About 40 ships" in ln for ln in sections["What is not attributed?"])
    assert sections["What does the page add that the story does not support?"] == []


def test_text_and_json_forms(parsed: Build) -> None:
    brief = make_brief(parsed(TEXT, upto="measures"))
    assert "Q: Who says what?" in to_text(brief)
    doc = to_json(brief)
    assert json.loads(json.dumps(doc)) == doc and doc["article_id"] == brief.article_id


def test_brief_command(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    res = CliRunner().invoke(main, ["brief", str(path), "--published", "2024-11-05", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["sections"][1]["question"] == "Who says what?"


def _said_figures(text: str) -> list[str]:
    """Figures a brief line states, its dates and offsets aside."""
    text = re.sub(r"\d{4}-\d\d-\d\d\S*", "", text)
    return re.findall(r"\d[\d,.]*\d|\d", text)


def test_seed_brief_cites_and_invents_nothing(parsed: Build, shared: Path) -> None:
    text = (shared / "seed" / "000_b363215d67523c3c.txt").read_text("utf-8")
    led = parsed(text, upto="measures", published="2024-11-03")
    brief = make_brief(led)
    for sec in brief.sections:
        for ln in sec.lines:
            assert ln.cites and all(c.matches(text) for c in ln.cites), ln.text
            if sec.question.startswith(("Which figures", "Where do")):
                cited = " ".join(c.text for c in ln.cites)
                assert all(f in cited for f in _said_figures(ln.text)), ln.text
    names = {a.name for a in led.actors or ()} | {q.counted for q in led.quantities or () if q.counted}
    assert set(brief.keywords) <= names | {e.span.text for e in (led.parse.entities if led.parse else ())}
    assert {"North Korea", "Ukraine", "North Korean soldiers"} <= set(brief.keywords[:7])
    assert "Emily Carter" not in brief.keywords  # the appended interview's invented expert is not the story


@pytest.mark.parametrize(("appended", "absent"), [
    ("Interview with Dr. Mark Holloway\nInterviewer: What now?\nDr. Holloway: Cooperation is key for Alder.\n",
     "Mark Holloway"),
    ("#Rotterdam #strike #ships #Alder\n", "Rotterdam"),
])
def test_keywords_rank_the_story_not_the_page(parsed: Build, appended: str, absent: str) -> None:
    led = parsed(TEXT + "Port Alder / EFE\n" + appended, upto="measures", published="2024-11-05")
    kws = make_brief(led).keywords
    assert kws and kws[0] in ("Port Alder", "Tomas Reyes", "containers") and absent not in kws
