"""Ingest: analyse many sources into the store, skipping what is already stored, resumable at any point.

Requires: a store (``claimscope.store``) and the default pipeline. Provides: ``ingest_sources``,
``ingest_articles``, ``IngestSummary``.

Each source is a label (what the user named: a folder, a glob, a feed, a crawl file, a URL list) and a
reader that, given ``known(url)``, yields articles and ``Skipped`` records. In order:
  1. a URL the store already holds is skipped by the reader before any request (``known``; off with ``force``)
  2. an article whose text is stored and was analysed with the same extractor chain is skipped by
     content hash (off with ``force``)
  3. the rest are analysed in batches (in this process, or by the engine given as ``analyse``) and stored
     one transaction per article, so a run interrupted at any point leaves whole articles only, and a
     re-run picks up after the last one stored
  4. each stored article is checked against the index of the stored ones for syndicated copies
     (``corpus.syndication``) and joins its story (off with ``stories=False``)
  5. ``Skipped`` records are counted by reason; failed ones (a refused fetch, a damaged or oversized
     record, a file without an article) are also counted as failures and reported through ``on_skip``
A progress bar per source goes to stderr when ``progress`` is set.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from claimscope.model import Article, Ledger
from claimscope.sources.skipped import STORED, Skipped

Known = Callable[[str], bool]
Reader = Callable[[Known | None], Iterable[Article | Skipped]]
Analyse = Callable[[Iterable[Article]], Iterable[Ledger]]


@dataclass(slots=True)
class IngestSummary:
    stored: int = 0
    skipped: int = 0  # already stored: unchanged text, or a URL fetched before
    failed: int = 0  # articles stored with an error diagnostic, and records that failed
    copies: int = 0  # stored articles found to copy an article already stored (syndication)
    records: Counter[str] = field(default_factory=Counter)  # records without an article, by reason

    def line(self) -> str:
        out = (f"ingested {self.stored} article(s), skipped {self.skipped} unchanged, {self.failed} with errors, "
               f"{self.copies} syndicated cop{'y' if self.copies == 1 else 'ies'}")
        if self.records:
            reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(self.records.items(), key=lambda x: -x[1]))
            out += f"; records skipped: {reasons}"
        return out


def ingest_articles(articles: Iterable[Article], db: str, *, force: bool = False, progress: bool = False,
                    batch_size: int = 16, alias_files: Sequence[str] = (), stories: bool = True) -> IngestSummary:
    return ingest_sources([("articles", lambda known: articles)], db, force=force, progress=progress,
                          batch_size=batch_size, alias_files=alias_files, stories=stories)


def ingest_sources(sources: Sequence[tuple[str, Reader]], db: str, *, force: bool = False, progress: bool = False,
                   batch_size: int = 16, alias_files: Sequence[str] = (), stories: bool = True,
                   on_skip: Callable[[Skipped], None] | None = None, analyse: Analyse | None = None) -> IngestSummary:
    """``analyse``: the engine that turns the articles to store into ledgers, in order (``claimscope.scale``
    runs a process pool); by default the pipeline in this process."""
    from claimscope.corpus.syndication import index_article
    from claimscope.pipeline import default_pipeline
    from claimscope.store import content_hash, open_store

    pipeline = default_pipeline(alias_files)
    summary = IngestSummary()
    labels: deque[str] = deque()
    with open_store(db) as store, _Bars(progress, [label for label, _ in sources]) as bars:
        known = None if force else _known(store)

        def todo() -> Iterator[Article]:
            for label, reader in sources:
                for item in reader(known):
                    if isinstance(item, Skipped):
                        _count(item, summary, on_skip)
                        bars.advance(label, skipped=True)
                    elif not force and store.has(item.id, content_hash(item.text), pipeline.config_hash):
                        # 2. unchanged since the last run; a run killed between storing an article and
                        # indexing it left it outside its story: index it now
                        if stories and not store.rows("SELECT 1 FROM story_members WHERE article_id = ? LIMIT 1",
                                                      (item.id,)):
                            summary.copies += index_article(store, item.id, item.text, item.title).relation != "first"
                        summary.skipped += 1
                        bars.advance(label, skipped=True)
                    else:
                        labels.append(label)
                        yield item

        # 3. one transaction per article
        ledgers = analyse(todo()) if analyse is not None else pipeline.run_many(todo(), batch_size=batch_size)
        for ledger in ledgers:
            store.put(ledger, config_hash=pipeline.config_hash)
            if stories:  # 4. syndicated copies join their story
                summary.copies += index_article(store, ledger.article.id, ledger.text,
                                                ledger.article.title).relation != "first"
            summary.stored += 1
            summary.failed += _has_error(ledger)
            bars.advance(labels.popleft())
    return summary


def _known(store: Any) -> Known:
    def known(url: str) -> bool:
        # 1. by the URL as stored, or by the id a canonical URL hashes to
        return bool(store.rows("SELECT 1 AS hit FROM articles WHERE url = ? OR id = ? LIMIT 1",
                               (url, Article.make_id("", url))))

    return known


def _count(item: Skipped, summary: IngestSummary, on_skip: Callable[[Skipped], None] | None) -> None:
    # 5. skipped records, by reason
    if item.reason == STORED:
        summary.skipped += 1
        return
    summary.records[item.reason] += 1
    summary.failed += item.failed
    if on_skip is not None:
        on_skip(item)


def _has_error(ledger: Ledger) -> bool:
    return any(d.level == "error" for d in ledger.diagnostics)


class _Bars:
    """One rich progress bar per source on stderr (nothing when ``show`` is off)."""

    def __init__(self, show: bool, labels: list[str]) -> None:
        self._progress: Any = None
        self._tasks: dict[str, Any] = {}
        self._skipped: Counter[str] = Counter()
        self._labels = labels
        self._show = show

    def __enter__(self) -> _Bars:
        if self._show:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                      TextColumn("{task.completed} stored, {task.fields[skipped]} skipped"),
                                      TimeElapsedColumn(), console=Console(stderr=True), transient=False)
            self._progress.start()
            for label in dict.fromkeys(self._labels):
                self._tasks[label] = self._progress.add_task(_short(label), total=None, skipped=0)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def advance(self, label: str, *, skipped: bool = False) -> None:
        if self._progress is None:
            return
        task = self._tasks[label]
        if skipped:
            self._skipped[label] += 1
            self._progress.update(task, skipped=self._skipped[label])
        else:
            self._progress.advance(task)


def _short(label: str, width: int = 40) -> str:
    return label if len(label) <= width else "…" + label[-(width - 1):]
