"""The SQLite schema as append-only, named migrations.

Requires: an open ``sqlite3.Connection`` in autocommit mode (``isolation_level=None``).
Provides: ``migrate(conn)``, which applies, in order and each in its own transaction, every migration
whose name is not yet in the ``migrations`` table; ``MIGRATIONS``, the ordered list.
Limits: never edit or reorder a migration that has shipped; add a new one at the end. A database
that records a migration this code does not know was written by a newer claimscope and is refused.

Column conventions (docs/store.md): every item table has ``article_id`` and ``position``; a span ``x``
is ``x_start``, ``x_end``, ``x_text``; each table has an integer ``pk`` so the full-text indexes can
point at rows that keep their key through VACUUM.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable

from claimscope.errors import StoreError

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(fn: Migration) -> Migration:
    """Register ``fn`` as the next migration, under its function name."""
    MIGRATIONS.append((fn.__name__, fn))
    return fn


def _script(conn: sqlite3.Connection, sql: str) -> None:
    """Run several statements inside the caller's transaction (``executescript`` would commit it)."""
    pending = ""
    for line in sql.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            conn.execute(pending)
            pending = ""
    if pending.strip():
        raise StoreError(f"incomplete statement in a migration: {pending.strip()[:60]!r}")


def _span(name: str) -> str:
    return f"{name}_start INTEGER, {name}_end INTEGER, {name}_text TEXT"


_ITEM = "pk INTEGER PRIMARY KEY, article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE, " \
        "position INTEGER NOT NULL"


@migration
def m001_ledger_tables(conn: sqlite3.Connection) -> None:
    _script(conn, f"""
    CREATE TABLE articles (
        pk INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, text TEXT NOT NULL, content_hash TEXT NOT NULL,
        published TEXT, title TEXT, url TEXT, source TEXT, author TEXT, site TEXT,
        input_format TEXT NOT NULL, layers TEXT NOT NULL, ingested_at TEXT NOT NULL, updated_at TEXT NOT NULL);
    CREATE INDEX articles_url ON articles(url);
    CREATE INDEX articles_source ON articles(source);
    CREATE TABLE segments ({_ITEM}, kind TEXT NOT NULL, {_span("span")}, {_span("speaker")},
        role TEXT, parent INTEGER, extractor TEXT NOT NULL, UNIQUE(article_id, position));
    CREATE TABLE actors ({_ITEM}, id TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
        titles TEXT NOT NULL, extractor TEXT NOT NULL, UNIQUE(article_id, position));
    CREATE INDEX actors_id ON actors(article_id, id);
    CREATE INDEX actors_name ON actors(name COLLATE NOCASE);
    CREATE TABLE actor_aliases ({_ITEM}, actor_id TEXT NOT NULL, actor_position INTEGER NOT NULL,
        alias TEXT NOT NULL, UNIQUE(article_id, actor_position, position));
    CREATE INDEX actor_aliases_alias ON actor_aliases(alias COLLATE NOCASE);
    CREATE TABLE actor_mentions ({_ITEM}, actor_id TEXT NOT NULL, actor_position INTEGER NOT NULL,
        {_span("span")}, UNIQUE(article_id, actor_position, position));
    CREATE TABLE times ({_ITEM}, id TEXT NOT NULL, {_span("span")}, type TEXT NOT NULL, value TEXT,
        relative INTEGER NOT NULL, extractor TEXT NOT NULL, confidence REAL NOT NULL, UNIQUE(article_id, position));
    CREATE TABLE statements ({_ITEM}, id TEXT NOT NULL, kind TEXT NOT NULL, {_span("content")},
        speaker TEXT, {_span("speaker")}, {_span("cue")}, {_span("channel")}, time TEXT, time_ref TEXT,
        extractor TEXT NOT NULL, confidence REAL NOT NULL, pattern TEXT NOT NULL, UNIQUE(article_id, position));
    CREATE INDEX statements_id ON statements(article_id, id);
    CREATE INDEX statements_speaker ON statements(article_id, speaker);
    CREATE TABLE quantities ({_ITEM}, id TEXT NOT NULL, {_span("span")}, value REAL NOT NULL,
        bound TEXT NOT NULL, high REAL, unit TEXT, counted TEXT, {_span("counted")}, source TEXT,
        statement TEXT, time TEXT, extractor TEXT NOT NULL, confidence REAL NOT NULL,
        UNIQUE(article_id, position));
    CREATE TABLE flags ({_ITEM}, id TEXT NOT NULL, kind TEXT NOT NULL, {_span("span")}, reason TEXT NOT NULL,
        score REAL, extractor TEXT NOT NULL, UNIQUE(article_id, position));
    CREATE INDEX flags_kind ON flags(kind);
    CREATE TABLE measures ({_ITEM}, id TEXT NOT NULL, label TEXT NOT NULL, extractor TEXT NOT NULL,
        UNIQUE(article_id, position));
    CREATE TABLE measure_members ({_ITEM}, measure_id TEXT NOT NULL, measure_position INTEGER NOT NULL,
        quantity_id TEXT NOT NULL, UNIQUE(article_id, measure_position, position));
    CREATE TABLE diagnostics ({_ITEM}, stage TEXT NOT NULL, level TEXT NOT NULL, message TEXT NOT NULL,
        {_span("span")}, UNIQUE(article_id, position));
    CREATE TABLE runs (
        pk INTEGER PRIMARY KEY, article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        ran_at TEXT NOT NULL, content_hash TEXT NOT NULL, config_hash TEXT);
    CREATE INDEX runs_article ON runs(article_id, pk);
    CREATE TABLE run_extractors (
        pk INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(pk) ON DELETE CASCADE,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE, position INTEGER NOT NULL,
        stage TEXT NOT NULL, extractor TEXT NOT NULL, UNIQUE(run_id, position));
    """)


def _fts(table: str, columns: tuple[str, ...]) -> str:
    """An external-content FTS5 index over ``table`` and the triggers that keep it in step."""
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    fts = f"{table}_fts"
    delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.pk, {old});"
    insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.pk, {new});"
    return f"""
    CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content=[{table}], content_rowid=[pk]);
    CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN {insert} END;
    CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN {delete} END;
    CREATE TRIGGER {table}_au AFTER UPDATE ON {table} BEGIN {delete} {insert} END;
    INSERT INTO {fts}({fts}) VALUES ('rebuild');
    """


@migration
def m002_full_text_search(conn: sqlite3.Connection) -> None:
    _script(conn, _fts("statements", ("content_text",)) + _fts("articles", ("title", "text")))


@migration
def m003_reviews(conn: sqlite3.Connection) -> None:
    # Reviewed attributions (from a Label Studio export) beside the extractor's statements, never over them.
    _script(conn, f"""
    CREATE TABLE reviews ({_ITEM}, statement_id TEXT, verdict TEXT NOT NULL, {_span("content")},
        speaker TEXT, {_span("speaker")}, {_span("cue")}, predicted_by TEXT, reviewer TEXT, task_id TEXT,
        reviewed_at TEXT, imported_at TEXT NOT NULL, UNIQUE(article_id, position));
    CREATE INDEX reviews_statement ON reviews(article_id, statement_id);
    """)


@migration
def m004_actor_lookup_indexes(conn: sqlite3.Connection) -> None:
    # The actor pages compare lower(...) = lower(?): expression indexes let each of the three lookups
    # (actor name, speaker mention, alias) use an index instead of scanning every statement.
    _script(conn, """
    CREATE INDEX actors_lower_name ON actors(lower(name));
    CREATE INDEX actor_aliases_lower_alias ON actor_aliases(lower(alias));
    CREATE INDEX statements_lower_speaker_text ON statements(lower(speaker_text));
    """)


@migration
def m005_stories(conn: sqlite3.Connection) -> None:
    # Cross-document tables, written beside the ledger (side tables): each article's fingerprint, its
    # MinHash LSH band keys (the index new articles are checked against) and the story it belongs to.
    _script(conn, f"""
    CREATE TABLE article_sketches ({_ITEM}, credit TEXT, title_key TEXT NOT NULL, body_hash TEXT NOT NULL,
        shingles INTEGER NOT NULL, UNIQUE(article_id, position));
    CREATE INDEX article_sketches_body ON article_sketches(body_hash);
    CREATE INDEX article_sketches_title ON article_sketches(title_key);
    CREATE TABLE article_bands ({_ITEM}, band TEXT NOT NULL, UNIQUE(article_id, position));
    CREATE INDEX article_bands_band ON article_bands(band);
    CREATE TABLE story_members ({_ITEM}, story_id TEXT NOT NULL, relation TEXT NOT NULL, copy_of TEXT,
        containment REAL, passage INTEGER, UNIQUE(article_id, position));
    CREATE INDEX story_members_story ON story_members(story_id);
    """)


def refuse_unknown(done: list[str], known: list[str]) -> None:
    """Raise when the database ran a migration this code does not know (a newer claimscope wrote it)."""
    unknown = [name for name in done if name not in known]
    if unknown:
        raise StoreError(f"the store was written by a newer claimscope (unknown migration {unknown[0]!r}); "
                         "upgrade claimscope to open it")


def applied(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations this database has run, oldest first."""
    conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    return [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY rowid")]


def pending(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations still to run; refuses a database from a newer claimscope."""
    done = applied(conn)
    known = [name for name, _ in MIGRATIONS]
    refuse_unknown(done, known)
    return [name for name in known if name not in done]


def migrate(conn: sqlite3.Connection, upto: str | None = None) -> list[str]:
    """Run every pending migration (or those up to and including ``upto``); return the names run."""
    todo = set(pending(conn))
    ran: list[str] = []
    for name, fn in MIGRATIONS:
        if name in todo:
            conn.execute("BEGIN IMMEDIATE")
            try:
                fn(conn)
                conn.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                             (name, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            ran.append(name)
        if name == upto:
            break
    return ran
