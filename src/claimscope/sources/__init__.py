"""Readers: turn files, URLs, feeds, crawls and JSON Lines batches into ``Article`` objects.

Requires: a path, a URL, or "-" for standard input; a ``fetch.Fetcher`` for anything on the network.
Provides: ``read``, ``decode``, ``article_from_text``, ``Skipped``.

``read(path)`` yields one ``Article`` per document, a ``BatchLineError`` *value* for a batch line that
cannot be used, or a ``Skipped`` value for a record of a feed, crawl or URL list that gave no article
(not HTML, too large, refused, already stored), so that a batch reports the item and goes on. A single
input that cannot be read raises an ``InputError`` subclass with a one-line message (which input, what
was expected, what was found, how to fix it).

How an input is recognised, in order:
  0. an http(s) URL -> fetched politely (``sources.fetch``; skipped unfetched when ``known(url)``); a
     feed is read as in 5., anything else is one page (``sources.urls``)
  1. a .warc/.arc name (optionally .gz) -> streamed record by record (``sources.warc``); a .parquet
     name -> streamed a batch of rows at a time (``sources.parquet``)
  2. size: more than ``max_bytes`` -> ``InputError`` (split the input, or raise the limit)
  3. JSON Lines: a .jsonl/.ndjson name (optionally .gz), or gzip data / a first line that is a JSON
     object with "text" or "html" -> one article per line (``sources.jsonl``)
  4. an RSS or Atom document (by name or by its root element) -> one article per entry (``sources.feeds``)
  5. bytes to text (``sources.encoding``): BOM, declared charset, UTF-8, a guess only when unambiguous
  6. a URL list: a name ending in urls.txt or .urls, or text whose every line is a URL -> each fetched
  7. HTML: a .html/.htm/.xhtml name, or content that starts like a page -> ``sources.html``
  8. otherwise plain text (``sources.text``)

``Article.source`` is the file path (``None`` for standard input); ``Article.id`` is the record id in a
batch, else ``Article.make_id`` (a hash of the page URL or of the text).
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from claimscope.errors import BatchLineError, ClaimscopeError, InputError
from claimscope.model import Article
from claimscope.sources import feeds, parquet, urls, warc
from claimscope.sources.encoding import decode
from claimscope.sources.fetch import Fetcher, FetchRefused
from claimscope.sources.html import article_from_html, looks_like_html
from claimscope.sources.jsonl import read_jsonl
from claimscope.sources.skipped import STORED, Skipped
from claimscope.sources.text import article_from_text

__all__ = ["read", "read_all", "decode", "article_from_text", "is_url", "Skipped", "MAX_BYTES"]

MAX_BYTES = 50 * 1024 * 1024
_JSONL = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
_HTML = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")
_FEEDS = (".rss", ".atom", ".rdf")
_URL_LISTS = ("urls.txt", ".urls")
Item = Article | BatchLineError | Skipped


def is_url(path: str | Path) -> bool:
    return str(path).startswith(("http://", "https://"))


def read(path: str | Path, *, published: dt.date | None = None, encoding: str | None = None,
         max_bytes: int = MAX_BYTES, fetcher: Fetcher | None = None, known: urls.Known | None = None,
         fetch_links: bool = False, max_record_bytes: int = warc.MAX_RECORD_BYTES) -> Iterator[Item]:
    """Articles from one input: a file, a feed, a crawl, a URL or URL list, or "-" (standard input)."""
    where = "standard input" if str(path) == "-" else str(path)
    source = None if str(path) == "-" else str(path)
    feed_config = feeds.Config(fetch_links=fetch_links)
    # 0. a URL: a page or a feed
    if is_url(path):
        yield from _read_url(str(path), _need(fetcher, where), known, published, encoding, feed_config)
        return
    # 1. a crawl or a Parquet batch, streamed
    if warc.is_warc_name(where):
        yield from warc.read_warc(path, published=published, encoding=encoding,
                                  config=warc.Config(max_record_bytes=max_record_bytes))
        return
    if parquet.is_parquet_name(where):
        yield from parquet.read_parquet(path, published=published, source=source)
        return
    data = _read_bytes(path, where, max_bytes)
    # 3. batches, detected by name, gzip magic, or a first line that is an article record
    name = where.lower()
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, where, max_bytes)
        name = name.removesuffix(".gz")
    if name.endswith(_JSONL) or _looks_like_jsonl(data):
        yield from read_jsonl(io.BytesIO(data), where, published=published, source=source)
        return
    # 4. a feed
    if name.endswith(_FEEDS) or feeds.looks_like_feed(data):
        yield from feeds.read_feed(data, where, published=published, config=feed_config,
                                   fetcher=fetcher if fetch_links else None, known=known)
        return
    # 5. bytes to text
    text = decode(data, where, encoding)
    # 6. a list of URLs
    if name.endswith(_URL_LISTS) or urls.looks_like_url_list(text):
        yield from urls.fetch_articles(urls.read_url_list(text), _need(fetcher, where), known=known,
                                       published=published, encoding=encoding)
        return
    # 7./8. a page or plain text
    if name.endswith(_HTML) or looks_like_html(text):
        yield article_from_html(text, where, published=published, source=source)
    else:
        yield article_from_text(text, where, published=published, source=source)


def read_all(paths: Iterable[str | Path], read_one: Callable[..., Iterator[Item]] | None = None,
             **options: Any) -> Iterator[Article | Skipped]:
    """The articles of several inputs, read one after the other by ``read_one`` (``read`` by default) with
    ``options``: an unusable batch line or an input without an article becomes a ``Skipped`` with its
    reason, and the other inputs go on."""
    reader = read if read_one is None else read_one
    for path in paths:
        try:
            for item in reader(path, **options):
                if isinstance(item, BatchLineError):
                    yield Skipped(str(item.source), "unusable batch line", str(item), failed=True)
                else:
                    yield item
        except ClaimscopeError as exc:
            yield Skipped(str(path), "no article in the file", str(exc), failed=True)


def _read_url(url: str, fetcher: Fetcher, known: urls.Known | None, published: dt.date | None,
              encoding: str | None, feed_config: feeds.Config) -> Iterator[Item]:
    if known is not None and known(url):
        yield Skipped(url, STORED)
        return
    try:
        got = fetcher.get(url)
    except FetchRefused as exc:
        yield Skipped(url, "fetch refused or failed", str(exc), failed=True)
        return
    if feeds.looks_like_feed(got.content):
        yield from feeds.read_feed(got.content, url, published=published, config=feed_config,
                                   fetcher=fetcher, known=known)
        return
    try:
        yield urls.article_from_fetched(got, published=published, encoding=encoding)
    except ClaimscopeError as exc:
        yield Skipped(url, "no article in the page", str(exc), failed=True)


def _need(fetcher: Fetcher | None, where: str) -> Fetcher:
    if fetcher is None:
        raise InputError(f"{where}: reading URLs needs network access, which is off here; "
                         "give saved files instead")
    return fetcher


def _read_bytes(path: str | Path, where: str, max_bytes: int) -> bytes:
    # 1. the size limit, checked before the whole input is in memory
    try:
        if str(path) == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
        else:
            with Path(path).open("rb") as handle:
                data = handle.read(max_bytes + 1)
    except IsADirectoryError:
        raise InputError(f"{where}: expected a file, found a directory; give the files inside it") from None
    except OSError as exc:
        raise InputError(f"{where}: cannot read the file ({exc.strerror}); check the path") from exc
    if len(data) > max_bytes:
        raise InputError(f"{where}: the input is larger than the {max_bytes // (1024 * 1024)} MB limit; "
                         "split it into smaller files or a JSON Lines batch")
    return data


def _gunzip(data: bytes, where: str, max_bytes: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
            out = handle.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"{where}: expected gzip-compressed data, found a damaged archive ({exc})") from None
    if len(out) > max_bytes:
        raise InputError(f"{where}: the decompressed input is larger than the {max_bytes // (1024 * 1024)} MB "
                         "limit; split it into smaller batches")
    return out


def _looks_like_jsonl(data: bytes) -> bool:
    first = data.lstrip()[:1]
    if first != b"{":
        return False
    line = data.lstrip().split(b"\n", 1)[0]
    try:
        rec = json.loads(line)
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(rec, dict) and ("text" in rec or "html" in rec)
