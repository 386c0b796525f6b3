"""Memory of a long run: peak RSS after 1,000 articles against after 10,000 (streaming: no growth).

usage: python bench/memory.py [CORPUS.jsonl.gz] [--docs N] [--early M]
CORPUS defaults to ../shared/data/corpora/reuters21578/reuters21578.jsonl.gz (19,779 stories with a
body); the run stops after N (10,000) articles.

The run is ``claimscope run CORPUS --out DIR`` with one worker in this process (``scale.run``: the reader
streams the file, ``process_batch`` analyses 32 articles at a time, the ledgers go to Parquet shards), so
the process holds everything a run holds: the model, the reader, the batches, the shard writer. The peak
resident set size (``ru_maxrss``) is read when the M-th and the N-th ledger have been written.
Nothing is asserted.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from itertools import islice  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "corpora" / "reuters21578" / "reuters21578.jsonl.gz"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT))
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--early", type=int, default=1_000)
    opts = parser.parse_args()
    if not Path(opts.corpus).exists():
        sys.exit(f"{opts.corpus}: corpus not found (the team's data lives in ../shared)")

    from claimscope import sources
    from claimscope.model import Article
    from claimscope.scale.local import run_local
    from claimscope.scale.shards import ShardWriter

    start_mb = peak_mb()
    articles = (a for a in sources.read(opts.corpus) if isinstance(a, Article))
    words = n = 0
    marks: dict[int, float] = {}
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, ShardWriter(tmp, rows_per_shard=2_000) as shards:
        for led in run_local(islice(articles, opts.docs), workers=1, batch_size=32):
            shards.write(led)
            n += 1
            words += len(led.text.split())
            if n in (opts.early, opts.docs):
                marks[n] = peak_mb()
            if n % opts.early == 0:  # progress, to stderr: a long run shows how far it got
                print(f"{n} articles, peak RSS {peak_mb():.0f} MB, {time.perf_counter() - t0:.0f} s", file=sys.stderr,
                      flush=True)
    secs = time.perf_counter() - t0
    if len(marks) < 2:
        sys.exit(f"only {n} articles in {opts.corpus}; need {opts.docs}")
    early, late = marks[opts.early], marks[opts.docs]
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"corpus: {Path(opts.corpus).name}, {n} articles, {words} words, {secs:.0f} s "
          f"(whole pipeline, Parquet shards written)")
    print(f"peak RSS: {start_mb:.0f} MB before the model, {early:.0f} MB after {opts.early:,} articles, "
          f"{late:.0f} MB after {opts.docs:,}")
    print(f"memory_ratio={late / early:.3f}")


if __name__ == "__main__":
    main()
