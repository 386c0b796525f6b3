"""Attribution on PolNeAR dev: claimscope's rules beside textacy's direct_quotations, in one run.

usage: PYTHONPATH=src python eval/attribution_baselines.py [--gold GOLD.jsonl] [--limit N]
           [--textacy-python PATH] [--attribution-model DIR]

Both systems read the same documents (../shared/data/polnear/dev.jsonl by default) and are scored by the
shared scorer (../shared/eval/score_quotes.py --json). textacy 0.13.0 runs in its own environment
(`make eval-baselines` builds .venv-textacy from eval/requirements-textacy.txt: its scikit-learn breaks
quantulum3 in the main one), through eval/textacy_quotes.py; ``--textacy-python`` or $TEXTACY_PYTHON
names its interpreter. ``--attribution-model DIR`` adds a row for the opt-in learned attribution stage
(a model written by `claimscope train-attribution`).

Timing: our parse (segment + nlp stages) and our attribution stage (rules, or rules + tagger) over the
same parsed ledgers; textacy's own parse (the same spaCy model over each whole text) and its quotation
extraction over that parse. One process each, one core, wall-clock seconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from claimscope.model import Article, Ledger
from claimscope.pipeline import Stage, default_stages
from claimscope.serialize import to_json

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "data" / "polnear" / "dev.jsonl"


def _arg(name: str, default: str | None = None) -> str | None:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def score(gold: Path, preds: Path) -> dict[str, Any]:
    out = subprocess.run([sys.executable, str(SHARED / "eval" / "score_quotes.py"), str(gold), str(preds), "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def _timed(stages: list[Stage], ledgers: list[Ledger], clock: dict[str, float]) -> list[Ledger]:
    for st in stages:
        t0 = time.perf_counter()
        ledgers = st.run_batch(ledgers)
        clock[st.name] = clock.get(st.name, 0.0) + time.perf_counter() - t0
    return ledgers


def ours(gold: list[dict[str, Any]], model: str | None) -> dict[str, tuple[list[dict[str, Any]], dict[str, float]]]:
    stages = default_stages()
    names = [s.name for s in stages]
    k = names.index("attribution")
    before, rules = stages[:k], stages[k]
    systems: dict[str, tuple[list[dict[str, Any]], dict[str, float]]] = {"claimscope rules": ([], {})}
    learned: Stage | None = None
    if model:
        from claimscope.stages.attribution_learned import stage as learned_stage

        learned = learned_stage(model)
        systems["claimscope learned"] = ([], {})
    shared_clock: dict[str, float] = {}
    for lo in range(0, len(gold), 16):
        batch = [Ledger(article=Article(id=g["doc_id"], text=g["text"])) for g in gold[lo : lo + 16]]
        parsed = _timed(before, batch, shared_clock)
        for name, stage in (("claimscope rules", rules), ("claimscope learned", learned)):
            if stage is None:
                continue
            preds, clock = systems[name]
            preds.extend(to_json(led) for led in _timed([stage], parsed, clock))
    for _, clock in systems.values():
        clock.update(shared_clock)
    return systems


def textacy(gold_path: Path, python: str, tmp: Path) -> tuple[Path, dict[str, float]] | None:
    if not Path(python).exists():
        print(f"  textacy: no interpreter at {python}; run `make eval-baselines` (or pass --textacy-python)")
        return None
    pred, timing = tmp / "textacy.jsonl", tmp / "textacy-timing.json"
    subprocess.run([python, str(ROOT / "eval" / "textacy_quotes.py"), str(gold_path), str(pred), "--timing",
                    str(timing)], check=True, stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": ""})
    return pred, json.loads(timing.read_text(encoding="utf-8"))


def _row(name: str, res: dict[str, Any], parse_s: float, attr_s: float) -> str:
    lp, lr, lf = res["loose"]
    return (f"  {name:<20} loose P {lp:.3f} R {lr:.3f} F1 {lf:.3f} | strict F1 {res['strict'][2]:.3f} | "
            f"cue F1 {res['cue'][2]:.3f} | speaker acc {res['speaker_acc']:.3f} | predicted {res['pred']} | "
            f"parse {parse_s:.1f} s, attribution {attr_s:.2f} s ({attr_s / parse_s:.1%} of parse)")


def main() -> None:
    gold_path = Path(_arg("--gold") or GOLD)
    if not gold_path.exists():
        sys.exit(f"{gold_path}: no such file (the shared data is not beside the repository)")
    limit = _arg("--limit")
    gold = [json.loads(ln) for ln in gold_path.read_text("utf-8").splitlines() if ln.strip()]
    gold = gold[: int(limit)] if limit else gold
    python = _arg("--textacy-python") or os.environ.get("TEXTACY_PYTHON") or str(ROOT / ".venv-textacy/bin/python")
    print(f"== attribution: {gold_path.name} ({len(gold)} docs, {sum(len(g['quotes']) for g in gold)} attributions)")
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        gold_file = tmp / "gold.jsonl"
        gold_file.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in gold), encoding="utf-8")
        for name, (preds, clock) in ours(gold, _arg("--attribution-model")).items():
            pred_file = tmp / "ours.jsonl"
            pred_file.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in preds), encoding="utf-8")
            parse_s = clock.get("segment", 0.0) + clock.get("nlp", 0.0)
            print(_row(name, score(gold_file, pred_file), parse_s, clock["attribution"]), flush=True)
        got = textacy(gold_file, python, tmp)
        if got:
            pred, timing = got
            print(_row("textacy 0.13.0", score(gold_file, pred), timing["parse_s"], timing["extract_s"]))
            print(f"  (textacy read {timing['docs_read_by_paragraph']} documents paragraph by paragraph for an odd "
                  f"count of quotation marks; {timing['paragraphs_skipped']} paragraphs skipped)")


if __name__ == "__main__":
    main()
