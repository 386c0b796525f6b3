"""Readers: turn files, standard input and JSON Lines batches into ``Article`` objects.

Requires: a path (or "-" for standard input). Provides: ``read``, ``decode``, ``article_from_text``.

``read(path)`` yields one ``Article`` per document, or a ``BatchLineError`` *value* for a batch line
that cannot be used, so that a batch reports the line and goes on. A single input that cannot be read
raises an ``InputError`` subclass with a one-line message (which input, what was expected, what was
found, how to fix it).

How an input is recognised, in order:
  1. size: more than ``max_bytes`` -> ``InputError`` (split the input, or raise the limit)
  2. JSON Lines: a .jsonl/.ndjson name (optionally .gz), or gzip data / a first line that is a JSON
     object with "text" or "html" -> one article per line (``sources.jsonl``)
  3. bytes to text (``sources.encoding``): BOM, declared charset, UTF-8, a guess only when unambiguous
  4. HTML: a .html/.htm/.xhtml name, or content that starts like a page -> ``sources.html``
  5. otherwise plain text (``sources.text``)

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
from collections.abc import Iterator
from pathlib import Path

from claimscope.errors import BatchLineError, InputError
from claimscope.model import Article
from claimscope.sources.encoding import decode
from claimscope.sources.html import article_from_html, looks_like_html
from claimscope.sources.jsonl import read_jsonl
from claimscope.sources.text import article_from_text

__all__ = ["read", "decode", "article_from_text", "MAX_BYTES"]

MAX_BYTES = 50 * 1024 * 1024
_JSONL = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
_HTML = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")


def read(path: str | Path, *, published: dt.date | None = None, encoding: str | None = None,
         max_bytes: int = MAX_BYTES) -> Iterator[Article | BatchLineError]:
    """Articles from one input: a text or HTML file, a JSON Lines batch, or "-" (standard input)."""
    where = "standard input" if str(path) == "-" else str(path)
    source = None if str(path) == "-" else str(path)
    data = _read_bytes(path, where, max_bytes)
    # 2. batches, detected by name, gzip magic, or a first line that is an article record
    name = where.lower()
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, where, max_bytes)
        name = name.removesuffix(".gz")
    if name.endswith(_JSONL) or _looks_like_jsonl(data):
        yield from read_jsonl(io.BytesIO(data), where, published=published, source=source)
        return
    # 3. bytes to text
    text = decode(data, where, encoding)
    # 4./5. a page or plain text
    if name.endswith(_HTML) or looks_like_html(text):
        yield article_from_html(text, where, published=published, source=source)
    else:
        yield article_from_text(text, where, published=published, source=source)


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
