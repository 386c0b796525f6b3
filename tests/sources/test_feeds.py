"""RSS and Atom feeds: full entries become articles, teasers are skipped or their links fetched."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import pytest

from claimscope import sources
from claimscope.model import Article
from claimscope.sources.feeds import Config, looks_like_feed, read_feed
from claimscope.sources.fetch import Config as FetchConfig
from claimscope.sources.fetch import Fetcher
from claimscope.sources.skipped import Skipped

BODY = ("<p>The harbour board approved the new ferry timetable on Tuesday after a long debate.</p>"
        "<p>\"We expect shorter queues by the summer,\" said Mara Quist, the board's chair, adding that the "
        "crossing will run every forty minutes instead of every hour.</p>"
        "<p>Opponents said the plan would cost 3.2 million crowns a year and that the older vessels could not "
        "keep the pace. The board will review the schedule in October, a spokesman said.</p>"
        "<p>Local traders welcomed the change, saying that visitors had complained for years about waiting on "
        "the quay in the rain while the single ferry made its slow round trip across the sound.</p>")

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Harbour Herald</title><link>https://herald.example/</link>
<item><title>Ferry timetable approved</title><link>https://herald.example/ferry</link>
<pubDate>Tue, 04 Mar 2025 09:30:00 +0000</pubDate>
<description>The board approved it.</description>
<content:encoded><![CDATA[{BODY}]]></content:encoded></item>
<item><title>Short teaser</title><link>https://herald.example/teaser</link>
<pubDate>Wed, 05 Mar 2025 10:00:00 +0000</pubDate><description>Read more on our site.</description></item>
<item><title></title></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Sound Daily</title>
<entry><title>Ferry plan passes</title><link href="https://sound.example/ferry"/>
<updated>2025-03-06T08:00:00Z</updated><content type="html">{BODY.replace("<", "&lt;").replace(">", "&gt;")}</content>
</entry></feed>"""


@pytest.mark.parametrize(("data", "feed"), [
    (RSS.encode(), True), (ATOM.encode(), True), (b"<!-- c --><rss version='2.0'></rss>", True),
    (b"<html><body><p>page</p></body></html>", False), (b"plain words", False), (b'{"text": "x"}', False),
])
def test_looks_like_feed(data: bytes, feed: bool) -> None:
    assert looks_like_feed(data) is feed


def test_rss_full_entries_become_articles_and_teasers_are_skipped() -> None:
    items = list(read_feed(RSS.encode(), "herald.rss"))
    article, teaser, empty = items
    assert isinstance(article, Article)
    assert (article.title, article.url, article.source) == ("Ferry timetable approved", "https://herald.example/ferry",
                                                             "Harbour Herald")
    assert article.published == dt.date(2025, 3, 4) and "Mara Quist" in article.text
    assert isinstance(teaser, Skipped) and teaser.reason == "summary only" and not teaser.failed
    assert isinstance(empty, Skipped) and empty.reason == "empty entry"


def test_atom_entry_and_the_callers_date_wins() -> None:
    (article,) = read_feed(ATOM.encode(), "sound.atom", published=dt.date(2025, 1, 1))
    assert isinstance(article, Article)
    assert (article.source, article.url, article.published) == ("Sound Daily", "https://sound.example/ferry",
                                                                 dt.date(2025, 1, 1))


def test_fetch_links_fetches_each_entry_page_and_skips_known_urls() -> None:
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        page = f"<html><head><title>Page {request.url.path}</title></head><body><article>{BODY}</article></body></html>"
        return httpx.Response(200, text=page, headers={"content-type": "text/html; charset=utf-8"})

    with Fetcher(FetchConfig(rate=1000), transport=httpx.MockTransport(handler), resolve=lambda h: ["93.184.216.34"],
                 sleep=lambda s: None) as fetcher:
        items = list(read_feed(RSS.encode(), "herald.rss", config=Config(fetch_links=True), fetcher=fetcher,
                               known=lambda url: url.endswith("/teaser")))
    assert asked == ["/robots.txt", "/ferry"]
    first, second, _ = items
    assert isinstance(first, Article)
    assert (first.url, first.source) == ("https://herald.example/ferry", "Harbour Herald")
    assert isinstance(second, Skipped) and second.reason == "already stored"


def test_a_feed_file_is_read_through_sources_read(tmp_path: Path) -> None:
    path = tmp_path / "news.xml"
    path.write_text(RSS, encoding="utf-8")
    kinds = [type(item).__name__ for item in sources.read(path)]
    assert kinds == ["Article", "Skipped", "Skipped"]
