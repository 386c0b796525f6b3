from __future__ import annotations

from collections.abc import Callable

import pytest

from claimscope.model import Ledger

Parsed = Callable[..., Ledger]

STORY = ("The city council voted 7-2 on Tuesday to fund a new bridge over the river, the mayor's office said. "
         "Construction is due to start next spring and will cost $40 million, according to the city's budget "
         "office, which expects the work to last two years. Residents had asked for a safer crossing for a decade, "
         "and the old bridge was closed twice last winter after inspectors found cracks in its supports. ")
LONG_STORY = STORY + "\n" + STORY + "\n" + STORY  # about 170 words: a story has been told


def _top(parsed: Parsed, text: str, title: str | None = None) -> list[tuple[str, str]]:
    led = parsed(text, upto="segment", title=title)
    return [(s.kind, s.span.text) for s in led.segments or () if s.kind != "turn"]


def _kind_of(parsed: Parsed, line: str, before: str = "", title: str | None = None) -> str:
    text = f"{before}{STORY}\n{line}\n{STORY}\n"
    for kind, span in _top(parsed, text, title):
        if line in span:
            return kind
    raise AssertionError(f"line not covered: {line!r}")


@pytest.mark.parametrize(("line", "kind"), [
    # captions: a credit or a picture reference
    ("The old bridge in 2019. (AP Photo/John Doe)", "caption"),
    ("Residents at the meeting on Tuesday. Photo: Jane Roe", "caption"),
    ("A man walks past the closed bridge. Getty Images", "caption"),
    ("STAFF PHOTO BY ANA RUIZ The bridge at dusk", "caption"),
    ("Mayor Lee (left) and council member Ana Ruiz after the vote.", "caption"),
    ("The bridge is seen in this January 3, 2024, file photo.", "caption"),
    # credits: bylines, sign-offs, date stamps, staff lines
    ("By Jane Roe", "credit"),
    ("Reporting by Jane Roe; Editing by Sam Poe", "credit"),
    ("Published: Friday, January 18, 2008 10:28pm", "credit"),
    ("Staff writer", "credit"),
    ("United Nations / EFE", "credit"),
    # boilerplate and tag strips
    ("Read more: Council approves the budget", "boilerplate"),
    ("Related: Bridge closures across the state", "boilerplate"),
    ("Sign up for our daily newsletter", "boilerplate"),
    ("Copyright 2024 Riverside Daily. All rights reserved.", "boilerplate"),
    ("Tags: bridge, council, budget", "tags"),
    ("#bridge #council #budget", "tags"),
    # negatives: body text that looks a little like page furniture stays body
    ("PARIS (Reuters) - The council voted on Tuesday to fund a new bridge, officials said.", "body"),
    ("The photo, taken by a resident, showed the bridge cracking, police said.", "body"),
    ("He said the photograph of the damaged supports was taken in March.", "body"),
    ("Sen. Ana Ruiz (R) said the vote was rushed.", "body"),
    ("He declined.", "body"),
    ("The vote was 7-2.", "body"),
    ("Sign up for a city account for $5 a month to use the toll lane.", "body"),
    ("What this means is that tolls will rise next year, the mayor said.", "body"),
    ("Martin 10-4-22-0", "body"),
    ("The hotline can be reached at 555-0100.", "body"),
    ("A copyright dispute filed in 2019 delayed the design.", "body"),
])
def test_line_kinds(parsed: Parsed, line: str, kind: str) -> None:
    assert _kind_of(parsed, line) == kind


def test_headline_from_title_and_byline(parsed: Parsed) -> None:
    text = f"Council backs new bridge\nBy Jane Roe\n{STORY}\n"
    kinds = [k for k, _ in _top(parsed, text, title="Council backs new bridge")]
    assert kinds == ["headline", "credit", "body"]


def test_body_is_never_lost(parsed: Parsed) -> None:
    text = f"Council backs new bridge\n{STORY}\nA second paragraph follows, with more detail.\n"
    segs = _top(parsed, text, title="Council backs new bridge")
    assert segs[1] == ("body", STORY + "\nA second paragraph follows, with more detail.")


@pytest.mark.parametrize(("header", "kind"), [
    ("Key takeaways", "appendix"),
    ("Frequently asked questions", "appendix"),
    ("Interview with Dr. Ana Ruiz, bridge engineer", "appendix"),
    # the segmenter proposes a closing section shaped like appended material; integrity decides whether it is
    # grounded (a story's own last section is, and is not flagged)
    ("Conclusion", "appendix"),
    ("What this means for commuters", "appendix"),
    ("Schedule", "appendix"),  # any header followed by a structured block (bullets, turns, questions) to the end
    ("Interview with the mayor was cancelled after the vote, her office said on Tuesday evening.", "body"),
])
def test_appended_blocks_after_a_story(parsed: Parsed, header: str, kind: str) -> None:
    text = f"{LONG_STORY}\n{header}\n- Tolls will rise next year.\n- Work starts in spring.\n"
    holder = next((k, t) for k, t in _top(parsed, text) if header in t)
    assert holder[0] == kind and (kind == "body" or holder[1].startswith(header))


@pytest.mark.parametrize(("tail", "kind"), [
    ("In conclusion, the bridge is a welcome step for everyone involved.", "appendix"),  # a summary lead
    ("I hope this helps! Let me know if you would like a shorter version.", "appendix"),  # leftover chatbot text
    ("Q: Will tolls rise?\nA: Yes, next year.", "appendix"),  # a headerless Q&A run to the end
    ("Will the tolls rise?\nYes, next year.\nWhen does the work start?\nIn spring.", "appendix"),  # questions, answers
    ("Conclusion\nThe council will vote again in May.\nTolls will rise.\n" + LONG_STORY, "body"),  # mid-story
    ("The council said it would hope this helps commuters.", "body"),
    ("Will tolls rise? Nobody on the council would say.", "body"),  # one question is not a Q&A
])
def test_appended_tails(parsed: Parsed, tail: str, kind: str) -> None:
    segs = _top(parsed, f"{LONG_STORY}\n{tail}\n")
    assert segs[-1][0] == kind and (kind == "body" or segs[-1][1].startswith(tail.split("\n")[0]))


def test_takeaways_box_above_the_story_is_body(parsed: Parsed) -> None:
    text = f"Council backs new bridge\nKey takeaways\n- The council backed the bridge.\n{LONG_STORY}\n"
    assert [k for k, _ in _top(parsed, text, title="Council backs new bridge")] == ["headline", "body"]


def test_interview_after_sign_off_is_an_appendix_with_turns(parsed: Parsed) -> None:
    text = (f"{STORY}\nReporting by Jane Roe\nQ: Why did the council wait so long?\n"
            "A: We needed the state grant first.\nQ: When will it open?\nA: In two years.\n")
    led = parsed(text, upto="segment")
    kinds = [s.kind for s in led.segments or ()]
    turns = [s for s in led.segments or () if s.kind == "turn"]
    assert kinds[:3] == ["body", "credit", "appendix"]
    assert [(t.speaker.text if t.speaker else None, t.role) for t in turns] == [
        ("Q", "question"), ("A", "answer"), ("Q", "question"), ("A", "answer")]


def test_genuine_interview_page_is_not_an_appendix(parsed: Parsed) -> None:
    text = ("A conversation with Ana Ruiz\nAna Ruiz has built bridges for 30 years. We asked her about the plan.\n"
            "Interviewer: What worries you most about the old bridge?\nRuiz: The supports. They are cracked.\n"
            "Interviewer: Will the new one last?\nRuiz: A century, if it is maintained.\n")
    led = parsed(text, upto="segment")
    assert "appendix" not in {s.kind for s in led.segments or ()}
    assert len([s for s in led.segments or () if s.kind == "turn"]) == 4


def test_mid_story_exchange_stays_body(parsed: Parsed) -> None:
    text = (f"{LONG_STORY}\nReporter: Will you run again?\nMayor Lee: Ask me next year.\n"
            "The exchange drew laughter from the room, and the meeting ended soon after.\n")
    assert {k for k, _ in _top(parsed, text)} == {"body"}
