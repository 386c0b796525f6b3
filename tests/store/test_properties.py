"""Property: whatever spans and texts a ledger holds, the store gives back an equal ledger."""

from __future__ import annotations

import datetime as dt

from backends import need_pg, pg_schema
from hypothesis import given, settings
from hypothesis import strategies as st

from claimscope.model import (
    BOUNDS,
    FLAG_KINDS,
    SEGMENT_KINDS,
    Actor,
    Article,
    Diagnostic,
    Flag,
    Ledger,
    Measure,
    Quantity,
    Segment,
    Span,
    Statement,
    TimeRef,
)
from claimscope.store import open_store

# Any text a decoder can produce: every code point but lone surrogates (which no encoding yields).
TEXTS = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)
WORDS = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
# PostgreSQL text cannot hold NUL: the same ledgers without it.
PG_CHARS = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
NUMS = st.floats(allow_nan=False)


@st.composite
def spans(draw: st.DrawFn, text: str) -> Span:
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, len(text)))
    return Span.of(text, start, end)


@st.composite
def ledgers(draw: st.DrawFn, nul: bool = True) -> Ledger:
    text = draw(TEXTS if nul else st.text(PG_CHARS, max_size=200))
    words = WORDS if nul else st.text(PG_CHARS, max_size=20)
    sp, opt = spans(text), st.none() | spans(text)
    ids = st.text("abcdef0123456789", min_size=1, max_size=6)
    maybe = st.none() | words
    article = Article(draw(ids), text, draw(st.none() | st.dates(dt.date(1900, 1, 1))), draw(maybe), draw(maybe),
                      draw(maybe), input_format=draw(st.sampled_from(["text", "html"])))

    def layer(items: st.SearchStrategy[object]) -> object:
        return draw(st.none() | st.lists(items, max_size=4).map(tuple))

    return Ledger(
        article=article,
        segments=layer(st.builds(Segment, st.sampled_from(SEGMENT_KINDS), sp, opt,
                                 st.sampled_from(["question", "answer", "header", None]),
                                 st.none() | st.integers(0, 3), words)),
        actors=layer(st.builds(Actor, ids, words, st.sampled_from(["person", "organization", "place", "other"]),
                               st.lists(words, max_size=3).map(tuple), st.lists(sp, max_size=3).map(tuple),
                               st.lists(words, max_size=2).map(tuple))),
        times=layer(st.builds(TimeRef, ids, sp, st.sampled_from(["DATE", "TIME", "DURATION", "SET"]),
                              st.none() | words, st.booleans(), confidence=NUMS)),
        statements=layer(st.builds(Statement, ids, st.sampled_from(["direct", "indirect", "mixed"]), sp,
                                   st.none() | ids, opt, opt, opt, st.none() | words, st.none() | ids,
                                   confidence=NUMS, pattern=words)),
        quantities=layer(st.builds(Quantity, ids, sp, NUMS, st.sampled_from(BOUNDS), st.none() | NUMS,
                                   st.none() | words, st.none() | words, opt, st.none() | ids)),
        flags=layer(st.builds(Flag, ids, st.sampled_from(FLAG_KINDS), sp, words, st.none() | NUMS)),
        measures=layer(st.builds(Measure, ids, words, st.lists(ids, max_size=4).map(tuple))),
        diagnostics=draw(st.lists(st.builds(Diagnostic, words, words, opt), max_size=3).map(tuple)),
        extractors=draw(st.lists(st.tuples(words, words), max_size=4).map(tuple)),
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(ledgers(), min_size=1, max_size=3))
def test_put_then_get_returns_an_equal_ledger(leds: list[Ledger]) -> None:
    with open_store(":memory:") as store:
        for led in leds:
            store.put(led)
        last = {led.article.id: led for led in leds}  # a later put of the same id replaces the earlier
        for aid, led in last.items():
            assert store.get(aid) == led
        assert len(store.articles(limit=10)) == len(last)


def test_postgres_put_then_get_returns_an_equal_ledger() -> None:
    need_pg()
    with pg_schema() as url, open_store(url) as store:

        @settings(max_examples=60, deadline=None)
        @given(st.lists(ledgers(nul=False), min_size=1, max_size=3))
        def check(leds: list[Ledger]) -> None:
            for led in leds:
                store.put(led)
            for aid, led in {led.article.id: led for led in leds}.items():
                assert store.get(aid) == led

        check()
