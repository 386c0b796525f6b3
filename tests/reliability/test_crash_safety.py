"""Crash safety: ``claimscope ingest`` killed with SIGKILL while it writes (to SQLite, to PostgreSQL), then
restarted, leaves no article half-stored, loses none, duplicates none, and the resumed run completes the corpus."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from articles import write_corpus
from bounded import CLI, PYTHON, cli, env
from snapshots import snapshot, stored

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
from backends import backend_url  # noqa: E402

KILLS = 3
SEED = 20241125
ARTICLES = 30
def _ingest_until_killed(corpus: Path, url: str, target: int, rng: random.Random) -> bool:
    """Start an ingest, SIGKILL it once ``target`` articles are stored (plus a random few ms); True if killed."""
    proc = subprocess.Popen([PYTHON, "-c", CLI, "ingest", "--batch-size", "1", "--db", url, str(corpus)],
                            env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while proc.poll() is None and stored(url) < target and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.05))
        killed = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        return killed
    finally:
        proc.wait(timeout=30)


@pytest.fixture(params=["sqlite", "postgresql"])
def two_stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A clean store and a store to crash, both fresh, of one backend."""
    with ExitStack() as stack:
        (tmp_path / "clean").mkdir()
        (tmp_path / "crashed").mkdir()
        yield (stack.enter_context(backend_url(request.param, tmp_path / "clean")),
               stack.enter_context(backend_url(request.param, tmp_path / "crashed")))


def test_an_ingest_killed_while_writing_resumes_without_loss_or_duplicates(
        tmp_path: Path, two_stores: tuple[str, str]) -> None:
    clean, crashed = two_stores
    corpus = tmp_path / "corpus"
    write_corpus(corpus, ARTICLES)
    done = cli("ingest", "--db", clean, str(corpus), timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    rng = random.Random(SEED)
    targets = sorted(rng.sample(range(1, ARTICLES), KILLS))
    kills = [_ingest_until_killed(corpus, crashed, target, rng) for target in targets]
    assert sum(kills) >= 1, "no ingest was killed while running"
    partial = snapshot(crashed)
    resumed = cli("ingest", "--db", crashed, str(corpus), timeout=180)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    want, got = snapshot(clean), snapshot(crashed)
    print(f"\ncrash safety: kills at {targets} stored articles, {sum(kills)} landed, {len(partial['articles'])} "
          f"stored before the resumed run, {len(got['articles'])} after")
    assert len(want["articles"]) == ARTICLES
    assert set(got["articles"]) == set(want["articles"])  # none lost, none extra
    for table, counts in want.items():
        assert got.get(table) == counts, table  # per article: no half-stored article, no duplicated row
    assert set(got["runs"]) == set(got["articles"]) and set(got["runs"].values()) == {1}
