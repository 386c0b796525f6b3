"""Append-only named migrations: from a blank database, from an older schema, and re-opening."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from backends import pg_url  # noqa: F401  (fixture)
from store_samples import sample_ledger

from claimscope.errors import StoreError
from claimscope.store import migrations, open_store, pg_migrations, queries
from claimscope.store.migrations import MIGRATIONS, migrate
from claimscope.store.rows import ITEM_TABLES


def names(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        found = [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY rowid")]
    conn.close()
    return found


def test_migrations_are_named_in_order() -> None:
    got = [name for name, _ in MIGRATIONS]
    assert got == sorted(got) and len(set(got)) == len(got)
    assert all(re.fullmatch(r"m\d{3}_[a-z_]+", n) for n in got)


def test_blank_database_gets_every_migration_and_table(tmp_path: Path) -> None:
    with open_store(tmp_path / "b.db") as st:
        tables = {r["name"] for r in st.rows("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert names(tmp_path / "b.db") == [n for n, _ in MIGRATIONS]
    assert {"articles", "runs", "run_extractors", "reviews", "statements_fts", "articles_fts", *ITEM_TABLES} <= tables


def test_reopening_runs_nothing_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    with open_store(path) as st:
        st.put(sample_ledger())
    before = names(path)
    with open_store(path) as st:
        assert st.get(sample_ledger().article.id) == sample_ledger()
    assert names(path) == before


def test_older_schema_is_brought_up_to_date_and_indexed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    with monkeypatch.context() as m:  # a claimscope that only knew the first migration wrote this file
        m.setattr(migrations, "MIGRATIONS", MIGRATIONS[:1])
        with open_store(path) as st:
            st.put(sample_ledger())
    assert names(path) == ["m001_ledger_tables"]
    with open_store(path) as st:  # the full-text migration must index the rows already there
        hits = queries.search(st, "stranded vehicles")
    assert names(path) == [n for n, _ in MIGRATIONS]
    assert [h["id"] for h in hits] == ["s-1"]


def test_migrate_upto_stops_after_the_named_migration(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "u.db", isolation_level=None)
    assert migrate(conn, upto="m001_ledger_tables") == ["m001_ledger_tables"]
    assert migrate(conn) == [n for n, _ in MIGRATIONS[1:]]
    assert migrate(conn) == []
    conn.close()


def test_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    open_store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO migrations (name, applied_at) VALUES ('m999_from_the_future', 'x')")
    conn.close()
    with pytest.raises(StoreError, match="written by a newer claimscope"):
        open_store(path)


def test_failed_migration_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        conn.execute("THIS IS NOT SQL")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, ("m900_broken", broken)])
    with pytest.raises(StoreError):
        open_store(tmp_path / "f.db")
    conn = sqlite3.connect(tmp_path / "f.db")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert "half_done" not in tables and "articles" in tables


@pytest.mark.parametrize("table", ["statements", "articles"])
def test_fts_tables_are_declared_the_way_datasette_detects_them(table: str) -> None:
    with open_store(":memory:") as st:
        found = st.rows("SELECT name FROM sqlite_master WHERE rootpage = 0 AND sql LIKE ?",
                        (f"%VIRTUAL TABLE%USING FTS%content=[{table}]%",))
    assert [r["name"] for r in found] == [f"{table}_fts"]


# --- PostgreSQL: the same migrations under the same names -------------------------------------------


def pg_names(url: str) -> list[str]:
    import psycopg

    with psycopg.connect(url) as conn:
        return [str(r[0]) for r in conn.execute("SELECT name FROM migrations ORDER BY pk")]


def test_both_dialects_share_migration_names() -> None:
    assert [n for n, _ in pg_migrations.MIGRATIONS] == [n for n, _ in MIGRATIONS]


def test_postgres_blank_schema_gets_every_migration_and_table(pg_url: str) -> None:  # noqa: F811
    with open_store(pg_url) as st:
        tables = {r["t"] for r in st.rows("SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema()")}
        st.put(sample_ledger())
    with open_store(pg_url) as st:  # re-opening runs nothing and keeps the data
        assert st.get(sample_ledger().article.id) == sample_ledger()
    assert pg_names(pg_url) == [n for n, _ in MIGRATIONS]
    assert {"articles", "runs", "run_extractors", "reviews", "migrations", *ITEM_TABLES} <= tables


def test_postgres_older_schema_is_brought_up_to_date_and_indexed(pg_url: str,  # noqa: F811
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as m:
        m.setattr(pg_migrations, "MIGRATIONS", pg_migrations.MIGRATIONS[:1])
        with open_store(pg_url) as st:
            st.put(sample_ledger())
    assert pg_names(pg_url) == ["m001_ledger_tables"]
    with open_store(pg_url) as st:
        hits = queries.search(st, "stranded vehicles")
    assert pg_names(pg_url) == [n for n, _ in MIGRATIONS]
    assert [h["id"] for h in hits] == ["s-1"]


def test_postgres_database_from_a_newer_version_is_refused(pg_url: str) -> None:  # noqa: F811
    import psycopg

    open_store(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("INSERT INTO migrations (name, applied_at) VALUES ('m999_from_the_future', 'x')")
    for read_only in (False, True):
        with pytest.raises(StoreError, match="written by a newer claimscope"):
            open_store(pg_url, read_only=read_only)


def test_postgres_failed_migration_leaves_nothing_behind(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    def broken(conn: object) -> None:
        conn.execute("CREATE TABLE half_done (x INTEGER)")  # type: ignore[attr-defined]
        conn.execute("THIS IS NOT SQL")  # type: ignore[attr-defined]

    monkeypatch.setattr(pg_migrations, "MIGRATIONS", [*pg_migrations.MIGRATIONS, ("m900_broken", broken)])
    with pytest.raises(StoreError, match="syntax error"):
        open_store(pg_url)
    monkeypatch.undo()
    with open_store(pg_url) as st:
        tables = {r["t"] for r in st.rows("SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema()")}
    assert "half_done" not in tables and "articles" in tables
