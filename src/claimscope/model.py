"""The ledger's value objects.

One canonical text, ``Article.text``, is fixed at ingest; every other item points into it with
character offsets (Python ``str`` indices, end exclusive). A layer that has not run is ``None``; one
that ran and found nothing is ``()``. Every extracted item names its extractor and carries a
confidence, so that a ledger is traceable and can be stored and reloaded without the parser.

Serialisation to the JSON contract lives next door, in ``claimscope.serialize``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Literal

SegmentKind = Literal[
    "headline", "caption", "body", "credit", "tags", "appendix", "boilerplate", "turn",
]
ActorKind = Literal["person", "organization", "place", "other"]
StatementKind = Literal["direct", "indirect", "mixed"]
Bound = Literal["exact", "about", "more_than", "at_least", "less_than", "at_most", "range"]
TimeType = Literal["DATE", "TIME", "DURATION", "SET"]
FlagKind = Literal[
    "appendix_not_grounded", "contradicts_article", "unsupported", "tag_line", "unattributed_claim",
]

SEGMENT_KINDS: tuple[str, ...] = SegmentKind.__args__  # type: ignore[attr-defined]
FLAG_KINDS: tuple[str, ...] = FlagKind.__args__  # type: ignore[attr-defined]
BOUNDS: tuple[str, ...] = Bound.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Span:
    """Characters ``start:end`` of the article text, with a copy of them so a span can check itself."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        return cls(start, end, text[start:end])

    def matches(self, text: str) -> bool:
        return 0 <= self.start <= self.end <= len(text) and text[self.start:self.end] == self.text

    @property
    def length(self) -> int:
        # Not __len__: an empty span would be falsy and ``if span`` would then mean two things.
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True, slots=True)
class Article:
    """The input: one unchanging text and what is known about it."""

    id: str
    text: str
    published: dt.date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    author: str | None = None
    site: str | None = None
    input_format: Literal["text", "html"] = "text"

    @staticmethod
    def make_id(text: str, url: str | None = None) -> str:
        """Deterministic id: a hash of the canonical URL when there is one, else of the text."""
        key = (url or "").strip().rstrip("/").lower() or text
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Segment:
    """A block of the page: body, caption, credit, tag line, appended material, or a Q&A turn."""

    kind: SegmentKind
    span: Span
    speaker: Span | None = None  # for a turn: who speaks it ("Dr. Carter")
    role: Literal["question", "answer", "header", None] = None
    parent: int | None = None  # index of the enclosing segment (turns inside an appendix)
    extractor: str = "segment.rules.v1"


# --- the parse: what leaves stages/nlp.py instead of spaCy objects -------------------------------


@dataclass(frozen=True, slots=True)
class Token:
    i: int
    start: int
    end: int
    text: str
    lemma: str
    pos: str  # universal POS
    tag: str  # fine-grained (Penn) tag
    dep: str
    head: int  # index of the head token; a root points at itself
    ent_type: str  # "" outside entities
    sent: int  # index of the sentence
    morph: str = ""

    @property
    def is_root(self) -> bool:
        return self.head == self.i


@dataclass(frozen=True, slots=True)
class Sentence:
    i: int
    start: int  # characters
    end: int
    first: int  # first token index
    last: int  # one past the last token index
    segment: int  # index of the segment the sentence lies in


@dataclass(frozen=True, slots=True)
class Entity:
    span: Span
    label: str  # spaCy/OntoNotes label: PERSON, ORG, GPE, NORP, DATE, CARDINAL, ...
    first: int
    last: int  # one past


@dataclass(frozen=True, slots=True)
class Parse:
    tokens: tuple[Token, ...]
    sentences: tuple[Sentence, ...]
    entities: tuple[Entity, ...]
    noun_chunks: tuple[tuple[int, int], ...]  # token ranges [first, last)
    model: str
    # token index -> its children (same sentence, in order), built on first use: children() and subtree()
    # then cost the size of their answer, not the sentence's length (a megabyte line has long sentences)
    _kids: tuple[tuple[Token, ...], ...] | None = field(default=None, init=False, repr=False, compare=False)

    def sentence_of(self, char: int) -> Sentence | None:
        """The sentence holding ``char`` (sentences are in text order and do not overlap: nlp builds them so)."""
        k = bisect.bisect_right(self.sentences, char, key=lambda s: s.start) - 1
        if k >= 0 and self.sentences[k].start <= char < self.sentences[k].end:
            return self.sentences[k]
        return None

    def children(self, i: int) -> list[Token]:
        return list(self._children()[i])

    def _children(self) -> tuple[tuple[Token, ...], ...]:
        if self._kids is None:
            kids: list[list[Token]] = [[] for _ in self.tokens]
            for t in self.tokens:
                head = self.tokens[t.head]
                if t.head != t.i and self.sentences[head.sent].first <= t.i < self.sentences[head.sent].last:
                    kids[t.head].append(t)
            object.__setattr__(self, "_kids", tuple(tuple(k) for k in kids))
        assert self._kids is not None
        return self._kids

    def subtree(self, i: int) -> tuple[int, int]:
        """Token range [first, last) covered by the subtree of token ``i`` (contiguous in projective parses)."""
        lo = hi = i
        stack = [i]
        kids = self._children()
        while stack:
            for t in kids[stack.pop()]:
                lo, hi = min(lo, t.i), max(hi, t.i)
                stack.append(t.i)
        return lo, hi + 1


# --- the ledger's items --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    kind: ActorKind
    aliases: tuple[str, ...]
    mentions: tuple[Span, ...] = ()
    titles: tuple[str, ...] = ()  # roles the text gives: "head of the presidential office"
    extractor: str = "actors.rules.v1"


@dataclass(frozen=True, slots=True)
class TimeRef:
    id: str
    span: Span
    type: TimeType
    value: str | None  # TimeML value resolved against the publication date, None when it cannot be
    relative: bool = False  # needed the publication date (or another anchor) to resolve
    extractor: str = "time.rules.v1"
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Statement:
    id: str
    kind: StatementKind
    content: Span
    speaker: str | None  # actor id
    speaker_span: Span | None
    cue: Span | None
    channel: Span | None = None
    time: str | None = None  # TimeML value of when it was said
    time_ref: str | None = None  # id of the TimeRef it comes from
    extractor: str = "attribution.rules.v1"
    confidence: float = 1.0
    pattern: str = ""  # which rule of the cascade found it


@dataclass(frozen=True, slots=True)
class Quantity:
    id: str
    span: Span
    value: float
    bound: Bound
    high: float | None = None
    unit: str | None = None
    counted: str | None = None
    counted_span: Span | None = None
    source: str | None = None  # actor id
    statement: str | None = None  # statement id
    time: str | None = None  # the time the figure refers to, when the text gives one
    extractor: str = "quantities.rules.v1"
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Flag:
    id: str
    kind: FlagKind
    span: Span
    reason: str
    score: float | None = None
    extractor: str = "integrity.rules.v2"


@dataclass(frozen=True, slots=True)
class Measure:
    id: str
    label: str
    quantities: tuple[str, ...]  # quantity ids
    extractor: str = "measures.rules.v1"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """Something that went wrong with one item or one stage, recorded instead of raised."""

    stage: str
    message: str
    span: Span | None = None
    level: Literal["info", "warning", "error"] = "warning"


@dataclass(frozen=True, slots=True)
class Ledger:
    """The working document: the article and every layer the stages have added so far."""

    article: Article
    segments: tuple[Segment, ...] | None = None
    parse: Parse | None = None
    actors: tuple[Actor, ...] | None = None
    times: tuple[TimeRef, ...] | None = None
    statements: tuple[Statement, ...] | None = None
    quantities: tuple[Quantity, ...] | None = None
    flags: tuple[Flag, ...] | None = None
    measures: tuple[Measure, ...] | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    extractors: tuple[tuple[str, str], ...] = field(default=())  # (stage, extractor version) that ran

    @property
    def text(self) -> str:
        return self.article.text

    def span(self, start: int, end: int) -> Span:
        return Span.of(self.article.text, start, end)

    def item_id(self, kind: str, start: int, end: int) -> str:
        """Deterministic item id from the article id, the item's kind and its offsets."""
        raw = f"{self.article.id}:{kind}:{start}:{end}"
        return f"{kind[0]}{hashlib.sha1(raw.encode()).hexdigest()[:10]}"

    def actor(self, actor_id: str | None) -> Actor | None:
        for a in self.actors or ():
            if a.id == actor_id:
                return a
        return None

    def segment_at(self, char: int) -> Segment | None:
        """The top-level segment containing character ``char``."""
        for s in self.segments or ():
            if s.parent is None and s.span.start <= char < s.span.end:
                return s
        return None

    def spans(self) -> list[Span]:
        """Every span the layers point at (segments and turn speakers, actor mentions, statement parts,
        figures and what they count, times, flags): what the ledger's invariants are checked over."""
        out: list[Span] = []
        for seg in self.segments or ():
            out += [seg.span] + ([seg.speaker] if seg.speaker else [])
        for a in self.actors or ():
            out += list(a.mentions)
        for s in self.statements or ():
            out += [x for x in (s.content, s.speaker_span, s.cue, s.channel) if x is not None]
        for q in self.quantities or ():
            out += [q.span] + ([q.counted_span] if q.counted_span else [])
        return out + [t.span for t in self.times or ()] + [f.span for f in self.flags or ()]
