"""SpanIndex: the items of a layer (times, statements, ...) found by position in O(log n + k), not by a scan.

Stages ask "which times lie in this sentence", "which statements contain this figure" once per item; a scan
of the whole layer each time is quadratic in the article's length (a megabyte on one line has thousands of
each). The index sorts the items by start once and answers from a window of starts: an item of length at
most ``longest`` that overlaps [lo, hi) starts in [lo - longest, hi). Answers keep the layer's own order,
so a caller that takes "the first" or breaks ties by order gets what a scan gave.

``index_of(items, "span")`` reuses the index built for the same tuple object and attribute (a stage calls it
per item); it keeps the last few indexes.
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from claimscope.model import Span

T = TypeVar("T")


class SpanIndex(Generic[T]):
    def __init__(self, items: Sequence[T], span_of: Callable[[T], Span]) -> None:
        self.items = items
        self.spans = [span_of(x) for x in items]
        self.order = sorted(range(len(items)), key=lambda k: self.spans[k].start)
        self.starts = [self.spans[k].start for k in self.order]
        self.longest = max((s.length for s in self.spans), default=0)

    def _window(self, lo: int, hi: int) -> list[int]:
        """Indices (in layer order) of the items whose start is in [lo, hi]."""
        a, b = bisect.bisect_left(self.starts, lo), bisect.bisect_right(self.starts, hi)
        return sorted(self.order[a:b])

    def starting_in(self, lo: int, hi: int) -> list[T]:
        """Items with ``lo <= start < hi``."""
        return [self.items[k] for k in self._window(lo, hi - 1)] if hi > lo else []

    def overlapping(self, lo: int, hi: int) -> list[T]:
        """Items whose span overlaps [lo, hi) in the sense of ``Span.overlaps``."""
        out = []
        for k in self._window(lo - self.longest, hi - 1):
            s = self.spans[k]
            if s.start < hi and lo < s.end:
                out.append(self.items[k])
        return out

    def containing(self, lo: int, hi: int) -> list[T]:
        """Items whose span contains [lo, hi): ``start <= lo`` and ``hi <= end``."""
        return [self.items[k] for k in self._window(hi - self.longest, lo) if hi <= self.spans[k].end]


_LAST: dict[tuple[int, str], tuple[object, SpanIndex[object]]] = {}


def index_of(items: Sequence[T], attr: str) -> SpanIndex[T]:
    """The index of ``items`` by their span attribute ``attr`` ("span", "content"), built once per tuple."""
    key = (id(items), attr)
    hit = _LAST.get(key)
    if hit is not None and hit[0] is items:
        return hit[1]  # type: ignore[return-value]
    index = SpanIndex(items, operator.attrgetter(attr))
    if len(_LAST) >= 8:
        _LAST.clear()
    _LAST[key] = (items, index)  # type: ignore[assignment]
    return index
