"""WARC files: HTML responses become articles, other records are counted, oversized records are refused."""

from __future__ import annotations

import datetime as dt
import gzip
import uuid
from pathlib import Path

import pytest

from claimscope import sources
from claimscope.model import Article
from claimscope.sources.skipped import Skipped
from claimscope.sources.warc import Config, is_warc_name, read_warc

PAGE = ("<html><head><title>{title}</title>{meta}</head><body><article><h1>{title}</h1>"
        "<p>The council voted to reopen the old library on the river bank next spring.</p>"
        "<p>\"Books belong in the middle of town,\" said Ilse Marten, who led the campaign, adding that "
        "volunteers had raised 40,000 euros for the repairs.</p></article></body></html>")


def _record(kind: str, url: str, block: bytes, date: str, block_type: str) -> bytes:
    head = (f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
            f"WARC-Date: {date}\r\n" + (f"WARC-Target-URI: {url}\r\n" if url else "")
            + f"Content-Type: {block_type}\r\nContent-Length: {len(block)}\r\n\r\n")
    return head.encode() + block + b"\r\n\r\n"


def _response(url: str, body: bytes, ctype: str = "text/html; charset=utf-8", status: str = "200 OK",
              date: str = "2024-05-02T10:00:00Z", extra: str = "") -> bytes:
    http = f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\n{extra}Content-Length: {len(body)}\r\n\r\n"
    return _record("response", url, http.encode() + body, date, "application/http; msgtype=response")


def _members(compress: bool) -> list[bytes]:
    dated = PAGE.format(title="Library vote", meta='<meta property="article:published_time" content="2023-11-20">')
    records = [
        _record("warcinfo", "", b"software: hand-made\r\n", "2024-05-02T09:00:00Z", "application/warc-fields"),
        _response("https://town.example/library", PAGE.format(title="Library to reopen", meta="").encode()),
        _response("https://town.example/logo.png", b"\x89PNG\r\n\x1a\n....", ctype="image/png"),
        _response("https://town.example/gone", b"<html><body>gone</body></html>", status="404 Not Found"),
        _response("https://town.example/vote", dated.encode()),
        _response("https://town.example/bomb", gzip.compress(b"<html><p>" + b"a" * 400_000 + b"</p></html>"),
                  extra="Content-Encoding: gzip\r\n"),
        _response("https://town.example/huge", b"<html>" + b"b" * 300_000 + b"</html>"),
    ]
    return [gzip.compress(r) if compress else r for r in records]


def _crawl(path: Path, compress: bool) -> Path:
    path.write_bytes(b"".join(_members(compress)))
    return path


@pytest.mark.parametrize("compress", [True, False])
def test_a_crawl_gives_its_html_pages_and_counts_the_rest(tmp_path: Path, compress: bool) -> None:
    path = _crawl(tmp_path / ("c.warc.gz" if compress else "c.warc"), compress)
    items = list(read_warc(path, config=Config(max_record_bytes=100_000)))
    articles = [i for i in items if isinstance(i, Article)]
    skipped = {i.reason: i for i in items if isinstance(i, Skipped)}
    assert [a.url for a in articles] == ["https://town.example/library", "https://town.example/vote"]
    assert articles[0].published == dt.date(2024, 5, 2)  # WARC-Date: the page has no date
    assert articles[1].published == dt.date(2023, 11, 20)  # the page's own date wins
    assert articles[0].source == str(path) and "Ilse Marten" in articles[0].text
    assert set(skipped) == {"warcinfo record", "not HTML", "HTTP 404", "record too large"}
    assert not skipped["not HTML"].failed and skipped["record too large"].failed
    assert sum(1 for i in items if isinstance(i, Skipped) and i.reason == "record too large") == 2


def test_a_truncated_archive_keeps_the_records_before_the_damage(tmp_path: Path) -> None:
    first, second, third, *_ = _members(True)
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(first + second + third[: len(third) // 2])
    items = list(read_warc(cut, config=Config(max_record_bytes=100_000)))
    assert [type(i).__name__ for i in items] == ["Skipped", "Article", "Skipped"]
    assert isinstance(items[-1], Skipped) and items[-1].failed and items[-1].reason == "damaged archive"


@pytest.mark.parametrize(("name", "warc"), [("a.warc", True), ("A.WARC.GZ", True), ("x.arc.gz", True),
                                             ("a.warc.txt", False), ("warc", False), ("a.html", False)])
def test_is_warc_name(name: str, warc: bool) -> None:
    assert is_warc_name(name) is warc


def test_sources_read_streams_a_warc_file(tmp_path: Path) -> None:
    path = _crawl(tmp_path / "day.warc.gz", True)
    got = [i for i in sources.read(path, max_record_bytes=100_000) if isinstance(i, Article)]
    assert len(got) == 2


def _arc_record(url: str, ctype: str, body: bytes) -> bytes:
    block = f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body
    return f"{url} 93.184.216.34 20240601120000 {ctype} {len(block)}\n".encode() + block + b"\n"


@pytest.mark.parametrize("compress", [True, False])
def test_an_arc_file_is_read_as_warc(tmp_path: Path, compress: bool) -> None:
    desc = b"1 0 Hand Made\nURL IP-address Archive-date Content-type Archive-length\n"
    members = [f"filedesc://t.arc 0.0.0.0 20240601120000 text/plain {len(desc)}\n".encode() + desc + b"\n",
               _arc_record("http://town.example/library", "text/html", PAGE.format(title="Open", meta="").encode()),
               _arc_record("http://town.example/map.png", "image/png", b"\x89PNG....")]
    path = tmp_path / ("t.arc.gz" if compress else "t.arc")
    path.write_bytes(b"".join(gzip.compress(m) if compress else m for m in members))
    items = list(read_warc(path))
    articles = [i for i in items if isinstance(i, Article)]
    assert [(a.url, a.published) for a in articles] == [("http://town.example/library", dt.date(2024, 6, 1))]
    assert [i.reason for i in items if isinstance(i, Skipped)] == ["warcinfo record", "not HTML"]
