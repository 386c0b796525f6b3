"""What a store holds, per table per article, for comparing a crashed or interrupted store with a clean one."""

from __future__ import annotations

import sqlite3
from typing import Any

_TABLES_WITH_ARTICLES = {
    "sqlite": "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c "
              "WHERE m.type = 'table' AND c.name = 'article_id'",
    "postgresql": "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
                  "AND column_name = 'article_id'",
}


def _rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    if url.startswith("postgresql"):
        import psycopg

        with psycopg.connect(url, connect_timeout=5) as conn:
            return list(conn.execute(sql).fetchall())
    conn = sqlite3.connect(f"file:{url}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def snapshot(url: str) -> dict[str, dict[str, int]]:
    """Rows per table per article (``articles`` counted by id)."""
    out = {"articles": {r[0]: 1 for r in _rows(url, "SELECT id FROM articles")}}
    backend = "postgresql" if url.startswith("postgresql") else "sqlite"
    for (table,) in _rows(url, _TABLES_WITH_ARTICLES[backend]):
        out[table] = {aid: int(n) for aid, n in _rows(url, f"SELECT article_id, count(*) FROM {table} "
                                                            "GROUP BY article_id")}
    return out


def stored(url: str) -> int:
    try:
        return int(_rows(url, "SELECT count(*) FROM articles")[0][0])
    except Exception:  # the store is being created (no file, no table yet)
        return 0
