"""Pages by URL: a list of URLs (``urls.txt``) and a fetched page, each turned into an ``Article``.

Requires: a ``fetch.Fetcher`` (the only network code). Provides: ``looks_like_url_list``, ``read_url_list``,
``fetch_articles`` and ``article_from_fetched``.

For each URL, in order:
  1. a URL the store already holds (``known(url)``) is skipped before any request (``Skipped``, "already
     stored"), so that a re-run costs no traffic
  2. the page is fetched politely (``Fetcher.get``); a refusal costs that URL only (``Skipped``, failed)
  3. the bytes become an article: HTML through ``sources.html``, plain text through ``sources.text``; the
     URL after redirects is ``Article.url`` and the host is ``Article.source`` unless the caller names one

A URL list has one URL per line; blank lines and lines starting with ``#`` are ignored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import urlsplit

from claimscope.errors import ClaimscopeError
from claimscope.model import Article
from claimscope.sources.encoding import decode
from claimscope.sources.fetch import Fetched, Fetcher, FetchRefused
from claimscope.sources.html import article_from_html, looks_like_html
from claimscope.sources.skipped import STORED, Skipped
from claimscope.sources.text import article_from_text

__all__ = ["looks_like_url_list", "read_url_list", "fetch_articles", "article_from_fetched", "Known"]

Known = Callable[[str], bool]


def looks_like_url_list(text: str) -> bool:
    """Every line that is not blank or a comment is one http(s) URL, and there is at least one."""
    lines = _lines(text)
    return bool(lines) and all(_is_url(line) for line in lines)


def read_url_list(text: str) -> list[str]:
    return [line for line in _lines(text) if _is_url(line)]


def fetch_articles(urls: Iterable[str], fetcher: Fetcher, *, known: Known | None = None,
                   published: dt.date | None = None, encoding: str | None = None,
                   source: str | None = None) -> Iterator[Article | Skipped]:
    for url in urls:
        # 1. already stored: no request at all
        if known is not None and known(url):
            yield Skipped(url, STORED)
            continue
        # 2. the polite fetch
        try:
            got = fetcher.get(url)
        except FetchRefused as exc:
            yield Skipped(url, "fetch refused or failed", str(exc), failed=True)
            continue
        # 3. the page as an article
        try:
            yield article_from_fetched(got, published=published, encoding=encoding, source=source)
        except ClaimscopeError as exc:
            yield Skipped(url, "no article in the page", str(exc), failed=True)


def article_from_fetched(got: Fetched, *, published: dt.date | None = None, encoding: str | None = None,
                         source: str | None = None, where: str | None = None) -> Article:
    where = where or got.url
    text = _decode(got, encoding, where)
    url = got.url or None
    if "html" in got.content_type.lower() or looks_like_html(text):
        article = article_from_html(text, where, published=published, url=url, source=source)
    else:
        article = article_from_text(text, where, published=published, url=url, source=source)
    if article.source is None and got.url:
        article = dataclasses.replace(article, source=urlsplit(got.url).hostname)
    return article


def _decode(got: Fetched, encoding: str | None, where: str) -> str:
    """The user's encoding, else the server's charset when it decodes the bytes, else detection."""
    charset = None if encoding else _charset(got.content_type)
    if charset:
        try:
            return decode(got.content, where, charset)
        except ClaimscopeError:
            pass  # a wrong or unknown charset header: detect instead
    return decode(got.content, where, encoding)


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip(' "'):
            return value.strip(' "')
    return None


def _lines(text: str) -> list[str]:
    return [s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#")]


def _is_url(line: str) -> bool:
    parts = urlsplit(line)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in line)
