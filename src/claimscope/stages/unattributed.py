"""unattributed: the sentences of an article's body that state a figure or an unsourced hedge with no source.

A helper of the integrity stage (``integrity.unattributed_flags`` makes the flags), pure like every stage:
it reads the ledger and its parse and returns sentences with a score and a reason a person can read.

Requires: segments, parse, statements, quantities. An article whose statements layer is empty gets
nothing here: without statements nothing can be said to be unattributed. A cue word in a sentence guards
against a statement the attribution stage missed.
"""

from __future__ import annotations

import re

from claimscope.model import Ledger, Parse, Sentence, Span
from claimscope.spanindex import index_of
from claimscope.stages.support import NUMBER_LABELS, sentence_kind

_SCALE = re.compile(r"\b(?:hundred|thousand|million|billion|trillion)s?\b", re.I)


def sentences(ledger: Ledger, parse: Parse, cue: re.Pattern[str]) -> frozenset[int]:
    """Body sentences outside every statement's content, when there are statements to be outside of."""
    if not ledger.statements:
        return frozenset()
    contents = index_of(ledger.statements, "content")
    out = set()
    for s in parse.sentences:
        span = _span(ledger, s)
        if sentence_kind(ledger, s) == "body" and not contents.overlapping(span.start, span.end) \
                and not cue.search(span.text):
            out.add(s.i)
    return frozenset(out)


def claims(ledger: Ledger, parse: Parse, free: frozenset[int],
           hedge: re.Pattern[str]) -> list[tuple[float, Sentence, str]]:
    """The sentences of ``free`` that claim something with no source, strongest first: (score, sentence,
    reason). An unsourced hedge ("reportedly") weighs more than a bare figure."""
    figures_in = bare_figures(ledger, parse) if free else {}
    found = []
    for s in parse.sentences:
        if s.i not in free:
            continue
        span = _span(ledger, s)
        hedged = hedge.search(span.text)
        figures = figures_in.get(s.i, [])
        if hedged:
            found.append((0.6, s, f"unsourced hedge '{hedged.group(0)}' and no statement credits this sentence"))
        elif figures:
            found.append((0.5, s, f"figure{'s' if len(figures) > 1 else ''} {', '.join(figures)} given with no source"))
    found.sort(key=lambda x: (-x[0], x[1].i))
    return found


def bare_figures(ledger: Ledger, parse: Parse) -> dict[int, list[str]]:
    """Per sentence, the figures it states, each once (the longest of overlapping mentions: "$1.13bn", not also
    "1.13bn"): amounts, percentages and measures, and counts written with digits or a scale word. A spelled-out
    small count ("one of his hotels", "two teams") is no figure, nor is a quantity the quantities stage
    credited to a source."""
    spans: list[tuple[int, int]] = []
    for e in parse.entities:
        if e.label in NUMBER_LABELS and (e.label != "CARDINAL" or is_figure(e.span.text)):
            spans.append((e.span.start, e.span.end))
    spans += [(q.span.start, q.span.end) for q in ledger.quantities or ()
              if q.source is None and is_figure(q.span.text)]
    spans.sort(key=lambda x: (x[0], -x[1]))
    out: dict[int, list[str]] = {}
    last_end = -1
    for start, end in spans:
        if start < last_end:
            continue  # inside (or overlapping) a figure already taken
        last_end = end
        sent = parse.sentence_of(start)
        if sent is not None:
            out.setdefault(sent.i, []).append(ledger.text[start:end])
    return out


def is_figure(text: str) -> bool:
    """Digits or a scale word: "40%", "7,000", "two million"; not "one" or "two"."""
    return bool(re.search(r"\d", text) or _SCALE.search(text))


def _span(ledger: Ledger, s: Sentence) -> Span:
    return ledger.span(s.start, s.end)
