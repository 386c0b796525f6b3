"""Learned attribution (opt-in): the rule stage's statements, revised by a tagger trained on users' data.

Requires: parse, segments, actors, times. Provides: statements.

Used only when a model directory is given (``claimscope analyze --attribution-model DIR``,
``default_pipeline(attribution_model=DIR)``); the default pipeline runs the rules alone. The rules run
first; their statements are features of the tagger (``learn.features``), which marks content, cue and
source tokens line by line (``learn.tagger``). Then:
  - each tagged content stretch is a statement; when a rule statement covers it (each span over half of
    the other), the rule's speaker, cue, channel and time are kept (the rules resolve speakers well);
    otherwise the nearest tagged cue of the line is its cue and the tagged source nearest that cue its
    speaker, resolved to an actor as the rules resolve theirs (``speakers.Resolver``);
  - rule statements no tagged content covers are dropped when the tagger tagged their line and kept in
    lines outside its reach (Q&A turns, appended material).

Models are written by ``claimscope train-attribution`` (``learn.train``); none ships with claimscope.
"""

from __future__ import annotations

import dataclasses
import hashlib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from claimscope.errors import ModelFileError
from claimscope.model import Ledger, Parse, Span, Statement
from claimscope.pipeline import Stage
from claimscope.stages import attribution
from claimscope.stages.quotation import quote_kind, trim
from claimscope.stages.speakers import Resolver

if TYPE_CHECKING:
    from claimscope.learn.tagger import Tagger

EXTRACTOR = "attribution.learned.v1"
_O, _B, _I = 0, 1, 2


@lru_cache(maxsize=4)
def _load(where: str) -> Tagger:
    try:
        from claimscope.learn.tagger import Tagger
    except ImportError as exc:
        raise ModelFileError("the learned attribution model needs torch: pip install 'claimscope[learn]'") from exc
    return Tagger.load(where)


def _spans(tags: list[int]) -> list[tuple[int, int]]:
    """Positions [first, last) of B/I runs; an I after O starts a run."""
    out: list[tuple[int, int]] = []
    start = None
    for k, t in enumerate(tags + [_O]):
        if start is not None and t != _I:
            out.append((start, k))
            start = None
        if t in (_B, _I) and start is None:
            start = k
    return out


def _covers(a: Span, lo: int, hi: int) -> bool:
    inter = min(a.end, hi) - max(a.start, lo)
    return inter >= 0.5 * max(1, a.end - a.start) and inter >= 0.5 * max(1, hi - lo)


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Tokens between two [first, last) ranges; 0 when they touch or overlap."""
    return max(0, b[0] - a[1], a[0] - b[1])


def _head(parse: Parse, first: int, last: int) -> int:
    for i in range(first, last):
        h = parse.tokens[i].head
        if h == i or not first <= h < last:
            return i
    return first


def revise(ledger: Ledger, tagger: Tagger) -> Ledger:
    from claimscope.learn.features import sequences

    ruled = attribution.attribute(ledger)
    parse = ruled.parse
    assert parse is not None
    seqs = sequences(ruled)
    if not seqs:
        return ruled
    resolver = Resolver(ruled)
    text, toks = ruled.text, parse.tokens
    rules = list(ruled.statements or ())
    used: set[int] = set()
    out: list[Statement] = []
    covered_lines: list[tuple[int, int]] = []
    for seq, tags in zip(seqs, tagger.tag(seqs), strict=True):
        idx = seq.tokens
        covered_lines.append((toks[idx[0]].start, toks[idx[-1]].end))
        cues, sources = _spans(tags[1]), _spans(tags[2])
        for first, last in _spans(tags[0]):
            lo, hi = trim(text, toks[idx[first]].start, toks[idx[last - 1]].end)
            if hi - lo < 2:
                continue
            match = [k for k, st in enumerate(rules) if k not in used and _covers(st.content, lo, hi)]
            if match:
                k = max(match, key=lambda k: min(rules[k].content.end, hi) - max(rules[k].content.start, lo))
                used.add(k)
                st = rules[k]
                sid = ruled.item_id(f"statement{st.cue.start if st.cue else ''}", lo, hi)
                out.append(dataclasses.replace(st, id=sid, content=ruled.span(lo, hi), kind=quote_kind(text, lo, hi),
                                               extractor=EXTRACTOR))
                continue
            out.append(_new(ruled, resolver, idx, (first, last), (lo, hi), cues, sources))
    for k, st in enumerate(rules):  # rule statements where the tagger does not look (turns, appendices)
        if k not in used and not any(a <= st.content.start < b for a, b in covered_lines):
            out.append(st)
    out.sort(key=lambda st: (st.content.start, st.content.end))
    return dataclasses.replace(ruled, statements=tuple(out))


def _new(led: Ledger, resolver: Resolver, idx: tuple[int, ...], content: tuple[int, int], chars: tuple[int, int],
         cues: list[tuple[int, int]], sources: list[tuple[int, int]]) -> Statement:
    parse = led.parse
    assert parse is not None
    toks = parse.tokens
    lo, hi = chars
    cue = min(cues, key=lambda c: (_gap(c, content), abs(c[0] - content[0]))) if cues else None
    anchor = cue or content
    src = min((s for s in sources if not content[0] <= s[0] < content[1] or cue is not None),
              key=lambda s: (_gap(s, anchor), abs(s[0] - anchor[0])), default=None)
    speaker, speaker_span = None, None
    if src is not None:
        head = _head(parse, idx[src[0]], idx[src[1] - 1] + 1)
        speaker, _ = resolver.resolve(parse, head)
        speaker_span = led.span(toks[idx[src[0]]].start, toks[idx[src[1] - 1]].end)
    cue_span = led.span(toks[idx[cue[0]]].start, toks[idx[cue[1] - 1]].end) if cue else None
    sid = led.item_id(f"statement{cue_span.start if cue_span else ''}", lo, hi)
    return Statement(sid, quote_kind(led.text, lo, hi), led.span(lo, hi), speaker, speaker_span, cue_span, None,
                     None, None, EXTRACTOR, 0.7 if speaker_span else 0.5, "learned")


def stage(model_dir: str | Path) -> Stage:
    """The attribution stage with a trained tagger from ``model_dir`` (loaded now: a bad directory fails
    here, with one line, not in the middle of a run)."""
    where = str(Path(model_dir).resolve())
    tagger = _load(where)
    digest = hashlib.sha1((Path(where) / "tagger.pt").read_bytes()).hexdigest()[:12]
    return Stage("attribution", attribution.STAGE.requires, attribution.STAGE.provides,
                 EXTRACTOR, lambda led: revise(led, tagger), config_key=f"model={digest}")
