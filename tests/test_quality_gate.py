"""The quality gate: accuracy on the team's annotated data must not fall below the pinned floors.

Floors and the digest of the gold slice they were measured on live in tests/eval_baseline.json; a
changed gold slice fails loudly instead of silently moving the goalposts.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
BASELINE = json.loads((ROOT / "tests" / "eval_baseline.json").read_text(encoding="utf-8"))
sys.path.insert(0, str(ROOT))

from eval import harness  # noqa: E402

pytestmark = pytest.mark.usefixtures("shared")


def _metrics(task: str, res: dict[str, Any]) -> dict[str, float]:
    if task == "attribution":
        return {"loose_f1": res["loose"][2], "strict_f1": res["strict"][2], "speaker_acc": res["speaker_acc"],
                "cue_f1": res["cue"][2]}
    if task == "times":
        return {"value_f1": res["value_f1"], "relaxed_f1": res["relaxed"][2], "strict_f1": res["strict"][2]}
    return {"value_f1": res["value"][2], "value_bound_f1": res["value_bound"][2]}


def test_seed_ledger_score() -> None:
    res = harness.score_seed()
    missed = [f"{r[0]} {r[1]}" for r in res["rows"] if r[2] == "MISS"]
    assert res["right"] >= BASELINE["seed"]["floor_right"], missed


@pytest.mark.parametrize("task", [k for k in BASELINE if k in harness.TASKS])
def test_task_floors(task: str) -> None:
    spec = BASELINE[task]
    t = harness.TASKS[task]
    assert harness.digest(harness.gold_lines(t, spec["docs"])) == spec["digest"], "the gold slice changed"
    got = _metrics(task, harness.score(t, spec["docs"]))
    below = {k: (round(got[k], 3), floor) for k, floor in spec["floors"].items() if got[k] < floor}
    assert not below, f"below the pinned floor (got, floor): {below}"


def test_grounding_floors() -> None:
    """The learned grounding score on a fixed subsample of QAGS and SummEdits news (every N-th row)."""
    import os

    if not os.environ.get("CI"):
        pytest.importorskip("sentence_transformers", reason="the grounding extra is not installed")
    from eval import grounding

    spec = BASELINE["grounding"]
    qags, news = grounding.rows(every=spec["every"])
    assert grounding.digest(qags, news) == spec["digest"], "the measured rows changed"
    got = grounding.measure(qags, news, names=("grounding",))["grounding"]
    below = {k: (round(got[k], 3), floor) for k, floor in spec["floors"].items() if got[k] < floor}
    assert not below, f"below the pinned floor (got, floor): {below}"


def test_appended_material_floors() -> None:
    """Blocks appended to real BBC articles are flagged, genuine controls are not (eval/appended.py)."""
    from eval import appended

    spec = BASELINE["appended"]
    digest, got = appended.gate_metrics(spec["per_type"], tuple(spec["sources"]))
    assert digest == spec["digest"], "the appended-material slice changed"
    below = {k: (round(got[k], 3), floor) for k, floor in spec["floors"].items() if got[k] < floor}
    above = {k: (got[k], ceiling) for k, ceiling in spec["ceilings"].items() if got[k] > ceiling}
    assert not below and not above, f"outside the pinned bounds (got, bound): {below} {above}"
