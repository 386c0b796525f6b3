"""PostgreSQL dropping an ingest's connection (what a server restart does to its clients): the ingest reconnects
with backoff and completes with nothing lost or duplicated; when the server stays away longer than the retries,
the ingest stops with a one-line error and a re-run resumes where it stopped.

The drops are real: ``pg_terminate_backend`` on the ingest's own backends (found by an ``application_name``
unique to the test, so nothing else on the server is touched), in a fresh schema per test. Restarting the
server itself would also cut every other client of the machine's shared server; terminating the backends
is what those clients would see. The server staying away is a TCP relay in front of it that is shut: every
relayed connection is cut and every reconnection refused, whatever the load of the machine.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from articles import write_corpus
from bounded import CLI, PYTHON, cli, env, one_line_errors
from snapshots import snapshot, stored

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
from backends import PG_URL, pg_schema  # noqa: E402

ARTICLES = 16
DROPS_AT = (3, 8, 13)  # stored articles after which the ingest's connections are dropped


@pytest.fixture
def schema() -> Iterator[str]:
    with pg_schema() as url:
        yield url


def _terminate(app: str) -> int:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True, connect_timeout=5) as conn:
        found = conn.execute("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                             "WHERE application_name = %s AND pid <> pg_backend_pid()", (app,)).fetchone()
    return int(found[0]) if found else 0


def _ingest(url: str, corpus: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([PYTHON, "-c", CLI, "ingest", "--batch-size", "1", "--db", url, str(corpus)],
                            env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_connections_dropped_during_an_ingest_are_retried_and_nothing_is_lost(tmp_path: Path, schema: str) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, ARTICLES)
    app = f"cs_drop_{uuid.uuid4().hex[:8]}"
    url = f"{schema}&application_name={app}"
    proc = _ingest(url, corpus)
    dropped = []
    try:
        for target in DROPS_AT:
            deadline = time.monotonic() + 120
            while proc.poll() is None and stored(schema) < target and time.monotonic() < deadline:
                time.sleep(0.005)
            dropped.append(_terminate(app))
        out, err = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err[-2000:]
    got = snapshot(schema)
    print(f"\npg drops: {sum(dropped)} backends terminated at {list(DROPS_AT)} stored articles; "
          f"{len(got['articles'])} of {ARTICLES} stored, runs per article {set(got['runs'].values())}")
    assert sum(dropped) >= 2, "the drops missed the ingest"
    assert len(got["articles"]) == ARTICLES
    assert set(got["runs"]) == set(got["articles"]) and set(got["runs"].values()) == {1}  # none stored twice
    assert all(got["statements"].get(aid) for aid in got["articles"])  # none half-stored


class _Gate:
    """A TCP relay in front of the test server, standing for the network path to it: ``close()`` cuts every
    relayed connection and refuses new ones (the server gone away), deterministically, however loaded the
    machine is."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
                upstream = socket.create_connection(self.target)
            except OSError:
                return
            with self.lock:
                self.open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        with contextlib.suppress(OSError):  # wakes the blocked accept() and stops listening (close alone does not)
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        with self.lock:
            for sock in self.open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()


def test_a_server_away_longer_than_the_retries_stops_the_ingest_with_one_line_and_it_resumes(
        tmp_path: Path, schema: str) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, ARTICLES)
    server = urlsplit(PG_URL)
    gate = _Gate((server.hostname or "127.0.0.1", server.port or 5432))
    proc = _ingest(schema.replace(f"@{server.netloc.split('@')[-1]}/", f"@127.0.0.1:{gate.port}/"), corpus)
    try:
        deadline = time.monotonic() + 120
        while proc.poll() is None and stored(schema) < 4 and time.monotonic() < deadline:
            time.sleep(0.005)
        gate.close()  # the server goes away and stays away
        out, err = proc.communicate(timeout=120)
    finally:
        gate.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    before = snapshot(schema)
    assert proc.returncode == 1, err[-2000:]
    lines = one_line_errors("\n".join(line for line in err.splitlines() if "━" not in line))  # less the progress bar
    assert len(lines) == 1 and "lost the connection" in lines[0] and "run the command again" in lines[0], lines
    resumed = cli("ingest", "--db", schema, str(corpus), timeout=180)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    after = snapshot(schema)
    print(f"\npg away: stopped after {len(before['articles'])} articles with {lines[0][:90]!r}…; "
          f"resumed to {len(after['articles'])} of {ARTICLES}")
    assert 0 < len(before["articles"]) < ARTICLES
    assert len(after["articles"]) == ARTICLES
    assert set(after["runs"].values()) == {1}
    assert f"skipped {len(before['articles'])} unchanged" in resumed.stdout + resumed.stderr
