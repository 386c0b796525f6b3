"""``run``: analyse many inputs with an engine, into Parquet shards and/or the store.

Requires: input files (any format ``sources.read`` knows; folders and globs expanded by the caller).
Provides: ``RunConfig``, ``RunSummary``, ``run``.

In order:
  1. the engine: ``local`` (a process pool, ``scale.local``) or ``ray`` (Ray Data, ``scale.ray_engine``);
     both analyse with ``scale.batch.process_batch``, so they give the same ledgers
  2. with a store (``db``) and the local engine, the run is an ingest (``corpus.ingest``): articles the
     store holds unchanged are skipped by content hash, the others analysed by the pool and stored one
     transaction per article, syndicated copies joined to their story; an interrupted run resumes
  3. with a store and the Ray engine, every ledger the cluster returns is stored the same way (the
     cluster reads the inputs itself, so nothing is skipped before the analysis)
  4. with an output folder (``out``), every ledger is also written to Parquet shards (``scale.shards``)
  5. a record without an article (a bad batch line, a damaged crawl record) is counted by reason and
     reported through ``on_skip``; the run goes on
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any, Literal

from claimscope.model import Article, Ledger
from claimscope.sources.skipped import Skipped

Engine = Literal["local", "ray"]
ENGINES: tuple[Engine, ...] = ("local", "ray")


@dataclass(frozen=True, slots=True)
class RunConfig:
    engine: Engine = "local"
    workers: int = 1
    batch_size: int = 32  # articles per process_batch call (one nlp.pipe)
    alias_files: tuple[str, ...] = ()
    read_options: tuple[tuple[str, Any], ...] = ()  # keyword arguments of sources.read (published, encoding)
    address: str | None = None  # the Ray cluster; None: RAY_ADDRESS, else Ray on this machine
    rows_per_shard: int = 10_000


@dataclass(slots=True)
class RunSummary:
    analysed: int = 0
    failed: int = 0  # ledgers with an error diagnostic
    failed_records: int = 0  # records without an article that are failures (not skipped by design)
    unchanged: int = 0  # skipped: stored before with the same text and extractors
    copies: int = 0  # syndicated copies of a stored story
    shards: int = 0
    records: Counter[str] = field(default_factory=Counter)  # records without an article, by reason

    def line(self) -> str:
        out = f"analysed {self.analysed} article(s), {self.failed} with an error diagnostic"
        if self.unchanged or self.copies:
            out += f", skipped {self.unchanged} unchanged, {self.copies} syndicated cop" + \
                   ("y" if self.copies == 1 else "ies")
        if self.shards:
            out += f"; wrote {self.shards} shard(s)"
        if self.records:
            out += "; records skipped: " + ", ".join(f"{n} {r}" for r, n in self.records.most_common())
            out += f" ({self.failed_records} failed)"
        return out


def run(files: Sequence[str], config: RunConfig = RunConfig(), *, out: str | None = None, db: str | None = None,
        on_skip: Callable[[Skipped], None] | None = None) -> RunSummary:
    summary = RunSummary()

    def skipped(item: Skipped) -> None:  # 5.
        summary.failed_records += item.failed
        if on_skip is not None:
            on_skip(item)

    with ExitStack() as stack:
        shards = None
        if out is not None:  # 4.
            from claimscope.scale.shards import ShardWriter

            shards = stack.enter_context(ShardWriter(out, config.rows_per_shard))

        def written(ledgers: Iterable[Ledger]) -> Iterator[Ledger]:
            for led in ledgers:
                if shards is not None:
                    shards.write(led)
                yield led

        if config.engine == "local" and db is not None:  # 2.
            _ingest(files, config, db, summary, written, skipped)
        else:
            items = _engine_items(files, config, skipped, summary)  # 1.
            ledgers = written(items)
            if db is not None:
                _store(ledgers, db, config.alias_files, summary)
            else:
                _count(ledgers, summary)
    summary.shards = shards.shards if shards is not None else 0
    return summary


def _ingest(files: Sequence[str], config: RunConfig, db: str, summary: RunSummary,
            written: Callable[[Iterable[Ledger]], Iterator[Ledger]],
            on_skip: Callable[[Skipped], None] | None) -> None:
    from claimscope.corpus.ingest import ingest_sources
    from claimscope.scale.local import run_local

    def analyse(articles: Iterable[Article]) -> Iterator[Ledger]:
        return written(run_local(articles, workers=config.workers, batch_size=config.batch_size,
                                 alias_files=config.alias_files))

    got = ingest_sources([("inputs", lambda known: _read(files, config, known))], db, batch_size=config.batch_size,
                         alias_files=config.alias_files, on_skip=on_skip, analyse=analyse)
    summary.analysed, summary.failed, summary.unchanged = got.stored, got.failed - summary.failed_records, got.skipped
    summary.copies, summary.records = got.copies, got.records


def _engine_items(files: Sequence[str], config: RunConfig, on_skip: Callable[[Skipped], None] | None,
                  summary: RunSummary) -> Iterator[Ledger]:
    """1. The ledgers of the chosen engine; its ``Skipped`` records counted (5.)."""
    if config.engine == "ray":
        from claimscope.scale.ray_engine import run_ray

        items: Iterable[Ledger | Skipped] = run_ray(
            files, workers=config.workers, batch_size=config.batch_size, alias_files=config.alias_files,
            read_options=dict(config.read_options), address=config.address)
    else:
        from claimscope.scale.local import run_local

        def articles() -> Iterator[Article]:
            for item in _read(files, config, None):
                if isinstance(item, Skipped):
                    _skip(item, summary, on_skip)
                else:
                    yield item

        items = run_local(articles(), workers=config.workers, batch_size=config.batch_size,
                          alias_files=config.alias_files)
    for item in items:
        if isinstance(item, Skipped):
            _skip(item, summary, on_skip)
        else:
            yield item


def _read(files: Sequence[str], config: RunConfig, known: Any) -> Iterator[Article | Skipped]:
    """The articles of every file; a record or file without an article becomes a ``Skipped`` (5.)."""
    from claimscope import sources

    yield from sources.read_all(files, known=known, **dict(config.read_options))


def _skip(item: Skipped, summary: RunSummary, on_skip: Callable[[Skipped], None] | None) -> None:
    summary.records[item.reason] += 1
    if on_skip is not None:
        on_skip(item)


def _count(ledgers: Iterable[Ledger], summary: RunSummary) -> None:
    for led in ledgers:
        summary.analysed += 1
        summary.failed += any(d.level == "error" for d in led.diagnostics)


def _store(ledgers: Iterable[Ledger], db: str, alias_files: tuple[str, ...], summary: RunSummary) -> None:
    """3. Every ledger into the store, one transaction each, and syndicated copies into their story."""
    from claimscope.corpus.syndication import index_article
    from claimscope.pipeline import default_pipeline
    from claimscope.store import open_store

    config_hash = default_pipeline(alias_files).config_hash
    with open_store(db) as store:
        for led in ledgers:
            store.put(led, config_hash=config_hash)
            summary.copies += index_article(store, led.article.id, led.text, led.article.title).relation != "first"
            summary.analysed += 1
            summary.failed += any(d.level == "error" for d in led.diagnostics)
