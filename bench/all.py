"""`make bench`: every speed and memory benchmark in one run, then the four figures on one line.

usage: python bench/all.py [--ingest-docs N] [--quick]
Runs, one after the other (never side by side: they would compete for the cores), each in its own
process: throughput.py, parallel.py, memory.py, ingest.py (``--ingest-docs``, default 1,000 BBC
stories), and textacy_quotes.py when TEXTACY_PYTHON names a Python with textacy. Their reports go
to stdout as they come; the last line is

    throughput_ratio=… parallel_speedup=… memory_ratio=… rerun_speedup=…

for a script to read. A benchmark that fails prints its error and leaves its figure as "nan".
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIGURES = ("throughput_ratio", "parallel_speedup", "memory_ratio", "rerun_speedup")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--ingest-docs", type=int, default=1000)
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes: checks that every benchmark runs; the figures mean nothing")
    opts = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE.parent / "src"),
                                                                      os.environ.get("PYTHONPATH")]))}
    runs = [["throughput.py"], ["parallel.py"], ["memory.py"], ["ingest.py", "--docs", str(opts.ingest_docs)]]
    if opts.quick:
        runs = [["throughput.py", "--docs", "6", "--rounds", "1"], ["parallel.py", "--docs", "16"],
                ["memory.py", "--docs", "60", "--early", "20"], ["ingest.py", "--docs", "10"]]
    textacy = os.environ.get("TEXTACY_PYTHON")
    if textacy:  # a separate environment: see textacy_quotes.py
        runs.append(["textacy_quotes.py"])
    else:
        print("textacy_quotes.py skipped: set TEXTACY_PYTHON to a Python that has textacy 0.13 and the model")
    found: dict[str, str] = {}
    for args in runs:
        print(f"\n== {' '.join(args)}", flush=True)
        python = textacy if args[0] == "textacy_quotes.py" and textacy else sys.executable
        proc = subprocess.run([python, str(HERE / args[0]), *args[1:]], env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
        lines = proc.stdout.rstrip("\n").splitlines()
        print("\n".join(lines), flush=True)
        if proc.returncode:
            print(f"{args[0]} failed (exit status {proc.returncode})", flush=True)
            continue
        for part in (lines[-1] if lines else "").split():
            key, _, value = part.partition("=")
            if key in FIGURES:
                found[key] = value
    print()
    print(" ".join(f"{key}={found.get(key, 'nan')}" for key in FIGURES))


if __name__ == "__main__":
    main()
