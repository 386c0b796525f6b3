"""The article text as HTML with every ledger item marked, built in one pass over sorted offsets.

Requires: a ledger in contract JSON (``serialize.to_json``; what ``queries.get_ledger`` returns).
Provides: ``highlight(doc) -> list[Block]``: one block per top-level segment (caption, body, credit,
tags, appendix, ...), each holding escaped HTML in which statements, speakers, cues, figures, times and
flags are ``<span>`` elements with classes and ``data-items`` naming the items under them; and
``speaker_colours(doc)``, the colour slot of each speaker.
Limits: spans that overlap are cut at every boundary into flat pieces, so the markup never nests and
stays valid whatever the overlaps; a piece carries every item that covers it.

The pass:
1. Collect (start, end, item id, classes) marks from every layer, dropping empty or out-of-range ones.
2. Turn them into open/close events sorted by offset; cut the text at top-level segment bounds too.
3. Sweep once: between two consecutive offsets emit the escaped text, wrapped in one ``<span>`` when
   any mark is open.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

JSON = dict[str, Any]
PALETTE_SIZE = 12


@dataclass(frozen=True, slots=True)
class Config:
    palette_size: int = PALETTE_SIZE


@dataclass(frozen=True, slots=True)
class Mark:
    start: int
    end: int
    item: str
    classes: str


@dataclass(frozen=True, slots=True)
class Block:
    """One top-level segment of the page, its text already marked up."""

    index: int
    kind: str
    start: int
    end: int
    html: Markup
    flags: tuple[JSON, ...]
    blank: bool = False  # only white space (the line breaks between segments): the page may skip it


def speaker_colours(doc: JSON, config: Config = Config()) -> dict[str, int]:
    """A colour slot per speaker (actor id, else the speaker mention), in order of first statement."""
    slots: dict[str, int] = {}
    for st in doc.get("statements") or ():
        key = speaker_key(st)
        if key not in slots:
            slots[key] = len(slots) % config.palette_size
    return slots


def speaker_key(st: JSON) -> str:
    return str(st.get("speaker") or st.get("speaker_text") or "")


def highlight(doc: JSON, config: Config = Config()) -> list[Block]:
    text: str = doc["text"]
    marks = sorted(_marks(doc, speaker_colours(doc, config)), key=lambda m: (m.start, -m.end))
    blocks = []
    for i, (kind, start, end) in enumerate(_top_segments(doc, len(text))):
        inside = [m for m in marks if m.start < end and start < m.end]
        flags = tuple(f for f in doc.get("flags") or () if start <= f["start"] < end)
        blocks.append(Block(i, kind, start, end, Markup(_sweep(text, start, end, inside)), flags,
                            not text[start:end].strip()))
    return blocks


def _top_segments(doc: JSON, length: int) -> list[tuple[str, int, int]]:
    """Top-level segments in order, with gaps between them kept as plain text so nothing is lost."""
    segs = sorted((s["start"], s["end"], s["kind"]) for s in doc.get("segments") or () if s.get("parent") is None)
    out: list[tuple[str, int, int]] = []
    at = 0
    for start, end, kind in segs:
        start, end = max(start, at), min(end, length)
        if start >= end:
            continue
        if start > at:
            out.append(("gap", at, start))
        out.append((kind, start, end))
        at = end
    if at < length:
        out.append(("gap" if out else "body", at, length))
    return out


def _marks(doc: JSON, colours: dict[str, int]) -> Iterable[Mark]:
    # 1. marks from every layer
    for s in doc.get("segments") or ():
        if s.get("parent") is not None:
            yield Mark(s["start"], s["end"], "", f"turn turn-{s.get('role') or 'none'}")
    for st in doc.get("statements") or ():
        slot = colours.get(speaker_key(st), 0)
        yield Mark(st["start"], st["end"], st["id"], f"st sp{slot}")
        if st.get("speaker_start") is not None:
            yield Mark(st["speaker_start"], st["speaker_end"], st["id"], f"who sp{slot}")
        if st.get("cue_start") is not None:
            yield Mark(st["cue_start"], st["cue_end"], st["id"], "cue")
    for q in doc.get("quantities") or ():
        yield Mark(q["start"], q["end"], q["id"], "fig")
    for t in doc.get("times") or ():
        yield Mark(t["start"], t["end"], t["id"], "tm")
    for f in doc.get("flags") or ():
        yield Mark(f["start"], f["end"], f["id"], f"fl fl-{f['kind']}")


def _sweep(text: str, start: int, end: int, marks: list[Mark]) -> str:
    # 2. events: +1 opens a mark, -1 closes it; the block's own bounds cut too
    cuts = {start, end}
    events: dict[int, list[tuple[int, int]]] = {}
    for k, m in enumerate(marks):
        lo, hi = max(m.start, start), min(m.end, end)
        if lo >= hi:  # empty after clipping: nothing to mark
            continue
        cuts.update((lo, hi))
        events.setdefault(lo, []).append((1, k))
        events.setdefault(hi, []).append((-1, k))
    # 3. one sweep over the sorted cuts
    active: set[int] = set()
    out: list[str] = []
    points = sorted(c for c in cuts if start <= c <= end)
    for a, b in zip(points, points[1:], strict=False):
        for sign, k in events.get(a, ()):
            (active.add if sign > 0 else active.discard)(k)
        piece = html.escape(text[a:b])
        if not active or not piece:
            out.append(piece)
            continue
        chosen = [marks[k] for k in sorted(active)]
        classes = " ".join(dict.fromkeys(c for m in chosen for c in m.classes.split()))
        items = " ".join(dict.fromkeys(m.item for m in chosen if m.item))
        out.append(f'<span class="{classes}" data-items="{html.escape(items)}" data-at="{a}">{piece}</span>')
    return "".join(out)
