"""WARC and ARC files (web crawls such as CC-News): each HTML response record becomes an article.

Requires: warcio (the ``feeds`` extra). Provides: ``Config``, ``is_warc_name`` and ``read_warc``.
The file is streamed record by record (gzip'd per record or not; ARC records are read as WARC), so a
crawl file of any size is read in bounded memory.

Each record, in order:
  1. not a ``response`` or ``resource`` record (warcinfo, request, metadata, revisit) -> ``Skipped``
  2. a declared length over ``max_record_bytes`` -> ``Skipped`` (failed: "record too large") unread
  3. an HTTP status other than 2xx -> ``Skipped``; a content type that is not HTML -> ``Skipped`` ("not HTML")
  4. the body, decompressed (gzip member and HTTP content encoding), read up to ``max_record_bytes``;
     more than that (a gzip bomb) -> ``Skipped`` (failed: "record too large")
  5. decoded (the user's encoding, else the HTTP charset when it fits, else detection) and read as a page
     (``sources.html``); ``Article.url`` is WARC-Target-URI, ``Article.source`` the file, and the date is
     the caller's, else the page's own, else WARC-Date
A record that fails costs that record only; a damaged archive stops the file with one failed ``Skipped``.

Limits: a record refused at step 4 is still decompressed to its end when the iterator moves on (in
bounded memory, but it costs the time); records are not deduplicated here (the store's content hash is).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimscope.errors import ClaimscopeError, InputError
from claimscope.model import Article
from claimscope.sources.fetch import Fetched
from claimscope.sources.skipped import Skipped
from claimscope.sources.urls import article_from_fetched

__all__ = ["Config", "is_warc_name", "read_warc", "MAX_RECORD_BYTES"]

MAX_RECORD_BYTES = 10 * 1024 * 1024

_NAMES = (".warc", ".warc.gz", ".arc", ".arc.gz")


@dataclass(frozen=True, slots=True)
class Config:
    max_record_bytes: int = MAX_RECORD_BYTES
    html_only: bool = True


def is_warc_name(name: str) -> bool:
    return name.lower().endswith(_NAMES)


def read_warc(path: str | Path, *, published: dt.date | None = None, encoding: str | None = None,
              config: Config = Config()) -> Iterator[Article | Skipped]:
    where = str(path)
    try:
        from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]
    except ImportError:
        raise InputError(f"{where}: reading WARC and ARC files needs warcio: pip install 'claimscope[feeds]'") from None
    if not Path(path).is_file():
        raise InputError(f"{where}: cannot read the file (no such file); check the path")
    with Path(path).open("rb") as handle:
        records = iter(ArchiveIterator(handle, arc2warc=True))
        n = 0
        while True:
            try:
                record = next(records)
            except StopIteration:
                return
            except Exception as exc:  # third-party parsing of untrusted bytes: any failure is a damaged archive
                yield Skipped(f"{where} after record {n}", "damaged archive", f"expected a WARC or ARC record, the "
                              f"archive is damaged ({type(exc).__name__}: {exc}); the rest is skipped", failed=True)
                return
            n += 1
            yield _record(record, f"{where} record {n}", where, published, encoding, config)


def _record(record: Any, here: str, source: str, published: dt.date | None, encoding: str | None,
            config: Config) -> Article | Skipped:
    # 1. only page captures
    if record.rec_type not in ("response", "resource"):
        return Skipped(here, f"{record.rec_type} record")
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    here = f"{here} ({url})" if url else here
    # 2. a declared size over the limit: not even read
    if (record.length or 0) > config.max_record_bytes:
        return _too_large(here, config)
    # 3. the HTTP status and the content type
    status, ctype = _http(record)
    if status is not None and not 200 <= status < 300:
        return Skipped(here, f"HTTP {status}")
    if config.html_only and "html" not in ctype.lower():
        return Skipped(here, "not HTML", f"content type {ctype or 'unknown'}")
    # 4. the body, bounded after decompression
    try:
        body = record.content_stream().read(config.max_record_bytes + 1)
    except Exception as exc:  # decompression of untrusted bytes (zlib, brotli, chunking): a damaged record
        return Skipped(here, "damaged record", f"the record's body cannot be read ({exc})", failed=True)
    if len(body) > config.max_record_bytes:
        return _too_large(here, config)
    # 5. the page
    try:
        article = article_from_fetched(Fetched(url, body, ctype), published=published, encoding=encoding,
                                       source=source, where=here)
    except ClaimscopeError as exc:
        return Skipped(here, "no article in the page", str(exc), failed=True)
    if article.published is None:
        article = dataclasses.replace(article, published=_date(record.rec_headers.get_header("WARC-Date")))
    return article


def _http(record: Any) -> tuple[int | None, str]:
    headers = record.http_headers
    if headers is None:  # a resource record: the block is the page
        return None, record.rec_headers.get_header("Content-Type") or ""
    try:
        status = int(headers.get_statuscode() or "0")
    except ValueError:
        status = None
    return status or None, headers.get_header("Content-Type") or ""


def _too_large(here: str, config: Config) -> Skipped:
    return Skipped(here, "record too large", f"the record is larger than {config.max_record_bytes} bytes "
                   "(decompressed); raise the limit to read it", failed=True)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
