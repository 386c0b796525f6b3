"""Learned attribution (opt-in): the rule stage's statements, revised by a tagger trained on users' data.

Requires: parse, segments, actors, times. Provides: statements.

Used only when a model directory is given (``claimscope analyze --attribution-model DIR``,
``default_pipeline(attribution_model=DIR)``); the default pipeline runs the rules alone. The rules run
first; their statements are features of the tagger (``learn.features``), which marks content, cue and
source tokens line by line (``learn.tagger``). Then (``Decode``, each choice measured on PolNeAR dev,
docs/evaluation.md):
  - a run of content tags (a gap of up to two O tags does not break it; runs under three tokens are
    dropped) is a statement's content. When a rule statement covers it (each span over half of the
    other), the rule's statement stands, with its span, speaker, cue, channel and time: the tagger
    confirmed it. Otherwise it is a new statement only if a tagged cue touches it (adjacent or inside)
    and no statement the rules found has that cue; its speaker is the cue's subject or agent as the
    rules find it (``Sentence.speaker_of``), else the tagged source nearest the cue, resolved to an
    actor as the rules resolve theirs (``speakers.Resolver``);
  - rule statements no tagged content covers are dropped in lines the tagger read and kept outside
    them (Q&A turns, appended material).

Models are written by ``claimscope train-attribution`` (``learn.data.train_attribution``); none ships with claimscope.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from claimscope.errors import ModelFileError
from claimscope.model import Ledger, Parse, Span, Statement
from claimscope.pipeline import Stage
from claimscope.stages import attribution
from claimscope.stages.attribution_rules import Sentence
from claimscope.stages.quotation import quote_kind, trim
from claimscope.stages.speakers import Resolver

if TYPE_CHECKING:
    from claimscope.learn.tagger import Tagger

EXTRACTOR = "attribution.learned.v1"
_O, _B, _I = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Decode:
    max_gap: int = 2  # O tags inside a content run that do not break it
    min_tokens: int = 3  # shorter tagged contents are dropped
    rule_bounds: bool = True  # a tagged content a rule statement covers takes the rule's span
    parse_speaker: bool = True  # a new statement's speaker: the cue's subject or agent, else the tagged source
    cue_gap: int = 0  # a new statement needs a tagged cue at most this many tokens from its content
    shared_cue: bool = False  # a new statement may take a cue a rule statement already has


@lru_cache(maxsize=4)
def _load(where: str) -> Tagger:
    try:
        from claimscope.learn.tagger import Tagger
    except ImportError as exc:
        raise ModelFileError("the learned attribution model needs torch: pip install 'claimscope[learn]'") from exc
    return Tagger.load(where)


def _spans(tags: list[int], max_gap: int = 0) -> list[tuple[int, int]]:
    """Positions [first, last) of B/I runs; an I after O starts a run, and a run resumed by I after at
    most ``max_gap`` O tags joins the run before it."""
    out: list[tuple[int, int]] = []
    start = None
    for k, t in enumerate(tags + [_O]):
        if start is not None and t != _I:
            out.append((start, k))
            start = None
        if t in (_B, _I) and start is None:
            start = out.pop()[0] if t == _I and out and k - out[-1][1] <= max_gap else k
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


def revise(ledger: Ledger, tagger: Tagger, decode: Decode = Decode()) -> Ledger:
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
        for first, last in _spans(tags[0], decode.max_gap):
            if last - first < decode.min_tokens:
                continue
            lo, hi = trim(text, toks[idx[first]].start, toks[idx[last - 1]].end)
            if hi - lo < 2:
                continue
            match = [k for k, st in enumerate(rules) if k not in used and _covers(st.content, lo, hi)]
            if match:
                k = max(match, key=lambda k: min(rules[k].content.end, hi) - max(rules[k].content.start, lo))
                used.add(k)
                st = rules[k]
                if decode.rule_bounds:  # the rule's statement as it was, confirmed
                    out.append(dataclasses.replace(st, extractor=EXTRACTOR))
                    continue
                sid = ruled.item_id(f"statement{st.cue.start if st.cue else ''}", lo, hi)
                out.append(dataclasses.replace(st, id=sid, content=ruled.span(lo, hi), kind=quote_kind(text, lo, hi),
                                               extractor=EXTRACTOR))
                continue
            new = _new(ruled, resolver, idx, (first, last), (lo, hi), cues, sources, decode)
            if new is not None:
                out.append(new)
    if not decode.shared_cue:
        taken = [st.cue for st in out if st.cue is not None and st.pattern != "learned"]
        out = [st for st in out
               if st.pattern != "learned" or st.cue is None or not any(st.cue.overlaps(c) for c in taken)]
    for k, st in enumerate(rules):  # rule statements where the tagger does not look (turns, appendices)
        if k not in used and not any(a <= st.content.start < b for a, b in covered_lines):
            out.append(st)
    out.sort(key=lambda st: (st.content.start, st.content.end))
    return dataclasses.replace(ruled, statements=tuple(out))


def _new(led: Ledger, resolver: Resolver, idx: tuple[int, ...], content: tuple[int, int], chars: tuple[int, int],
         cues: list[tuple[int, int]], sources: list[tuple[int, int]], decode: Decode) -> Statement | None:
    parse = led.parse
    assert parse is not None
    toks = parse.tokens
    lo, hi = chars
    cue = min(cues, key=lambda c: (_gap(c, content), abs(c[0] - content[0]))) if cues else None
    if cue is None or _gap(cue, content) > decode.cue_gap:
        return None
    src = min(sources, key=lambda s: (_gap(s, cue), abs(s[0] - cue[0])), default=None)
    speaker, speaker_span = None, None
    subject = _subject(led, [idx[i] for i in range(*cue)], chars) if cue and decode.parse_speaker else None
    if subject is not None:
        speaker, speaker_span = resolver.resolve(parse, subject)
    elif src is not None:
        head = _head(parse, idx[src[0]], idx[src[1] - 1] + 1)
        speaker, _ = resolver.resolve(parse, head)
        speaker_span = led.span(toks[idx[src[0]]].start, toks[idx[src[1] - 1]].end)
    cue_span = led.span(toks[idx[cue[0]]].start, toks[idx[cue[1] - 1]].end) if cue else None
    sid = led.item_id(f"statement{cue_span.start if cue_span else ''}", lo, hi)
    return Statement(sid, quote_kind(led.text, lo, hi), led.span(lo, hi), speaker, speaker_span, cue_span, None,
                     None, None, EXTRACTOR, 0.7 if speaker_span else 0.5, "learned")


def _subject(led: Ledger, cue: list[int], content: tuple[int, int]) -> int | None:
    """The subject (or passive agent) of the cue's verb, as the rules find it, outside the content."""
    parse = led.parse
    assert parse is not None
    toks = parse.tokens
    verbs = [i for i in cue if toks[i].pos in {"VERB", "AUX"}] or cue
    sent = parse.sentences[toks[verbs[0]].sent]
    s = Sentence(led, parse, sent.first, sent.last)
    for i in verbs:
        sp = s.speaker_of(toks[i])
        if sp is not None and not content[0] <= toks[sp].start < content[1]:
            return sp
    return None


def stage(model_dir: str | Path) -> Stage:
    """The attribution stage with a trained tagger from ``model_dir`` (loaded now: a bad directory fails
    here, with one line, not in the middle of a run)."""
    where = str(Path(model_dir).resolve())
    tagger = _load(where)
    digest = hashlib.sha1((Path(where) / "tagger.pt").read_bytes()).hexdigest()[:12]
    return Stage("attribution", attribution.STAGE.requires, attribution.STAGE.provides,
                 EXTRACTOR, lambda led: revise(led, tagger), config_key=f"model={digest}")
