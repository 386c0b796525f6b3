"""The shipped Datasette metadata: its canned queries run against a store with sample data."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from store_samples import TEXT, sample_ledger

from claimscope.model import Ledger
from claimscope.store import open_store


def metadata() -> dict[str, Any]:
    text = resources.files("claimscope").joinpath("resources/datasette-metadata.json").read_text(encoding="utf-8")
    found: dict[str, Any] = json.loads(text)
    return found


def queries() -> dict[str, Any]:
    found: dict[str, Any] = metadata()["databases"]["claimscope"]["queries"]
    return found


def agreeing(led: Ledger, suffix: str, source: str | None, value: float) -> Ledger:
    """The sample ledger under another URL, its second figure set to ``source`` and ``value``."""
    other = sample_ledger(TEXT + suffix, url=f"https://news.example/{suffix.strip()}")
    q1, q2 = other.quantities or ()
    q2 = dataclasses.replace(q2, source=source, value=value, bound="exact", high=None)
    return dataclasses.replace(other, quantities=(q1, q2))


def run(path: Path, name: str, **params: str) -> list[sqlite3.Row]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return list(conn.execute(queries()[name]["sql"], params))
    finally:
        conn.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "claimscope.db"
    led = sample_ledger()
    with open_store(path) as st:
        st.put(led)  # a-auth says about 300, the article itself 250-320: a disagreement
        st.put(agreeing(led, " same-source", "a-auth", 250.0))  # one source, two values: not one
        st.put(agreeing(led, " same-value", "a-okafor", 300.0))  # two sources, one value: not one
    return path


def test_metadata_names_the_tables_and_queries() -> None:
    meta = metadata()["databases"]["claimscope"]
    assert {"statements_by_actor", "disagreements", "flagged_pages"} <= set(meta["queries"])
    assert meta["tables"]["statements"]["fts_table"] == "statements_fts"


@pytest.mark.parametrize(("actor", "count"), [("okafor", 3), ("HARBOUR AUTHORITY", 3), ("nobody", 0),
                                              ("' OR 1=1 --", 0)])
def test_statements_by_actor(db: Path, actor: str, count: int) -> None:
    found = run(db, "statements_by_actor", actor=actor)
    assert len(found) == count
    assert all(r["content"] == TEXT[r["content_start"]:r["content_end"]] for r in found)


def test_disagreements_need_two_sources_and_two_values(db: Path) -> None:
    (row,) = run(db, "disagreements")
    assert (row["article_id"], row["measure"], row["sources"], row["distinct_values"]) == (
        sample_ledger().article.id, "m-1", 2, 2)
    assert "harbour authority: about 300 vehicles" in row["figures"]


@pytest.mark.parametrize(("kind", "count"), [("", 3), ("tag_line", 3), ("boilerplate", 0)])
def test_flagged_pages(db: Path, kind: str, count: int) -> None:
    assert len(run(db, "flagged_pages", kind=kind)) == count


def test_review_changes_runs_on_a_store_without_reviews(db: Path) -> None:
    assert run(db, "review_changes") == []


def test_every_canned_query_is_read_only_sql(db: Path) -> None:
    for name, q in queries().items():
        assert q["sql"].lstrip().upper().startswith("SELECT"), name
