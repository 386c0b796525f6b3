"""The shared read-only queries, and full-text search that takes hostile input as plain words."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from backends import store_url  # noqa: F401  (fixture)
from store_samples import TEXT, sample_ledger

from claimscope.errors import NotFoundError
from claimscope.model import Article, Flag, Ledger, Span, Statement
from claimscope.serialize import to_json
from claimscope.store import Store, open_store, queries
from claimscope.store.rows import ITEM_TABLES
from claimscope.store.sqlite import fts5_query

OTHER = "Officials said the ferry (route 7) would run again; \"not before noon\" was the answer. AND OR NOT."


def other_ledger() -> Ledger:
    art = Article(id="other", text=OTHER, source="/data/in/ferry.txt")
    content = Span.of(OTHER, OTHER.index("the ferry"), OTHER.index(";"))
    return Ledger(article=art, statements=(Statement("o-1", "indirect", content, None, Span.of(OTHER, 0, 9),
                                                     Span.of(OTHER, 10, 14)),),
                  flags=(Flag("o-f", "unsupported", content, "no source given"),))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:  # noqa: F811
    with open_store(store_url) as st:
        st.put(sample_ledger())
        st.put(other_ledger())
        yield st


@pytest.mark.parametrize(("text", "expected"), [
    ("bridge storm", '"bridge" "storm"'),
    ('say "hi', '"say" """hi"'),
    ("NEAR(a b) OR c*", '"NEAR(a" "b)" "OR" "c*"'),
    ("  ", None),
    ("'; -- ( ) \" *", None),
])
def test_fts5_query_quotes_every_word(text: str, expected: str | None) -> None:
    assert fts5_query(text) == expected


@pytest.mark.parametrize(("q", "ids"), [
    ("stranded", ["s-1"]),
    ("REOPEN friday", ["s-2"]),
    ("ferry route", ["o-1"]),
    ("stranded ferry", []),  # all words must occur in one statement
    ("'; DROP TABLE statements; --", []),
    ("\"reopen", ["s-2"]),
    ("reopen\"", ["s-2"]),
    ("(route", ["o-1"]),
    ("route 7)", ["o-1"]),
    ("ferry OR stranded", []),  # OR is a word here, not an operator
    ("NOT ferry", []),
    ("NEAR(ferry route)", []),
    ("ferr*", []),  # no prefix operator: the star is punctuation
    ("content_text:ferry", []),
    ("^ferry", ["o-1"]),
    ("", []),
    ("\x00", []),
])
def test_search_statements_with_hostile_input(store: Store, q: str, ids: list[str]) -> None:
    assert [h["id"] for h in queries.search(store, q)] == ids
    assert len(store.articles()) == 2 and store.rows("SELECT count(*) AS n FROM statements")[0]["n"] == 3


@pytest.mark.parametrize(("q", "ids"), [
    ("harbour", [sample_ledger().article.id]),
    ("noon", ["other"]),
    ("AND OR NOT", ["other"]),
    ("harbour noon", []),
    ("') OR 1=1 --", []),
])
def test_search_articles(store: Store, q: str, ids: list[str]) -> None:
    assert [h["id"] for h in queries.search(store, q, scope="articles")] == ids


def test_search_hit_has_contract_shape_and_snippet(store: Store) -> None:
    (hit,) = queries.search(store, "stranded")
    s = sample_ledger().statements[0]  # type: ignore[index]
    assert (hit["start"], hit["end"], hit["content_text"]) == (s.content.start, s.content.end, s.content.text)
    assert (hit["speaker_name"], hit["cue"], hit["segment"]) == ("harbour authority", "said", "body")
    assert "[stranded]" in hit["snippet"]


def test_search_after_reput_finds_no_stale_rows(store: Store) -> None:
    led = sample_ledger()
    store.put(dataclasses.replace(led, statements=led.statements[1:] if led.statements else None))
    assert queries.search(store, "stranded") == []
    assert [h["id"] for h in queries.search(store, "reopen")] == ["s-2"]


@pytest.mark.parametrize(("name", "ids"), [
    ("Ines Okafor", ["s-2"]),
    ("okafor", ["s-2"]),  # an alias, any case
    ("the authority", ["s-1"]),
    ("Officials", ["o-1"]),  # no actor: the speaker mention
    ("Okafor'; DROP TABLE actors; --", []),
    ("nobody", []),
])
def test_statements_by_actor(store: Store, name: str, ids: list[str]) -> None:
    assert [s["id"] for s in queries.statements_by_actor(store, name)] == ids


@pytest.mark.parametrize(("kind", "ids"), [(None, ["other", sample_ledger().article.id]),
                                            ("tag_line", [sample_ledger().article.id]),
                                            ("contradicts_article", [])])
def test_flagged_articles(store: Store, kind: str | None, ids: list[str]) -> None:
    found = queries.flagged_articles(store, kind)
    assert [a["id"] for a in found] == ids
    assert all(f["kind"] == kind for a in found for f in a["flags"] if kind)


def test_measures_carry_their_quantities(store: Store) -> None:
    (m,) = queries.measures(store)
    assert (m["label"], [q["id"] for q in m["quantities"]]) == ("stranded vehicles", ["q-1", "q-2"])
    assert (m["quantities"][0]["source_text"], m["quantities"][1]["high"]) == ("harbour authority", 320.0)
    assert queries.measures(store, article_id="other") == []


def test_list_articles_counts_items(store: Store) -> None:
    rows = {a["id"]: a for a in queries.list_articles(store)}
    assert (rows["other"]["statements"], rows["other"]["flags"], rows["other"]["quantities"]) == (1, 1, 0)


def test_get_ledger_is_the_json_contract(store: Store) -> None:
    assert queries.get_ledger(store, "https://news.example/bridge") == to_json(sample_ledger())
    with pytest.raises(NotFoundError):
        queries.get_ledger(store, "/data/in/" + TEXT[:5])


def test_queries_never_write(store: Store) -> None:
    before = {t: store.rows(f"SELECT count(*) AS n FROM {t}")[0]["n"] for t in ITEM_TABLES}
    queries.search(store, "x'); DELETE FROM statements; --")
    queries.statements_by_actor(store, "'); DELETE FROM actors; --")
    assert {t: store.rows(f"SELECT count(*) AS n FROM {t}")[0]["n"] for t in ITEM_TABLES} == before
