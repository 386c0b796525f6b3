"""Review of attributions in Label Studio: tasks with predictions out, the reviewed export back in.

Requires: an open ``Store`` (any backend).
Provides: ``LABEL_CONFIG`` (the Label Studio labelling interface these tasks fit); ``task(ledger)`` and
``export_labelstudio(store, out)``, one task per article with the extractor's statements as predicted
regions (Content, Speaker, Cue labels on the text; ``speaker`` and ``cue`` relations from those regions
to the content; ``model_version`` is the statements' extractor); ``import_review(store, tasks)``, which
reads Label Studio's JSON export and stores each reviewed statement in the ``reviews`` table beside the
extractor's (never over it), returning a ``ReviewSummary``.
Limits: only statements (content, speaker, cue) are reviewed; channels, kinds and times are not.
Label Studio counts offsets in UTF-16 code units (JavaScript strings); both directions convert.

Import, per task, in order:
1. The task's ``data.article_id`` must be stored, with the same text as the task (else nothing is
   written and the error names the task).
2. The last annotation not cancelled is the review; a task without one is counted as unreviewed.
3. Each Content region is one reviewed statement; the Speaker and Cue regions linked to it by a
   relation (either direction) are its speaker and cue.
4. A region whose id names a predicted statement (``content:<statement id>``) is ``confirmed`` when its
   spans equal the prediction's and ``corrected`` otherwise; any other Content region is ``added``; a
   predicted statement without a Content region in the review is ``rejected``.
5. The reviewed speaker is linked to the actor with a mention at exactly that span, else to one whose
   mention contains it ("Okafor" inside "Ines Okafor"), else to none.
6. The article's earlier reviews are replaced by these, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import IO, Any

from claimscope.errors import InputError, NotFoundError
from claimscope.model import Ledger, Span
from claimscope.store import rows
from claimscope.store.base import Store
from claimscope.store.export import Config, iter_ledgers

LABEL_CONFIG = """<View>
  <Labels name="label" toName="text">
    <Label value="Content" background="#ffd479"/>
    <Label value="Speaker" background="#8fd3ff"/>
    <Label value="Cue" background="#c5f2a6"/>
  </Labels>
  <Relations>
    <Relation value="speaker"/>
    <Relation value="cue"/>
  </Relations>
  <Text name="text" value="$text" granularity="symbol"/>
</View>
"""
JSON = dict[str, Any]


@dataclass(slots=True)
class ReviewSummary:
    tasks: int = 0
    unreviewed: int = 0
    verdicts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("confirmed", "corrected", "added", "rejected"), 0))

    def line(self) -> str:
        found = ", ".join(f"{n} {v}" for v, n in self.verdicts.items())
        return f"imported {self.tasks - self.unreviewed} reviewed task(s) of {self.tasks}: {found}"


class _Offsets:
    """Python string offsets to and from UTF-16 code units (identical when all characters are in the BMP)."""

    def __init__(self, text: str) -> None:
        self._wide = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def to_js(self, i: int) -> int:
        return i + bisect_left(self._wide, i)

    def to_py(self, j: int) -> int:
        i = j
        for w in self._wide:  # each wide character before the offset took two units
            if w < i:
                i -= 1
            else:
                break
        return i


# --- export ---------------------------------------------------------------------------------------


def model_version(led: Ledger) -> str:
    """The extractor(s) that produced the ledger's statements."""
    found = sorted({s.extractor for s in led.statements or ()})
    return ",".join(found) or ",".join(ext for _, ext in led.extractors)


def task(led: Ledger) -> JSON:
    """One Label Studio task for one ledger, its statements as a prediction."""
    conv, result = _Offsets(led.text), []
    seen: set[str] = set()
    for s in led.statements or ():
        result.append(_region(conv, f"content:{s.id}", s.content, "Content", s.confidence))
        for label, span in (("speaker", s.speaker_span), ("cue", s.cue)):
            if span is None:
                continue
            rid = f"{label}:{span.start}-{span.end}"
            if rid not in seen:
                seen.add(rid)
                result.append(_region(conv, rid, span, label.capitalize(), s.confidence))
            result.append({"type": "relation", "from_id": rid, "to_id": f"content:{s.id}", "direction": "right",
                           "labels": [label]})
    a = led.article
    return {"data": {"text": a.text, "article_id": a.id, "title": a.title, "url": a.url, "source": a.source},
            "predictions": [{"model_version": model_version(led), "result": result}]}


def _region(conv: _Offsets, rid: str, span: Span, label: str, score: float) -> JSON:
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels", "score": score,
            "value": {"start": conv.to_js(span.start), "end": conv.to_js(span.end), "text": span.text,
                      "labels": [label]}}


def export_labelstudio(store: Store, out: IO[str], config: Config | None = None) -> int:
    """Write every stored ledger as a Label Studio task list (one JSON array); return how many tasks."""
    config = config or Config()
    n = 0
    out.write("[")
    for led in iter_ledgers(store, config):
        out.write(("\n" if n == 0 else ",\n") + json.dumps(task(led), ensure_ascii=False))
        n += 1
    out.write("\n]\n")
    return n


# --- import ---------------------------------------------------------------------------------------


def import_review(store: Store, tasks: Any, now: str | None = None) -> ReviewSummary:
    """Store the reviews in a Label Studio JSON export (a list of tasks); see the module docstring."""
    if not isinstance(tasks, list):
        raise InputError("a Label Studio export is a JSON list of tasks; this file holds something else")
    imported_at = now or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    summary, work = ReviewSummary(tasks=len(tasks)), []
    for i, t in enumerate(tasks):  # 1. check every task before writing anything
        led = _stored(store, t, i)
        ann = _annotation(t)
        if ann is None:  # 2.
            summary.unreviewed += 1
            continue
        work.append((led, _reviews(led, t, ann, imported_at)))
    for led, found in work:  # 6.
        for r in found:
            summary.verdicts[r["verdict"]] += 1
        store.write_rows("reviews", led.article.id, found)
    return summary


def _stored(store: Store, t: Any, i: int) -> Ledger:
    data = t.get("data") if isinstance(t, dict) else None
    if not isinstance(data, dict):
        data = {}
    aid = data.get("article_id")
    if not isinstance(aid, str):
        raise InputError(f"task {i + 1} has no data.article_id; export tasks with `claimscope export "
                         "--format labelstudio` so that reviews can find their article")
    try:
        led = store.get(aid)
    except NotFoundError:
        raise NotFoundError(f"task {i + 1} reviews article {aid}, which is not in this store") from None
    if data.get("text") != led.text:
        raise InputError(f"task {i + 1}: the text of article {aid} differs from the stored one; "
                         "it was re-ingested since the export, so export and review it again")
    return led


def _annotation(t: JSON) -> JSON | None:
    done = [a for a in t.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
    return done[-1] if done else None


def _reviews(led: Ledger, t: JSON, ann: JSON, imported_at: str) -> list[rows.Row]:
    conv = _Offsets(led.text)
    regions: dict[str, tuple[str, Span]] = {}
    links: list[tuple[str, str, str]] = []
    for r in ann.get("result") or []:  # 3.
        if r.get("type") == "relation":
            links.append((str(r.get("from_id")), str(r.get("to_id")), str((r.get("labels") or [""])[0])))
        elif r.get("type") == "labels" and r.get("value", {}).get("labels"):
            v = r["value"]
            start, end = conv.to_py(int(v["start"])), conv.to_py(int(v["end"]))
            regions[str(r.get("id"))] = (str(v["labels"][0]), Span.of(led.text, start, end))
    predicted = {s.id: s for s in led.statements or ()}
    who = ann.get("completed_by")
    meta = {"predicted_by": model_version(led), "reviewer": str(who.get("email", who.get("id"))) if isinstance(
        who, dict) else (None if who is None else str(who)), "task_id": None if t.get("id") is None else str(t["id"]),
        "reviewed_at": ann.get("updated_at") or ann.get("created_at"), "imported_at": imported_at}
    out: list[rows.Row] = []
    for rid, (label, content) in regions.items():
        if label != "Content":
            continue
        speaker, cue = _linked(rid, regions, links, "Speaker"), _linked(rid, regions, links, "Cue")
        sid = rid.removeprefix("content:") if rid.startswith("content:") else None
        pred = predicted.pop(sid, None) if sid else None
        verdict = "added" if pred is None else (
            "confirmed" if (pred.content, pred.speaker_span, pred.cue) == (content, speaker, cue) else "corrected")
        out.append(_row(led, len(out), pred.id if pred else None, verdict, content, speaker, cue, meta))
    for pred in predicted.values():  # 4. predictions the reviewer removed
        out.append(_row(led, len(out), pred.id, "rejected", pred.content, pred.speaker_span, pred.cue, meta))
    return out


def _linked(rid: str, regions: dict[str, tuple[str, Span]], links: list[tuple[str, str, str]],
            label: str) -> Span | None:
    for a, b, _ in links:
        other = b if a == rid else a if b == rid else None
        if other in regions and regions[other][0] == label:
            return regions[other][1]
    return None


def _row(led: Ledger, position: int, sid: str | None, verdict: str, content: Span, speaker: Span | None,
         cue: Span | None, meta: JSON) -> rows.Row:
    return {"article_id": led.article.id, "position": position, "statement_id": sid, "verdict": verdict,
            **rows.span_columns("content", content), "speaker": _actor_at(led, speaker),
            **rows.span_columns("speaker", speaker), **rows.span_columns("cue", cue), **meta}


def _actor_at(led: Ledger, span: Span | None) -> str | None:
    """5. The actor with a mention exactly at ``span``, else one with a mention around it."""
    if span is None:
        return None
    actors = led.actors or ()
    for fits in (lambda m: (m.start, m.end) == (span.start, span.end),
                 lambda m: m.start <= span.start and span.end <= m.end):
        for act in actors:
            if any(fits(m) for m in act.mentions):
                return act.id
    return None

