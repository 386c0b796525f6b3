"""Crash safety: ``claimscope ingest`` killed with SIGKILL while it writes, then restarted, leaves no article
half-stored, loses none, duplicates none, and the resumed run completes the corpus."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from articles import write_corpus
from bounded import CLI, PYTHON, cli, env

KILLS = 3
SEED = 20241125
ARTICLES = 30


def _tables(conn: sqlite3.Connection) -> list[str]:
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return sorted(t for t in names if "article_id" in {c[1] for c in conn.execute(f"PRAGMA table_info({t})")})


def snapshot(db: Path) -> dict[str, dict[str, int]]:
    """Rows per table per article (``articles`` counted by id), from a read-only connection."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        out = {"articles": {r[0]: 1 for r in conn.execute("SELECT id FROM articles")}}
        for table in _tables(conn):
            out[table] = dict(conn.execute(f"SELECT article_id, count(*) FROM {table} GROUP BY article_id"))
        return out
    finally:
        conn.close()


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:  # the store is being created
        return 0


def _ingest_until_killed(corpus: Path, db: Path, target: int, rng: random.Random) -> bool:
    """Start an ingest, SIGKILL it once ``target`` articles are stored (plus a random few ms); True if killed."""
    proc = subprocess.Popen([PYTHON, "-c", CLI, "ingest", "--batch-size", "1", "--db", str(db), str(corpus)],
                            env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while proc.poll() is None and _stored(db) < target and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.05))
        killed = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        return killed
    finally:
        proc.wait(timeout=30)


def test_an_ingest_killed_while_writing_resumes_without_loss_or_duplicates(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, ARTICLES)
    clean, crashed = tmp_path / "clean.db", tmp_path / "crashed.db"
    done = cli("ingest", "--db", str(clean), str(corpus), timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    rng = random.Random(SEED)
    targets = sorted(rng.sample(range(1, ARTICLES), KILLS))
    kills = [_ingest_until_killed(corpus, crashed, target, rng) for target in targets]
    assert sum(kills) >= 1, "no ingest was killed while running"
    partial = snapshot(crashed)
    print(f"crash safety: kills at {targets} stored articles, {sum(kills)} landed, {len(partial['articles'])} stored")
    resumed = cli("ingest", "--db", str(crashed), str(corpus), timeout=180)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    want, got = snapshot(clean), snapshot(crashed)
    assert len(want["articles"]) == ARTICLES
    assert set(got["articles"]) == set(want["articles"])  # none lost, none extra
    for table, counts in want.items():
        assert got.get(table) == counts, table  # per article: no half-stored article, no duplicated row
    assert set(got["runs"]) == set(got["articles"]) and set(got["runs"].values()) == {1}
