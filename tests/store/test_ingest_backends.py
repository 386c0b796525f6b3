"""Ingest on both backends: URLs already stored are recognised before fetching, records are counted."""

from __future__ import annotations

from collections.abc import Iterator

from backends import store_url  # noqa: F401  (fixture)

from claimscope.corpus.ingest import Known, Reader, ingest_sources
from claimscope.model import Article
from claimscope.sources import Skipped

TEXT = "The port authority said on Friday that cargo volumes rose by 4 percent in March.\n"
URL = "https://port.example/cargo"


def reader(answers: list[bool]) -> Reader:
    def items(known: Known | None) -> Iterator[Article | Skipped]:
        answers.append(known is not None and known(URL))
        answers.append(known is not None and known("https://port.example/other"))
        yield Article(id=Article.make_id(TEXT, URL), text=TEXT, url=URL)
        yield Skipped("crawl.warc record 2", "not HTML")
        yield Skipped("crawl.warc record 3", "record too large", failed=True)

    return items


def test_known_urls_and_the_summary(store_url: str) -> None:  # noqa: F811
    answers: list[bool] = []
    first = ingest_sources([("crawl", reader(answers))], store_url)
    assert (first.stored, first.skipped, first.failed) == (1, 0, 1)
    assert first.records == {"not HTML": 1, "record too large": 1}
    assert "records skipped: 1 not HTML, 1 record too large" in first.line()
    again = ingest_sources([("crawl", reader(answers))], store_url)
    assert (again.stored, again.skipped) == (0, 1)
    assert answers == [False, False, True, False]
    forced = ingest_sources([("crawl", reader(answers))], store_url, force=True)
    assert forced.stored == 1 and answers[-2:] == [False, False]
