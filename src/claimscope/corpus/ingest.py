"""Ingest: analyse a stream of articles into the store, skipping what is already stored.

One transaction per article (the store's ``put``); an article whose text and extractor chain are
unchanged is skipped by content hash, so a re-run is cheap and an interrupted run resumes. Each stored
article is then checked against the index of the stored ones for syndicated copies
(``corpus.syndication``) and joins its story.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from claimscope.model import Article

T = TypeVar("T")


@dataclass(slots=True)
class IngestSummary:
    stored: int = 0
    skipped: int = 0
    failed: int = 0  # articles stored with an error diagnostic from some stage
    copies: int = 0  # stored articles found to copy an article already stored (syndication)

    def line(self) -> str:
        return (f"ingested {self.stored} article(s), skipped {self.skipped} unchanged, {self.failed} with errors, "
                f"{self.copies} syndicated cop{'y' if self.copies == 1 else 'ies'}")


def ingest_articles(articles: Iterable[Article], db: str, *, force: bool = False, progress: bool = False,
                    batch_size: int = 16, alias_files: Sequence[str] = (), stories: bool = True) -> IngestSummary:
    from claimscope.corpus.syndication import index_article
    from claimscope.pipeline import default_pipeline
    from claimscope.store import content_hash, open_store

    pipeline = default_pipeline(alias_files)
    summary = IngestSummary()
    with open_store(db) as store:

        def todo() -> Iterator[Article]:
            for article in articles:
                if not force and store.has(article.id, content_hash(article.text), pipeline.config_hash):
                    summary.skipped += 1
                    continue
                yield article

        ledgers = pipeline.run_many(todo(), batch_size=batch_size)
        for ledger in _progress(ledgers, progress):
            store.put(ledger, config_hash=pipeline.config_hash)
            if stories:
                summary.copies += index_article(store, ledger.article.id, ledger.text,
                                                ledger.article.title).relation != "first"
            summary.stored += 1
            summary.failed += any(d.level == "error" for d in ledger.diagnostics)
    return summary


def _progress(items: Iterator[T], show: bool) -> Iterator[T]:
    if not show:
        yield from items
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("ingesting"), BarColumn(), TextColumn("{task.completed} articles"),
                  TimeElapsedColumn(), console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task("ingest", total=None)
        for item in items:
            yield item
            bar.advance(task)
