"""Readers: turn files, standard input and JSON Lines batches into ``Article`` objects.

``read(path)`` yields one ``Article`` per document, or a ``BatchLineError`` *value* for a batch line
that cannot be used, so that a batch reports the line and goes on. A single file that cannot be read
raises an ``InputError`` subclass with a one-line message.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

from claimscope.errors import BatchLineError, BinaryInputError, EmptyInputError, EncodingError, InputError
from claimscope.model import Article

__all__ = ["read", "decode", "article_from_text"]


def decode(data: bytes, where: str) -> str:
    """Bytes to text: BOM first, then UTF-8; refuses binary data."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data[:200].count(b"\x00") > 0:
        raise BinaryInputError(f"{where}: the input is binary data (NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EncodingError(f"{where}: not valid UTF-8 at byte {exc.start}; pass --encoding") from exc


def article_from_text(text: str, where: str, *, published: dt.date | None = None,
                      doc_id: str | None = None, url: str | None = None, source: str | None = None) -> Article:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyInputError(f"{where}: there is no text to analyse (the input is empty)")
    return Article(id=doc_id or Article.make_id(text, url), text=text, published=published, url=url,
                   source=source)


def read(path: str | Path, *, published: dt.date | None = None) -> Iterator[Article | BatchLineError]:
    where = str(path)
    if where.endswith((".jsonl", ".jsonl.gz", ".ndjson")):
        yield from _read_jsonl(Path(path), published)
        return
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{where}: cannot read the file ({exc.strerror})") from exc
    yield article_from_text(decode(data, where), where, published=published)


def _read_jsonl(path: Path, published: dt.date | None) -> Iterator[Article | BatchLineError]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror})") from exc
    with handle:
        for n, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            try:
                rec = json.loads(raw)
                if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                    raise BatchLineError(str(path), n, 'expected an object with a "text" string')
                day = published or (dt.date.fromisoformat(rec["published"][:10]) if rec.get("published")
                                    else None)
                yield article_from_text(rec["text"], f"{path}:{n}", published=day,
                                        doc_id=str(rec["id"]) if rec.get("id") is not None else None,
                                        url=rec.get("url"), source=rec.get("source"))
            except BatchLineError as exc:
                yield exc
            except (ValueError, InputError) as exc:
                yield BatchLineError(str(path), n, str(exc).split(": ", 1)[-1])
