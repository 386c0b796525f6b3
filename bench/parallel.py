"""Two worker processes against one: the local engine of `claimscope run` on the same articles.

usage: python bench/parallel.py [CORPUS.jsonl.gz] [--docs N] [--workers W]
CORPUS defaults to ../shared/data/corpora/bbc_fulltext/bbc_fulltext.jsonl.gz (the first N stories).

One worker runs in this process; W workers are a pool of W processes (``scale.local``), each loading
the model once when it starts. Model loads are not timed: the pool is warmed with one small batch per
worker before the clock starts (so is this process for the single worker). Wall-clock time of the whole
analysis, ledgers returned to this process in order; nothing is asserted. Other processes on the
machine compete for the same cores, so the load average is printed with the figures.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one thread per worker: the pool is the parallelism

import argparse  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "corpora" / "bbc_fulltext" / "bbc_fulltext.jsonl.gz"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT))
    parser.add_argument("--docs", type=int, default=240)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=16)
    opts = parser.parse_args()
    if not Path(opts.corpus).exists():
        sys.exit(f"{opts.corpus}: corpus not found (the team's data lives in ../shared)")

    from claimscope import sources
    from claimscope.model import Article
    from claimscope.scale.batch import pipeline_for, process_batch
    from claimscope.scale.local import LocalPool, run_local

    articles = [a for a in sources.read(opts.corpus) if isinstance(a, Article)][: opts.docs]
    warm = [Article("warm-up", "The minister said on Monday that 3,000 jobs would go.")]
    words = sum(len(a.text.split()) for a in articles)

    pipeline_for()  # this process's model: loaded before the clock
    process_batch(warm)
    t0 = time.perf_counter()
    one = [led.article.id for led in run_local(articles, workers=1, batch_size=opts.batch_size)]
    one_s = time.perf_counter() - t0

    with LocalPool(opts.workers) as pool:
        pool.warm(warm)
        load = os.getloadavg()[0]
        t0 = time.perf_counter()
        many = [led.article.id for led in pool.map(articles, batch_size=opts.batch_size)]
        many_s = time.perf_counter() - t0
    assert many == one, "the pool changed the order or lost articles"

    print(f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {load:.1f} at the start of the pooled run")
    print(f"corpus: {Path(opts.corpus).name}, {len(articles)} articles, {words} words")
    print(f"1 worker (this process): {one_s:.1f} s ({words / one_s:.0f} words/s)")
    print(f"{opts.workers} worker processes:    {many_s:.1f} s ({words / many_s:.0f} words/s)")
    print(f"parallel_speedup={one_s / many_s:.2f}")


if __name__ == "__main__":
    main()
