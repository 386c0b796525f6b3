"""The PostgreSQL schema as append-only, named migrations: the same names and tables as SQLite's.

Requires: an open ``psycopg.Connection`` in autocommit mode.
Provides: ``migrate(conn)``, which applies every migration not yet recorded in ``migrations``, each in
its own transaction under an advisory lock (two processes opening a blank database at once do not
both create it); ``MIGRATIONS``, the ordered list; ``pending(conn)``.
Limits: never edit or reorder a shipped migration; add the same-named migration here and in
``migrations.py``. The dialect differs from SQLite in types only: identity ``BIGINT`` keys, ``DOUBLE
PRECISION`` for reals, ``JSONB`` for the JSON lists, and ``tsvector`` columns (generated, GIN-indexed)
instead of FTS5 tables. Tables are created in the first schema of the connection's ``search_path``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import psycopg

from claimscope.store.migrations import refuse_unknown

Migration = Callable[[psycopg.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []
_LOCK = 0x636C61696D  # the advisory lock key claimscope migrations take


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append((fn.__name__, fn))
    return fn


def _span(name: str) -> str:
    return f"{name}_start INTEGER, {name}_end INTEGER, {name}_text TEXT"


_KEY = "pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
_ITEM = f"{_KEY}, article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE, position INTEGER NOT NULL"
_REAL = "DOUBLE PRECISION"


@migration
def m001_ledger_tables(conn: psycopg.Connection) -> None:
    conn.execute(f"""
    CREATE TABLE articles (
        {_KEY}, id TEXT NOT NULL UNIQUE, text TEXT NOT NULL, content_hash TEXT NOT NULL,
        published TEXT, title TEXT, url TEXT, source TEXT, author TEXT, site TEXT,
        input_format TEXT NOT NULL, layers JSONB NOT NULL, ingested_at TEXT NOT NULL, updated_at TEXT NOT NULL);
    CREATE INDEX articles_url ON articles(url);
    CREATE INDEX articles_source ON articles(source);
    CREATE TABLE segments ({_ITEM}, kind TEXT NOT NULL, {_span("span")}, {_span("speaker")},
        role TEXT, parent INTEGER, extractor TEXT NOT NULL, UNIQUE(article_id, position));
    CREATE TABLE actors ({_ITEM}, id TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
        titles JSONB NOT NULL, extractor TEXT NOT NULL, UNIQUE(article_id, position));
    CREATE INDEX actors_id ON actors(article_id, id);
    CREATE INDEX actors_name ON actors(lower(name));
    CREATE TABLE actor_aliases ({_ITEM}, actor_id TEXT NOT NULL, actor_position INTEGER NOT NULL,
        alias TEXT NOT NULL, UNIQUE(article_id, actor_position, position));
    CREATE INDEX actor_aliases_alias ON actor_aliases(lower(alias));
    CREATE TABLE actor_mentions ({_ITEM}, actor_id TEXT NOT NULL, actor_position INTEGER NOT NULL,
        {_span("span")}, UNIQUE(article_id, actor_position, position));
    CREATE TABLE times ({_ITEM}, id TEXT NOT NULL, {_span("span")}, type TEXT NOT NULL, value TEXT,
        relative INTEGER NOT NULL, extractor TEXT NOT NULL, confidence {_REAL} NOT NULL, UNIQUE(article_id, position));
    CREATE TABLE statements ({_ITEM}, id TEXT NOT NULL, kind TEXT NOT NULL, {_span("content")},
        speaker TEXT, {_span("speaker")}, {_span("cue")}, {_span("channel")}, time TEXT, time_ref TEXT,
        extractor TEXT NOT NULL, confidence {_REAL} NOT NULL, pattern TEXT NOT NULL, UNIQUE(article_id, position));
    CREATE INDEX statements_id ON statements(article_id, id);
    CREATE INDEX statements_speaker ON statements(article_id, speaker);
    CREATE TABLE quantities ({_ITEM}, id TEXT NOT NULL, {_span("span")}, value {_REAL} NOT NULL,
        bound TEXT NOT NULL, high {_REAL}, unit TEXT, counted TEXT, {_span("counted")}, source TEXT,
        statement TEXT, time TEXT, extractor TEXT NOT NULL, confidence {_REAL} NOT NULL,
        UNIQUE(article_id, position));
    CREATE TABLE flags ({_ITEM}, id TEXT NOT NULL, kind TEXT NOT NULL, {_span("span")}, reason TEXT NOT NULL,
        score {_REAL}, extractor TEXT NOT NULL, UNIQUE(article_id, position));
    CREATE INDEX flags_kind ON flags(kind);
    CREATE TABLE measures ({_ITEM}, id TEXT NOT NULL, label TEXT NOT NULL, extractor TEXT NOT NULL,
        UNIQUE(article_id, position));
    CREATE TABLE measure_members ({_ITEM}, measure_id TEXT NOT NULL, measure_position INTEGER NOT NULL,
        quantity_id TEXT NOT NULL, UNIQUE(article_id, measure_position, position));
    CREATE TABLE diagnostics ({_ITEM}, stage TEXT NOT NULL, level TEXT NOT NULL, message TEXT NOT NULL,
        {_span("span")}, UNIQUE(article_id, position));
    CREATE TABLE runs (
        {_KEY}, article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        ran_at TEXT NOT NULL, content_hash TEXT NOT NULL, config_hash TEXT);
    CREATE INDEX runs_article ON runs(article_id, pk);
    CREATE TABLE run_extractors (
        {_KEY}, run_id BIGINT NOT NULL REFERENCES runs(pk) ON DELETE CASCADE,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE, position INTEGER NOT NULL,
        stage TEXT NOT NULL, extractor TEXT NOT NULL, UNIQUE(run_id, position));
    """)


@migration
def m002_full_text_search(conn: psycopg.Connection) -> None:
    # The 'simple' configuration lower-cases without stemming or stop words, like FTS5's unicode61.
    conn.execute("""
    ALTER TABLE statements ADD COLUMN content_tsv tsvector
        GENERATED ALWAYS AS (to_tsvector('simple', coalesce(content_text, ''))) STORED;
    CREATE INDEX statements_fts ON statements USING GIN (content_tsv);
    ALTER TABLE articles ADD COLUMN text_tsv tsvector
        GENERATED ALWAYS AS (to_tsvector('simple', coalesce(title, '') || ' ' || text)) STORED;
    CREATE INDEX articles_fts ON articles USING GIN (text_tsv);
    """)


@migration
def m003_reviews(conn: psycopg.Connection) -> None:
    conn.execute(f"""
    CREATE TABLE reviews ({_ITEM}, statement_id TEXT, verdict TEXT NOT NULL, {_span("content")},
        speaker TEXT, {_span("speaker")}, {_span("cue")}, predicted_by TEXT, reviewer TEXT, task_id TEXT,
        reviewed_at TEXT, imported_at TEXT NOT NULL, UNIQUE(article_id, position));
    CREATE INDEX reviews_statement ON reviews(article_id, statement_id);
    """)


@migration
def m004_actor_lookup_indexes(conn: psycopg.Connection) -> None:
    # The same lookups as SQLite's m004_actor_lookup_indexes; actors and aliases already have lower() indexes from m001.
    conn.execute("CREATE INDEX statements_lower_speaker_text ON statements(lower(speaker_text))")

@migration
def m005_stories(conn: psycopg.Connection) -> None:
    conn.execute(f"""
    CREATE TABLE article_sketches ({_ITEM}, credit TEXT, title_key TEXT NOT NULL, body_hash TEXT NOT NULL,
        shingles INTEGER NOT NULL, UNIQUE(article_id, position));
    CREATE INDEX article_sketches_body ON article_sketches(body_hash);
    CREATE INDEX article_sketches_title ON article_sketches(title_key);
    CREATE TABLE article_bands ({_ITEM}, band TEXT NOT NULL, UNIQUE(article_id, position));
    CREATE INDEX article_bands_band ON article_bands(band);
    CREATE TABLE story_members ({_ITEM}, story_id TEXT NOT NULL, relation TEXT NOT NULL, copy_of TEXT,
        containment {_REAL}, passage INTEGER, UNIQUE(article_id, position));
    CREATE INDEX story_members_story ON story_members(story_id);
    """)


def applied(conn: psycopg.Connection) -> list[str]:
    """Names of the migrations this database has run, oldest first."""
    conn.execute(f"CREATE TABLE IF NOT EXISTS migrations ({_KEY}, name TEXT NOT NULL UNIQUE, applied_at TEXT NOT NULL)")
    return [str(r[0]) for r in conn.execute("SELECT name FROM migrations ORDER BY pk")]


def pending(conn: psycopg.Connection) -> list[str]:
    """Names of the migrations still to run; refuses a database from a newer claimscope."""
    done = applied(conn)
    known = [name for name, _ in MIGRATIONS]
    refuse_unknown(done, known)
    return [name for name in known if name not in done]


def migrate(conn: psycopg.Connection, upto: str | None = None) -> list[str]:
    """Run every pending migration (or those up to and including ``upto``); return the names run."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
        todo = set(pending(conn))
    ran: list[str] = []
    for name, fn in MIGRATIONS:
        if name in todo:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
                if name not in applied(conn):  # another process may have run it meanwhile
                    fn(conn)
                    conn.execute("INSERT INTO migrations (name, applied_at) VALUES (%s, %s)",
                                 (name, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
                    ran.append(name)
        if name == upto:
            break
    return ran
