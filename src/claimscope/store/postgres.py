"""The PostgreSQL backend: the SQLite schema and behaviour on a server, for teams sharing one store.

Requires: psycopg 3 (the ``postgres`` extra) and a PostgreSQL server (13 or later).
Provides: ``PostgresStore`` (the ``Store`` interface), selected by ``open_store("postgresql://...")``,
and ``tsquery_words``, which turns user input into bound plain-word phrases for full-text search.
Limits: PostgreSQL text cannot hold the NUL character, so a ledger whose text or fields contain one is
refused with a ``StoreError`` (SQLite stores it). Full-text search uses the ``simple`` configuration
(case-folded words, no stemming) like SQLite's FTS5, but does not fold accents.

Opening, in order:
1. The URL is handed to libpq; a malformed one is refused with a one-line ``StoreError``.
2. An unreachable server, a refused login or a missing database is a one-line ``StoreError`` naming
   the host (never the password).
3. A read-only store sets every transaction read-only and refuses an out-of-date schema.
4. Otherwise pending migrations run (``pg_migrations``), serialised by an advisory lock.

A connection lost while the store is open (the server restarted, the backend terminated) is reopened
with bounded backoff (``RETRY_PAUSES_S``, about 15 s in all) and the operation retried: a read as it
was; a ``put`` only if its transaction did not commit (its ``runs`` row, stamped with the attempt's time,
is looked up first), so a retried article is neither lost nor stored twice. When the server does not
come back, the operation ends in a one-line ``StoreError``; an ingest then stops, and running it again
resumes after the last stored article.

The schema to use can be chosen in the URL: ``?options=-csearch_path%3Dmyschema``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import psycopg
from psycopg.types.json import set_json_loads

from claimscope.errors import NotFoundError, StoreError
from claimscope.model import Ledger
from claimscope.store import pg_migrations, rows
from claimscope.store.base import SearchScope, Store
from claimscope.store.migrations import refuse_unknown

CONNECT_TIMEOUT_S = 10
RETRY_PAUSES_S = (0.2, 0.5, 1.0, 2.0, 4.0, 8.0)  # waits before each reconnection after a lost connection
T = TypeVar("T")
# psycopg logs "error ignored terminating <Pipeline>" when a connection dies inside a pipeline; the loss is
# handled (and reported in one line) here, so the log record must not reach stderr through Python's last resort
logging.getLogger("psycopg").addHandler(logging.NullHandler())
JSONB_COLUMNS = frozenset({"layers", "titles"})
_WORD = re.compile(r"\w", re.UNICODE)
_SNIPPET = "StartSel=[, StopSel=], MaxWords=16, MinWords=6, ShortWord=0, FragmentDelimiter=…, MaxFragments=1"


def tsquery_words(text: str) -> list[str]:
    """The whitespace-separated pieces of user input that hold a letter or digit (NUL removed).

    Each piece is later bound as a parameter of ``phraseto_tsquery``, which reads no operators, so
    ``&``, ``|``, ``!``, ``<->``, ``:*`` and quotes are plain text; all pieces must match.
    """
    return [p for p in text.replace("\x00", " ").split() if _WORD.search(p)]


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        parts = urlsplit(url)
        if parts.password:
            return url.replace(f":{parts.password}@", ":***@", 1)
    except ValueError:
        pass
    return url


def portable(sql: str) -> str:
    """Portable SQL (``?`` placeholders) in psycopg's style (``%s``, literal ``%`` doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


class PostgresStore(Store):
    """A ledger store in a PostgreSQL database."""

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        self.url = url
        self.path = redact(url)  # the name messages use
        self.read_only = read_only
        self._conn = _connect(url, self.path, read_only)

    # --- writing ------------------------------------------------------------------------------------

    def put(self, ledger: Ledger, *, config_hash: str | None = None) -> str:
        if self.read_only:
            raise StoreError(f"{self.path} was opened read-only; open it without read_only to store ledgers")
        now = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
        article = rows.encode_article(ledger, now)
        items = rows.encode_items(ledger)
        aid = ledger.article.id

        def write() -> None:
            if self._committed(aid, now):  # an earlier attempt committed before its connection was lost
                return
            with self._conn.pipeline(), self._conn.transaction():  # pipeline: statements sent without waiting
                self._write(ledger, article, items, config_hash, now)

        try:
            self._retrying(write)
        except psycopg.Error as exc:
            raise StoreError(f"cannot store article {ledger.article.id} in {self.path}: {_line(exc)}") from exc
        except ValueError as exc:  # psycopg refuses NUL characters before sending
            raise StoreError(f"cannot store article {ledger.article.id} in {self.path}: {exc}") from exc
        return ledger.article.id

    def _write(self, ledger: Ledger, article: rows.Row, items: rows.Rows, config_hash: str | None, now: str) -> None:
        conn = self._conn
        conn.execute(rows.upsert_article_sql(article, _marks), tuple(article.values()))  # type: ignore[arg-type]
        aid = ledger.article.id
        for table in reversed(rows.ITEM_TABLES):
            conn.execute(f"DELETE FROM {table} WHERE article_id = %s", (aid,))
        for table in rows.ITEM_TABLES:
            _insert_many(conn, table, items[table])
        found = conn.execute("INSERT INTO runs (article_id, ran_at, content_hash, config_hash) "
                             "VALUES (%s, %s, %s, %s) RETURNING pk",
                             (aid, now, article["content_hash"], config_hash)).fetchone()
        _insert_many(conn, "run_extractors", rows.encode_run(ledger, int(found[0]) if found else 0))

    def write_rows(self, table: str, article_id: str, batch: list[rows.Row]) -> None:
        if table not in rows.WRITABLE_TABLES:
            raise StoreError(f"{table} is not a side table; ledgers are written with put")
        if self.read_only:
            raise StoreError(f"{self.path} was opened read-only; open it without read_only to write")
        def write() -> None:
            with self._conn.transaction():  # delete and insert: repeating it after a lost connection is safe
                self._conn.execute(f"DELETE FROM {table} WHERE article_id = %s", (article_id,))
                _insert_many(self._conn, table, batch)

        try:
            self._retrying(write)
        except (psycopg.Error, ValueError) as exc:
            raise StoreError(f"cannot write {table} of article {article_id} in {self.path}: {_line(exc)}") from exc

    # --- reading ------------------------------------------------------------------------------------

    def resolve(self, key: str) -> str:
        if "\x00" not in key:  # no stored value can hold NUL
            for column, value in rows.key_probes(key):
                row = self._one(f"SELECT id FROM articles WHERE {column} = ? ORDER BY updated_at DESC, pk DESC "
                                "LIMIT 1", (value,))
                if row is not None:
                    return str(row["id"])
        raise NotFoundError(f"no stored article has the id, source path or URL {key!r} in {self.path}; "
                            "list the stored articles to find its id")

    def get(self, key: str) -> Ledger:
        aid = self.resolve(key)
        article = self._one("SELECT * FROM articles WHERE id = ?", (aid,))
        if article is None:
            raise NotFoundError(f"article {aid} is no longer in {self.path}")
        items = {t: self.rows(f"SELECT * FROM {t} WHERE article_id = ? ORDER BY {rows.item_order(t)}", (aid,))
                 for t in rows.ITEM_TABLES}
        extractors = self.rows(
            "SELECT stage, extractor FROM run_extractors WHERE run_id = "
            "(SELECT max(pk) FROM runs WHERE article_id = ?) ORDER BY position", (aid,))
        return rows.decode(article, items, extractors)

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        return self._rows(portable(sql), params)

    def _rows(self, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
        def query() -> list[dict[str, Any]]:
            cur = self._conn.execute(sql, params)  # type: ignore[arg-type]  # built from trusted pieces
            names = [d.name for d in cur.description or ()]
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()] if names else []

        try:
            return self._retrying(query)
        except (psycopg.Error, ValueError) as exc:
            raise StoreError(f"query failed on {self.path}: {_line(exc)}") from exc

    def match(self, scope: SearchScope, query: str, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        words = tsquery_words(query)
        if not words:
            return []
        tsq = " && ".join(["phraseto_tsquery('simple', %s)"] * len(words))
        table, key, vec, doc = {
            "statements": ("statements", "article_id", "content_tsv", "content_text"),
            "articles": ("articles", "id", "text_tsv", "text"),
        }[scope]  # never user text in SQL
        return self._rows(
            f"SELECT t.pk AS pk, t.{key} AS article_id, ts_headline('simple', t.{doc}, q, %s) AS snippet "
            f"FROM {table} AS t, (SELECT {tsq} AS q) AS f WHERE t.{vec} @@ q "
            f"ORDER BY ts_rank(t.{vec}, q) DESC, t.pk LIMIT %s OFFSET %s",
            (_SNIPPET, *words, limit, offset))

    def close(self) -> None:
        self._conn.close()

    # --- a lost connection ---------------------------------------------------------------------------

    def _retrying(self, operation: Callable[[], T]) -> T:
        """``operation()``; after a lost connection, reconnect with backoff and run it again (bounded)."""
        for pause in (*RETRY_PAUSES_S, None):
            try:
                return operation()
            except psycopg.OperationalError as exc:
                if not self._conn.closed and not self._conn.broken:
                    raise  # the server answered with an error: not a lost connection
                if pause is None:
                    raise StoreError(f"lost the connection to {self.path} and could not reconnect after "
                                     f"{len(RETRY_PAUSES_S)} tries ({_line(exc)}); run the command again "
                                     "when the server is back (an ingest resumes where it stopped)") from exc
                self._reconnect(pause)
        raise AssertionError("unreachable")

    def _reconnect(self, pause: float) -> None:
        time.sleep(pause)
        try:
            conn = _connect(self.url, self.path, self.read_only)
        except StoreError:
            return  # still down: the next attempt fails fast on the closed connection and waits longer
        self._conn.close()
        self._conn = conn

    def _committed(self, article_id: str, ran_at: str) -> bool:
        found = self._conn.execute("SELECT 1 FROM runs WHERE article_id = %s AND ran_at = %s LIMIT 1",
                                   (article_id, ran_at)).fetchone()
        return found is not None


def _line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _marks(cols: list[str]) -> str:
    return ", ".join("%s::jsonb" if c in JSONB_COLUMNS else "%s" for c in cols)


def _insert_many(conn: psycopg.Connection, table: str, batch: list[rows.Row]) -> None:
    if not batch:
        return
    cols = list(batch[0])
    with conn.cursor() as cur:
        cur.executemany(rows.insert_sql(table, cols, _marks),  # type: ignore[arg-type]
                        [tuple(r[c] for c in cols) for r in batch])


def _connect(url: str, name: str, read_only: bool) -> psycopg.Connection:
    # 1.-2. a malformed URL, an unreachable server, a refused login
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
    except psycopg.ProgrammingError as exc:
        raise StoreError(f"cannot open store {name}: not a valid PostgreSQL URL ({_line(exc)})") from exc
    except psycopg.Error as exc:
        raise StoreError(f"cannot open store {name}: the server cannot be reached or refused us "
                         f"({_line(exc)})") from exc
    set_json_loads(lambda data: data if isinstance(data, str) else bytes(data).decode(), conn)  # JSON as text
    try:
        _prepare(conn, name, read_only)
    except psycopg.Error as exc:
        conn.close()
        raise StoreError(f"cannot open store {name}: {_line(exc)}") from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _prepare(conn: psycopg.Connection, name: str, read_only: bool) -> None:
    conn.execute("SET client_min_messages = warning")  # no NOTICE for words the parser drops
    # 3. read only
    if read_only:
        conn.execute("SET default_transaction_read_only = on")
        found = conn.execute("SELECT to_regclass('migrations') IS NOT NULL").fetchone()
        done = {str(r[0]) for r in conn.execute("SELECT name FROM migrations")} if found and found[0] else set()
        known = [n for n, _ in pg_migrations.MIGRATIONS]
        refuse_unknown(sorted(done), known)
        if any(n not in done for n in known):
            raise StoreError(f"the store's schema in {name} is out of date or missing; "
                             "open it once without read_only to migrate")
        return
    # 4. migrations
    pg_migrations.migrate(conn)
