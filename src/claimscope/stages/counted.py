"""counted: what a figure of the quantities stage counts, read from the dependency parse.

Step 6 of the cascade in stages/quantities.py, with its lettered cases: (a) the noun the number
modifies, with its compound/amod modifiers ("7,000 North Korean soldiers"); (b) "N of X" ("40% of
voters"); (c) the antecedent of "of which there are N", chosen by number agreement; (d) "put the
number (of X) at N". Units and currencies are never what is counted; ``unit_noun`` tells when the
counted noun is a unit of unit_nouns.tsv ("33 years"), which the stage then takes as the unit.
"""

from __future__ import annotations

import bisect
from functools import lru_cache
from typing import TYPE_CHECKING

from claimscope.model import Parse, Span, Token
from claimscope.stages.quantity_lexicon import lexicon, rows

if TYPE_CHECKING:
    from claimscope.stages.quantities import Fig


_NUMBER_NOUNS = frozenset({"number", "figure", "total", "toll", "count", "tally", "estimate"})
_NOT_COUNTED = frozenset({"%", "percent", "cent", "$", "€", "£", "million", "billion", "thousand", "hundred"})


def tokens_in(parse: Parse, start: int, end: int) -> list[Token]:
    out = []
    toks = parse.tokens
    for k in range(bisect.bisect_left(toks, start, key=lambda t: t.start), len(toks)):  # no copy of the tail
        if toks[k].end > end:
            break
        out.append(toks[k])
    return out


def _phrase(parse: Parse, head: Token, floor: int = 0) -> tuple[int, int]:
    """The noun ``head`` with the compound/amod/nmod modifiers right before it, as a character range."""
    first = head.i
    for child in sorted(parse.children(head.i), key=lambda t: -t.i):
        lo, hi = parse.subtree(child.i)
        if hi == first and child.dep in ("compound", "amod", "nmod") and child.pos != "NUM" \
                and parse.tokens[lo].start >= floor:
            first = lo
    return parse.tokens[first].start, head.end


def find_counted(text: str, fig: Fig, parse: Parse) -> tuple[str, Span] | None:
    toks = [t for t in tokens_in(parse, fig.start, fig.end) if t.pos in ("NUM", "NOUN", "SYM", "X", "ADJ")]
    if not toks:
        return None
    last = max(toks, key=lambda t: t.i)
    candidates = [last] + [parse.tokens[t.head] for t in toks if t.dep in ("compound", "quantmod", "conj")]
    for tok in candidates:
        found = _counted_from(text, tok, fig, parse)
        if found is not None:
            return found
    return None


def _counted_from(text: str, tok: Token, fig: Fig, parse: Parse) -> tuple[str, Span] | None:
    head = parse.tokens[tok.head]
    # 6a. the noun the number modifies
    if tok.dep in ("nummod", "quantmod", "amod", "compound") and head.pos in ("NOUN", "PROPN") and head.i > tok.i \
            and not _is_unit(head) and head.start >= fig.end:
        return _named(text, *_phrase(parse, head, fig.end))
    # 6b. "N of X" (also "40% of X", "dozens of X")
    for child in parse.children(tok.i) + (parse.children(head.i) if head.text in _NOT_COUNTED else []):
        if child.dep == "prep" and child.text.lower() == "of":
            obj = next((c for c in parse.children(child.i) if c.dep == "pobj"), None)
            if obj is not None and obj.pos in ("NOUN", "PROPN"):
                return _named(text, *_phrase(parse, obj))
    # 6c. "... X, of which there are N": the noun the relative clause hangs on
    lead = text[parse.sentences[tok.sent].start:tok.start]
    if head.dep == "relcl" and tok.dep in ("attr", "dobj", "nsubj") and "of which" in lead:
        return _named(text, *_phrase(parse, _antecedent(parse, parse.tokens[head.head], fig.value)))
    # 6d. "put the number (of X) at N"
    if tok.dep == "pobj" and head.text.lower() == "at":
        return _number_at(text, parse, parse.tokens[head.head])
    return None


def _is_unit(tok: Token) -> bool:
    """A unit or currency word is what a figure is written in, not what it counts."""
    return tok.text.lower() in _unit_words() or tok.lemma.lower() in _NOT_COUNTED


@lru_cache(maxsize=1)
def _unit_words() -> frozenset[str]:
    lex = lexicon()
    return frozenset(w.lower() for w, _ in lex.units + lex.suffixes if " " not in w)


def _antecedent(parse: Parse, noun: Token, value: float) -> Token:
    """Number agreement: a clause on "the east" in "bases in the east, of which there are 9" numbers "bases"."""
    if value == 1 or noun.tag not in ("NN", "NNP"):
        return noun
    first = parse.sentences[noun.sent].first
    return next((t for t in reversed(parse.tokens[first:noun.i]) if t.tag in ("NNS", "NNPS")), noun)


def _number_at(text: str, parse: Parse, verb: Token) -> tuple[str, Span] | None:
    """6d. "put the number (of X) at N": X, or the sentence's first plural noun phrase outside the putting."""
    head = parse.tokens[verb.head]
    near = [verb, head] if verb.dep in ("ccomp", "xcomp", "acl") else [verb]
    args = [c for v in near for c in parse.children(v.i) if c.dep in ("dobj", "nsubj", "nsubjpass")] + near[1:]
    obj = next((c for c in args if c.pos == "NOUN" and c.lemma.lower() in _NUMBER_NOUNS), None)
    if obj is None:
        return None
    of = next((c for c in parse.children(obj.i) if c.dep == "prep" and c.text.lower() == "of"), None)
    pobj = next((c for c in parse.children(of.i) if c.dep == "pobj"), None) if of else None
    if pobj is not None:
        return _named(text, *_phrase(parse, pobj))
    qual = next((c for c in parse.children(obj.i) if c.dep in ("acl", "amod") and c.i > obj.i), None)
    if qual is None and obj.dep == "nsubj" and verb.i == obj.i + 1 and verb.tag in ("VBN", "VBD"):
        qual = verb  # "the number mobilized at 10,000", parsed as a clause
    putting = parse.tokens[obj.head] if qual is None or obj.head != qual.i else parse.tokens[qual.head]
    lo, hi = parse.subtree(putting.i)  # the sayer's own words ("Officials put ...") are not what is numbered
    main = _main_plural(parse, obj.sent, range(lo, hi))
    if main is None:
        return None
    start, end = _phrase(parse, main)
    if qual is not None:  # the span points at the noun; the name adds what qualifies "number"
        return f"{text[start:end]} {qual.text}", Span.of(text, start, end)
    return _named(text, start, end)


def _main_plural(parse: Parse, k: int, skip: range) -> Token | None:
    """The sentence's first plural noun outside ``skip``; else the previous sentence's counted (or first) plural."""
    sent = parse.sentences[k]
    found = next((t for t in parse.tokens[sent.first:sent.last] if t.tag in ("NNS", "NNPS") and t.i not in skip), None)
    if found is not None or k == 0 or parse.sentences[k - 1].segment != sent.segment:
        return found
    prev = parse.sentences[k - 1]
    plural = [t for t in parse.tokens[prev.first:prev.last] if t.tag in ("NNS", "NNPS")]
    counted = [t for t in plural if any(c.dep == "nummod" for c in parse.children(t.i))]
    best = counted or plural
    return best[0] if best else None


def _named(text: str, start: int, end: int) -> tuple[str, Span]:
    return text[start:end], Span.of(text, start, end)


def unit_noun(parse: Parse, span: Span) -> str | None:
    nouns = [t for t in tokens_in(parse, span.start, span.end) if t.pos in ("NOUN", "PROPN")]
    return _unit_nouns().get(nouns[-1].lemma.lower()) if nouns else None


@lru_cache(maxsize=1)
def _unit_nouns() -> dict[str, str]:
    return {r[0]: r[1] for r in rows("unit_nouns.tsv")}
