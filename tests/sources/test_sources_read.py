from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from claimscope.errors import BatchLineError, EmptyInputError, InputError
from claimscope.model import Article
from claimscope.sources import article_from_text, read

STORY = ("Council backs new bridge\n"
         "The city council voted 7-2 on Tuesday to fund a new bridge over the river, the mayor said.\n"
         "Construction is due to start next spring and will cost $40 million, according to the city.\n")
PAGE = """<!DOCTYPE html><html><head><meta charset="{charset}"><title>Council backs new bridge</title>
<meta name="author" content="Jane Roe"><meta property="og:site_name" content="Riverside Daily">
<meta property="article:published_time" content="2024-03-05T10:00:00Z"></head>
<body><nav><a href="/">Home</a> | <a href="/news">News</a></nav><article><h1>Council backs new bridge</h1>
<p>The city council voted 7-2 on Tuesday to fund a new bridge over the river, the mayor’s office said.</p>
<figure><img src="old.jpg" alt="The old bridge"><figcaption>The old bridge in 2019. (AP Photo/John Doe)</figcaption>
</figure><p>Construction is due to start next spring and will cost $40 million, according to the city's
budget office. Residents had asked for a safer crossing for a decade.</p>
<p>“We listened,” said council member Ana Ruiz, who voted for the plan.</p></article>
<footer>Copyright 2024 Riverside Daily</footer></body></html>"""


def _only(path: Path | str, **kw: object) -> Article:
    items = list(read(path, **kw))  # type: ignore[arg-type]
    assert len(items) == 1 and isinstance(items[0], Article)
    return items[0]


def test_text_file(tmp_path: Path) -> None:
    f = tmp_path / "story.txt"
    f.write_bytes(STORY.replace("\n", "\r\n").encode("utf-8"))
    art = _only(f, published=dt.date(2024, 3, 5))
    assert (art.text, art.source, art.input_format, art.published) == (STORY, str(f), "text", dt.date(2024, 3, 5))
    assert art.id == Article.make_id(STORY) == _only(f).id


@pytest.mark.parametrize(("name", "charset", "encoding"), [
    ("page.html", "utf-8", "utf-8"), ("page.htm", "windows-1252", "cp1252"), ("page.dat", "utf-8", "utf-8"),
])
def test_html_file(tmp_path: Path, name: str, charset: str, encoding: str) -> None:
    f = tmp_path / name
    f.write_bytes(PAGE.format(charset=charset).encode(encoding))
    art = _only(f)
    lines = art.text.splitlines()
    assert lines[0] == art.title == "Council backs new bridge"
    assert "mayor’s office said." in lines[1]
    assert "The old bridge in 2019. (AP Photo/John Doe)" in lines
    assert (art.input_format, art.author, art.site, art.source) == ("html", "Jane Roe", "Riverside Daily", str(f))
    assert art.published == dt.date(2024, 3, 5)
    assert "Home" not in art.text and "Copyright" not in art.text


@pytest.mark.parametrize(("content", "fmt"), [
    ("<div><p>The council voted 7-2 on Tuesday to fund a new bridge over the river, the mayor said.</p>"
     "<p>Construction starts next spring and will cost $40 million, the city said on Wednesday.</p></div>", "html"),
    ("<3 is how she signed the letter, the court heard on Tuesday.", "text"),
    ("The tag <p> opens a paragraph, the manual says.", "text"),
])
def test_html_is_sniffed_from_content(tmp_path: Path, content: str, fmt: str) -> None:
    f = tmp_path / "in.txt"
    f.write_text(content, encoding="utf-8")
    assert _only(f).input_format == fmt


def test_published_argument_overrides_the_page(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_text(PAGE.format(charset="utf-8"), encoding="utf-8")
    assert _only(f, published=dt.date(2020, 1, 2)).published == dt.date(2020, 1, 2)


@pytest.mark.parametrize("page", [
    "<html><head><title>Empty</title></head><body><script>var a = 1;</script></body></html>",
    "<html><body><div><p><<<>>>&&&",
    "<!doctype html><html><body></body>",
])
def test_html_without_main_text_is_a_one_line_error(tmp_path: Path, page: str) -> None:
    f = tmp_path / "broken.html"
    f.write_text(page, encoding="utf-8")
    with pytest.raises(EmptyInputError, match=r"broken\.html: expected an article page, found no"):
        list(read(f))


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(STORY.encode("utf-8"))))
    art = _only("-")
    assert art.text == STORY and art.source is None


def _batch() -> bytes:
    rows = [
        {"id": "a1", "text": STORY, "published": "2024-03-05", "url": "https://example.org/a1", "source": "wire"},
        "this line is not JSON",
        {"id": "a3", "body": "no text field"},
        {"id": "a4", "text": STORY, "published": "last Tuesday"},
        {"id": "a5", "html": PAGE.format(charset="utf-8")},
        [1, 2],
    ]
    return b"\n".join((r if isinstance(r, str) else json.dumps(r)).encode("utf-8") for r in rows) + b"\n\n"


@pytest.mark.parametrize(("name", "compress"), [
    ("batch.jsonl", False), ("batch.ndjson", False), ("batch.jsonl.gz", True), ("batch.bin", True),
])
def test_jsonl_batch_reports_bad_lines_and_goes_on(tmp_path: Path, name: str, compress: bool) -> None:
    f = tmp_path / name
    f.write_bytes(gzip.compress(_batch()) if compress else _batch())
    items = list(read(f))
    assert [type(i).__name__ for i in items] == ["Article", "BatchLineError", "BatchLineError", "BatchLineError",
                                                 "Article", "BatchLineError"]
    first, page = items[0], items[4]
    assert isinstance(first, Article) and isinstance(page, Article)
    assert (first.id, first.published, first.url, first.source) == ("a1", dt.date(2024, 3, 5),
                                                                     "https://example.org/a1", "wire")
    assert page.id == "a5" and page.input_format == "html" and page.title == "Council backs new bridge"
    errors = [i for i in items if isinstance(i, BatchLineError)]
    assert [e.line for e in errors] == [2, 3, 4, 6]
    assert "invalid JSON" in str(errors[0]) and '"text" or "html"' in str(errors[1])
    assert "'last Tuesday'" in str(errors[2]) and str(errors[2]).startswith(f"{f}:4: ")


def test_batch_published_argument_overrides_records(tmp_path: Path) -> None:
    f = tmp_path / "b.jsonl"
    f.write_text(json.dumps({"id": "x", "text": STORY, "published": "2001-01-01"}) + "\n", encoding="utf-8")
    assert _only(f, published=dt.date(2024, 1, 1)).published == dt.date(2024, 1, 1)


@pytest.mark.parametrize(("content", "error", "message"), [
    (b"", EmptyInputError, "found nothing but white space"),
    (b"  \n\t\n", EmptyInputError, "found nothing but white space"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", InputError, "found a PNG image"),
    (b"\x1f\x8b\x08\x00broken", InputError, "expected gzip-compressed data, found a damaged archive"),
])
def test_unusable_files(tmp_path: Path, content: bytes, error: type[Exception], message: str) -> None:
    f = tmp_path / "in.txt"
    f.write_bytes(content)
    with pytest.raises(error, match=message):
        list(read(f))


def test_size_limit(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    f.write_bytes(b"word " * 400)
    with pytest.raises(InputError, match=r"big\.txt: the input is larger than the .* limit"):
        list(read(f, max_bytes=1000))
    assert _only(f, max_bytes=5000).text.startswith("word")


@pytest.mark.parametrize(("path", "message"), [("missing.txt", "cannot read the file"), (".", "found a directory")])
def test_unreadable_paths(tmp_path: Path, path: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        list(read(tmp_path / path))


def test_encoding_argument_is_used(tmp_path: Path) -> None:
    f = tmp_path / "legacy.txt"
    text = "Le président a déclaré que les élèves sont allés à l'école.\n"
    f.write_bytes(text.encode("cp1252"))
    assert _only(f, encoding="cp1252").text == text


def test_article_from_text_rejects_blank() -> None:
    with pytest.raises(EmptyInputError, match="x: expected an article's text"):
        article_from_text(" \n", "x")


def test_jsonl_record_title_is_kept(tmp_path: Path) -> None:
    from claimscope import sources

    path = tmp_path / "b.jsonl"
    path.write_text('{"id": "a", "title": "Port strike ends", "text": "Port strike ends\\nThe strike ended."}\n',
                    encoding="utf-8")
    (article,) = list(sources.read(path))
    assert not isinstance(article, Exception) and article.title == "Port strike ends"
