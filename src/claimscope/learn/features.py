"""Token features and gold tags for the learned attribution tagger (no torch here).

One sequence is one line (paragraph) of a parsed headline, caption or body segment. Each token gets
categorical features from the parse (word, head word, POS, tag, dependency, the head's dependency and
POS, entity, shape, distance to the head), from the text (inside a quotation or not), from the cue
lexicon the rules use (resources/cues.tsv), and from the rule stage's own output for the article
(inside a rule statement's content, cue or speaker): the tagger learns what the rules miss and where
their spans are wrong, on top of what they find.

Tags: three layers of B/I/O over the same tokens (content, cue, source). Gold attributions come in the
PolNeAR JSON Lines shape (``content_span``, ``cue_span``, ``speaker_span``, character offsets); where
two gold contents overlap, the longer one is kept (a tagger can mark one content per token).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from claimscope.model import Ledger, Parse, Token
from claimscope.stages.attribution_rules import lexicon
from claimscope.stages.quotation import quotes

FEATURES = ("word", "head_word", "pos", "tag", "dep", "head_dep", "head_pos", "ent", "shape", "quote", "cue",
            "head_cue", "rule", "dist", "sent_edge")
LAYERS = ("content", "cue", "source")
OUT, BEGIN, INSIDE = 0, 1, 2  # tags
_PARSED = frozenset({"headline", "caption", "body"})


@dataclass(frozen=True, slots=True)
class Sequence_:
    """One line of an article: its tokens (parse indices), their features and (when known) gold tags."""

    tokens: tuple[int, ...]
    features: tuple[tuple[str, ...], ...]  # per token, one value per name in FEATURES
    tags: tuple[tuple[int, ...], ...] | None = None  # per layer in LAYERS, one tag per token


def _shape(text: str) -> str:
    if text.isupper() and len(text) > 1:
        return "AA"
    if text[:1].isupper():
        return "Aa"
    if text.isdigit():
        return "d"
    if text.isalpha():
        return "a"
    return text if len(text) == 1 else "x"


def _dist(t: Token) -> str:
    d = t.head - t.i
    if d == 0:
        return "root"
    size = 1 if abs(d) == 1 else 2 if abs(d) <= 3 else 3 if abs(d) <= 7 else 4
    return f"{'+' if d > 0 else '-'}{size}"


def lines(ledger: Ledger) -> list[tuple[int, int]]:
    """The (first, last) token ranges of each line of the headline, caption and body segments."""
    parse, segs = ledger.parse, ledger.segments or ()
    assert parse is not None
    text = ledger.text
    out: list[tuple[int, int]] = []
    cur: tuple[int, int] | None = None  # (line start char, first token)
    last = 0
    for t in parse.tokens:
        sent = parse.sentences[t.sent]
        if segs[sent.segment].kind not in _PARSED or not t.text.strip():
            continue
        line = text.rfind("\n", 0, t.start) + 1
        if cur is None or cur[0] != line:
            if cur is not None:
                out.append((cur[1], last + 1))
            cur = (line, t.i)
        last = t.i
    if cur is not None:
        out.append((cur[1], last + 1))
    return out


def _rule_marks(ledger: Ledger) -> tuple[dict[int, str], set[int], set[int]]:
    """Per character-start of tokens: rule content B/I; token-starts inside rule cues and speakers."""
    parse = ledger.parse
    assert parse is not None
    content: dict[int, str] = {}
    cue: set[int] = set()
    source: set[int] = set()
    for st in ledger.statements or ():
        first = True
        for t in parse.tokens:
            if st.content.start <= t.start < st.content.end:
                content.setdefault(t.i, "B" if first else "I")
                first = False
            if st.cue is not None and st.cue.start <= t.start < st.cue.end:
                cue.add(t.i)
            if st.speaker_span is not None and st.speaker_span.start <= t.start < st.speaker_span.end:
                source.add(t.i)
    return content, cue, source


def _in_quotes(text: str, parse: Parse, first: int, last: int) -> set[int]:
    toks = parse.tokens
    lo, hi = toks[first].start, toks[last - 1].end
    inside: set[int] = set()
    spans = quotes(text, lo, hi)
    for t in toks[first:last]:
        if any(q_lo <= t.start < q_hi for q_lo, q_hi in spans):
            inside.add(t.i)
    return inside


def sequences(ledger: Ledger, gold: Sequence[dict[str, Any]] | None = None) -> list[Sequence_]:
    """The tagger's input for one analysed article (the rule stage's statements included), with gold
    tags when ``gold`` (PolNeAR-style attributions) is given."""
    parse = ledger.parse
    assert parse is not None
    cues = lexicon()[0]
    toks = parse.tokens
    rule_content, rule_cue, rule_source = _rule_marks(ledger)
    tags = _gold_tags(parse, gold) if gold is not None else None
    out: list[Sequence_] = []
    for first, last in lines(ledger):
        quoted = _in_quotes(ledger.text, parse, first, last)
        feats: list[tuple[str, ...]] = []
        idx: list[int] = []
        for t in toks[first:last]:
            if not t.text.strip():
                continue
            h = toks[t.head]
            sent = parse.sentences[t.sent]
            edge = "first" if t.i == sent.first else "last" if t.i == sent.last - 1 else ""
            rule = rule_content.get(t.i, "O") + ("q" if t.i in rule_cue else "") + ("s" if t.i in rule_source else "")
            feats.append((t.text.lower(), h.text.lower(), t.pos, t.tag, t.dep, h.dep, h.pos,
                          t.ent_type or "-", _shape(t.text), "in" if t.i in quoted else "out",
                          "cue" if t.lemma.lower() in cues and t.pos in {"VERB", "AUX", "NOUN"} else "-",
                          "cue" if h.lemma.lower() in cues and h.pos in {"VERB", "AUX"} else "-",
                          rule, _dist(t), edge))
            idx.append(t.i)
        if not idx:
            continue
        seq_tags = tuple(tuple(tags[k][i] for i in idx) for k in range(len(LAYERS))) if tags else None
        out.append(Sequence_(tuple(idx), tuple(feats), seq_tags))
    return out


def _gold_tags(parse: Parse, gold: Sequence[dict[str, Any]]) -> list[list[int]]:
    n = len(parse.tokens)
    tags = [[OUT] * n for _ in LAYERS]

    def covered(span: Sequence[int] | None) -> list[int]:
        if not span:
            return []
        lo, hi = span[0], span[1]
        return [t.i for t in parse.tokens if t.end > lo and t.start < hi and t.text.strip()]

    taken: set[int] = set()
    for q in sorted(gold, key=lambda q: -(q["content_span"][1] - q["content_span"][0])):
        content = covered(q["content_span"])
        if not content or taken.intersection(content):
            continue
        taken.update(content)
        for layer, span in enumerate((q["content_span"], q.get("cue_span"), q.get("speaker_span"))):
            toks = covered(span)
            if layer and any(tags[layer][i] != OUT for i in toks):
                continue
            for k, i in enumerate(toks):
                tags[layer][i] = BEGIN if k == 0 else INSIDE
    return tags
