"""The ledger as table rows, and back: the dialect-free half of every backend.

``encode`` turns one ledger into ``{table: [row, ...]}`` with plain Python values (str, int, float,
None); ``decode`` rebuilds the identical ledger from those rows. Backends only move the rows in and
out of their database, so SQLite and a later PostgreSQL backend share one mapping.

Conventions, the same in every table (docs/store.md lists the columns):

1. Every item row carries ``article_id`` and ``position`` (its index in the ledger's tuple), so the
   order of a layer survives and a row can be browsed on its own.
2. A span named ``x`` is three columns ``x_start``, ``x_end``, ``x_text`` (all NULL when absent);
   the copied text makes a row readable without joining the article and lets a span check itself.
3. Small lists that are never queried (actor titles) are JSON text; lists that are (aliases, mentions,
   measure members) are tables of their own.
4. Which layers ran is recorded in ``articles.layers``: a layer that did not run reloads as ``None``,
   one that found nothing as ``()``.

Limits: the parse is not stored (a reloaded ledger has ``parse=None``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
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

Row = dict[str, Any]
Rows = dict[str, list[Row]]

# Layers whose presence (not None) is recorded; the parse is never stored.
STORED_LAYERS = ("segments", "actors", "times", "statements", "quantities", "flags", "measures")

# Item tables in the order rows are written (and deleted in reverse): every one has article_id.
ITEM_TABLES = (
    "segments", "actors", "actor_aliases", "actor_mentions", "times", "statements", "quantities",
    "flags", "measures", "measure_members", "diagnostics",
)


# Tables written outside ``put`` (by ``Store.write_rows``), keyed by article: reviewed attributions.
SIDE_TABLES = ("reviews",)
# Cross-document index tables (``claimscope.corpus``), also written by ``Store.write_rows``; derived from the
# texts, so exports leave them out.
CORPUS_TABLES = ("article_sketches", "article_bands", "story_members")
WRITABLE_TABLES = SIDE_TABLES + CORPUS_TABLES

_SPAN = ("start", "end", "text")


def _cols(*names: str) -> tuple[str, ...]:
    """Column names, a ``x_*`` entry standing for the three span columns of ``x``."""
    return tuple(c for n in names for c in ([f"{n[:-2]}_{p}" for p in _SPAN] if n.endswith("_*") else [n]))


# The columns of every table as ``encode_*`` writes them (exports use this order; pk and generated
# full-text columns are not part of it).
COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": ("id", "text", "content_hash", "published", "title", "url", "source", "author", "site",
                 "input_format", "layers", "ingested_at", "updated_at"),
    "segments": _cols("article_id", "position", "kind", "span_*", "speaker_*", "role", "parent", "extractor"),
    "actors": ("article_id", "position", "id", "name", "kind", "titles", "extractor"),
    "actor_aliases": ("article_id", "actor_id", "actor_position", "position", "alias"),
    "actor_mentions": _cols("article_id", "actor_id", "actor_position", "position", "span_*"),
    "times": _cols("article_id", "position", "id", "span_*", "type", "value", "relative", "extractor", "confidence"),
    "statements": _cols("article_id", "position", "id", "kind", "content_*", "speaker", "speaker_*", "cue_*",
                        "channel_*", "time", "time_ref", "extractor", "confidence", "pattern"),
    "quantities": _cols("article_id", "position", "id", "span_*", "value", "bound", "high", "unit", "counted",
                        "counted_*", "source", "statement", "time", "extractor", "confidence"),
    "flags": _cols("article_id", "position", "id", "kind", "span_*", "reason", "score", "extractor"),
    "measures": ("article_id", "position", "id", "label", "extractor"),
    "measure_members": ("article_id", "measure_id", "measure_position", "position", "quantity_id"),
    "diagnostics": _cols("article_id", "position", "stage", "level", "message", "span_*"),
    "reviews": _cols("article_id", "position", "statement_id", "verdict", "content_*", "speaker", "speaker_*",
                     "cue_*", "predicted_by", "reviewer", "task_id", "reviewed_at", "imported_at"),
}


def content_hash(text: str) -> str:
    """The hash that tells whether an article's text changed since it was stored."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def key_probes(key: str) -> list[tuple[str, str]]:
    """The (column, value) pairs to try, in order, when looking an article up by a user's key.

    1. the article id itself; 2. the source path as given, then as an absolute path;
    3. the URL as given, then through the id that a canonical URL hashes to.
    """
    probes: list[tuple[str, str]] = [("id", key), ("source", key)]
    local = local_path(key)
    if local is not None:
        probes.append(("source", local))
    return [*probes, ("url", key), ("id", Article.make_id("", key))]


def local_path(key: str) -> str | None:
    """``key`` as the absolute path of an existing file, or None (a URL, or nothing there)."""
    if key.startswith(("http://", "https://")):
        return None
    try:
        path = Path(key)
        return str(path.resolve()) if path.exists() else None
    except (OSError, ValueError):  # a NUL byte or an over-long name is simply not a path we know
        return None


def item_order(table: str) -> str:
    """The ORDER BY that reads an item table's rows of one article back in ledger order."""
    return {"actor_aliases": "actor_position, position", "actor_mentions": "actor_position, position",
            "measure_members": "measure_position, position"}.get(table, "position")


def _span(prefix: str, span: Span | None) -> Row:
    if span is None:
        return {f"{prefix}_start": None, f"{prefix}_end": None, f"{prefix}_text": None}
    return {f"{prefix}_start": span.start, f"{prefix}_end": span.end, f"{prefix}_text": span.text}


def span_columns(prefix: str, span: Span | None) -> Row:
    """The three columns of a span named ``prefix`` (all None when the span is absent)."""
    return _span(prefix, span)


def _sp(row: Row, prefix: str) -> Span | None:
    start = row[f"{prefix}_start"]
    if start is None:
        return None
    return Span(int(start), int(row[f"{prefix}_end"]), str(row[f"{prefix}_text"]))


def _req(row: Row, prefix: str) -> Span:
    span = _sp(row, prefix)
    if span is None:
        raise ValueError(f"row {row.get('id', row.get('position'))} has no {prefix} span")
    return span


# --- encoding -------------------------------------------------------------------------------------


def encode_article(led: Ledger, ingested_at: str) -> Row:
    a = led.article
    layers = [name for name in STORED_LAYERS if getattr(led, name) is not None]
    return {
        "id": a.id, "text": a.text, "content_hash": content_hash(a.text),
        "published": a.published.isoformat() if a.published else None, "title": a.title, "url": a.url,
        "source": a.source, "author": a.author, "site": a.site, "input_format": a.input_format,
        "layers": json.dumps(layers), "ingested_at": ingested_at, "updated_at": ingested_at,
    }


def encode_items(led: Ledger) -> Rows:
    """Every item row of one ledger, keyed by table (tables with no rows are present and empty)."""
    aid = led.article.id
    out: Rows = {t: [] for t in ITEM_TABLES}
    for i, seg in enumerate(led.segments or ()):
        out["segments"].append({"article_id": aid, "position": i, "kind": seg.kind, **_span("span", seg.span),
                                **_span("speaker", seg.speaker), "role": seg.role, "parent": seg.parent,
                                "extractor": seg.extractor})
    for i, act in enumerate(led.actors or ()):
        _encode_actor(out, aid, i, act)
    for i, t in enumerate(led.times or ()):
        out["times"].append({"article_id": aid, "position": i, "id": t.id, **_span("span", t.span), "type": t.type,
                             "value": t.value, "relative": int(t.relative), "extractor": t.extractor,
                             "confidence": t.confidence})
    for i, s in enumerate(led.statements or ()):
        out["statements"].append(_encode_statement(aid, i, s))
    for i, q in enumerate(led.quantities or ()):
        out["quantities"].append(_encode_quantity(aid, i, q))
    for i, f in enumerate(led.flags or ()):
        out["flags"].append({"article_id": aid, "position": i, "id": f.id, "kind": f.kind, **_span("span", f.span),
                             "reason": f.reason, "score": f.score, "extractor": f.extractor})
    for i, m in enumerate(led.measures or ()):
        out["measures"].append({"article_id": aid, "position": i, "id": m.id, "label": m.label,
                                "extractor": m.extractor})
        out["measure_members"].extend({"article_id": aid, "measure_id": m.id, "measure_position": i,
                                       "position": j, "quantity_id": q} for j, q in enumerate(m.quantities))
    for i, d in enumerate(led.diagnostics):
        out["diagnostics"].append({"article_id": aid, "position": i, "stage": d.stage, "level": d.level,
                                   "message": d.message, **_span("span", d.span)})
    return out


def _encode_actor(out: Rows, aid: str, i: int, act: Actor) -> None:
    out["actors"].append({"article_id": aid, "position": i, "id": act.id, "name": act.name, "kind": act.kind,
                          "titles": json.dumps(list(act.titles)), "extractor": act.extractor})
    out["actor_aliases"].extend({"article_id": aid, "actor_id": act.id, "actor_position": i, "position": j,
                                 "alias": alias} for j, alias in enumerate(act.aliases))
    out["actor_mentions"].extend({"article_id": aid, "actor_id": act.id, "actor_position": i, "position": j,
                                  **_span("span", m)} for j, m in enumerate(act.mentions))


def _encode_statement(aid: str, i: int, s: Statement) -> Row:
    return {"article_id": aid, "position": i, "id": s.id, "kind": s.kind, **_span("content", s.content),
            "speaker": s.speaker, **_span("speaker", s.speaker_span), **_span("cue", s.cue),
            **_span("channel", s.channel), "time": s.time, "time_ref": s.time_ref, "extractor": s.extractor,
            "confidence": s.confidence, "pattern": s.pattern}


def _encode_quantity(aid: str, i: int, q: Quantity) -> Row:
    return {"article_id": aid, "position": i, "id": q.id, **_span("span", q.span), "value": q.value,
            "bound": q.bound, "high": q.high, "unit": q.unit, "counted": q.counted,
            **_span("counted", q.counted_span), "source": q.source, "statement": q.statement, "time": q.time,
            "extractor": q.extractor, "confidence": q.confidence}


def encode_run(led: Ledger, run_id: int) -> list[Row]:
    """The extractor rows of one run: which stage ran which extractor version, in order."""
    return [{"run_id": run_id, "article_id": led.article.id, "position": i, "stage": stage, "extractor": ext}
            for i, (stage, ext) in enumerate(led.extractors)]


# --- decoding -------------------------------------------------------------------------------------


def decode(article: Row, items: Rows, extractors: list[Row]) -> Ledger:
    """The ledger the rows were encoded from (item rows must be in ``position`` order)."""
    layers = set(json.loads(article["layers"]))

    def layer(name: str, value: tuple[Any, ...]) -> tuple[Any, ...] | None:
        return value if name in layers else None

    aliases = _group(items["actor_aliases"], "actor_position")
    mentions = _group(items["actor_mentions"], "actor_position")
    members = _group(items["measure_members"], "measure_position")
    return Ledger(
        article=decode_article(article),
        segments=layer("segments", tuple(_segment(r) for r in items["segments"])),
        actors=layer("actors", tuple(_actor(r, aliases.get(r["position"], []), mentions.get(r["position"], []))
                                     for r in items["actors"])),
        times=layer("times", tuple(_time(r) for r in items["times"])),
        statements=layer("statements", tuple(_statement(r) for r in items["statements"])),
        quantities=layer("quantities", tuple(_quantity(r) for r in items["quantities"])),
        flags=layer("flags", tuple(Flag(r["id"], r["kind"], _req(r, "span"), r["reason"], r["score"], r["extractor"])
                                   for r in items["flags"])),
        measures=layer("measures", tuple(
            Measure(r["id"], r["label"], tuple(m["quantity_id"] for m in members.get(r["position"], [])),
                    r["extractor"]) for r in items["measures"])),
        diagnostics=tuple(Diagnostic(r["stage"], r["message"], _sp(r, "span"), r["level"])
                          for r in items["diagnostics"]),
        extractors=tuple((r["stage"], r["extractor"]) for r in extractors),
    )


def decode_article(r: Row) -> Article:
    return Article(
        id=r["id"], text=r["text"],
        published=dt.date.fromisoformat(r["published"]) if r["published"] else None,
        title=r["title"], url=r["url"], source=r["source"], author=r["author"], site=r["site"],
        input_format=r["input_format"],
    )


def _group(rows: list[Row], key: str) -> dict[int, list[Row]]:
    out: dict[int, list[Row]] = {}
    for r in rows:
        out.setdefault(int(r[key]), []).append(r)
    return out


def _segment(r: Row) -> Segment:
    return Segment(r["kind"], _req(r, "span"), _sp(r, "speaker"), r["role"], r["parent"], r["extractor"])


def _actor(r: Row, aliases: list[Row], mentions: list[Row]) -> Actor:
    return Actor(r["id"], r["name"], r["kind"], tuple(a["alias"] for a in aliases),
                 tuple(_req(m, "span") for m in mentions), tuple(json.loads(r["titles"])), r["extractor"])


def _time(r: Row) -> TimeRef:
    return TimeRef(r["id"], _req(r, "span"), r["type"], r["value"], bool(r["relative"]), r["extractor"],
                   r["confidence"])


def _statement(r: Row) -> Statement:
    return Statement(r["id"], r["kind"], _req(r, "content"), r["speaker"], _sp(r, "speaker"), _sp(r, "cue"),
                     _sp(r, "channel"), r["time"], r["time_ref"], r["extractor"], r["confidence"], r["pattern"])


def _quantity(r: Row) -> Quantity:
    return Quantity(r["id"], _req(r, "span"), r["value"], r["bound"], r["high"], r["unit"], r["counted"],
                    _sp(r, "counted"), r["source"], r["statement"], r["time"], r["extractor"], r["confidence"])


def upsert_article_sql(article: Row, marks: Callable[[list[str]], str]) -> str:
    """The article row's upsert, in both dialects; ``marks`` writes the backend's placeholders.
    ``ingested_at`` keeps the first ingest's time."""
    cols = [c for c in article if c != "ingested_at"]
    return (f"INSERT INTO articles ({', '.join(article)}) VALUES ({marks(list(article))}) "
            f"ON CONFLICT (id) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in cols)}")


def insert_sql(table: str, cols: list[str], marks: Callable[[list[str]], str]) -> str:
    return f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks(cols)})"
