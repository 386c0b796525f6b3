"""Throughput of the whole pipeline against spaCy alone on the same texts, and the cost of each stage.

usage: python bench/throughput.py [CORPUS.jsonl] [--docs N] [--rounds R]
CORPUS defaults to ../shared/data/polnear/dev.jsonl (any JSON Lines file with a "text" field).

spaCy alone: ``nlp.pipe`` over exactly the paragraphs the pipeline parses, same model, same batch size.
The whole pipeline: every stage, then each ledger stored in a fresh SQLite store (``store.put``). The
model is loaded before either is timed. Each is timed ``--rounds`` times, alternately, and the best round
counts (the least disturbed by other processes). Times are CPU seconds of this process (BLAS held to one
thread), which other processes on the machine barely change; wall-clock figures are printed beside.
Reports, it does not assert.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core: before numpy is imported

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


class Clock:
    """CPU and wall seconds of one timed block."""

    def __enter__(self) -> Clock:
        self.cpu, self.wall = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cpu, self.wall = time.process_time() - self.cpu, time.perf_counter() - self.wall


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "data" / "polnear" / "dev.jsonl"))
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    opts = parser.parse_args()
    path = Path(opts.corpus)
    if not path.exists():
        sys.exit(f"{path}: corpus not found (the team's data lives in ../shared)")
    texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8")][: opts.docs]

    from claimscope.model import Article, Ledger
    from claimscope.pipeline import default_stages
    from claimscope.stages import nlp
    from claimscope.store import open_store

    model = nlp.load()  # the very copy the nlp stage uses
    config = nlp.Config()
    stages = default_stages()
    segmented = [stages[0].run_one(Ledger(Article(str(i), t))) for i, t in enumerate(texts)]
    units = [nlp._MARKUP.sub(nlp._blank, led.text[a:b]) for led in segmented for a, b, _ in nlp.units(led)]
    words = sum(len(t.split()) for t in texts)

    best_spacy: Clock | None = None
    best: tuple[Clock, dict[str, float]] | None = None
    for _ in range(opts.rounds):
        with Clock() as spacy_clock:
            for _doc in model.pipe(units, batch_size=config.batch_size):
                pass
        best_spacy = spacy_clock if best_spacy is None or spacy_clock.cpu < best_spacy.cpu else best_spacy
        with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "bench.db")) as store:
            timings: dict[str, float] = {}
            with Clock() as whole:
                ledgers = [Ledger(Article(str(i), t)) for i, t in enumerate(texts)]
                for stage in stages:
                    t0 = time.process_time()
                    ledgers = stage.run_batch(ledgers)
                    timings[stage.name] = time.process_time() - t0
                t0 = time.process_time()
                for led in ledgers:
                    store.put(led)
                timings["store"] = time.process_time() - t0
        best = (whole, timings) if best is None or whole.cpu < best[0].cpu else best
    assert best_spacy is not None and best is not None
    whole, timings = best
    spacy_s = best_spacy.cpu

    print(f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"corpus: {path.name}, {len(texts)} documents, {words} words, {len(units)} paragraphs; "
          f"best of {opts.rounds} rounds")
    print(f"spaCy nlp.pipe alone: {spacy_s:.2f} CPU s ({words / spacy_s:.0f} words/s per core), "
          f"{best_spacy.wall:.2f} s wall")
    print(f"whole pipeline:       {whole.cpu:.2f} CPU s ({words / whole.cpu:.0f} words/s per core), "
          f"{whole.wall:.2f} s wall")
    for name, secs in timings.items():
        print(f"  {name:12} {secs:7.3f} s  {1000 * secs / len(texts):7.2f} ms/doc  {secs / spacy_s:6.1%} of the parse")
    added = whole.cpu - timings["nlp"]
    print(f"throughput_ratio={spacy_s / whole.cpu:.3f} wall_ratio={best_spacy.wall / whole.wall:.3f} "
          f"added_over_parse={added / spacy_s:.3f} attribution_over_parse={timings['attribution'] / spacy_s:.3f} "
          f"words_per_core_s={words / whole.cpu:.0f}")


if __name__ == "__main__":
    main()
