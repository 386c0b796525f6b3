"""SpanIndex answers exactly what a scan of the layer answers, in the layer's order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from claimscope.model import Span
from claimscope.spanindex import SpanIndex, index_of

spans = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 15)).map(lambda p: Span(p[0], p[0] + p[1], "")),
                 max_size=25)
ranges = st.tuples(st.integers(-5, 80), st.integers(0, 20)).map(lambda p: (p[0], p[0] + p[1]))


def _by_span(s: Span) -> Span:
    return s


@settings(max_examples=300, derandomize=True)
@given(items=spans, query=ranges)
def test_answers_equal_a_scan_in_layer_order(items: list[Span], query: tuple[int, int]) -> None:
    lo, hi = query
    index = SpanIndex(items, _by_span)
    probe = Span(lo, hi, "")
    assert index.overlapping(lo, hi) == [s for s in items if s.overlaps(probe)]
    assert index.containing(lo, hi) == [s for s in items if s.contains(probe)]
    assert index.starting_in(lo, hi) == [s for s in items if lo <= s.start < hi]


def test_examples_with_negatives_beside_positives() -> None:
    items = (Span(10, 20, ""), Span(0, 5, ""), Span(12, 12, ""), Span(18, 30, ""))
    index = SpanIndex(items, _by_span)
    assert index.overlapping(15, 19) == [items[0], items[3]]  # touches neither [0,5) nor the empty span
    assert index.overlapping(20, 25) == [items[3]]  # [10,20) ends where the query starts
    assert index.containing(12, 14) == [items[0]]
    assert index.containing(4, 11) == []
    assert index.starting_in(0, 12) == [items[0], items[1]]  # layer order, not start order
    assert index.starting_in(5, 5) == []


def test_index_of_reuses_the_index_of_the_same_tuple_only() -> None:
    class Item:
        def __init__(self, span: Span) -> None:
            self.span = span

    layer = (Item(Span(0, 3, "")), Item(Span(5, 9, "")))
    assert index_of(layer, "span") is index_of(layer, "span")
    other = tuple(layer)[:1]
    assert index_of(other, "span") is not index_of(layer, "span")
    assert [i.span.start for i in index_of(other, "span").overlapping(0, 100)] == [0]
