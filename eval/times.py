"""Measure the time stage on TimeML-derived JSONL (TimeBank, AQUAINT) and list its errors.

usage: PYTHONPATH=src python eval/times.py [GOLD.jsonl ...] [--errors N]

Runs segment + nlp + time over each document with its DCT as the publication date, then prints the
same figures as ``shared/eval/score_times.py`` (character overlap, greedy one-to-one) and, with
``--errors``, the first N wrong values, misses and spurious expressions.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from claimscope.model import Article
from claimscope.pipeline import Pipeline, default_stages

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "time"


Pred = list[tuple[int, int, str | None]]


def run(paths: list[Path]) -> tuple[list[dict[str, Any]], list[Pred]]:
    gold = [json.loads(line) for p in paths for line in p.read_text("utf-8").splitlines() if line.strip()]
    return run_docs(gold)


def run_docs(gold: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[Pred]]:
    """The time stage's (start, end, value) triples for each gold document, run with its DCT."""
    stages = {s.name: s for s in default_stages()}
    pipe = Pipeline([stages["segment"], stages["nlp"], stages["time"]])
    arts = (Article(id=g["doc_id"], text=g["text"], published=dt.date.fromisoformat(g["dct"][:10])) for g in gold)
    preds = [[(t.span.start, t.span.end, t.value) for t in led.times or ()] for led in pipe.run_many(arts)]
    return gold, preds


def score(gold: list[dict[str, Any]], preds: list[Pred], show: int = 0) -> dict[str, float]:
    ng = npred = relaxed = strict = ok = 0
    for g, ps in zip(gold, preds, strict=True):
        text, timexes = str(g["text"]), list(g["timexes"])
        ng, npred, used = ng + len(timexes), npred + len(ps), set()
        for gt in timexes:
            gs, ge = gt["span"]
            best = None
            for k, (s, e, _) in enumerate(ps):
                if k not in used and min(e, ge) > max(s, gs):
                    best = k
                    if _trim(text, s, e) == _trim(text, gs, ge):
                        break
            if best is None:
                _say(show, "MISS", gt["text"], gt["value"], g, text[max(0, gs - 50):ge + 30])
                continue
            used.add(best)
            s, e, v = ps[best]
            relaxed += 1
            strict += _trim(text, s, e) == _trim(text, gs, ge)
            ok += v == gt["value"]
            if v != gt["value"] or _trim(text, s, e) != _trim(text, gs, ge):
                kind = "VAL" if v != gt["value"] else "SPAN"
                _say(show, kind, f"{gt['text']!r} vs {text[s:e]!r}", f"{gt['value']} vs {v}", g,
                     text[max(0, s - 80):e + 60])
        for k, (s, e, v) in enumerate(ps):
            if k not in used:
                _say(show, "FP", repr(text[s:e]), v, g, text[max(0, s - 40):e + 40])
    f = 2 * relaxed / (npred + ng) if npred + ng else 0.0
    return {"value_f1": 2 * ok / (npred + ng), "relaxed_f1": f, "strict_f1": 2 * strict / (npred + ng),
            "gold": ng, "pred": npred}


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " \t\n.,;:!?\"'“”()":
        s += 1
    while e > s and text[e - 1] in " \t\n.,;:!?\"'“”()":
        e -= 1
    return s, e


def _say(show: int, kind: str, what: str, value: object, g: dict[str, Any], ctx: str = "") -> None:
    if show:
        print(kind, what, value, g["dct"], ctx.replace("\n", " ") if ctx else "", sep="\t")


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    show = 1 if "--errors" in sys.argv else 0
    paths = [Path(a) for a in args] or [DATA / "timebank.jsonl", DATA / "aquaint.jsonl"]
    gold, preds = run(paths)
    res = score(gold, preds, show)
    print(" ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in res.items()))


if __name__ == "__main__":
    main()
