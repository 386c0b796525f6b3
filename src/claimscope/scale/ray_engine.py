"""The Ray engine: the same ``process_batch`` on Ray Data, from one laptop to a cluster.

Requires: the ``ray`` extra (``ray[data]``); the only module that imports Ray, lazily, so that the rest of
claimscope runs without it. Provides: ``run_ray``, ``connect``.

In order:
  1. ``connect`` joins the cluster named by ``address`` or ``RAY_ADDRESS`` (``ray start --head`` on one
     node, ``ray start --address=HEAD:6379`` on the others), else starts Ray on this machine; a Ray
     already initialised in this process (a test's local mode) is used as it is
  2. each input file is one read task: it runs ``sources.read`` (the very reader of the local engine: the
     same article ids and texts) and emits Arrow tables of ``READ_ROWS`` articles as it goes, so a large
     WARC or JSON Lines file streams; a record without an article becomes a "skipped" row
  3. ``map_batches`` over an actor pool of ``workers`` actors: each actor builds the pipeline and loads
     the model once (``process_batch`` caches it per process) and analyses ``batch_size`` articles at a
     time with ``nlp.pipe``
  4. the driver streams the result back a batch at a time, in input order (``preserve_order``), and
     yields ledgers and ``Skipped`` records; ``claimscope run`` writes them as Parquet shards and/or into
     the store, exactly as for the local engine

Known limits: ledgers come back to the driver, which writes the shards and the store, so a cluster run
is bounded by the driver's bandwidth (about 20 KB of JSON per article); claimscope must be installed on
every node (the same version as on the driver).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from typing import Any

from claimscope.errors import ClaimscopeError, EngineError
from claimscope.model import Ledger
from claimscope.scale.batch import (
    ARTICLE_COLUMNS,
    LEDGER_COLUMNS,
    Row,
    article_from_row,
    article_row,
    ledger_from_row,
    ledger_row,
    process_batch,
)
from claimscope.sources.skipped import Skipped

READ_ROWS = 64  # articles per Arrow table emitted by a read task
READ_CPUS = 0.25  # reading is light beside the analysis: it must not wait for a CPU the actors hold
_EXTRA = ("skipped", "failed")  # a record without an article: where and why; whether it is a failure


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise EngineError("the Ray engine needs Ray; install it with `pip install 'claimscope[ray]'` "
                          "or use --engine local") from None
    return ray


def connect(address: str | None = None, workers: int = 1) -> None:
    """1. Join a cluster, or start Ray here with ``workers`` CPUs; nothing when Ray is already initialised."""
    ray = _ray()
    if ray.is_initialized():
        return
    address = address or os.environ.get("RAY_ADDRESS")
    if address:
        ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
    else:
        ray.init(num_cpus=max(1, workers) + 1, include_dashboard=False, log_to_driver=False,
                 logging_level=logging.WARNING)


def run_ray(files: Sequence[str], *, workers: int = 2, batch_size: int = 32, alias_files: tuple[str, ...] = (),
            read_options: dict[str, Any] | None = None, address: str | None = None) -> Iterator[Ledger | Skipped]:
    """The ledgers of every article in ``files`` and a ``Skipped`` per record without one, in input order."""
    if not files:
        return
    ray = _ray()
    import pyarrow as pa  # type: ignore[import-untyped]

    connect(address, workers)
    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True  # 4.
    ctx.enable_progress_bars = False
    in_schema = pa.schema([(c, pa.string()) for c in ARTICLE_COLUMNS] + [("skipped", pa.string()),
                                                                          ("failed", pa.bool_())])
    out_schema = pa.schema([(c, pa.int64() if c in ("statements", "quantities", "errors") else pa.string())
                            for c in LEDGER_COLUMNS] + [("skipped", pa.string()), ("failed", pa.bool_())])
    paths = ray.data.from_items([{"path": f} for f in files], override_num_blocks=len(files))
    articles = paths.map_batches(_read_files, batch_size=1, batch_format="pyarrow",  # 2.
                                 fn_kwargs={"options": read_options or {}, "schema": in_schema},
                                 num_cpus=READ_CPUS)
    ledgers = articles.map_batches(_Analyser, batch_size=batch_size, batch_format="pyarrow",  # 3.
                                   compute=ray.data.ActorPoolStrategy(min_size=1, max_size=max(1, workers)),
                                   fn_constructor_kwargs={"alias_files": alias_files, "schema": out_schema})
    for table in ledgers.iter_batches(batch_size=batch_size, batch_format="pyarrow"):
        for row in table.to_pylist():
            if row["skipped"] is not None:
                yield Skipped(row["skipped"], row["id"] or "no article", row["ledger"] or "", bool(row["failed"]))
            else:
                yield ledger_from_row(row)


def _read_files(table: Any, options: dict[str, Any], schema: Any) -> Iterator[Any]:
    """2. One read task: the articles of the files in ``table`` as Arrow tables of ``READ_ROWS`` rows."""
    import pyarrow as pa

    rows: list[Row] = []
    for path in table.column("path").to_pylist():
        for row in _file_rows(str(path), options):
            rows.append(row)
            if len(rows) >= READ_ROWS:
                yield pa.Table.from_pylist(rows, schema=schema)
                rows = []
    if rows:
        yield pa.Table.from_pylist(rows, schema=schema)


def _file_rows(path: str, options: dict[str, Any]) -> Iterator[Row]:
    from claimscope import sources
    from claimscope.errors import BatchLineError

    blank: Row = dict.fromkeys(ARTICLE_COLUMNS)
    try:
        for item in sources.read(path, **options):
            if isinstance(item, BatchLineError):
                yield {**blank, "id": "unusable batch line", "text": str(item), "skipped": str(item.source),
                       "failed": True}
            elif isinstance(item, Skipped):
                yield {**blank, "id": item.reason, "text": item.detail, "skipped": item.where, "failed": item.failed}
            else:
                yield {**article_row(item), "skipped": None, "failed": False}
    except ClaimscopeError as exc:
        yield {**blank, "id": "no article in the file", "text": str(exc), "skipped": path, "failed": True}


class _Analyser:
    """3. One actor: the pipeline and model built once, then ``process_batch`` on every batch it receives."""

    def __init__(self, alias_files: tuple[str, ...], schema: Any) -> None:
        from claimscope.scale.batch import pipeline_for

        pipeline_for(tuple(alias_files))
        self.alias_files = tuple(alias_files)
        self.schema = schema

    def __call__(self, table: Any) -> Any:
        import pyarrow as pa

        rows = table.to_pylist()
        todo = [article_from_row(r) for r in rows if r["skipped"] is None]
        done = iter(process_batch(todo, self.alias_files))
        out = []
        for r in rows:
            if r["skipped"] is None:
                out.append({**ledger_row(next(done)), "skipped": None, "failed": False})
            else:  # passed through: the reason in "id", the detail in "ledger"
                out.append({**dict.fromkeys(LEDGER_COLUMNS), "id": r["id"], "ledger": r["text"],
                            "skipped": r["skipped"], "failed": r["failed"]})
        return pa.Table.from_pylist(out, schema=self.schema)
