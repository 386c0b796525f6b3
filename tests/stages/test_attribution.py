"""Attribution on hand-written sentences, through the real parse (case tables, negatives beside positives)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from claimscope.model import Ledger
from claimscope.stages.quotation import quotes

Build = Callable[..., Ledger]


def _statements(parsed: Build, text: str) -> list[tuple[str | None, str | None, str, str]]:
    led = parsed(text, upto="attribution")
    names = {a.id: a.name for a in led.actors or ()}
    return [(names.get(s.speaker or ""), s.cue.text if s.cue else None, s.kind, s.content.text)
            for s in led.statements or ()]


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content"),
    [
        ("“We will rebuild the bridge,” Mayor Ana Ruiz said on Monday.", "Ana Ruiz", "said",
         "We will rebuild the bridge"),
        ("Ana Ruiz said: “We will rebuild the bridge before winter.”", "Ana Ruiz", "said",
         "We will rebuild the bridge before winter"),
        ("The ministry of health announced that 40 clinics would close.", "ministry of health", "announced",
         "40 clinics would close"),
        ("The bridge will reopen in May, the transport agency Viamar revealed on its website.", "Viamar",
         "revealed", "The bridge will reopen in May"),
        ("The plan was first proposed by Oxfam and then backed by Unicef.", "Oxfam", "proposed", "The plan"),
        ("Prices rose sharply in March, according to Statistics Norway.", "Statistics Norway", "according to",
         "Prices rose sharply in March"),
    ],
)
def test_finds_attribution(parsed: Build, text: str, speaker: str, cue: str, content: str) -> None:
    found = _statements(parsed, text)
    assert any(c == cue and con == content and (n or "").endswith(speaker.split()[-1]) for n, c, _, con in found), found


@pytest.mark.parametrize(
    "text",
    [
        "The bridge was closed on Monday after a storm.",  # narration, no source
        "She bought a “smart” phone and a new laptop.",  # scare quotes are not speech
        "The report, which runs to 40 pages, was published on Friday.",  # "report" is a noun here
    ],
)
def test_no_attribution_in_narration(parsed: Build, text: str) -> None:
    assert _statements(parsed, text) == []


def test_pronoun_speaker_resolves_to_the_named_person(parsed: Build) -> None:
    text = "Maria Lindqvist runs the shelter.\n“We are full every night,” she said."
    found = _statements(parsed, text)
    assert ("Maria Lindqvist", "said", "direct", "We are full every night") in found


def test_split_quote_is_one_statement(parsed: Build) -> None:
    text = "“This is not about money,” Tomas Reyes said. “It is about safety on the night shifts.”"
    found = _statements(parsed, text)
    assert len(found) == 1 and found[0][3].startswith("This is not") and found[0][3].endswith("night shifts")


def test_two_cues_are_two_statements(parsed: Build) -> None:
    text = "“The port must reopen,” Lena Okafor said, adding that “every day of delay costs the region dearly.”"
    cues = sorted(c or "" for _, c, _, _ in _statements(parsed, text))
    assert cues == ["adding", "said"]


def test_relative_clause_speaker_is_the_antecedent(parsed: Build) -> None:
    text = "The strike was first reported by the Alder Gazette – which put the number of strikers at 2,500."
    found = _statements(parsed, text)
    assert any(c == "put" and (n or "").endswith("Alder Gazette") and "2,500" in con for n, c, _, con in found)


def test_qa_turn_answers_belong_to_the_turn_speaker(parsed: Build) -> None:
    text = ("Rain closed the coastal road on Monday, the police said.\nCoast / AP\n"
            "**Interview with Dr. Mia Stone, Climate Expert**\n"
            "**Interviewer:** What happens next?\n**Dr. Stone:** More storms are likely this winter.")
    led = parsed(text, upto="attribution")
    turns = [s for s in led.statements or () if s.pattern == "qa-turn"]
    assert [(s.content.text, led.actor(s.speaker).name) for s in turns] == [  # type: ignore[union-attr]
        ("More storms are likely this winter", "Mia Stone")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a “b c” d", [(3, 6)]),
        ("“open to the end", [(1, 16)]),
        ('he said "yes" and "no"', [(9, 12), (19, 21)]),
        ("no quotes here", []),
        ("it's 5'10\" tall", []),
    ],
)
def test_quote_spans(text: str, expected: list[tuple[int, int]]) -> None:
    assert quotes(text, 0, len(text)) == expected


def test_dash_signed_quotation(parsed: Build) -> None:
    text = "Voters told us what they want.\n“We need cheaper buses,” ― Julie Diaz, a nurse from Leeds."
    led = parsed(text, upto="attribution")
    signed = [s for s in led.statements or () if s.pattern == "quote-signed"]
    assert [(s.content.text, s.speaker_span.text if s.speaker_span else None) for s in signed] == [
        ("We need cheaper buses", "Julie Diaz")
    ]


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        ("Senator Ada Price called the plan a disaster.", "called", "the plan a disaster"),
        ("The mayor put the number of evacuees at 4,000.", "put", "the number of evacuees at 4,000"),
    ],
)
def test_naming_and_estimates(parsed: Build, text: str, cue: str, content: str) -> None:
    assert any(c == cue and con == content for _, c, _, con in _statements(parsed, text))


@pytest.mark.parametrize("text", ["The council put pressure on the mayor.", "She called a taxi at noon."])
def test_look_alike_verbs_are_not_attribution(parsed: Build, text: str) -> None:
    assert _statements(parsed, text) == []


def test_preposition_before_the_cue_is_not_its_content(parsed: Build) -> None:
    led = parsed("About the budget, the mayor spoke at length on Monday.", upto="attribution")
    assert not [d for d in led.diagnostics if d.level == "error"]
    assert all(s.cue is None or s.cue.start <= s.cue.end for s in led.statements or ())
