"""Attribution constructions read by the rules, each with look-alikes that must not be read (real parse)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from claimscope.model import Ledger, Statement

Build = Callable[..., Ledger]


def _found(parsed: Build, text: str) -> list[Statement]:
    return list(parsed(text, upto="attribution").statements or ())


def _rows(parsed: Build, text: str) -> list[tuple[str | None, str]]:
    return [(s.cue.text if s.cue else None, s.content.text) for s in _found(parsed, text)]


# --- a cue that closes or interrupts the sentence -------------------------------------------------

@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        ("The ferry was meant to sail at six, but the crew walked off the ship before dawn, a port official said.",
         "said", "The ferry was meant to sail at six, but the crew walked off the ship before dawn"),
        ("To keep the clinics open, the mayor said, the council must raise the levy.", "said",
         "To keep the clinics open, the mayor said, the council must raise the levy"),
    ],
)
def test_closing_and_parenthetical_cues_take_the_whole_sentence(parsed: Build, text: str, cue: str,
                                                                 content: str) -> None:
    assert (cue, content) in _rows(parsed, text)


@pytest.mark.parametrize(
    "text",
    [
        "The crew walked off the ship, and the captain said nothing.",  # the cue has its own object
        "The ferry left at six and the crew went home.",  # no cue at all
    ],
)
def test_a_conjoined_clause_is_not_a_closing_cue(parsed: Build, text: str) -> None:
    assert not any(s.pattern == "cue-final" for s in _found(parsed, text))


# --- intentions and positions: "vowed to", "wants to", "hopes to" ---------------------------------

@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        ("Mayor Ana Ruiz vowed to reopen the bridge by May.", "vowed", "to reopen the bridge by May"),
        ("The union wants to double the night-shift bonus.", "wants", "to double the night-shift bonus"),
        ("Lena Okafor hopes to win the harbour seat.", "hopes", "to win the harbour seat"),  # parsed as "hop"
        ("The council refused to publish the audit.", "refused", "to publish the audit"),
    ],
)
def test_intentions_are_the_sources_position(parsed: Build, text: str, cue: str, content: str) -> None:
    assert (cue, content) in _rows(parsed, text)


@pytest.mark.parametrize(
    "text",
    [
        "The river continued to rise through the night.",  # not a source's intention
        "Prices are expected to rise in May.",  # passive, nobody named
        "The minister claimed to be unaware of the audit.",  # speech, not intention: no infinitive content
    ],
)
def test_infinitives_of_other_verbs_are_not_intentions(parsed: Build, text: str) -> None:
    assert not any(s.pattern == "cue-infinitive" for s in _found(parsed, text))


# --- noun cues -------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "cue", "content", "speaker"),
    [
        ("Ruiz's claim that the bridge is unsafe was rejected.", "claim", "that the bridge is unsafe", "Ruiz"),
        ("Her call for a public inquiry was ignored.", "call for", "a public inquiry", "Her"),
        ("The engineers have reservations about the new design.", "reservations about", "the new design",
         "The engineers"),
        ("Okafor made the argument that fares are too high.", "argument", "that fares are too high", "Okafor"),
        ("Reyes made no mention of the strike.", "mention of", "the strike", "Reyes"),
    ],
)
def test_noun_cues(parsed: Build, text: str, cue: str, content: str, speaker: str) -> None:
    found = [(s.cue.text if s.cue else None, s.content.text, s.speaker_span.text if s.speaker_span else None)
             for s in _found(parsed, text)]
    assert (cue, content, speaker) in found


@pytest.mark.parametrize(
    "text",
    [
        "The claim that the bridge is safe was false.",  # nobody makes it
        "His call lasted an hour.",  # a phone call, no complement
        "The plan for the harbour was approved.",  # a plan without a planner
    ],
)
def test_nouns_without_a_source_or_complement_are_narration(parsed: Build, text: str) -> None:
    assert not any(s.pattern == "cue-noun" for s in _found(parsed, text))


# --- labelled lines: transcripts and "Name: ..." headlines -----------------------------------------

def test_transcript_turns_inside_a_body(parsed: Build) -> None:
    text = ("Ruiz spoke to the station on Sunday.\n\nPartial transcript follows.\n\n"
            "HOST: Will the bridge open in May?\n\nRUIZ: It will open in May, and the tolls will stay as they are.")
    led = parsed(text, upto="attribution")
    turns = {(s.speaker_span.text if s.speaker_span else None, s.content.text)
             for s in led.statements or () if s.pattern == "labelled-line"}
    assert ("RUIZ", "It will open in May, and the tolls will stay as they are") in turns
    assert ("HOST", "Will the bridge open in May?") in turns


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Harbour pollster Mia Stone: the race for the harbour seat is tied.", "Harbour pollster Mia Stone"),
        ("Q: Why did the bridge close in March?", "Q"),  # an interviewer's question
        ("Okafor: Tolls on the new bridge will fall next year.", "Okafor"),  # a headline naming its source
    ],
)
def test_labels_that_name_a_speaker(parsed: Build, text: str, label: str) -> None:
    labelled = [s for s in _found(parsed, text) if s.pattern == "labelled-line"]
    assert [s.speaker_span.text if s.speaker_span else None for s in labelled] == [label]


@pytest.mark.parametrize(
    "text",
    [
        "Read more: the bridge will open in May.",  # a link label, not a speaker
        "Ana Ruiz said: the bridge will open in May.",  # a cue verb's colon, read by the cue rules
        "Note: figures are rounded to the nearest thousand.",
    ],
)
def test_lines_that_are_not_labelled_turns(parsed: Build, text: str) -> None:
    assert not any(s.pattern == "labelled-line" for s in _found(parsed, text))


# --- quotations -------------------------------------------------------------------------------------

def test_a_cue_inside_a_quotation_is_part_of_it(parsed: Build) -> None:
    text = "“I think the tolls will fall next year,” Ana Ruiz said."
    assert [c for c, _ in _rows(parsed, text)] == ["said"]


def test_a_quotation_split_by_its_cue_continues_after_it(parsed: Build) -> None:
    text = ("“The tolls are too high,” said Ana Ruiz, speaking of the new bridge. “Families cannot pay them "
            "every day.”")
    whole = [s for s in _found(parsed, text) if s.cue is not None and s.cue.text == "said"]
    assert len(whole) == 1
    assert whole[0].content.text.startswith("The tolls") and whole[0].content.text.endswith("every day")


def test_two_speakers_in_one_quoted_stretch_stay_apart(parsed: Build) -> None:
    text = "“The tolls are too high,” Ana Ruiz said. “They are fair,” Tomas Reyes replied."
    assert sorted(c or "" for c, _ in _rows(parsed, text)) == ["replied", "said"]


# --- content boundaries ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        ("Okafor described the toll as a tax on the poor.", "described", "the toll as a tax on the poor"),
        ("Ruiz acknowledged the cost of the repairs, which made her unpopular.", "acknowledged",
         "the cost of the repairs"),
        ("Reyes said the union would strike, arguing that wages had fallen.", "said", "the union would strike"),
        ("The auditor asked whether the bridge would reopen.", "asked", "whether the bridge would reopen"),
    ],
)
def test_content_boundaries(parsed: Build, text: str, cue: str, content: str) -> None:
    assert (cue, content) in _rows(parsed, text)


def test_a_statement_inside_anothers_content_is_not_its_own(parsed: Build) -> None:
    text = "Reyes said the union had warned that wages would fall."
    assert [c for c, _ in _rows(parsed, text)] == ["said"]


def test_a_relative_pronoun_is_the_speaker_mention_of_its_antecedent(parsed: Build) -> None:
    led = parsed("The strike was reported by the Alder Gazette, which said 2,500 workers walked out.",
                 upto="attribution")
    said = [s for s in led.statements or () if s.cue is not None and s.cue.text == "said"]
    assert said and said[0].speaker_span is not None and said[0].speaker_span.text == "which"
    actor = led.actor(said[0].speaker)
    assert actor is not None and actor.name.endswith("Alder Gazette")


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("The council appeared divided after the vote.", "The council appeared divided after the vote"),
        ("The campaign appeared to be in disarray.", "The campaign appeared to be in disarray"),
        ("Support for the tolls seems to have collapsed.", "Support for the tolls seems to have collapsed"),
    ],
)
def test_impressions_without_a_source(parsed: Build, text: str, content: str) -> None:
    found = [(s.content.text, s.speaker) for s in _found(parsed, text) if s.pattern == "evidential"]
    assert found == [(content, None)]


@pytest.mark.parametrize(
    "text",
    [
        "The mayor appeared on stage at noon.",  # appearing somewhere is not an impression
        "The report, which seemed long, was published on Friday.",  # a relative clause about a thing
    ],
)
def test_appearing_somewhere_is_not_an_impression(parsed: Build, text: str) -> None:
    assert not any(s.pattern == "evidential" for s in _found(parsed, text))


# --- two sources joined by a contrast: each keeps its own content ---------------------------------

@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ("The ferry company said 35 crossings had been cancelled, while Tomas Reyna said the crews had won.",
         {("said", "35 crossings had been cancelled"), ("said", "the crews had won")}),
        ("The council said the bridge was safe, but Ana Ruiz insisted that it needed repairs.",
         {("said", "the bridge was safe"), ("insisted", "it needed repairs")}),
    ],
)
def test_a_second_source_after_a_contrast_is_its_own_statement(parsed: Build, text: str,
                                                               rows: set[tuple[str, str]]) -> None:
    assert rows <= set(_rows(parsed, text))


@pytest.mark.parametrize(
    ("text", "content"),
    [
        # the inner report is part of what the outer source says: one statement
        ("The mayor said the engineers had warned that the bridge was unsafe.",
         "the engineers had warned that the bridge was unsafe"),
    ],
)
def test_a_report_inside_a_report_stays_inside(parsed: Build, text: str, content: str) -> None:
    assert [c for _, c in _rows(parsed, text)] == [content]


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        # the relative clause's content stops where the next source's clause starts
        ("The plan was first reported by the Gazette, which put the cost at 4,000 euros – and then confirmed "
         "by the council with its own figures.", "put", "the cost at 4,000 euros"),
    ],
)
def test_content_ends_before_another_sources_clause(parsed: Build, text: str, cue: str, content: str) -> None:
    assert (cue, content) in _rows(parsed, text)
