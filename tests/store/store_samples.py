"""Hand-built ledgers for the store tests: every layer filled, with made-up text of our own."""

from __future__ import annotations

import datetime as dt

from claimscope.model import (
    Actor,
    Article,
    Diagnostic,
    Flag,
    Ledger,
    Measure,
    Quantity,
    Segment,
    Span,
    Statement,
    TimeRef,
)

TEXT = (
    "Harbour bridge closed after storm\n\n"
    "The harbour authority said on Tuesday that about 300 vehicles were stranded. "
    "\"We expect to reopen by Friday,\" Ines Okafor, the authority's spokeswoman, told local radio. "
    "Residents counted between 250 and 320 cars.\n\n"
    "Tags: storm, bridge"
)


def at(text: str, needle: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span.of(text, start, start + len(needle))


def sample_ledger(text: str = TEXT, *, url: str | None = "https://news.example/bridge",
                  source: str | None = "/data/in/bridge.txt", article_id: str | None = None) -> Ledger:
    """A ledger with every stored layer populated."""
    aid = article_id or Article.make_id(text, url)
    article = Article(id=aid, text=text, published=dt.date(2031, 3, 4), title="Harbour bridge closed",
                      url=url, source=source, author="Staff", site="news.example", input_format="html")
    base = Ledger(article=article)
    head = at(text, "Harbour bridge closed after storm")
    tags = at(text, "Tags: storm, bridge")
    body = Span.of(text, head.end + 2, tags.start - 2)
    auth, okafor = at(text, "The harbour authority"), at(text, "Ines Okafor")
    actors = (
        Actor("a-auth", "harbour authority", "organization", ("harbour authority", "the authority"), (auth,)),
        Actor("a-okafor", "Ines Okafor", "person", ("Ines Okafor", "Okafor"), (okafor,),
              ("the authority's spokeswoman",), "actors.rules.v2"),
    )
    tuesday = at(text, "on Tuesday")
    times = (TimeRef(base.item_id("time", tuesday.start, tuesday.end), tuesday, "DATE", "2031-03-04", True),
             TimeRef("t-fri", at(text, "by Friday"), "DATE", None, True, confidence=0.4))
    said = at(text, "that about 300 vehicles were stranded")
    quote = at(text, "We expect to reopen by Friday,")
    statements = (
        Statement("s-1", "indirect", said, "a-auth", auth, at(text, "said"), None, "2031-03-04", times[0].id,
                  confidence=0.9, pattern="verb-that"),
        Statement("s-2", "direct", quote, "a-okafor", okafor, at(text, "told"), at(text, "local radio"),
                  pattern="quote-then-speaker"),
    )
    q300, qrange = at(text, "about 300 vehicles"), at(text, "between 250 and 320 cars")
    quantities = (
        Quantity("q-1", q300, 300.0, "about", None, None, "vehicles", at(text, "vehicles"), "a-auth", "s-1",
                 "2031-03-04", confidence=0.8),
        Quantity("q-2", qrange, 250.0, "range", 320.0, None, "cars", at(text, "cars")),
    )
    return Ledger(
        article=article,
        segments=(Segment("headline", head), Segment("body", body), Segment("tags", tags, role=None),
                  Segment("turn", body, okafor, "answer", 1, "segment.rules.v2")),
        actors=actors, times=times, statements=statements, quantities=quantities,
        flags=(Flag("f-1", "tag_line", tags, "a line of tags, not reporting", 0.75),),
        measures=(Measure("m-1", "stranded vehicles", ("q-1", "q-2")),),
        diagnostics=(Diagnostic("time", "could not resolve 'by Friday'", times[1].span),
                     Diagnostic("quantities", "stage note without a span", None, "info")),
        extractors=(("segment", "segment.rules.v1"), ("nlp", "nlp.spacy.en_core_web_sm.v1"),
                    ("actors", "actors.rules.v2")),
    )
