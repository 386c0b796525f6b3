"""The interface every ledger store implements (SQLite and PostgreSQL).

A backend moves the rows of ``claimscope.store.rows`` in and out of its database and answers the
read primitives that ``claimscope.store.queries`` builds on. Everything dialect-specific (connection
strings, pragmas, upsert syntax, placeholders, the full-text engine and its query syntax) stays inside
the backend; the SQL that ``queries`` sends through ``rows`` is portable SQL with ``?`` placeholders,
which a backend with another placeholder style translates.
"""

from __future__ import annotations

import abc
from types import TracebackType
from typing import Any, Literal

from claimscope.model import Ledger

SearchScope = Literal["statements", "articles"]


class Store(abc.ABC):
    """A database of ledgers, one per article, keyed by the article's deterministic id."""

    @abc.abstractmethod
    def put(self, ledger: Ledger, *, config_hash: str | None = None) -> str:
        """Store one ledger in one transaction, replacing any earlier version; return the article id."""

    @abc.abstractmethod
    def write_rows(self, table: str, article_id: str, batch: list[dict[str, Any]]) -> None:
        """Replace, in one transaction, one article's rows of a side table (``rows.SIDE_TABLES``: reviews).

        Side tables hold what is kept beside the extractor's output; ``put`` never touches them.
        """

    @abc.abstractmethod
    def get(self, key: str) -> Ledger:
        """The stored ledger (``parse=None``) whose article id, source path or URL is ``key``.

        Raises ``NotFoundError`` when no article matches.
        """

    @abc.abstractmethod
    def resolve(self, key: str) -> str:
        """The article id that ``key`` (an id, a source path or a URL) names; ``NotFoundError`` if none."""

    def has(self, article_id: str, content_hash: str, config_hash: str | None = None) -> bool:
        """Whether this article is stored with this text (and, when given, was last run with this config)."""
        if "\x00" in article_id:  # no stored id holds a NUL (PostgreSQL text cannot)
            return False
        row = self._one("SELECT content_hash, config_hash FROM runs WHERE article_id = ? ORDER BY pk DESC LIMIT 1",
                        (article_id,))
        if row is None or row["content_hash"] != content_hash:
            return False
        return config_hash is None or row["config_hash"] == config_hash

    def articles(self, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Stored articles, most recently updated first, without their text."""
        return self.rows(
            "SELECT id, title, url, source, published, author, site, input_format, content_hash, ingested_at, "
            "updated_at, length(text) AS chars FROM articles ORDER BY updated_at DESC, pk DESC LIMIT ? OFFSET ?",
            (limit, offset))

    def _one(self, sql: str, params: tuple[Any, ...]) -> dict[str, Any] | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    @abc.abstractmethod
    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        """Run one read-only portable SQL query (``?`` placeholders) and return its rows as dicts."""

    @abc.abstractmethod
    def match(self, scope: SearchScope, query: str, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        """Full-text search of statement contents or article texts for the words of ``query``.

        ``query`` is user input, taken as plain words (all must occur, any order); operators and
        punctuation carry no meaning. Each hit has ``article_id``, ``pk`` (the row's key) and ``snippet``.
        """

    @abc.abstractmethod
    def close(self) -> None:
        """Release the connection; the store cannot be used afterwards."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
