"""Syndicated copies: credits taken off, near-duplicates verified, stories stored and rebuilt on both backends."""

from __future__ import annotations

import pytest
from backends import store_url  # noqa: F401  (fixture)
from corpus_samples import EDITED, INDEPENDENT, REWRITTEN, wire

from claimscope.corpus import syndication
from claimscope.corpus.shingles import compare, fingerprint, strip_credits, title_key
from claimscope.model import Article, Ledger
from claimscope.store import open_store, queries


@pytest.mark.parametrize(("text", "credit", "kept"), [
    ("MADRID (EFE) - The council met.", "EFE", "The council met."),
    ("(Reuters) - The council met.", "Reuters", "The council met."),
    ("The council met. / EFE", "EFE", "The council met."),
    ("The council met. -- AP", "AP", "The council met."),
    ("The council met.\nReporting by Ana Ruiz; Editing by Tom Hale", None, "The council met."),
    ("The council (of Valdoria) met.", None, "The council (of Valdoria) met."),
    ("The council met - twice.", None, "The council met - twice."),
])
def test_credits(text: str, credit: str | None, kept: str) -> None:
    assert strip_credits(text) == (kept, credit)


@pytest.mark.parametrize(("title", "key"), [
    ("Harbour bridge to be rebuilt - Reuters", "harbour bridge to be rebuilt"),
    ("Harbour Bridge To Be Rebuilt | Fox News", "harbour bridge to be rebuilt"),
    ("Valdoria's bridge", "valdoria s bridge"),
    (None, ""),
])
def test_title_key(title: str | None, key: str) -> None:
    assert title_key(title) == key


@pytest.mark.parametrize(("other", "relation"), [
    (wire("VALDORIA (EFE) - "), "exact"),
    (wire(credit_trail=" / AFP"), "exact"),
    (EDITED, "near"),
    (REWRITTEN, "near"),
    (INDEPENDENT, None),
    ("A short note on the harbour bridge.", None),
])
def test_decide(other: str, relation: str | None) -> None:
    found = syndication.decide(fingerprint(other), fingerprint(wire(credit_trail=" (Reuters)")))
    assert (found[0] if found else None) == relation


def test_rewritten_copy_shares_under_half_its_shingles() -> None:
    a, b = fingerprint(wire()), fingerprint(REWRITTEN)
    shared = len(set(a.shingles) & set(b.shingles)) / len(set(a.shingles) | set(b.shingles))
    assert shared < 0.5
    assert compare(a.shingles, b.shingles).passage >= 40


def _article(aid: str, text: str, title: str | None = None) -> Ledger:
    return Ledger(article=Article(id=aid, text=text, title=title, source=f"/in/{aid}.txt"))


ARTICLES = [("wire", wire("(Reuters) - "), "Valdoria to rebuild harbour bridge"),
            ("indep", INDEPENDENT, "Bridge vote"),
            ("efe", wire("VALDORIA (EFE) - "), "Valdoria to rebuild harbour bridge - EFE"),
            ("edited", EDITED, "Council backs bridge plan"),
            ("local", REWRITTEN, "Harbour bridge to be rebuilt, at last")]
EXPECTED = {"wire": ("wire", "first"), "indep": ("indep", "first"), "efe": ("wire", "exact"),
            "edited": ("wire", "near"), "local": ("wire", "near")}


def test_ingest_order_and_rebuild_agree(store_url: str) -> None:  # noqa: F811
    with open_store(store_url) as store:
        links = []
        for aid, text, title in ARTICLES:
            store.put(_article(aid, text, title))
            links.append(syndication.index_article(store, aid, text, title))
        assert {s.article_id: (s.story_id, s.relation) for s in links} == EXPECTED
        rebuilt = syndication.rebuild(store)
        assert {s.article_id: (s.story_id, s.relation) for s in rebuilt} == EXPECTED
        stories = queries.list_stories(store)
        assert [(s["story_id"], s["articles"]) for s in stories] == [("wire", 4)]
        assert queries.story_counts(store) == {"articles": 5, "stories": 2, "copies": 3}


def test_story_members_follow_their_article(store_url: str) -> None:  # noqa: F811
    with open_store(store_url) as store:
        for aid, text, title in ARTICLES[:3]:
            store.put(_article(aid, text, title))
            syndication.index_article(store, aid, text, title)
        store.put(_article("efe", INDEPENDENT[::-1], "Changed"))  # re-ingested with a new text: a new story
        assert syndication.index_article(store, "efe", INDEPENDENT[::-1], "Changed").relation == "first"
        assert queries.story_counts(store)["copies"] == 0
