"""The brief: a Q&A-style summary of one ledger in which every sentence cites the spans it comes from.

It is written from the ledger only (segments, actors, statements, figures, times, flags, measures):
no sentence says anything the ledger does not hold, and each carries the character spans of the
article that back it, so a reader can check every line. It is the honest counterpart of an invented
"expert interview": the questions are the ones a reader asks, the answers are the article's own words.

Sections, each a question with its answers:
  1. What happened? -- the headline, else the first sentence of the body
  2. Who says what? -- each attributed statement of the story (speaker, cue, time, content)
  3. Which figures does each source give? -- figures with their bound, what they count and their source
  4. Where do sources disagree? -- measures whose figures come from different sources with different values
  5. What is not attributed? -- figures and claims in the story that no source is credited with
  6. What does the page add that the story does not support? -- the integrity flags, with their reasons
Keywords: the actors, places, groups and counted things most present in the story (``keywords``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from claimscope.model import Actor, Ledger, Quantity, Span, Statement

_STORY = frozenset({"headline", "caption", "body"})


@dataclass(frozen=True, slots=True)
class BriefLine:
    text: str
    cites: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class BriefSection:
    question: str
    lines: tuple[BriefLine, ...]


@dataclass(frozen=True, slots=True)
class Brief:
    article_id: str
    sections: tuple[BriefSection, ...]
    keywords: tuple[str, ...]


def make_brief(led: Ledger, max_statements: int = 12) -> Brief:
    sections = (
        BriefSection("What happened?", _what_happened(led)),
        BriefSection("Who says what?", _who_says_what(led, max_statements)),
        BriefSection("Which figures does each source give?", _figures(led)),
        BriefSection("Where do sources disagree?", _disagreements(led)),
        BriefSection("What is not attributed?", _unattributed(led)),
        BriefSection("What does the page add that the story does not support?", _flags(led)),
    )
    return Brief(led.article.id, sections, keywords(led))


def _in_story(led: Ledger, span: Span) -> bool:
    seg = led.segment_at(span.start)
    return seg is not None and seg.kind in _STORY


def _short(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _what_happened(led: Ledger) -> tuple[BriefLine, ...]:
    for seg in led.segments or ():
        if seg.kind == "headline":
            return (BriefLine(_short(seg.span.text), (seg.span,)),)
    for seg in led.segments or ():
        if seg.kind == "body":
            m = re.search(r".+?[.!?](?=\s|$)", seg.span.text) or re.search(r".+", seg.span.text)
            if m:
                span = led.span(seg.span.start + m.start(), seg.span.start + m.end())
                return (BriefLine(_short(span.text), (span,)),)
    return ()


def _speaker(led: Ledger, st: Statement) -> str:
    actor = led.actor(st.speaker)
    if actor is not None:
        return actor.name
    return st.speaker_span.text if st.speaker_span else "An unnamed source"


def _who_says_what(led: Ledger, limit: int) -> tuple[BriefLine, ...]:
    lines: list[BriefLine] = []
    seen: set[tuple[str, str]] = set()
    for st in led.statements or ():
        who, content = _speaker(led, st), _short(_unquote(st.content.text), 180)
        if not _in_story(led, st.content) or (who, content) in seen:
            continue  # a caption repeating a body sentence repeats its attribution: once is enough
        seen.add((who, content))
        how = [st.cue.text if st.cue else ("position" if st.pattern == "attitude" else "says")]
        how += [f"in a {st.channel.text}"] if st.channel else []
        how += [st.time] if st.time else []
        said = f"“{content}”" if st.kind == "direct" else content
        cites = tuple(x for x in (st.speaker_span, st.cue, st.content) if x is not None)
        lines.append(BriefLine(f"{who} ({', '.join(how)}): {said}", cites))
    return tuple(lines[:limit])


def _unquote(text: str) -> str:
    """Drop a pair of quotation marks around the whole; a quotation that opens and never closes in the
    span ("adding that “everything ... conflict") loses its lone mark."""
    text = text.strip()
    opens, closes = sum(text.count(c) for c in "“«"), sum(text.count(c) for c in "”»")
    if text[:1] in "“«\"" and (text[-1:] in "”»\"" or (opens == 1 and closes == 0)):
        text = text[1:-1] if text[-1:] in "”»\"" else text[1:]
    return text.strip()


def _figure(q: Quantity) -> str:
    counted = f" {q.counted}" if q.counted else ""
    return f"{q.span.text}{counted}"


def _figures(led: Ledger) -> tuple[BriefLine, ...]:
    lines = []
    for q in led.quantities or ():
        actor = led.actor(q.source)
        if actor is None or not _in_story(led, q.span):
            continue
        when = f", referring to {q.time}" if q.time else ""
        text = f"{actor.name}: {_figure(q)} ({q.bound.replace('_', ' ')}{when})"
        lines.append(BriefLine(text, _figure_cites(led, q)))
    return tuple(lines)


def _figure_cites(led: Ledger, q: Quantity) -> tuple[Span, ...]:
    """The figure, what it counts, and the speaker of the statement that gives it (who says it)."""
    st = next((s for s in led.statements or () if s.id == q.statement), None)
    spans = [q.span, q.counted_span, st.speaker_span if st is not None else None]
    return tuple(dict.fromkeys(s for s in spans if s is not None))


def _disagreements(led: Ledger) -> tuple[BriefLine, ...]:
    by_id = {q.id: q for q in led.quantities or ()}
    lines = []
    for m in led.measures or ():
        qs = [by_id[i] for i in m.quantities if i in by_id]
        sources = {q.source for q in qs}
        values = {(q.value, q.bound) for q in qs}
        if len(sources) > 1 and len(values) > 1:
            parts = []
            for q in qs:
                actor = led.actor(q.source)
                parts.append(f"{actor.name if actor else 'no source'} gives {q.span.text}")
            lines.append(BriefLine(f"{m.label}: " + "; ".join(parts),
                                   tuple(dict.fromkeys(c for q in qs for c in _figure_cites(led, q)))))
    return tuple(lines)


def _unattributed(led: Ledger) -> tuple[BriefLine, ...]:
    lines = [BriefLine(f"No source is given for {_figure(q)}", (q.span,))
             for q in led.quantities or () if q.source is None and _in_story(led, q.span)]
    lines += [BriefLine(f"{f.reason}", (f.span,)) for f in led.flags or () if f.kind == "unattributed_claim"]
    return tuple(lines)


def _flags(led: Ledger) -> tuple[BriefLine, ...]:
    lines = []
    for f in led.flags or ():
        if f.kind == "unattributed_claim":
            continue
        kind = f.kind.replace("_", " ")
        text = f.reason if f.reason.lower().startswith(kind) else f"{kind}: {f.reason}"
        lines.append(BriefLine(text, (f.span,)))
    return tuple(lines)


def keywords(led: Ledger, limit: int = 8) -> tuple[str, ...]:
    """Salient actors, places and topics of the story, ranked: each mention in the story counts one, twice
    in the headline or a caption (what the page puts on top); a statement credited to an actor counts one;
    a group or place adjective ("North Korean") counts for the actor it names ("North Korea"); the thing a
    figure counts ("North Korean soldiers") counts once per time the story names it. Nothing outside the
    story (appended material, tag lines, credits) counts."""
    score: Counter[str] = Counter()
    actors = [a for a in led.actors or () if a.kind != "other"]
    for a in actors:
        score[a.name] += sum(_weight(led, m) for m in a.mentions)
    names = {a.id: a.name for a in actors}
    for st in led.statements or ():
        if st.speaker in names and _in_story(led, st.content):
            score[names[st.speaker]] += 1
    taken = [m for a in actors for m in a.mentions]
    for e in led.parse.entities if led.parse else ():
        if e.label in _GROUP_LABELS and _in_story(led, e.span) and not any(m.overlaps(e.span) for m in taken):
            name = _actor_for(e.span.text, actors) or e.span.text.replace("’s", "").replace("'s", "")
            score[name] += _weight(led, e.span)
    story = " ".join(seg.span.text.lower() for seg in led.segments or () if seg.kind in _STORY)
    counted = sorted({q.counted for q in led.quantities or () if q.counted and _in_story(led, q.span)}, key=len)
    for thing in counted:
        if not any(thing.startswith(shorter + " ") for shorter in counted):  # "soldiers mobilized": "soldiers"
            score[thing] += max(1, story.count(thing.lower()))
    ranked = [k for k, v in score.most_common() if v > 1 or (v > 0 and k in names.values())]
    return tuple(ranked[:limit])


_GROUP_LABELS = frozenset({"NORP", "GPE", "LOC", "EVENT", "FAC"})


def _weight(led: Ledger, span: Span) -> int:
    seg = led.segment_at(span.start)
    if seg is None or seg.kind not in _STORY:
        return 0
    return 2 if seg.kind in ("headline", "caption") else 1


def _actor_for(text: str, actors: list[Actor]) -> str | None:
    """The actor a group or place word names: an alias it extends by a suffix ("North Korean" for "North
    Korea", "Ukrainian" for "Ukraine"), or that it spells ("Russia's")."""
    word = text.replace("’s", "").replace("'s", "").strip()
    for a in actors:
        for alias in (a.name, *a.aliases):
            stem = alias[:-1] if alias.endswith(("a", "e")) else alias
            if len(stem) >= 4 and (word == alias or (word.startswith(stem) and len(word) - len(alias) <= 3)):
                return a.name
    return None


def to_json(brief: Brief) -> dict[str, object]:
    return {
        "article_id": brief.article_id,
        "keywords": list(brief.keywords),
        "sections": [{"question": s.question,
                      "lines": [{"text": ln.text, "cites": [{"start": c.start, "end": c.end, "text": c.text}
                                                            for c in ln.cites]} for ln in s.lines]}
                     for s in brief.sections],
    }


def to_text(brief: Brief) -> str:
    """Plain text: each answer followed by its citations as [start-end] offsets into the article."""
    out = [f"Keywords: {', '.join(brief.keywords)}" if brief.keywords else "Keywords: (none)", ""]
    for sec in brief.sections:
        out.append(f"Q: {sec.question}")
        if not sec.lines:
            out.append("A: Nothing in the ledger.")
        for ln in sec.lines:
            cites = " ".join(f"[{c.start}-{c.end}]" for c in ln.cites)
            out.append(f"A: {ln.text} {cites}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
