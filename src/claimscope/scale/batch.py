"""The engine-neutral core of a run: a batch of articles in, their ledgers out.

Requires: the default pipeline. Provides: ``process_batch``, ``article_row``, ``article_from_row``,
``ledger_row``, ``ledger_from_row``, ``ARTICLE_COLUMNS``, ``LEDGER_COLUMNS``.

Every engine calls ``process_batch`` and nothing else to analyse: the local process pool in each
worker, Ray Data in each actor. In order:
  1. the pipeline (and with it the spaCy model) is built once per process and cached, so a worker or an
     actor loads the model once, whatever the number of batches it receives
  2. the batch runs through ``Pipeline.run_many`` in one go (one ``nlp.pipe`` over all its paragraphs)
  3. the parse is dropped from every ledger (it is not serialised or stored; leaving it out keeps what
     crosses between processes small)
Failures cost one item: a stage that fails on an article leaves an error diagnostic on that ledger
(``Pipeline``), and a record that gives no article never reaches a batch (the readers yield it as a
``Skipped`` record, which the runner counts and reports).

Rows (``article_row``, ``ledger_row``) are flat dicts of strings and numbers, for engines that move
data as Arrow tables. A ledger row carries the contract JSON (``serialize.to_json``) whole, and a few
columns to filter on without parsing it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from claimscope import serialize
from claimscope.model import Article, Ledger
from claimscope.pipeline import Pipeline, default_pipeline

ARTICLE_COLUMNS = ("id", "text", "published", "title", "url", "source", "author", "site", "input_format")
LEDGER_COLUMNS = ("id", "url", "title", "published", "statements", "quantities", "errors", "ledger")
Row = dict[str, Any]


@lru_cache(maxsize=4)
def pipeline_for(alias_files: tuple[str, ...] = ()) -> Pipeline:
    """1. The pipeline of this process, built (and its model loaded) on first use."""
    from claimscope.stages import nlp

    nlp.load()
    return default_pipeline(alias_files)


def process_batch(articles: Sequence[Article], alias_files: tuple[str, ...] = ()) -> list[Ledger]:
    """The ledgers of ``articles``, in order, without their parse."""
    pipeline = pipeline_for(alias_files)
    ledgers = pipeline.run_many(articles, batch_size=max(1, len(articles)))  # 2.
    return [dataclasses.replace(led, parse=None) for led in ledgers]  # 3.


def article_row(article: Article) -> Row:
    row: Row = {c: getattr(article, c) for c in ARTICLE_COLUMNS}
    row["published"] = article.published.isoformat() if article.published else None
    return row


def article_from_row(row: Row) -> Article:
    published = row.get("published")
    return Article(str(row["id"]), str(row["text"]),
                   published=dt.date.fromisoformat(published) if published else None,
                   title=row.get("title"), url=row.get("url"), source=row.get("source"), author=row.get("author"),
                   site=row.get("site"), input_format="html" if row.get("input_format") == "html" else "text")


def ledger_row(ledger: Ledger) -> Row:
    a = ledger.article
    return {
        "id": a.id, "url": a.url, "title": a.title,
        "published": a.published.isoformat() if a.published else None,
        "statements": len(ledger.statements or ()), "quantities": len(ledger.quantities or ()),
        "errors": sum(d.level == "error" for d in ledger.diagnostics),
        "ledger": json.dumps(serialize.to_json(ledger), ensure_ascii=False),
    }


def ledger_from_row(row: Row) -> Ledger:
    return serialize.from_json(json.loads(row["ledger"]))
