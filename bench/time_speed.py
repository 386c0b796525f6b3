"""Benchmark (a report, not a test): the time stage alone, per article, given a prepared parse.

usage: PYTHONPATH=src python bench/time_speed.py [GOLD.jsonl ...] [--repeat N]

Parses every document once (segment + nlp, timed), then runs only the time stage over the prepared
ledgers ``--repeat`` times (default 5) and reports the median, mean and 90th percentile wall-clock milliseconds
per article, the median CPU milliseconds of this process (steadier on a shared machine), the ratio of
time-stage cost to parse cost on the same texts, and the machine. Defaults to
TimeBank + AQUAINT (with their DCTs) and PolNeAR dev (no publication date) from ../shared/data.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from claimscope.model import Article, Ledger
from claimscope.pipeline import default_stages

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DEFAULT = [DATA / "time" / "timebank.jsonl", DATA / "time" / "aquaint.jsonl", DATA / "polnear" / "dev.jsonl"]


def articles(path: Path) -> list[Article]:
    out = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            g = json.loads(line)
            day = dt.date.fromisoformat(g["dct"][:10]) if g.get("dct") else None
            out.append(Article(id=str(g["doc_id"]), text=g["text"], published=day))
    return out


def prepare(arts: list[Article]) -> tuple[list[Ledger], list[float]]:
    """Segment and parse each article once; return the ledgers and the parse seconds per article."""
    stages = {s.name: s for s in default_stages()}
    ledgers, secs = [], []
    for art in arts:
        t0 = time.perf_counter()
        led = stages["nlp"].run_batch(stages["segment"].run_batch([Ledger(article=art)]))[0]
        secs.append(time.perf_counter() - t0)
        ledgers.append(led)
    return ledgers, secs


def time_stage(ledgers: list[Ledger], repeat: int) -> tuple[list[float], list[float]]:
    """Per-article seconds of the time stage, the best of ``repeat`` runs each: wall clock and CPU time of this
    process (on a shared machine the wall clock also counts the time other processes hold the CPU)."""
    stage = {s.name: s for s in default_stages()}["time"]
    best = [float("inf")] * len(ledgers)
    cpu = [float("inf")] * len(ledgers)
    for _ in range(repeat):
        for k, led in enumerate(ledgers):
            t0, c0 = time.perf_counter(), time.process_time()
            stage.fn(led)
            best[k] = min(best[k], time.perf_counter() - t0)
            cpu[k] = min(cpu[k], time.process_time() - c0)
    return best, cpu


def report(name: str, arts: list[Article], parse: list[float], stage: list[float], cpu: list[float]) -> None:
    ms = sorted(1000 * s for s in stage)
    chars = statistics.median(len(a.text) for a in arts)
    p90 = ms[int(0.9 * (len(ms) - 1))]
    ratio = sum(stage) / sum(parse)
    print(f"{name}: {len(arts)} articles, median {chars:.0f} chars; time stage median {statistics.median(ms):.2f} ms, "
          f"mean {statistics.mean(ms):.2f} ms, p90 {p90:.2f} ms, max {ms[-1]:.2f} ms per article; "
          f"CPU median {1000 * statistics.median(cpu):.2f} ms; "
          f"parse (segment+nlp) median {1000 * statistics.median(parse):.0f} ms; time/parse = {ratio:.3f}")


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> None:
    args = sys.argv[1:]
    repeat = int(args[args.index("--repeat") + 1]) if "--repeat" in args else 5
    paths = [Path(a) for a in args if a.endswith(".jsonl")] or DEFAULT
    print(f"machine: {_cpu()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, {platform.system()} {platform.release()}")
    for path in paths:
        arts = articles(path)
        ledgers, parse = prepare(arts)
        report(f"{path.parent.name}/{path.name}", arts, parse, *time_stage(ledgers, repeat))


if __name__ == "__main__":
    main()
