"""Two worker processes against one: the local engine of `claimscope run` on the same articles.

usage: python bench/parallel.py [CORPUS.jsonl.gz] [--docs N] [--workers W]
CORPUS defaults to ../shared/data/corpora/bbc_fulltext/bbc_fulltext.jsonl.gz (the first N stories).

One worker runs in this process; W workers are a pool of W processes (``scale.local``), each loading
the model once when it starts. Model loads are not timed: the pool is warmed with one small batch per
worker before the clock starts (so is this process for the single worker). Wall-clock time of the whole
analysis, ledgers returned to this process in order; nothing is asserted. Other processes on the
machine compete for the same cores, so the load average is printed with the figures, and beside the
wall-clock speedup a bound that does not depend on them: from the CPU seconds of each worker and of this
process (``/proc``, Linux), the best speedup the pool could reach on idle cores (its busiest worker, or
its total CPU time spread over the cores, whichever is longer).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one thread per worker: the pool is the parallelism

import argparse  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from claimscope.scale.local import LocalPool  # noqa: E402

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
    from claimscope.scale.local import run_local

    articles = [a for a in sources.read(opts.corpus) if isinstance(a, Article)][: opts.docs]
    warm = [Article("warm-up", "The minister said on Monday that 3,000 jobs would go.")]
    words = sum(len(a.text.split()) for a in articles)

    pipeline_for()  # this process's model: loaded before the clock
    process_batch(warm)
    t0, c0 = time.perf_counter(), time.process_time()
    one = [led.article.id for led in run_local(articles, workers=1, batch_size=opts.batch_size)]
    one_s, one_cpu = time.perf_counter() - t0, time.process_time() - c0

    with LocalPool(opts.workers) as pool:
        pool.warm(warm)
        load = os.getloadavg()[0]
        before = _worker_cpu(pool)
        t0, c0 = time.perf_counter(), time.process_time()
        many = [led.article.id for led in pool.map(articles, batch_size=opts.batch_size)]
        many_s, parent_cpu = time.perf_counter() - t0, time.process_time() - c0
        workers_cpu = [after - before.get(pid, 0.0) for pid, after in _worker_cpu(pool).items()]
    assert many == one, "the pool changed the order or lost articles"
    # On C free cores the pooled run cannot be faster than its busiest worker, nor than all its CPU time
    # (workers and this process) spread over C cores: the speedup one would measure on an idle machine.
    cores = min(opts.workers, os.cpu_count() or 1)
    bound = max(max(workers_cpu, default=0.0), (sum(workers_cpu) + parent_cpu) / cores)

    print(f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {load:.1f} at the start of the pooled run")
    print(f"corpus: {Path(opts.corpus).name}, {len(articles)} articles, {words} words")
    print(f"1 worker (this process): {one_s:.1f} s ({words / one_s:.0f} words/s)")
    print(f"{opts.workers} worker processes:    {many_s:.1f} s ({words / many_s:.0f} words/s)")
    print(f"CPU seconds: 1 worker {one_cpu:.1f}; pooled: workers {', '.join(f'{c:.1f}' for c in workers_cpu)}, "
          f"this process {parent_cpu:.1f} -> on {cores} idle cores at best {one_cpu / bound:.2f}x")
    print(f"parallel_speedup={one_s / many_s:.2f} cpu_bound_speedup={one_cpu / bound:.2f}")


def _worker_cpu(pool: LocalPool) -> dict[int, float]:
    """CPU seconds (user + system) of each live worker process, from /proc (Linux); {} elsewhere."""
    ticks = os.sysconf("SC_CLK_TCK")
    out: dict[int, float] = {}
    for pid in pool.pids():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime (fields 14 and 15)
    return out


if __name__ == "__main__":
    main()
