"""The ledger as JSON: the one place where the model meets the interchange contract.

``to_json`` emits the shape of ../shared/eval/CONTRACT.md (and more: ids, offsets of speaker and cue,
extractors, diagnostics); ``from_json`` reads it back into the model, rebuilding every span from the
text, so a stored ledger reloads without the parser. The parse itself is not serialised.
docs/data-format.md lists every field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

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

FORMAT_VERSION = 1
JSON = dict[str, Any]


def _off(span: Span | None, prefix: str = "") -> JSON:
    if span is None:
        return {f"{prefix}start": None, f"{prefix}end": None} if prefix else {}
    return {f"{prefix}start": span.start, f"{prefix}end": span.end}


def _seq(items: tuple[Any, ...] | None, fn: Any) -> list[JSON] | None:
    return None if items is None else [fn(x) for x in items]


def to_json(led: Ledger) -> JSON:
    a = led.article
    return {
        "id": a.id,
        "format": FORMAT_VERSION,
        "text": a.text,
        "published": a.published.isoformat() if a.published else None,
        "undated": a.published is None,
        "meta": {"title": a.title, "url": a.url, "source": a.source, "author": a.author,
                 "site": a.site, "input_format": a.input_format},
        "segments": _seq(led.segments, _segment),
        "actors": _seq(led.actors, _actor),
        "statements": _seq(led.statements, lambda s: _statement(led, s)),
        "quantities": _seq(led.quantities, lambda q: _quantity(led, q)),
        "times": _seq(led.times, _time),
        "flags": _seq(led.flags, _flag),
        "measures": _seq(led.measures, lambda m: {"id": m.id, "label": m.label,
                                                    "quantities": list(m.quantities),
                                                    "extractor": m.extractor}),
        "diagnostics": [{"stage": d.stage, "level": d.level, "message": d.message, **_off(d.span)}
                        for d in led.diagnostics],
        "extractors": {stage: ext for stage, ext in led.extractors},
    }


def _segment(s: Segment) -> JSON:
    return {"kind": s.kind, **_off(s.span), "role": s.role, "parent": s.parent, "extractor": s.extractor,
            "speaker_text": s.speaker.text if s.speaker else None, **_off(s.speaker, "speaker_")}


def _actor(a: Actor) -> JSON:
    return {"id": a.id, "name": a.name, "kind": a.kind, "aliases": list(a.aliases),
            "titles": list(a.titles), "mentions": [[m.start, m.end] for m in a.mentions],
            "extractor": a.extractor}


def _statement(led: Ledger, s: Statement) -> JSON:
    return {
        "id": s.id, "kind": s.kind, **_off(s.content), "content_text": s.content.text,
        "speaker": s.speaker, "speaker_text": s.speaker_span.text if s.speaker_span else None,
        **_off(s.speaker_span, "speaker_"),
        "cue": s.cue.text if s.cue else None, **_off(s.cue, "cue_"),
        "channel": s.channel.text if s.channel else None, **_off(s.channel, "channel_"),
        "time": s.time, "time_ref": s.time_ref, "segment": _seg_kind(led, s.content.start),
        "extractor": s.extractor, "confidence": s.confidence, "pattern": s.pattern,
    }


def _seg_kind(led: Ledger, char: int) -> str | None:
    seg = led.segment_at(char)
    return seg.kind if seg else None


def _quantity(led: Ledger, q: Quantity) -> JSON:
    src = led.actor(q.source)
    return {
        "id": q.id, **_off(q.span), "text": q.span.text, "value": q.value, "bound": q.bound,
        "high": q.high, "unit": q.unit, "counted": q.counted, **_off(q.counted_span, "counted_"),
        "source": q.source, "source_text": src.name if src else None, "statement": q.statement,
        "time": q.time, "extractor": q.extractor, "confidence": q.confidence,
    }


def _time(t: TimeRef) -> JSON:
    return {"id": t.id, **_off(t.span), "text": t.span.text, "type": t.type, "value": t.value,
            "relative": t.relative, "extractor": t.extractor, "confidence": t.confidence}


def _flag(f: Flag) -> JSON:
    return {"id": f.id, "kind": f.kind, **_off(f.span), "reason": f.reason, "score": f.score,
            "extractor": f.extractor}


# --- reading back -------------------------------------------------------------------------------


def from_json(d: JSON) -> Ledger:
    text: str = d["text"]
    meta = d.get("meta") or {}

    def sp(obj: JSON, prefix: str = "") -> Span | None:
        s, e = obj.get(f"{prefix}start"), obj.get(f"{prefix}end")
        return None if s is None or e is None else Span.of(text, int(s), int(e))

    def req(obj: JSON, prefix: str = "") -> Span:
        span = sp(obj, prefix)
        if span is None:
            raise ValueError(f"item {obj.get('id', '?')} has no {prefix}start/{prefix}end")
        return span

    article = Article(
        id=d["id"], text=text,
        published=dt.date.fromisoformat(d["published"]) if d.get("published") else None,
        title=meta.get("title"), url=meta.get("url"), source=meta.get("source"),
        author=meta.get("author"), site=meta.get("site"), input_format=meta.get("input_format", "text"),
    )

    def seq(key: str, fn: Any) -> tuple[Any, ...] | None:
        items = d.get(key)
        return None if items is None else tuple(fn(x) for x in items)

    return Ledger(
        article=article,
        segments=seq("segments", lambda x: Segment(x["kind"], req(x), sp(x, "speaker_"), x.get("role"),
                                                   x.get("parent"), x.get("extractor", "segment.rules.v1"))),
        actors=seq("actors", lambda x: Actor(
            x["id"], x["name"], x["kind"], tuple(x.get("aliases") or ()),
            tuple(Span.of(text, m[0], m[1]) for m in x.get("mentions") or ()),
            tuple(x.get("titles") or ()), x.get("extractor", "actors.rules.v1"))),
        statements=seq("statements", lambda x: Statement(
            x["id"], x["kind"], req(x), x.get("speaker"), sp(x, "speaker_"), sp(x, "cue_"),
            sp(x, "channel_"), x.get("time"), x.get("time_ref"),
            x.get("extractor", "attribution.rules.v1"), x.get("confidence", 1.0), x.get("pattern", ""))),
        quantities=seq("quantities", lambda x: Quantity(
            x["id"], req(x), float(x["value"]), x["bound"], x.get("high"), x.get("unit"), x.get("counted"),
            sp(x, "counted_"), x.get("source"), x.get("statement"), x.get("time"),
            x.get("extractor", "quantities.rules.v1"), x.get("confidence", 1.0))),
        times=seq("times", lambda x: TimeRef(
            x["id"], req(x), x.get("type", "DATE"), x.get("value"), x.get("relative", False),
            x.get("extractor", "time.rules.v1"), x.get("confidence", 1.0))),
        flags=seq("flags", lambda x: Flag(x["id"], x["kind"], req(x), x.get("reason", ""), x.get("score"),
                                          x.get("extractor", "integrity.rules.v1"))),
        measures=seq("measures", lambda x: Measure(x["id"], x["label"], tuple(x["quantities"]),
                                                   x.get("extractor", "measures.rules.v1"))),
        diagnostics=tuple(Diagnostic(x["stage"], x["message"], sp(x), x.get("level", "warning"))
                          for x in d.get("diagnostics") or ()),
        extractors=tuple((d.get("extractors") or {}).items()),
    )
