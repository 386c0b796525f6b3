"""Figures about the same thing across articles: grouped by what, where and when; look-alikes kept apart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from backends import store_url  # noqa: F401  (fixture)
from corpus_samples import AFGHANISTAN, BOTH, SYRIA, SYRIA_COPY

from claimscope.corpus.ingest import ingest_articles
from claimscope.corpus.measures import cross_measures
from claimscope.model import Article
from claimscope.store import open_store

ARTICLES = [("syria", SYRIA, "2018-12-20", "https://daily.example/syria"),
            ("copy", SYRIA_COPY, "2018-12-20", "https://wire-reprint.example/a"),
            ("both", BOTH, "2018-12-21", "https://gazette.example/troops"),
            ("afghanistan", AFGHANISTAN, "2018-12-22", "https://herald.example/war")]


@pytest.fixture
def measures(store_url: str) -> Iterator[list[dict[str, Any]]]:  # noqa: F811
    arts = [Article(id=a, text=t, published=dt.date.fromisoformat(d), url=u) for a, t, d, u in ARTICLES]
    summary = ingest_articles(arts, store_url)
    assert (summary.stored, summary.copies) == (4, 1)
    with open_store(store_url) as store:
        yield cross_measures(store)


def _values(m: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["article_id"], e["text"]) for e in m["timeline"]]


def _find(measures: list[dict[str, Any]], place: str) -> dict[str, Any]:
    found = [m for m in measures if place in m["places"]]
    assert len(found) == 1, [(m["label"], m["places"]) for m in measures]
    return found[0]


def test_look_alike_figures_in_different_places_stay_apart(measures: list[dict[str, Any]]) -> None:
    syria, afghanistan = _find(measures, "place:syria"), _find(measures, "place:afghanistan")
    assert _values(syria) == [("syria", "2,000"), ("both", "about 2,500")]
    assert _values(afghanistan) == [("both", "about 7,000"), ("afghanistan", "Roughly 7,000")]


@pytest.mark.parametrize(("place", "disagree"), [("place:syria", True), ("place:afghanistan", False)])
def test_disagreements_need_bounds_that_do_not_reconcile(measures: list[dict[str, Any]], place: str,
                                                         disagree: bool) -> None:
    assert bool(_find(measures, place)["disagreements"]) is disagree


def test_a_syndicated_copy_counts_once(measures: list[dict[str, Any]]) -> None:
    syria = _find(measures, "place:syria")
    assert syria["stories"] == 2
    assert syria["timeline"][0]["copies"] == [{"article_id": "copy", "outlet": "wire-reprint.example"}]


def test_timeline_names_who_said_it(measures: list[dict[str, Any]]) -> None:
    afghanistan = _find(measures, "place:afghanistan")
    assert [e["speaker"] for e in afghanistan["timeline"]] == ["Linda Okafor", "Linda Okafor"]
