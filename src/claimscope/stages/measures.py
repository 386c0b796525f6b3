"""measures: the figures of one article that are about the same thing.

Requires: quantities, parse. Provides: measures.

Two figures measure the same thing when (1) both say what they count, (2) what they count has the
same head noun lemma ("soldiers" / "soldier"; the quantities layer has already resolved "the number
mobilized" to the noun phrase it numbers), (3) the modifiers of the two noun phrases do not disagree
("North Korean soldiers" and "soldiers" agree; "North Korean soldiers" and "Russian soldiers" do
not), (4) their units are the same (both plain counts, both percentages, both in the same
currency), (5) for shares ("40% of voters") they go with the same verb, and (6) for counts their
sizes are within a factor of ten ("a dozen people" and "5 million people" are not one count). A
figure that picks members of a set ("one of the states", "3 of its 10 judges") measures no set and
joins nothing.

Grouping is greedy in text order: a figure joins the measure all of whose members it agrees with; a
figure without modifiers that agrees with two measures ("soldiers" after "Russian" and "North
Korean soldiers") starts its own. A measure is a group of two or more figures; a figure alone makes
no measure.

The label is the noun phrase its members name most often, the longest on a tie ("North Korean
soldiers").

Known limits: no unit conversion (a figure in miles and one in km stay apart); figures that name
nothing they count are never grouped; synonyms ("troops" and "soldiers") are different heads.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from claimscope.model import Ledger, Measure, Parse, Quantity, Span, Token
from claimscope.pipeline import Stage

EXTRACTOR = "measures.rules.v1"
_NOUNS = ("NOUN", "PROPN")
_SHARES = frozenset({"percent", "percentage point"})
_PARTITIVE = re.compile(r"\s+of\s+(?:the|these|those|its|their|his|her|our|my|your|\w+['’]s)\b", re.I)


@dataclass(frozen=True, slots=True)
class Config:
    min_size: int = 2  # a measure has at least this many figures


@dataclass(frozen=True, slots=True)
class _Key:
    """What a figure counts, reduced to what the grouping compares."""

    head: str  # lemma of the head noun, lower case
    modifiers: frozenset[str]  # lemmas of the words before the head
    unit: str | None
    predicate: str | None = None  # for shares only: the verb they go with ("backed", "voted")
    low: float = 0.0
    high: float = 0.0


@dataclass(slots=True)
class _Group:
    """A measure being built: its figures in text order, and their distinct keys."""

    quantities: list[Quantity]
    keys: set[_Key]


def key_of(quantity: Quantity, parse: Parse | None, text: str = "") -> _Key | None:
    """The comparison key of a figure, or None when it does not say what it counts."""
    span = quantity.counted_span
    if span is None or not quantity.counted or _partitive(quantity, text):
        return None
    words = _lemmas(span, parse)
    if not words:
        return None
    share = quantity.unit in _SHARES
    low, high = sorted((quantity.value, quantity.high if quantity.high is not None else quantity.value))
    return _Key(words[-1], frozenset(words[:-1]), quantity.unit, _predicate(quantity.span, parse) if share else None,
                low, high)


def _partitive(quantity: Quantity, text: str) -> bool:
    """"one of the states", "3 of its 10 judges" pick members of a set: they do not measure the set."""
    after = text[quantity.span.end:quantity.span.end + 40]
    return quantity.unit not in _SHARES and quantity.value >= 1 and bool(_PARTITIVE.match(after))


def _predicate(span: Span, parse: Parse | None) -> str | None:
    """The lemma of the verb that governs the figure: two shares of one base are one measure only if it agrees."""
    if parse is None:
        return None
    near = _tokens_in(parse, span.start, span.end)
    tok = next((t for t in near if span.start <= t.start < span.end and t.pos == "NUM"), None)
    seen = 0
    while tok is not None and tok.pos not in ("VERB", "AUX") and not tok.is_root and seen < 20:
        tok, seen = parse.tokens[tok.head], seen + 1
    return tok.lemma.lower() if tok is not None else None


def _tokens_in(parse: Parse, start: int, end: int) -> Iterator[Token]:
    """The tokens starting in [start, end], in order, found by bisection (not a scan of the whole parse)."""
    toks = parse.tokens
    for k in range(bisect.bisect_left(toks, start, key=lambda t: t.start), len(toks)):
        if toks[k].start > end:
            return
        yield toks[k]


def _lemmas(span: Span, parse: Parse | None) -> list[str]:
    near = _tokens_in(parse, span.start, span.end) if parse else iter(())
    toks = [t for t in near if span.start <= t.start and t.end <= span.end]
    if toks:
        heads = [t for t in toks if t.pos in _NOUNS] or toks
        last = heads[-1]
        return [t.lemma.lower() for t in toks if t.i < last.i and t.pos not in ("DET", "PUNCT")] + [last.lemma.lower()]
    words = [w.lower() for w in span.text.split()]
    return words[:-1] + [words[-1].removesuffix("s")] if words else []


def agree(a: _Key, b: _Key) -> bool:
    """Same head, same unit, modifiers that do not disagree."""
    if a.head != b.head or a.unit != b.unit or a.predicate != b.predicate:
        return False
    if a.unit not in _SHARES and (a.low > 10 * b.high or b.low > 10 * a.high):
        return False  # a dozen people and 5 million people are not one count
    return not a.modifiers or not b.modifiers or bool(a.modifiers & b.modifiers)


def group(ledger: Ledger, config: Config = Config()) -> Ledger:
    quantities = ledger.quantities or ()
    groups: list[_Group] = []
    # agree() needs the same head, unit and predicate: only groups of that triple can take a figure
    by_triple: dict[tuple[str, str | None, str | None], list[_Group]] = {}
    for q in quantities:
        key = key_of(q, ledger.parse, ledger.text)
        if key is None:
            continue
        homes = [g for g in by_triple.get((key.head, key.unit, key.predicate), [])
                 if all(agree(key, k) for k in g.keys)]
        home = homes[0] if len(homes) == 1 or homes and key.modifiers else None
        if home is None:  # a new measure; also when a bare "soldiers" could belong to two
            home = _Group([], set())
            groups.append(home)
            by_triple.setdefault((key.head, key.unit, key.predicate), []).append(home)
        home.quantities.append(q)
        home.keys.add(key)  # agree() depends on the key only: each distinct key is checked once
    measures = tuple(_measure(ledger, g.quantities) for g in groups if len(g.quantities) >= config.min_size)
    return dataclasses.replace(ledger, measures=measures)


def _measure(ledger: Ledger, members: list[Quantity]) -> Measure:
    names = Counter(q.counted_span.text for q in members if q.counted_span is not None)
    label = max(names, key=lambda n: (names[n], len(n)))
    first = members[0].span
    return Measure(ledger.item_id("measure", first.start, first.end), label, tuple(q.id for q in members),
                   extractor=EXTRACTOR)


def _run(ledger: Ledger) -> Ledger:
    return group(ledger)


STAGE = Stage("measures", frozenset({"quantities", "parse"}), frozenset({"measures"}), EXTRACTOR, _run)
