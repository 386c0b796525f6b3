"""Our time and figure layers beside two plain baselines, on the same documents, in one run.

usage: PYTHONPATH=src python eval/baselines.py [times|figures ...] [--limit N]

  times    TimeBank + AQUAINT (../shared/data/time): claimscope (publication date = the DCT) and
           dateparser 1.5.0 (``search_dates`` with RELATIVE_BASE = the DCT; each hit's value is formatted
           as a TimeML date at the granularity dateparser reports: year, month, week, day or time).
  figures  NewsQuant dev (../shared/data/quantities): claimscope and quantulum3 0.10.0. quantulum3 runs
           without its unit classifier (switched off; nothing is downloaded); it has no
           notion of bounds, so its figures are "exact", except the ranges it reports with an uncertainty.

Both are scored by the shared scorers (../shared/eval/score_times.py, score_quantities.py). Baseline code
lives here only: the library never imports dateparser or quantulum3.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from claimscope.model import Article
from claimscope.pipeline import default_pipeline
from claimscope.serialize import to_json

SHARED = Path(__file__).resolve().parents[2] / "shared"
TIME_GOLD = [SHARED / "data" / "time" / "timebank.jsonl", SHARED / "data" / "time" / "aquaint.jsonl"]
FIG_GOLD = [SHARED / "data" / "quantities" / "newsquant_dev.jsonl"]

Gold = list[dict[str, Any]]
System = Callable[[Gold], Iterable[dict[str, Any]]]


def load(paths: list[Path], limit: int | None) -> Gold:
    gold = [json.loads(ln) for p in paths for ln in p.read_text("utf-8").splitlines() if ln.strip()]
    return gold[:limit] if limit else gold


def score(scorer: str, gold: Gold, preds: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The shared scorer's --json verdict on ``preds`` (one ledger-like record per gold document)."""
    with tempfile.TemporaryDirectory() as tmp:
        g, p = Path(tmp) / "gold.jsonl", Path(tmp) / "pred.jsonl"
        g.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in gold), encoding="utf-8")
        p.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in preds), encoding="utf-8")
        out = subprocess.run([sys.executable, str(SHARED / "eval" / scorer), str(g), str(p), "--json"],
                             capture_output=True, text=True, check=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


# --- claimscope ------------------------------------------------------------------------------------


def ours_times(gold: Gold) -> Iterable[dict[str, Any]]:
    arts = (Article(id=g["doc_id"], text=g["text"], published=dt.date.fromisoformat(g["dct"][:10])) for g in gold)
    return (to_json(led) for led in default_pipeline().run_many(arts))


def ours_figures(gold: Gold) -> Iterable[dict[str, Any]]:
    return (to_json(led) for led in default_pipeline().run_many(Article(id=g["doc_id"], text=g["text"]) for g in gold))


# --- dateparser --------------------------------------------------------------------------------------


def dateparser_times(gold: Gold) -> Iterable[dict[str, Any]]:
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    ddp = DateDataParser(languages=["en"])
    for g in gold:
        base = dt.datetime.fromisoformat(g["dct"][:10])
        settings = {"RELATIVE_BASE": base}
        found = search_dates(g["text"], languages=["en"], settings=settings) or []
        times, pos = [], 0
        for sub, when in found:
            start = g["text"].find(sub, pos)
            if start < 0:
                continue
            pos = start + len(sub)
            period = ddp.get_date_data(sub).period or "day"
            times.append({"span": [start, pos], "text": sub, "value": _timeml(when, period, sub)})
        yield {"id": g["doc_id"], "times": times}


def _timeml(when: dt.datetime, period: str, text: str) -> str:
    if period == "year":
        return f"{when.year}"
    if period == "month":
        return f"{when.year}-{when.month:02d}"
    if period == "week":
        y, w, _ = when.isocalendar()
        return f"{y}-W{w:02d}"
    if period == "time" or any(c.isdigit() for c in text) and ":" in text:
        return when.strftime("%Y-%m-%dT%H:%M")
    return when.date().isoformat()


# --- quantulum3 --------------------------------------------------------------------------------------


def quantulum_figures(gold: Gold) -> Iterable[dict[str, Any]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import classifier, parser
    # The measured configuration has no unit classifier: quantulum3's pickled one does not load beside the
    # scikit-learn release the grounding extra installs, and this scorer reads no units anyway.
    classifier.USE_CLF = False
    for g in gold:
        quantities = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = parser.parse(g["text"])
        for q in found:
            unc = q.uncertainty
            value: Any = [q.value - unc, q.value + unc] if unc else q.value
            quantities.append({"value": value, "bound": "range" if unc else "exact", "unit": q.unit.name,
                               "span": list(q.span)})
        yield {"id": g["doc_id"], "quantities": quantities}


# --- the run ----------------------------------------------------------------------------------------


def _line(name: str, res: dict[str, Any], seconds: float, n: int) -> str:
    if "value_bound" in res:
        figs = f"value_f1={res['value'][2]:.3f} value_bound_f1={res['value_bound'][2]:.3f}"
    else:
        figs = f"value_f1={res['value_f1']:.3f} relaxed_f1={res['relaxed'][2]:.3f} strict_f1={res['strict'][2]:.3f}"
    return f"  {name:<12} {figs}  ({1000 * seconds / max(n, 1):.0f} ms/doc)"


def run(task: str, limit: int | None) -> None:
    paths, scorer, systems = ((TIME_GOLD, "score_times.py", {"claimscope": ours_times, "dateparser": dateparser_times})
                              if task == "times" else
                              (FIG_GOLD, "score_quantities.py", {"claimscope": ours_figures,
                                                                 "quantulum3": quantulum_figures}))
    gold = load(paths, limit)
    print(f"== {task}: {' + '.join(p.stem for p in paths)} ({len(gold)} docs)")
    for name, system in systems.items():
        t0 = time.perf_counter()
        preds = list(system(gold))
        print(_line(name, score(scorer, gold, preds), time.perf_counter() - t0, len(gold)), flush=True)


def main() -> None:
    args = sys.argv[1:]
    limit = int(args[args.index("--limit") + 1]) if "--limit" in args else None
    tasks = [a for a in args if a in ("times", "figures")] or ["times", "figures"]
    for task in tasks:
        run(task, limit)


if __name__ == "__main__":
    main()
