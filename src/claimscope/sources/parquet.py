"""Parquet batches: one article per row, read a row group at a time, a bad row reported and skipped.

Requires: pyarrow (the ``export`` extra). Provides: ``read_parquet``, ``is_parquet_name``.

Each row has the fields of a JSON Lines record (``sources.jsonl``): ``id``, ``text`` or ``html``, and
optionally ``published`` (an ISO date string, a date or a timestamp), ``url``, ``title``, ``source``.
Rows are checked and turned into articles by the same code as JSON Lines, so both formats give the same
article ids and ledgers. A row that cannot be used is yielded as a ``BatchLineError`` naming the row.

Known limits: the file is read in batches of ``batch_rows`` rows, so memory grows with that, not with
the file; a file that is not Parquet raises an ``InputError`` before any row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from claimscope.errors import BatchLineError, InputError
from claimscope.model import Article
from claimscope.sources.jsonl import read_records

__all__ = ["read_parquet", "is_parquet_name"]


def is_parquet_name(where: str) -> bool:
    return where.lower().endswith((".parquet", ".pq"))


def read_parquet(path: str | Path, *, published: dt.date | None = None, source: str | None = None,
                 batch_rows: int = 256) -> Iterator[Article | BatchLineError]:
    where = str(path)
    handle = _open(where)
    n = 0
    for batch in handle.iter_batches(batch_size=batch_rows):
        rows = [_plain(r) for r in batch.to_pylist()]
        yield from read_records(rows, where, published=published, source=source, first=n + 1)
        n += len(rows)


def _open(where: str) -> Any:
    try:
        import pyarrow.parquet as pq  # type: ignore[import-untyped]
    except ImportError as exc:
        raise InputError(f"{where}: reading Parquet needs pyarrow; install claimscope[export]") from exc
    try:
        return pq.ParquetFile(where)
    except FileNotFoundError:
        raise InputError(f"{where}: no such file; check the path") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{where}: expected a Parquet file, found something else ({exc})") from None


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """A date or timestamp in ``published`` becomes the ISO string a JSON Lines record would carry."""
    value = row.get("published")
    if isinstance(value, dt.date):
        row["published"] = value.isoformat()
    return row
