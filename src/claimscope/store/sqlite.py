"""The SQLite backend: one file, WAL mode, foreign keys on, FTS5 over statements and article texts.

Requires: Python's ``sqlite3`` with FTS5 (every CPython build since 3.9 on the usual platforms).
Provides: ``SQLiteStore`` (the ``Store`` interface) and ``fts5_query``, which turns user input into a
safe FTS5 query.
Limits: one writer at a time (SQLite's rule); readers never block it in WAL mode, and a busy timeout
makes a writer wait for another instead of failing with "database is locked".

Opening, in order:
1. ``:memory:`` opens a private in-memory database (tests, throwaway runs).
2. A path whose folder does not exist, or that is a folder, is refused before SQLite creates anything.
3. The connection gets the pragmas (busy timeout first, so that even they wait for a busy writer).
4. A file that is not a SQLite database is refused with a one-line ``StoreError``.
5. Pending migrations run (a read-only store refuses to open an out-of-date schema instead).
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path
from typing import Any

from claimscope.errors import NotFoundError, StoreError
from claimscope.model import Ledger
from claimscope.store import migrations, rows
from claimscope.store.base import SearchScope, Store

BUSY_TIMEOUT_S = 30.0
_WORD = re.compile(r"\w", re.UNICODE)


def fts5_query(text: str) -> str | None:
    """User input as an FTS5 query that only ever means "all these words", or None when it has none.

    Each whitespace-separated piece becomes a quoted phrase (inner quotes doubled), so FTS5 operators
    (AND, OR, NOT, NEAR, ``*``, ``^``, ``:``, parentheses) are taken as literal text. Pieces without a
    letter or digit are dropped: the tokenizer would reduce them to nothing. NUL separates words: FTS5
    reads the query as a C string, so a NUL inside a phrase ended it ("unterminated string").
    """
    pieces = [p for p in text.replace("\x00", " ").split() if _WORD.search(p)]
    if not pieces:
        return None
    return " ".join('"' + p.replace('"', '""') + '"' for p in pieces)


class SQLiteStore(Store):
    """A ledger store in one SQLite file (or in memory, for ``:memory:``)."""

    def __init__(self, path: str | Path, *, read_only: bool = False, timeout: float = BUSY_TIMEOUT_S) -> None:
        self.path = str(path)
        self.read_only = read_only
        self._conn = _connect(self.path, read_only, timeout)

    # --- writing ------------------------------------------------------------------------------------

    def put(self, ledger: Ledger, *, config_hash: str | None = None) -> str:
        if self.read_only:
            raise StoreError(f"{self.path} was opened read-only; open it without read_only to store ledgers")
        now = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
        article = rows.encode_article(ledger, now)
        items = rows.encode_items(ledger)
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._write(ledger, article, items, config_hash, now)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot store article {ledger.article.id} in {self.path}: {exc}") from exc
        return ledger.article.id

    def _write(self, ledger: Ledger, article: rows.Row, items: rows.Rows, config_hash: str | None, now: str) -> None:
        conn = self._conn
        conn.execute(rows.upsert_article_sql(article, _marks), tuple(article.values()))
        aid = ledger.article.id
        for table in reversed(rows.ITEM_TABLES):
            conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (aid,))
        for table in rows.ITEM_TABLES:
            _insert_many(conn, table, items[table])
        cur = conn.execute("INSERT INTO runs (article_id, ran_at, content_hash, config_hash) VALUES (?, ?, ?, ?)",
                           (aid, now, article["content_hash"], config_hash))
        _insert_many(conn, "run_extractors", rows.encode_run(ledger, int(cur.lastrowid or 0)))

    def write_rows(self, table: str, article_id: str, batch: list[rows.Row]) -> None:
        if table not in rows.WRITABLE_TABLES:
            raise StoreError(f"{table} is not a side table; ledgers are written with put")
        if self.read_only:
            raise StoreError(f"{self.path} was opened read-only; open it without read_only to write")
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
                _insert_many(self._conn, table, batch)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write {table} of article {article_id} in {self.path}: {exc}") from exc

    # --- reading ------------------------------------------------------------------------------------

    def resolve(self, key: str) -> str:
        for column, value in rows.key_probes(key):
            row = self._one(f"SELECT id FROM articles WHERE {column} = ? ORDER BY updated_at DESC, pk DESC LIMIT 1",
                            (value,))
            if row is not None:
                return str(row["id"])
        raise NotFoundError(f"no stored article has the id, source path or URL {key!r} in {self.path}; "
                            "list the stored articles to find its id")

    def get(self, key: str) -> Ledger:
        aid = self.resolve(key)
        article = self._one("SELECT * FROM articles WHERE id = ?", (aid,))
        if article is None:  # deleted between resolve and here
            raise NotFoundError(f"article {aid} is no longer in {self.path}")
        items = {t: self.rows(f"SELECT * FROM {t} WHERE article_id = ? ORDER BY {rows.item_order(t)}", (aid,))
                 for t in rows.ITEM_TABLES}
        extractors = self.rows(
            "SELECT stage, extractor FROM run_extractors WHERE run_id = "
            "(SELECT max(pk) FROM runs WHERE article_id = ?) ORDER BY position", (aid,))
        return rows.decode(article, items, extractors)

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        try:
            cur = self._conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise StoreError(f"query failed on {self.path}: {exc}") from exc
        names = [d[0] for d in cur.description or ()]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def match(self, scope: SearchScope, query: str, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        fts = fts5_query(query)
        if fts is None:
            return []
        table = {"statements": "statements", "articles": "articles"}[scope]  # never user text in SQL
        column = 0 if scope == "statements" else 1
        return self.rows(
            f"SELECT t.pk AS pk, t.{'article_id' if scope == 'statements' else 'id'} AS article_id, "
            f"snippet({table}_fts, {column}, '[', ']', '…', 16) AS snippet "
            f"FROM {table}_fts JOIN {table} AS t ON t.pk = {table}_fts.rowid "
            f"WHERE {table}_fts MATCH ? ORDER BY {table}_fts.rank, t.pk LIMIT ? OFFSET ?",
            (fts, limit, offset))

    def close(self) -> None:
        self._conn.close()


def _insert_many(conn: sqlite3.Connection, table: str, batch: list[rows.Row]) -> None:
    if not batch:
        return
    cols = list(batch[0])
    conn.executemany(rows.insert_sql(table, cols, _marks), [tuple(r[c] for c in cols) for r in batch])


def _marks(cols: list[str]) -> str:
    return ", ".join("?" * len(cols))


def _connect(path: str, read_only: bool, timeout: float) -> sqlite3.Connection:
    # 1. in memory
    memory = path == ":memory:"
    # 2. refuse a missing folder or a folder before SQLite creates a file
    if not memory:
        p = Path(path)
        if p.is_dir():
            raise StoreError(f"cannot open store {path}: it is a folder; give a file path such as {p / 'ledger.db'}")
        if not p.parent.is_dir():
            raise StoreError(f"cannot open store {path}: folder {p.parent} does not exist; create it first")
        if read_only and not p.exists():
            raise StoreError(f"cannot open store {path} read-only: the file does not exist")
    target = f"file:{Path(path).resolve()}?mode=ro" if read_only and not memory else path
    try:
        conn = sqlite3.connect(target, timeout=timeout, isolation_level=None, uri=read_only and not memory)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open store {path}: {exc}") from exc
    try:
        _prepare(conn, memory, read_only, timeout)
    except sqlite3.DatabaseError as exc:
        conn.close()
        if "not a database" in str(exc):
            raise StoreError(f"cannot open store {path}: the file is not a SQLite database") from exc
        raise StoreError(f"cannot open store {path}: {exc}") from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _prepare(conn: sqlite3.Connection, memory: bool, read_only: bool, timeout: float) -> None:
    # 3. pragmas, busy timeout first
    conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # 4. raises on a file that is not a database
    if not memory and not read_only:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    # 5. migrations
    if not read_only:
        migrations.migrate(conn)
    elif _pending_read_only(conn):
        raise StoreError("the store's schema is out of date or missing; open it once without read_only to migrate")


def _pending_read_only(conn: sqlite3.Connection) -> list[str]:
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'").fetchone()
    done = {r[0] for r in conn.execute("SELECT name FROM migrations")} if found else set()
    return [name for name, _ in migrations.MIGRATIONS if name not in done]
