"""The parse stage: the model's provenance, offline loading, and the hand-off into our own types."""

from __future__ import annotations

import socket
from collections.abc import Callable
from importlib.metadata import version

import pytest

from claimscope.model import Ledger
from claimscope.stages import nlp

Build = Callable[..., Ledger]


def test_model_is_the_genuine_small_english_pipeline() -> None:
    model = nlp.load()
    meta = model.meta
    assert (meta["lang"], meta["version"], meta["author"]) == ("en", "3.8.0", "Explosion")
    assert {"tagger", "parser", "ner", "lemmatizer"} <= set(model.pipe_names)
    lo, hi = (part.strip(">=<") for part in meta["spacy_version"].split(","))
    installed = tuple(int(x) for x in version("spacy").split(".")[:2])
    assert tuple(int(x) for x in lo.split(".")[:2]) <= installed < tuple(int(x) for x in hi.split(".")[:2])


def test_model_loads_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    import spacy

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert spacy.load(nlp.MODEL)("A test.")[0].text == "A"


def test_tokens_point_into_the_article_text(parsed: Build) -> None:
    text = "Headline here\n**Bold opening** said the mayor.\nSecond paragraph, with “quotes”."
    led = parsed(text)
    assert led.parse is not None
    for tok in led.parse.tokens:
        assert text[tok.start:tok.end] == tok.text
    assert all(e.span.matches(text) for e in led.parse.entities)
    assert all("*" not in t.text for t in led.parse.tokens if t.pos != "SPACE")


def test_no_sentence_break_before_a_lowercase_word(parsed: Build) -> None:
    led = parsed("He urged them to act instead. of waiting for the others to begin.")
    assert led.parse is not None and len(led.parse.sentences) == 1


def test_turn_labels_are_not_parsed(parsed: Build) -> None:
    text = ("The council voted on Monday, officials said.\nCity / AP\n**Interview with Dr. Ada Moss**\n"
            "**Dr. Moss:** The vote matters.")
    led = parsed(text)
    assert led.parse is not None
    assert "Moss" not in {t.text for t in led.parse.tokens if t.start >= text.index("**Dr. Moss:**")}
