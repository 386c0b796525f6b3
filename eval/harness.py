"""Run claimscope over the team's annotated development data and score it with the shared scorers.

The scorers in ../shared/eval are the judges: this module only prepares their inputs (exactly as
../shared/eval/dev_eval.sh does), runs the library over them, and reads the scorers' --json output.
Used by the quality gate (tests/test_quality_gate.py) and by `python -m eval.harness TASK`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@dataclass(frozen=True)
class Task:
    name: str
    gold: str  # path under ../shared
    scorer: str  # script under ../shared/eval
    id_key: str = "doc_id"
    date_key: str | None = None  # gold field holding the publication date


TASKS = {
    "attribution": Task("attribution", "data/polnear/dev.jsonl", "score_quotes.py"),
    "times": Task("times", "data/time/timebank.jsonl", "score_times.py", date_key="dct"),
    "figures": Task("figures", "data/quantities/newsquant_dev.jsonl", "score_quantities.py"),
}


def gold_lines(task: Task, limit: int | None = None) -> list[str]:
    with (SHARED / task.gold).open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip()]
    return lines[:limit] if limit else lines


def digest(lines: list[str]) -> str:
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()[:16]


def _articles(task: Task, lines: list[str]) -> Iterator[Any]:
    from claimscope.model import Article

    for line in lines:
        g = json.loads(line)
        day = dt.date.fromisoformat(g[task.date_key][:10]) if task.date_key else None
        yield Article(id=str(g[task.id_key]), text=g["text"], published=day)


def score(task: Task, limit: int | None = None) -> dict[str, Any]:
    """Run the pipeline on the first ``limit`` gold documents and return the scorer's JSON."""
    from claimscope.pipeline import default_pipeline
    from claimscope.serialize import to_json

    lines = gold_lines(task, limit)
    with tempfile.TemporaryDirectory() as tmp:
        gold, pred = Path(tmp) / "gold.jsonl", Path(tmp) / "pred.jsonl"
        gold.write_text("".join(lines), encoding="utf-8")
        with pred.open("w", encoding="utf-8") as out:
            for led in default_pipeline().run_many(_articles(task, lines)):
                out.write(json.dumps(to_json(led), ensure_ascii=False) + "\n")
        res = subprocess.run([sys.executable, str(SHARED / "eval" / task.scorer), str(gold), str(pred), "--json"],
                             capture_output=True, text=True, check=True)
    return json.loads(res.stdout)  # type: ignore[no-any-return]


def score_seed() -> dict[str, Any]:
    from claimscope.model import Article
    from claimscope.pipeline import default_pipeline
    from claimscope.serialize import to_json

    seed = SHARED / "seed" / "000_b363215d67523c3c.txt"
    text = seed.read_text(encoding="utf-8")
    led = default_pipeline().run(Article(Article.make_id(text), text, dt.date(2024, 11, 3)))
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "seed.json"
        pred.write_text(json.dumps(to_json(led), ensure_ascii=False), encoding="utf-8")
        res = subprocess.run([sys.executable, str(SHARED / "eval" / "score_ledger.py"),
                              str(seed.with_suffix(".gold.json")), str(pred), "--json"],
                             capture_output=True, text=True, check=True)
    return json.loads(res.stdout)  # type: ignore[no-any-return]


if __name__ == "__main__":
    if not (SHARED / "eval").is_dir():
        sys.exit("../shared (annotated development data) is not beside the repository")
    name = sys.argv[1] if len(sys.argv) > 1 else "seed"
    result = score_seed() if name == "seed" else score(TASKS[name])
    print(json.dumps({k: v for k, v in result.items() if k != "rows"}, indent=1))
