"""Ingest throughput on a real corpus, and the cost of re-running an ingest over what is stored.

usage: python bench/ingest.py [CORPUS.jsonl.gz] [--docs N] [--db URL]
CORPUS defaults to ../shared/data/corpora/bbc_fulltext/bbc_fulltext.jsonl.gz (2,225 BBC stories); the store
defaults to a fresh SQLite file in a temporary folder. Reports articles/s for the first ingest and the
re-run (skipped by content hash) and their ratio, measured in one run; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "corpora" / "bbc_fulltext" / "bbc_fulltext.jsonl.gz"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT))
    parser.add_argument("--docs", type=int, default=2225)
    parser.add_argument("--db", default=None)
    opts = parser.parse_args()
    if not Path(opts.corpus).exists():
        sys.exit(f"{opts.corpus}: corpus not found (the team's data lives in ../shared)")

    from claimscope import sources
    from claimscope.corpus.ingest import ingest_articles
    from claimscope.errors import BatchLineError
    from claimscope.stages import nlp

    articles = [a for a in sources.read(opts.corpus) if not isinstance(a, BatchLineError)][: opts.docs]
    nlp.load()  # the model load is not ingest work
    with tempfile.TemporaryDirectory() as tmp:
        db = opts.db or str(Path(tmp) / "bench.db")
        t0 = time.perf_counter()
        first = ingest_articles(iter(articles), db)
        first_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = ingest_articles(iter(articles), db)
        again_s = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"corpus: {Path(opts.corpus).name}, {len(articles)} articles")
    print(f"first ingest: {first.line()} in {first_s:.1f} s ({len(articles) / first_s:.2f} articles/s)")
    print(f"re-run:       {again.line()} in {again_s:.2f} s ({len(articles) / again_s:.0f} articles/s)")
    print(f"peak RSS {rss_mb:.0f} MB")
    print(f"ingest_rate={len(articles) / first_s:.3f} rerun_speedup={first_s / again_s:.1f}")


if __name__ == "__main__":
    main()
