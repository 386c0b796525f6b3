"""Helpers of the reliability tests: run a case with a time limit (in this process or a child with a memory
limit), and check the invariants every ledger must keep."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from claimscope.model import Ledger

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
CLI = "from claimscope.cli import main; main()"
MEMORY_LIMIT = 3 * 1024**3  # address space of a child case: spaCy and a 5 MB input fit well inside


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Raise TimeoutError in this (main) thread when the block runs longer than ``seconds``."""
    def _expired(signum: int, frame: Any) -> None:
        raise TimeoutError(f"the case ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), "OMP_NUM_THREADS": "1"}


def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``claimscope ARGS`` in a child process with a memory limit and a time limit."""
    return subprocess.run([PYTHON, "-c", CLI, *args], capture_output=True, text=True, timeout=timeout, env=env(),
                          preexec_fn=_limit_memory, check=False)


def one_line_errors(stderr: str) -> list[str]:
    """Every stderr line is a one-line message (no traceback)."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert "Traceback" not in stderr, stderr[-2000:]
    assert all(line.startswith(("Error:", "Skipped:")) for line in lines), stderr[-2000:]
    return lines


def ledger_dicts(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def check_ledger(led: Ledger) -> None:
    """Offsets inside the text and matching it, ids unique, every speaker and source an actor."""
    for span in led.spans():
        assert 0 <= span.start <= span.end <= len(led.text), span
        assert span.matches(led.text), span
    actor_ids = [a.id for a in led.actors or ()]
    ids = actor_ids + [x.id for kind in (led.statements, led.quantities, led.times, led.flags) for x in kind or ()]
    assert len(ids) == len(set(ids)), ids
    assert all(s.speaker is None or s.speaker in actor_ids for s in led.statements or ())
    assert all(q.source is None or q.source in actor_ids for q in led.quantities or ())
