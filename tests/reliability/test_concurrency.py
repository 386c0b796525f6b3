"""Concurrency: the web app serves reads from a store while ``claimscope ingest`` writes to it in another process;
every response is 200 or 404 (never a 500 such as "database is locked") and every article a reader sees is whole.

Three set-ups: SQLite (WAL) read through the test client; SQLite and PostgreSQL each served by a real
``claimscope serve`` (uvicorn) process and read over HTTP by three reader threads at once."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from articles import write_corpus
from bounded import CLI, PYTHON, check_ledger, env

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")
pytest.importorskip("uvicorn")

with warnings.catch_warnings():  # Starlette asks for httpx2, which the pinned extras do not include
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
from backends import backend_url  # noqa: E402

from claimscope.serialize import from_json  # noqa: E402
from claimscope.store import open_store  # noqa: E402
from claimscope.web import create_app  # noqa: E402

ARTICLES = 12
PAGES = ["/", "/api/search?q=council", "/search?q=bridge", "/measures", "/api/measures",
         "/api/actors/Mara%20Quint", "/actors/Oskar%20Lind", "/articles/nope", "/api/articles/nope"]


def _whole(client: Any, aid: str, texts: set[str], statuses: Counter[int]) -> None:
    """One stored article read back whole: its text is a corpus text and its items are all there."""
    got = client.get(f"/api/articles/{aid}")
    statuses[got.status_code] += 1
    assert got.status_code == 200, got.text[:500]
    ledger = from_json(got.json())
    check_ledger(ledger)
    assert ledger.text in texts
    assert ledger.statements and ledger.quantities and ledger.actors, aid  # a half-written article lacks items
    page = client.get(f"/articles/{aid}")
    statuses[page.status_code] += 1
    assert page.status_code == 200


def _round(client: Any, texts: set[str], statuses: Counter[int]) -> set[str]:
    listed = client.get("/api/articles?limit=100")
    statuses[listed.status_code] += 1
    assert listed.status_code == 200, listed.text[:500]
    ids: set[str] = {row["id"] for row in listed.json()}
    for aid in ids:
        _whole(client, aid, texts, statuses)
    for url in PAGES:
        got = client.get(url)
        statuses[got.status_code] += 1
        assert got.status_code in (200, 404), (url, got.status_code, got.text[:500])
    return ids


SETUPS = [("sqlite", "testclient"), ("sqlite", "uvicorn"), ("postgresql", "uvicorn")]
READERS = 3


@pytest.fixture(params=SETUPS, ids=["sqlite-testclient", "sqlite-uvicorn", "postgresql-uvicorn"])
def setup(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    backend, server = request.param
    with backend_url(backend, tmp_path) as url:
        yield url, server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _served(url: str, server: str) -> Iterator[Callable[[], Any]]:
    """A factory of clients of the app over ``url``: the test client, or HTTP clients of a uvicorn process."""
    if server == "testclient":
        with TestClient(create_app(url), raise_server_exceptions=False) as client:
            yield lambda: client
        return
    port = _free_port()
    proc = subprocess.Popen([PYTHON, "-c", CLI, "serve", "--db", url, "--port", str(port)], env=env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    clients: list[httpx.Client] = []

    def make() -> httpx.Client:
        clients.append(httpx.Client(base_url=base, timeout=60))
        return clients[-1]

    try:
        deadline = time.monotonic() + 60
        while True:  # readiness, not a timing assertion
            assert proc.poll() is None, "claimscope serve stopped"
            try:
                if httpx.get(base + "/", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "claimscope serve did not start"
                time.sleep(0.1)
        yield make
    finally:
        for client in clients:
            client.close()
        proc.terminate()
        proc.wait(timeout=30)


def _reader(make: Callable[[], Any], texts: set[str], ingest: subprocess.Popen[bytes],
            statuses: Counter[int], rounds: list[int]) -> None:
    client = make()
    deadline = time.monotonic() + 180
    while ingest.poll() is None and time.monotonic() < deadline:
        rounds.append(len(_round(client, texts, statuses)))


def test_reads_during_an_ingest_never_fail_nor_see_half_an_article(tmp_path: Path, setup: tuple[str, str]) -> None:
    url, server = setup
    corpus = tmp_path / "corpus"
    texts = {p.read_text(encoding="utf-8") for p in write_corpus(corpus, ARTICLES)}
    open_store(url).close()
    readers = 1 if server == "testclient" else READERS
    statuses: list[Counter[int]] = [Counter() for _ in range(readers)]
    rounds: list[list[int]] = [[] for _ in range(readers)]
    with _served(url, server) as make:
        proc = subprocess.Popen([PYTHON, "-c", CLI, "ingest", "--batch-size", "1", "--db", url, str(corpus)],
                                env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            with ThreadPoolExecutor(readers) as pool:
                for done in [pool.submit(_reader, make, texts, proc, statuses[k], rounds[k]) for k in range(readers)]:
                    done.result()  # a failed assertion in a reader fails the test
            assert proc.wait(timeout=30) == 0
            total: Counter[int] = sum(statuses, Counter())
            final = _round(make(), texts, total)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=30)
    during = [n for rs in rounds for n in rs if 0 < n < ARTICLES]
    print(f"\nconcurrency {url.split(':')[0] if '://' in url else 'sqlite'} via {server}: "
          f"{sum(len(r) for r in rounds)} read rounds by {readers} reader(s), {len(during)} while articles were "
          f"being written, {sum(total.values())} responses {dict(total)}")
    assert len(final) == ARTICLES
    assert during, "the reads did not overlap the writes"
    assert set(total) <= {200, 404}
