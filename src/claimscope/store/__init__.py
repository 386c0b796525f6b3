"""The ledger store: ledgers in a database, one per article, for listing, search and the web app.

Requires: ledgers from the pipeline (any subset of layers; the parse is not stored).
Provides: ``open_store(url_or_path) -> Store``; the ``Store`` interface (put / get / has / articles /
close, a context manager); ``content_hash`` for skipping unchanged articles. The read-only queries the
CLI and the web app share are in ``claimscope.store.queries``.
Limits: SQLite and PostgreSQL (``postgresql://`` or ``postgres://`` URLs; needs psycopg, the
``postgres`` extra).

Where to store:
1. ``:memory:`` or ``sqlite://`` (nothing after it): a private in-memory database.
2. ``sqlite:///relative/path.db`` and ``sqlite:////absolute/path.db`` (SQLAlchemy's spelling).
3. ``postgresql://...`` (or ``postgres://``): the PostgreSQL backend.
4. Any other ``scheme://`` is refused, naming the supported forms.
5. Anything else is a file path.
"""

from __future__ import annotations

from pathlib import Path

from claimscope.errors import StoreError
from claimscope.store.base import SearchScope, Store
from claimscope.store.rows import content_hash
from claimscope.store.sqlite import SQLiteStore

__all__ = ["SQLiteStore", "SearchScope", "Store", "content_hash", "open_store"]


def open_store(url_or_path: str | Path, *, read_only: bool = False) -> Store:
    """Open (creating and migrating when needed) the store at a path, ``sqlite:///`` or ``postgresql://`` URL."""
    target = str(url_or_path)
    # 1. in memory
    if target in (":memory:", "sqlite://", "sqlite:///:memory:"):
        return SQLiteStore(":memory:", read_only=read_only)
    # 2. SQLite URL
    if target.startswith("sqlite:///"):
        return SQLiteStore(target.removeprefix("sqlite:///"), read_only=read_only)
    # 3. PostgreSQL
    if target.startswith(("postgresql://", "postgres://")):
        try:
            from claimscope.store.postgres import PostgresStore
        except ImportError as exc:
            raise StoreError("cannot open a PostgreSQL store: psycopg is not installed; "
                             "install claimscope[postgres]") from exc
        return PostgresStore(target, read_only=read_only)
    # 4. another scheme
    scheme, sep, _ = target.partition("://")
    if sep and scheme.replace("+", "").isalpha():
        raise StoreError(f"cannot open store {target}: {scheme}:// is not supported; "
                         "give a file path, a sqlite:///path URL or a postgresql:// URL")
    # 5. a file path
    return SQLiteStore(target, read_only=read_only)
