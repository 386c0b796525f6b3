"""Plain text to an ``Article``: line endings normalised, nothing else touched.

Requires: decoded text. Provides: ``article_from_text``. Offsets point into the returned ``Article.text``,
so the only change made here is CRLF/CR to LF (and a leading byte-order mark removed).
"""

from __future__ import annotations

import datetime as dt

from claimscope.errors import EmptyInputError
from claimscope.model import Article

__all__ = ["article_from_text"]


def article_from_text(text: str, where: str, *, published: dt.date | None = None, doc_id: str | None = None,
                      url: str | None = None, source: str | None = None, title: str | None = None) -> Article:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyInputError(f"{where}: expected an article's text, found nothing but white space; "
                              "check that the right file was given")
    return Article(id=doc_id or Article.make_id(text, url), text=text, published=published, url=url,
                   source=source, title=title)
