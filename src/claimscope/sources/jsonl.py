"""JSON Lines batches: one article per line, a bad line reported and skipped.

Requires: a binary stream of lines (gzip already undone). Provides: ``read_jsonl``; ``read_records`` for
records already decoded (the rows of a Parquet batch, ``sources.parquet``).

Each line is an object ``{"id", "text" | "html", "published"?, "url"?, "source"?}``. A line that is not
JSON, not an object, has neither a "text" nor an "html" string, or has a "published" value that is not an
ISO date is yielded as a ``BatchLineError`` value naming the line; the batch goes on.

Known limits: lines are read whole, so one line larger than memory cannot be read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import Any

from claimscope.errors import BatchLineError, InputError
from claimscope.model import Article
from claimscope.sources.html import article_from_html
from claimscope.sources.text import article_from_text

__all__ = ["read_jsonl", "read_records"]


def read_jsonl(lines: Iterable[bytes], where: str, *, published: dt.date | None = None,
               source: str | None = None) -> Iterator[Article | BatchLineError]:
    for n, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            yield _article(_record(raw, where, n), where, n, published, source)
        except BatchLineError as exc:
            yield exc
        except InputError as exc:
            yield BatchLineError(where, n, str(exc).split(": ", 1)[-1])


def read_records(records: Iterable[object], where: str, *, published: dt.date | None = None,
                 source: str | None = None, first: int = 1) -> Iterator[Article | BatchLineError]:
    """Articles from records already decoded (rows of a Parquet file): the same fields and checks as a line.
    ``first`` numbers the first record in messages."""
    for n, rec in enumerate(records, first):
        try:
            yield _article(_checked(rec, where, n), where, n, published, source)
        except BatchLineError as exc:
            yield exc
        except InputError as exc:
            yield BatchLineError(where, n, str(exc).split(": ", 1)[-1])


def _record(raw: bytes, where: str, n: int) -> dict[str, Any]:
    try:
        rec = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BatchLineError(where, n, f"expected a JSON object, found invalid JSON ({exc})") from None
    return _checked(rec, where, n)


def _checked(rec: object, where: str, n: int) -> dict[str, Any]:
    if not isinstance(rec, dict):
        raise BatchLineError(where, n, f"expected a JSON object, found a JSON {type(rec).__name__}")
    if not isinstance(rec.get("text"), str) and not isinstance(rec.get("html"), str):
        raise BatchLineError(where, n, 'expected a "text" or "html" string, found neither; add one of them')
    return rec


def _article(rec: dict[str, Any], where: str, n: int, published: dt.date | None, source: str | None) -> Article:
    day = published or _published(rec.get("published"), where, n)
    doc_id = str(rec["id"]) if rec.get("id") is not None else None
    url = rec["url"] if isinstance(rec.get("url"), str) else None
    src = rec["source"] if isinstance(rec.get("source"), str) else source
    here = f"{where}:{n}"
    title = rec["title"].strip() or None if isinstance(rec.get("title"), str) else None
    if isinstance(rec.get("text"), str):
        article = article_from_text(rec["text"], here, published=day, doc_id=doc_id, url=url, source=src)
        return dataclasses.replace(article, title=title) if title else article
    article = article_from_html(rec["html"], here, published=day, doc_id=doc_id, url=url, source=src)
    return dataclasses.replace(article, title=title) if title and not article.title else article


def _published(value: object, where: str, n: int) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip()).date()
        except ValueError:
            pass
    raise BatchLineError(where, n, f'expected "published" as an ISO date (YYYY-MM-DD), found {value!r}')
