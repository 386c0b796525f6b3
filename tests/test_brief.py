"""The brief: every line cites spans of the article, and it says nothing the ledger does not hold."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

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
