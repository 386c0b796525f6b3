"""Quotation marks: where quotations open and close, and what a span's quoting makes of a statement.

Helpers of the attribution stage (not a stage itself). Curly quotes and guillemets pair by
direction; straight double quotes and newspapers' doubled apostrophes ('') pair by position.
"""

from __future__ import annotations

import re

from claimscope.model import StatementKind

OPEN, CLOSE = '“«„"', '”»"'
_MARKS = re.compile("''|[" + re.escape(OPEN + CLOSE) + "]")


def quote_kind(text: str, lo: int, hi: int) -> StatementKind:
    before = text[max(0, lo - 2) : lo]
    after = text[hi : hi + 3]
    inside = text[lo:hi]
    if any(q in before for q in OPEN) and any(q in after for q in CLOSE) and not any(q in inside for q in OPEN):
        return "direct"
    return "mixed" if any(q in inside for q in OPEN + CLOSE) else "indirect"


def trim(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Trim white space and edge punctuation; drop a pair of quotation marks enclosing the whole."""
    edge = " \t\n,.;:–—-"
    while lo < hi and text[lo] in edge:
        lo += 1
    while hi > lo and text[hi - 1] in edge:
        hi -= 1
    if (
        hi - lo > 2
        and text[lo] in OPEN
        and text[hi - 1] in CLOSE
        and not any(q in text[lo + 1 : hi - 1] for q in OPEN + CLOSE if q != '"')
    ):
        lo, hi = trim(text, lo + 1, hi - 1)
    return lo, hi


def groups(text: str, spans: list[tuple[int, int]], max_gap: int = 300) -> list[list[tuple[int, int]]]:
    """Runs of quotations separated only by short stretches without another quotation."""
    groups: list[list[tuple[int, int]]] = []
    for span in spans:
        if groups and span[0] - groups[-1][-1][1] <= max_gap:
            groups[-1].append(span)
        else:
            groups.append([span])
    return [g for g in groups if len(g) > 1]


def quotes(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Inner spans of quotations in text[lo:hi]; an unclosed quotation runs to the end.

    Curly and guillemet quotes pair by direction; a straight double quote, or two apostrophes ('')
    as some newspapers write it, opens after a non-word character and closes the open quotation.
    """
    out, start = [], None
    # only quotation marks change the state: jump from one to the next instead of stepping through
    # every character (a doubled apostrophe at hi - 1 still counts, as it reaches one past hi)
    for m in _MARKS.finditer(text, lo, min(hi + 1, len(text))):
        i = m.start()
        if i >= hi:
            break
        c, width = text[i], m.end() - i
        straight = c == '"' or width == 2
        if start is None and (c in OPEN or width == 2) and (not straight or i == lo or not text[i - 1].isalnum()):
            start = i + width
        elif start is not None and (c in CLOSE or width == 2):
            out.append((start, i))
            start = None
    if start is not None and hi - start > 1:
        out.append((start, hi))
    return out
