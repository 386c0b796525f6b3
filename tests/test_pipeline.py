from __future__ import annotations

import dataclasses

import pytest

from claimscope.errors import MissingLayerError
from claimscope.model import Article, Ledger
from claimscope.pipeline import Pipeline, Stage, default_stages


def _stage(name: str, requires: set[str], provides: set[str]) -> Stage:
    return Stage(name, frozenset(requires), frozenset(provides), f"{name}.test.v1", lambda led: led)


def test_assembly_names_the_missing_layer() -> None:
    with pytest.raises(MissingLayerError, match="'attribution' requires parse"):
        Pipeline([_stage("segment", {"article"}, {"segments"}), _stage("attribution", {"parse"}, {"statements"})])


def test_default_chain_assembles() -> None:
    names = Pipeline(default_stages()).names
    assert names[0] == "segment" and names[1] == "nlp"


def test_failing_stage_costs_only_its_layer() -> None:
    def boom(led: Ledger) -> Ledger:
        raise RuntimeError("bad item")

    ok = Stage("segment", frozenset({"article"}), frozenset({"segments"}), "s.v1",
               lambda led: dataclasses.replace(led, segments=()))
    bad = Stage("times", frozenset({"segments"}), frozenset({"times"}), "t.v1", boom)
    led = Pipeline([ok, bad]).run(Article("a", "text"))
    assert led.segments == () and led.times == ()
    assert led.diagnostics[0].stage == "times" and "RuntimeError: bad item" in led.diagnostics[0].message
    assert ("segment", "s.v1") in led.extractors


def test_run_many_keeps_order_across_batches() -> None:
    stage = Stage("segment", frozenset({"article"}), frozenset({"segments"}), "s.v1",
                  lambda led: dataclasses.replace(led, segments=()))
    arts = [Article(str(i), f"text {i}") for i in range(7)]
    out = list(Pipeline([stage]).run_many(arts, batch_size=3))
    assert [led.article.id for led in out] == [str(i) for i in range(7)]
