"""Exports of a whole store: JSON Lines (the contract), CSV and Parquet tables.

Requires: an open ``Store`` (any backend); pyarrow (the ``export`` extra) for Parquet only.
Provides: ``iter_ledgers(store)``; ``export_jsonl(store, out)``, one contract ledger per line;
``export_tables(store, folder, fmt)``, one file per item kind (``articles``, ``statements``,
``quantities``, ... and ``reviews``) with the store's columns (``rows.COLUMNS``): every item row has its
``article_id``, ``position`` and the character offsets of its spans. Each returns how much it wrote.
Limits: ledgers are read one at a time (memory stays flat); Parquet row groups are written every
``Config.batch`` articles. The parse is not stored, so it is not exported.

Table rows come from the reloaded ledgers (``rows.encode_*``), not from backend-specific SQL, so the
same store exports the same files from SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal, Protocol

from claimscope.errors import StoreError
from claimscope.model import Ledger
from claimscope.serialize import to_json
from claimscope.store import rows
from claimscope.store.base import Store

TableFormat = Literal["csv", "parquet"]
TABLES = ("articles", *rows.ITEM_TABLES, *rows.SIDE_TABLES)
_INTS = ("_start", "_end", "position", "parent", "relative")
_FLOATS = frozenset({"high", "confidence", "score", "quantities.value"})  # times.value is text


@dataclass(frozen=True, slots=True)
class Config:
    batch: int = 200  # articles per page read from the store, and per Parquet row group


def article_ids(store: Store, batch: int = 200) -> Iterator[str]:
    """Every stored article id, oldest first, read a page at a time."""
    offset = 0
    while True:
        page = store.rows("SELECT id FROM articles ORDER BY pk LIMIT ? OFFSET ?", (batch, offset))
        yield from (str(r["id"]) for r in page)
        if len(page) < batch:
            return
        offset += batch


def iter_ledgers(store: Store, config: Config = Config()) -> Iterator[Ledger]:
    """Every stored ledger (``parse=None``), oldest first."""
    for aid in article_ids(store, config.batch):
        yield store.get(aid)


def export_jsonl(store: Store, out: IO[str], config: Config = Config()) -> int:
    """Write each stored ledger as one line of contract JSON; return how many."""
    n = 0
    for led in iter_ledgers(store, config):
        out.write(json.dumps(to_json(led), ensure_ascii=False) + "\n")
        n += 1
    return n


class _Sink(Protocol):
    def write(self, table: str, batch: list[rows.Row]) -> None: ...
    def close(self) -> None: ...


def export_tables(store: Store, folder: str | Path, fmt: TableFormat, config: Config = Config()) -> dict[str, int]:
    """Write one ``<table>.csv`` or ``<table>.parquet`` per table into ``folder``; return rows per table."""
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise StoreError(f"cannot export {fmt} to {out}: it is a file; give a folder (created when missing)")
    out.mkdir(parents=True, exist_ok=True)
    sink: _Sink = _CsvSink(out) if fmt == "csv" else _ParquetSink(out)
    counts = dict.fromkeys(TABLES, 0)
    pending: dict[str, list[rows.Row]] = {t: [] for t in TABLES}
    try:
        for i, led in enumerate(iter_ledgers(store, config), 1):
            for table, batch in _table_rows(store, led).items():
                pending[table].extend(batch)
                counts[table] += len(batch)
            if i % config.batch == 0:
                _flush(sink, pending)
        _flush(sink, pending)
    finally:
        sink.close()
    return counts


def _table_rows(store: Store, led: Ledger) -> dict[str, list[rows.Row]]:
    found: dict[str, list[rows.Row]] = {"articles": [rows.encode_article(led, "")], **rows.encode_items(led)}
    stored = store.rows("SELECT ingested_at, updated_at FROM articles WHERE id = ?", (led.article.id,))
    found["articles"][0].update(stored[0] if stored else {})
    found["reviews"] = store.rows(f"SELECT {', '.join(rows.COLUMNS['reviews'])} FROM reviews "
                                  "WHERE article_id = ? ORDER BY position", (led.article.id,))
    return found


def _flush(sink: _Sink, pending: dict[str, list[rows.Row]]) -> None:
    for table, batch in pending.items():
        if batch:
            sink.write(table, batch)
            batch.clear()


class _CsvSink:
    """One CSV file per table, header first (an empty table still gets its header)."""

    def __init__(self, folder: Path) -> None:
        self._files = {t: (folder / f"{t}.csv").open("w", encoding="utf-8", newline="") for t in TABLES}
        self._writers = {t: csv.DictWriter(f, fieldnames=rows.COLUMNS[t], extrasaction="ignore")
                         for t, f in self._files.items()}
        for w in self._writers.values():
            w.writeheader()

    def write(self, table: str, batch: list[rows.Row]) -> None:
        self._writers[table].writerows(batch)

    def close(self) -> None:
        for f in self._files.values():
            f.close()


class _ParquetSink:
    """One Parquet file per table with a fixed schema (integers, doubles, strings)."""

    def __init__(self, folder: Path) -> None:
        try:
            import pyarrow as pa  # type: ignore[import-untyped]
            import pyarrow.parquet as pq  # type: ignore[import-untyped]
        except ImportError as exc:
            raise StoreError("cannot export Parquet: pyarrow is not installed; install claimscope[export]") from exc
        self._pa = pa
        self._schemas = {t: pa.schema([(c, _arrow_type(pa, t, c)) for c in rows.COLUMNS[t]]) for t in TABLES}
        self._writers = {t: pq.ParquetWriter(folder / f"{t}.parquet", self._schemas[t]) for t in TABLES}

    def write(self, table: str, batch: list[rows.Row]) -> None:
        cols = rows.COLUMNS[table]
        self._writers[table].write_table(
            self._pa.Table.from_pylist([{c: r.get(c) for c in cols} for r in batch], schema=self._schemas[table]))

    def close(self) -> None:
        for w in self._writers.values():
            w.close()  # an empty table is still a valid file with its schema


def _arrow_type(pa: Any, table: str, column: str) -> Any:
    if column.endswith(_INTS):
        return pa.int64()
    if column in _FLOATS or f"{table}.{column}" in _FLOATS:
        return pa.float64()
    return pa.string()
