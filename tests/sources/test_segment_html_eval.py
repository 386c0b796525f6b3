"""Pinned floors for eval/segment_html.py's measures on a slice of the shared annotated pages."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _eval_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("segment_html", ROOT / "eval" / "segment_html.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.mark.shared
def test_body_extraction_keeps_up_with_trafilatura(shared: Path) -> None:
    figures = _eval_module().measure_scrapinghub(shared, limit=40)
    ours, theirs = figures["claimscope"].figures(), figures["trafilatura"].figures()
    assert ours[1] >= 0.96  # body recall: the segmenter loses no body text
    assert ours[2] >= theirs[2] - 0.005  # F1 no worse than trafilatura's own extraction


@pytest.mark.shared
def test_segmenter_takes_almost_no_body_out(shared: Path) -> None:
    _, _, lines = _eval_module().measure_l3s(shared, limit=120)
    assert lines.body_words > 10_000
    assert lines.body_words_lost / lines.body_words <= 0.002
    assert lines.supp_lines_out / max(lines.supp_lines, 1) >= 0.35
