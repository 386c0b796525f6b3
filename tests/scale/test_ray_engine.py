"""The Ray engine in local mode gives the local engine's ledgers, document for document."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_engines import RECORDS, articles_of, write_corpus  # type: ignore[import-not-found]

from claimscope.model import Ledger
from claimscope.scale.local import run_local
from claimscope.serialize import to_json
from claimscope.sources.skipped import Skipped

if not os.environ.get("CI"):
    pytest.importorskip("ray", reason="the ray extra (claimscope[ray]) is not installed")


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    import ray

    ray.init(num_cpus=2, include_dashboard=False, object_store_memory=100 * 1024 * 1024,
             log_to_driver=False, logging_level="WARNING")
    yield
    ray.shutdown()


def test_ray_engine_equals_the_local_engine(local_ray: None, tmp_path: Path) -> None:
    from claimscope.scale.ray_engine import run_ray

    first = write_corpus(tmp_path)  # with two bad lines
    second = tmp_path / "more.jsonl"
    second.write_text(json.dumps({"id": "extra", "text": "Sales fell 3% in May, the company said."}) + "\n",
                      encoding="utf-8")
    files = [str(first), str(second), str(tmp_path / "missing.jsonl")]

    items = list(run_ray(files, workers=2, batch_size=2))
    ledgers = [i for i in items if isinstance(i, Ledger)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    local = list(run_local(articles_of(first) + articles_of(second), batch_size=2))

    assert [led.article.id for led in ledgers] == [r["id"] for r in RECORDS] + ["extra"]  # input order
    for got, want in zip(ledgers, local, strict=True):
        assert to_json(got) == to_json(want), got.article.id
    assert sorted((s.reason, s.failed) for s in skipped) == [
        ("no article in the file", True), ("unusable batch line", True), ("unusable batch line", True)]
