"""RSS and Atom feeds: each entry becomes an article, from the entry's own HTML or its fetched page.

Requires: feedparser (the ``feeds`` extra); a ``fetch.Fetcher`` for feed URLs and ``fetch_links``.
Provides: ``Config``, ``looks_like_feed`` and ``read_feed``.

Each entry, in order:
  1. no link and no content -> ``Skipped`` ("empty entry")
  2. ``fetch_links``: the entry's link is fetched (``sources.urls``: skipped before the request when the
     store already has that URL) and the page is the article
  3. otherwise the entry's content (else its summary) is the article when it is a full text: at least
     ``min_full_chars`` characters of text once the markup is dropped; it goes through the HTML reader
     with the entry title as the headline
  4. a short summary alone -> ``Skipped`` ("summary only"; ``--fetch-links`` fetches the pages instead)
Every article carries the entry's title, link (``Article.url``), published or updated date (unless the
caller gives one) and the feed's title as ``Article.source``.

Limits: feedparser sanitises the entry HTML (scripts and styles dropped); a feed that only links to
pages gives nothing without ``fetch_links``. The feed is parsed from bytes: feedparser never fetches.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from claimscope.errors import ClaimscopeError, InputError
from claimscope.model import Article
from claimscope.sources.fetch import Fetcher
from claimscope.sources.html import article_from_html
from claimscope.sources.skipped import Skipped
from claimscope.sources.urls import Known, fetch_articles

__all__ = ["Config", "looks_like_feed", "read_feed"]


@dataclass(frozen=True, slots=True)
class Config:
    min_full_chars: int = 600  # entry text shorter than this is a teaser, not the article
    fetch_links: bool = False


_SNIFF = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<\?[^>]*>\s*)*<(?:rss|feed|rdf:RDF)\b", re.S)
_TAG = re.compile(r"<[^>]+>")


def looks_like_feed(data: bytes) -> bool:
    return bool(_SNIFF.match(data.lstrip(b"\xef\xbb\xbf")[:4096]))


def read_feed(data: bytes, where: str, *, published: dt.date | None = None, config: Config = Config(),
              fetcher: Fetcher | None = None, known: Known | None = None) -> Iterator[Article | Skipped]:
    """Articles from the entries of the RSS or Atom document ``data`` (``where`` names it in messages)."""
    parsed = _parse(data, where)
    source = _text(parsed.feed.get("title")) or where
    for n, entry in enumerate(parsed.entries, 1):
        here = f"{where} entry {n}"
        link = _text(entry.get("link"))
        date = published or _date(entry)
        content = _content(entry)
        # 1. nothing to read
        if not link and not content:
            yield Skipped(here, "empty entry", "the entry has neither a link nor content")
            continue
        # 2. the linked page
        if config.fetch_links and link:
            if fetcher is None:
                raise InputError(f"{where}: fetching entry links needs a fetcher")
            for item in fetch_articles([link], fetcher, known=known, published=date, source=source):
                yield _titled(item, entry) if isinstance(item, Article) else item
            continue
        # 3./4. the entry's own text, when it is the whole article
        yield _from_entry(entry, content, here, date, source, link, config)


def _parse(data: bytes, where: str) -> Any:
    try:
        import feedparser  # type: ignore[import-untyped]  # no type stubs
    except ImportError:
        raise InputError(f"{where}: reading RSS and Atom feeds needs feedparser: "
                         "pip install 'claimscope[feeds]'") from None
    parsed = feedparser.parse(data)  # bytes: parsed as a document, never fetched
    if not parsed.entries and parsed.get("bozo") and not parsed.feed.get("title"):
        raise InputError(f"{where}: expected an RSS or Atom feed, the XML could not be parsed "
                         f"({parsed.get('bozo_exception')}); check the file is a complete feed")
    return parsed


def _from_entry(entry: Any, content: str, here: str, date: dt.date | None, source: str, link: str | None,
                config: Config) -> Article | Skipped:
    plain = " ".join(html.unescape(_TAG.sub(" ", content)).split())
    if len(plain) < config.min_full_chars:
        return Skipped(here, "summary only", f"the entry has {len(plain)} characters of text, a summary; "
                       "use --fetch-links to fetch the linked pages")
    title = _text(entry.get("title"))
    page = (f"<html><head><title>{html.escape(title or '')}</title></head><body><article>"
            f"<h1>{html.escape(title or '')}</h1>{content}</article></body></html>")
    try:
        article = article_from_html(page, here, published=date, url=link, source=source)
    except ClaimscopeError as exc:
        return Skipped(here, "no article in the entry", str(exc), failed=True)
    return _titled(article, entry)


def _titled(article: Article, entry: Any) -> Article:
    title = _text(entry.get("title"))
    return dataclasses.replace(article, title=title) if title and not article.title else article


def _content(entry: Any) -> str:
    """The longest HTML or text body of the entry: its content blocks, else its summary."""
    bodies = [str(c.get("value") or "") for c in entry.get("content") or ()]
    bodies.append(str(entry.get("summary") or ""))
    return max(bodies, key=len).strip()


def _date(entry: Any) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
            except (ValueError, AttributeError):
                continue
    return None


def _text(value: object) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None
