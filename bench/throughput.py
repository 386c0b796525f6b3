"""Throughput of the pipeline against spaCy alone on the same texts, and the cost of each stage.

usage: python bench/throughput.py [CORPUS.jsonl] [--docs N]
CORPUS defaults to ../shared/data/polnear/dev.jsonl (any JSON Lines file with a "text" field).
Reports, it does not assert: the figures are ratios measured in one run on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "data" / "polnear" / "dev.jsonl"))
    parser.add_argument("--docs", type=int, default=200)
    opts = parser.parse_args()
    path, limit = Path(opts.corpus), opts.docs
    if not path.exists():
        sys.exit(f"{path}: corpus not found (the team's data lives in ../shared)")
    texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8")][:limit]

    from claimscope.model import Article, Ledger
    from claimscope.pipeline import default_stages
    from claimscope.stages import nlp

    model = nlp.load()
    stages = default_stages()
    ledgers = [Ledger(Article(str(i), t)) for i, t in enumerate(texts)]
    ledgers = [stages[0].run_one(led) for led in ledgers]  # segment
    units = [led.text[a:b] for led in ledgers for a, b, _ in nlp.units(led)]
    words = sum(len(t.split()) for t in texts)

    t0 = time.perf_counter()
    for _ in model.pipe(units, batch_size=64):
        pass
    spacy_s = time.perf_counter() - t0

    timings: dict[str, float] = {}
    t_all = time.perf_counter()
    ledgers = [Ledger(Article(str(i), t)) for i, t in enumerate(texts)]
    for stage in stages:
        t0 = time.perf_counter()
        ledgers = stage.run_batch(ledgers)
        timings[stage.name] = time.perf_counter() - t0
    total_s = time.perf_counter() - t_all

    print(f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"corpus: {path.name}, {len(texts)} documents, {words} words")
    print(f"spaCy nlp.pipe alone: {spacy_s:.2f} s ({words / spacy_s:.0f} words/s)")
    print(f"whole pipeline:       {total_s:.2f} s ({words / total_s:.0f} words/s)")
    for name, secs in timings.items():
        print(f"  {name:12} {secs:7.3f} s  {1000 * secs / len(texts):7.2f} ms/doc  {secs / spacy_s:6.1%} of the parse")
    added = total_s - timings["nlp"]
    print(f"throughput_ratio={spacy_s / total_s:.3f} added_over_parse={added / spacy_s:.3f} "
          f"attribution_over_parse={timings['attribution'] / spacy_s:.3f}")


if __name__ == "__main__":
    main()
