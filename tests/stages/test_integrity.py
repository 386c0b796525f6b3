"""integrity: flags on hand-written pages, positives beside negatives."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from claimscope.model import Actor, Ledger, Quantity, Statement
from claimscope.stages import integrity as ig

STORY = (
    "Hospital ship docks in Genoa after storm\n"
    "The hospital ship Aurora sailed from Marseille on Monday and then docked in the harbour in Genoa, "
    "port officials said.\n"
    "Mayor Laura Bianchi said 40 people were rescued from the flooded village of Sestri by the crew.\n"
    "\u201cWe are grateful to the sailors,\u201d Bianchi told reporters on Tuesday.\n"
    "Genoa / ANSA\n"
)
TAGS = "#Aurora #hospital #ship #Genoa\n"
FAKE_QA = (
    "**Interview with Dr. Mark Holloway, Maritime Security Expert**\n"
    "**Interviewer:** Thank you for joining us today, Dr. Holloway. We have seen reports that the ship docked "
    "in the harbour in Marseille. What do you make of this?\n"
    "**Dr. Holloway:** Thank you for having me. About 400 people were rescued from the flooded village of Sestri. "
    "Such operations highlight the growing importance of maritime cooperation in Europe. It's crucial for "
    "governments to invest in resilient infrastructure.\n"
    "**Interviewer:** What lessons should coastal cities draw from this?\n"
    "**Dr. Holloway:** Coastal cities should strengthen their emergency planning. The European Maritime Safety "
    "Agency has long warned about these risks.\n"
    "**Interviewer:** Thank you, Dr. Holloway.\n"
    "**Dr. Holloway:** Thank you for having me.\n"
)
GROUNDED_QA = (
    "Q&A with Mayor Laura Bianchi\n"
    "**Interviewer:** How many people did the crew rescue?\n"
    "**Laura Bianchi:** The crew rescued 40 people from the flooded village of Sestri.\n"
    "**Interviewer:** Where is the ship now?\n"
    "**Laura Bianchi:** The hospital ship Aurora docked in the harbour in Genoa on Monday.\n"
)
TAKEAWAYS = (
    "Key takeaways\n"
    "The hospital ship Aurora docked in the harbour in Genoa after sailing from Marseille.\n"
    "The crew rescued 40 people from the flooded village of Sestri, the mayor said.\n"
)
TRANSCRIPT = (
    "Interview: a harbour pilot on thirty years at sea\n"
    "**Interviewer:** How did you start working as a pilot in Genoa?\n"
    "**Marco Ferri:** I joined the port authority in 1994 after ten years on cargo ships.\n"
    "**Interviewer:** What has changed since then?\n"
    "**Marco Ferri:** The ships are three times larger, and we now guide about 6,000 of them a year.\n"
    "**Interviewer:** Thank you for your time.\n"
    "**Marco Ferri:** Thank you for having me.\n"
)
STAFF_ANALYSIS = (
    "Analysis: Paolo Rinaldi, transport correspondent\n"
    "The storm exposed how few ports in Liguria can take a ship of this size. Harbour pilots in La Spezia "
    "turned away two cargo vessels last winter, and the regional government has promised 30 million euros "
    "for new moorings by 2026.\n"
)
CONTINUED_REPORTING = (
    "What this means\n"
    "Prefect Giulia Moretti said the rail line to Savona would reopen on Friday. Engineers from Turin "
    "inspected 14 bridges on Wednesday, and the ministry in Rome approved emergency funds for Sestri.\n"
)
CONSISTENT = (
    "Flooding closes roads near Lyon\n"
    "Heavy rain flooded the main road from Lyon to Grenoble on Sunday, the regional prefecture said.\n"
    "About 300 residents were evacuated from the village of Vienne, and 12 schools stayed closed.\n"
    "Rescue teams from Grenoble joined the firefighters in Vienne on Monday.\n"
    "More than 300 residents spent the night in shelters in Lyon, officials added.\n"
)

Build = Callable[..., Ledger]


def _flags(ledger: Ledger, kind: str) -> list[str]:
    out = ig.integrity(ledger)
    return [f.span.text for f in out.flags or () if f.kind == kind]


@pytest.mark.parametrize(("text", "expected"), [
    (STORY + TAGS + FAKE_QA, 1),
    (STORY + GROUNDED_QA, 0),  # the appendix's speaker is the article's mayor; answers restate the body
    (STORY + TAKEAWAYS, 0),  # a summary of the body is appended but grounded
    (TRANSCRIPT, 0),  # the whole page is an interview: nothing is appended to a story
    (STORY, 0),
    (STORY + STAFF_ANALYSIS, 0),  # the outlet's own correspondent: a byline, not an unknown expert
    (STORY + CONTINUED_REPORTING, 0),  # new names and figures in running text: more reporting, not filler
])
def test_appendix_not_grounded(parsed: Build, text: str, expected: int) -> None:
    assert len(_flags(parsed(text), "appendix_not_grounded")) == expected


def test_appendix_reason_names_the_evidence(parsed: Build) -> None:
    flag = next(f for f in ig.integrity(parsed(STORY + FAKE_QA)).flags or () if f.kind == "appendix_not_grounded")
    assert "after the credit line" in flag.reason
    assert "'Dr. Mark Holloway' appears nowhere in the article" in flag.reason
    assert "Thank you for having me" in flag.reason
    assert flag.score is not None and 0.6 <= flag.score <= 1.0


@pytest.mark.parametrize(("appended", "expected"), [
    ("We have seen reports that the ship docked in the harbour in Marseille.", ["docked in the harbour in Marseille"]),
    ("About 400 people were rescued from the flooded village of Sestri.", ["About 400 people"]),
    ("We have seen reports that the ship docked in the harbour in Genoa.", []),
    ("About 40 people were rescued from the flooded village of Sestri.", []),
    ("The ship sailed from Marseille before it docked in Genoa.", []),
    ("The ship later docked in the harbour of Genoa's old port in Italy.", []),  # more specific, not swapped
])
def test_contradicts_article(parsed: Build, appended: str, expected: list[str]) -> None:
    text = STORY + "**Interview with Dr. Mark Holloway, Maritime Expert**\n**Interviewer:** " + appended + "\n"
    found = _flags(parsed(text), "contradicts_article")
    assert len(found) == len(expected)
    assert all(e in f for e, f in zip(expected, found, strict=True))


COMPARISONS = (
    "Rents are higher in Milan than in Turin, the survey found.\n"
    "Wages in Turin grew faster than in Milan last year.\n"
    "Talks between Italy and France on the rail link resumed in Rome, while a second round is due in Paris.\n"
    "The first round of talks on the rail link was held in Paris in May between France and Italy.\n"
    "The minister called the rail deal a big win for Italy, for Spain and for France.\n"
    "Officials in Paris asked whether the rail deal was a big win for France.\n"
)


@pytest.mark.parametrize("text", [STORY, CONSISTENT, COMPARISONS, TAKEAWAYS.replace("Key takeaways\n", "")])
def test_body_sentences_do_not_contradict_each_other(parsed: Build, text: str) -> None:
    ledger = parsed(text)
    assert ledger.parse is not None
    infos = ig.analyse_all(ledger.parse)
    ref = ig.reference(ledger, infos)
    assert [i for i in ref.sentences if ig.contradiction(i, ref, ig.Config(), own=True)] == []


def test_seed_body_is_self_consistent(parsed: Build, shared: Path) -> None:
    ledger = parsed((shared / "seed" / "000_b363215d67523c3c.txt").read_text("utf-8"))
    assert ledger.parse is not None
    infos = ig.analyse_all(ledger.parse)
    ref = ig.reference(ledger, infos)
    assert [i for i in ref.sentences if ig.contradiction(i, ref, ig.Config(), own=True)] == []


@pytest.mark.parametrize(("text", "expected"), [
    (STORY + FAKE_QA, ["Such operations", "The European Maritime Safety Agency"]),
    (STORY + GROUNDED_QA, []),
    (STORY + TAKEAWAYS, []),
    (STORY + CONTINUED_REPORTING, []),  # only sentences of a flagged appendix are checked one by one
])
def test_unsupported(parsed: Build, text: str, expected: list[str]) -> None:
    found = _flags(parsed(text), "unsupported")
    assert [f[: len(e)] for f, e in zip(found, expected, strict=False)] == expected and len(found) == len(expected)


@pytest.mark.parametrize(("text", "expected"), [
    (STORY + TAGS, "4 of 4 words from the headline"),
    (STORY + "#weather #Monaco #travel\n", "3 hashtags"),
    (STORY, None),
])
def test_tag_line(parsed: Build, text: str, expected: str | None) -> None:
    flags = [f for f in ig.integrity(parsed(text)).flags or () if f.kind == "tag_line"]
    assert [expected in f.reason for f in flags] == ([] if expected is None else [True])
    if expected == "3 hashtags":
        assert "from the" not in flags[0].reason  # none of its words come from the top of the story


def _with_statement(ledger: Ledger, content: str) -> Ledger:
    start = ledger.text.index(content)
    st = Statement(ledger.item_id("statement", start, start + len(content)), "indirect",
                   ledger.span(start, start + len(content)), None, None, None)
    return dataclasses.replace(ledger, statements=(st,))


UNSOURCED = (
    "Port traffic falls in Genoa\n"
    "The port handled 2.1 million containers last year, down 8 percent.\n"
    "The new terminal will reportedly open in spring.\n"
    "Harbour master Paolo Conti said the dredging of the channel would finish in May.\n"
    "Ships now wait for a berth in the bay outside the harbour.\n"
)


@pytest.mark.parametrize(("with_statements", "expected"), [
    (True, ["The new terminal will reportedly open", "The port handled 2.1 million"]),
    (False, []),  # no statements layer to be outside of: nothing is called unattributed
])
def test_unattributed_claim(parsed: Build, with_statements: bool, expected: list[str]) -> None:
    ledger = parsed(UNSOURCED)
    if with_statements:
        ledger = _with_statement(ledger, "the dredging of the channel would finish in May")
    out = ig.integrity(ledger)
    found = sorted((f for f in out.flags or () if f.kind == "unattributed_claim"), key=lambda f: -(f.score or 0))
    assert [f.span.text[: len(e)] for f, e in zip(found, expected, strict=False)] == expected
    assert len(found) == len(expected)


def test_unattributed_uses_quantities_layer(parsed: Build) -> None:
    ledger = _with_statement(parsed(UNSOURCED), "the dredging of the channel would finish in May")
    start = ledger.text.index("2.1 million containers")
    q = Quantity(ledger.item_id("quantity", start, start + 11), ledger.span(start, start + 11), 2.1e6, "exact")
    out = ig.integrity(dataclasses.replace(ledger, quantities=(q,)))
    reasons = [f.reason for f in out.flags or () if f.kind == "unattributed_claim"]
    assert any("2.1 million" in r for r in reasons)


def test_attributed_body_sentence_is_not_flagged(parsed: Build) -> None:
    ledger = _with_statement(parsed(UNSOURCED), "The port handled 2.1 million containers last year, down 8 percent")
    found = _flags(ledger, "unattributed_claim")
    assert not any(f.startswith("The port handled") for f in found)


def test_flags_point_into_the_text_and_are_deterministic(parsed: Build) -> None:
    ledger = parsed(STORY + TAGS + FAKE_QA)
    first, second = ig.integrity(ledger).flags or (), ig.integrity(ledger).flags or ()
    assert first == second and first
    assert all(f.span.matches(ledger.text) and 0.0 <= (f.score or 0.0) <= 1.0 for f in first)


def test_no_parse_gives_an_empty_layer(parsed: Build) -> None:
    ledger = parsed(STORY, upto="segment")
    assert ig.integrity(ledger).flags == ()


def test_seed_flags(parsed: Build, shared: Path) -> None:
    seed = shared / "seed" / "000_b363215d67523c3c"
    gold = json.loads(seed.with_suffix(".gold.json").read_text("utf-8"))
    out = ig.integrity(parsed(seed.with_suffix(".txt").read_text("utf-8"), upto="quantities"))
    got = {(f.kind, f.span.start, f.span.end) for f in out.flags or ()}
    for g in gold["flags"]:
        lo, hi = g["span"]
        assert any(k == g["kind"] and min(e, hi) - max(s, lo) >= (hi - lo) / 2 for k, s, e in got), g["kind"]
    assert not any(k == "contradicts_article" and e <= gold["segments"][1]["span"][1] for k, s, e in got)


@pytest.mark.parametrize(("mention", "expected"), [
    ("The mayor", 0),  # the actors layer resolved the body's "the mayor" to the appendix's speaker
    (None, 1),  # without that actor, the speaker appears nowhere in the body
])
def test_appendix_uses_actors_layer(parsed: Build, mention: str | None, expected: int) -> None:
    body = STORY.replace("Mayor Laura Bianchi", "The mayor").replace("Bianchi told", "The mayor told")
    qa = ("Q&A with Laura Bianchi\n**Interviewer:** What will the town do next?\n"
          "**Laura Bianchi:** We will open a shelter in every school and ask the region for funds.\n")
    ledger = parsed(body + qa)
    if mention is not None:
        start = ledger.text.index(mention)
        actor = Actor("a1", "Laura Bianchi", "person", ("Laura Bianchi", "the mayor"),
                      (ledger.span(start, start + len(mention)),))
        ledger = dataclasses.replace(ledger, actors=(actor,))
    reasons = [f.reason for f in ig.integrity(ledger).flags or () if f.kind == "appendix_not_grounded"]
    assert len([r for r in reasons if "'Laura Bianchi' appears nowhere" in r]) == expected


ATTRIBUTED = "Harbour master Paolo Conti said the dredging of the channel would finish in May.\n"


@pytest.mark.parametrize(("sentence", "flagged"), [
    # bare claims in the narration: positives
    ("It is believed the fire started in the engine room of the ferry.", "unsourced hedge 'It is believed'"),
    ("Two crew members are thought to have left the ship before the fire.", "unsourced hedge 'are thought to'"),
    ("The new terminal will reportedly open in the spring.", "unsourced hedge 'reportedly'"),
    ("The port handled 2.1 million containers last year.", "2.1 million"),
    ("Unemployment in the province rose to 5.2% in March.", "5.2%"),
    ("The repairs cost $14m, twice the budget.", "$14m"),
    # attributed, or no figure at all: negatives
    ("The port handled 2.1 million containers last year, the harbour master said.", None),
    ("According to the ministry, unemployment in the province rose to 5.2% in March.", None),
    ("Officials believe the fire started in the engine room, the coastguard told reporters.", None),
    ("He was taken to one of the hotels near the harbour in Genoa.", None),  # "one of": no figure
    ("Two ferries waited outside the harbour on Sunday morning.", None),  # a spelled-out small count
    ("Ships now wait for a berth in the bay outside the harbour.", None),
])
def test_unattributed_claim_table(parsed: Build, sentence: str, flagged: str | None) -> None:
    text = "Port traffic falls in Genoa\n" + sentence + "\n" + ATTRIBUTED
    ledger = _with_statement(parsed(text, upto="quantities"), "the dredging of the channel would finish in May")
    found = [f for f in ig.integrity(ledger).flags or () if f.kind == "unattributed_claim"]
    if flagged is None:
        assert found == []
    else:
        assert len(found) == 1 and found[0].span.text == sentence and flagged in found[0].reason


def test_figures_are_listed_once(parsed: Build) -> None:
    text = "Profits jump at Aurora Lines\nQuarterly profits jumped 76% to $1.13bn (£600m).\n" + ATTRIBUTED
    ledger = _with_statement(parsed(text, upto="quantities"), "the dredging of the channel would finish in May")
    reasons = [f.reason for f in ig.integrity(ledger).flags or () if f.kind == "unattributed_claim"]
    assert reasons == ["figures 76%, $1.13bn, £600m given with no source"]
