"""Golden ledgers of the example articles: any change in the output shows up as a reviewable diff.

Regenerate after an intended change with `pytest tests/test_golden.py --update-golden` and read the diff.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from claimscope import sources
from claimscope.errors import BatchLineError
from claimscope.pipeline import default_pipeline
from claimscope.serialize import to_json

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "fixtures" / "golden"
EXAMPLES = {"harbour.txt": dt.date(2024, 11, 5), "vaccine.html": None, "batch.jsonl": None}


def _ledgers(name: str) -> list[dict[str, object]]:
    items = [a for a in sources.read(ROOT / "examples" / name, published=EXAMPLES[name])
             if not isinstance(a, BatchLineError)]
    out = []
    for led in default_pipeline().run_many(items):
        doc = to_json(led)
        doc["meta"]["source"] = name if doc["meta"]["source"] else None  # type: ignore[index]
        out.append(doc)
    return out


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_golden_ledger(name: str, update_golden: bool) -> None:
    path = GOLDEN / (name.split(".")[0] + ".json")
    got = _ledgers(name)
    if update_golden:
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert path.exists(), f"no golden ledger {path.name}: run pytest with --update-golden and review it"
    assert got == json.loads(path.read_text(encoding="utf-8"))
