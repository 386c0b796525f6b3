"""URL lists and fetched pages as articles."""

from __future__ import annotations

import pytest

from claimscope.sources.fetch import Fetched
from claimscope.sources.urls import article_from_fetched, looks_like_url_list, read_url_list


@pytest.mark.parametrize(("text", "is_list"), [
    ("https://a.example/1\nhttp://b.example/2\n", True),
    ("# morning run\n\nhttps://a.example/1\n", True),
    ("https://a.example/1\nThe mayor said so.\n", False),
    ("ftp://a.example/file\n", False),
    ("# only a comment\n", False),
    ("", False),
    ("See https://a.example/1 for more.\n", False),
])
def test_looks_like_url_list(text: str, is_list: bool) -> None:
    assert looks_like_url_list(text) is is_list


def test_read_url_list_drops_comments_and_blank_lines() -> None:
    assert read_url_list("# c\nhttps://a.example/1\n\n  https://a.example/2  \nnot a url\n") == [
        "https://a.example/1", "https://a.example/2"]


@pytest.mark.parametrize(("ctype", "body"), [
    ("text/plain; charset=iso-8859-1", "Der Bürgermeister sagte, die Brücke öffne im Mai.\n".encode("latin-1")),
    ("text/plain; charset=us-ascii", "Der Bürgermeister sagte, die Brücke öffne im Mai.\n".encode()),
    ("text/plain; charset=no-such-charset", "Der Bürgermeister sagte, die Brücke öffne im Mai.\n".encode()),
])
def test_the_servers_charset_is_used_when_it_fits(ctype: str, body: bytes) -> None:
    article = article_from_fetched(Fetched("https://zeitung.example/bruecke", body, ctype))
    assert "Bürgermeister" in article.text and article.source == "zeitung.example"
    assert article.url == "https://zeitung.example/bruecke"
