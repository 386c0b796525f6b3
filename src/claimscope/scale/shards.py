"""Ledgers as Parquet shards: ``part-00000.parquet``, ``part-00001.parquet``, ... in one folder.

Requires: pyarrow (the ``export`` extra). Provides: ``ShardWriter``, ``read_shards``.

Each row is ``batch.ledger_row``: the article id, URL, title and date, counts of statements, figures and
error diagnostics, and the whole ledger as contract JSON (``serialize.to_json``; docs/data-format.md), so
a shard reloads into ledgers without the parser (``read_shards``) and can be filtered by its columns
with any Parquet reader. A shard holds at most ``rows_per_shard`` ledgers; rows are buffered
``rows_per_group`` at a time (one Parquet row group), so memory stays flat. Shards of an earlier run in
the folder are replaced, never mixed with the new ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from claimscope.errors import StoreError
from claimscope.model import Ledger
from claimscope.scale.batch import LEDGER_COLUMNS, Row, ledger_from_row, ledger_row

_COUNTS = ("statements", "quantities", "errors")


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa  # type: ignore[import-untyped]
        import pyarrow.parquet as pq  # type: ignore[import-untyped]
    except ImportError as exc:
        raise StoreError("writing Parquet shards needs pyarrow; install claimscope[export]") from exc
    return pa, pq


class ShardWriter:
    def __init__(self, folder: str | Path, rows_per_shard: int = 10_000, rows_per_group: int = 500) -> None:
        self.pa, self.pq = _pyarrow()
        self.folder = Path(folder)
        if self.folder.exists() and not self.folder.is_dir():
            raise StoreError(f"cannot write shards to {self.folder}: it is a file; give a folder (created when "
                             "missing)")
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("part-*.parquet"):
            old.unlink()
        self.schema = self.pa.schema([(c, self.pa.int64() if c in _COUNTS else self.pa.string())
                                      for c in LEDGER_COLUMNS])
        self.rows_per_shard, self.rows_per_group = rows_per_shard, rows_per_group
        self.shards = 0
        self._writer: Any = None
        self._in_shard = 0
        self._pending: list[Row] = []

    def write(self, ledger: Ledger) -> None:
        self._pending.append(ledger_row(ledger))
        if len(self._pending) >= self.rows_per_group or self._in_shard + len(self._pending) >= self.rows_per_shard:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        if self._writer is None:
            self._writer = self.pq.ParquetWriter(self.folder / f"part-{self.shards:05d}.parquet", self.schema)
            self.shards += 1
        self._writer.write_table(self.pa.Table.from_pylist(self._pending, schema=self.schema))
        self._in_shard += len(self._pending)
        self._pending = []
        if self._in_shard >= self.rows_per_shard:
            self._writer.close()
            self._writer, self._in_shard = None, 0

    def close(self) -> None:
        self._flush()
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def __enter__(self) -> ShardWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_shards(folder: str | Path) -> Iterator[Ledger]:
    """The ledgers of every shard in ``folder``, shard by shard, a row group at a time."""
    _, pq = _pyarrow()
    for path in sorted(Path(folder).glob("part-*.parquet")):
        for batch in pq.ParquetFile(path).iter_batches(columns=["ledger"]):
            for row in batch.to_pylist():
                yield ledger_from_row(row)
