"""Concurrency: the web app serves reads from a SQLite store while ``claimscope ingest`` writes to it in another
process; every response is 200 or 404 (never a 500 such as "database is locked") and every article a reader
sees is whole."""

from __future__ import annotations

import subprocess
import time
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from articles import write_corpus
from bounded import CLI, PYTHON, check_ledger, env

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

with warnings.catch_warnings():  # Starlette asks for httpx2, which the pinned extras do not include
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

from claimscope.serialize import from_json  # noqa: E402
from claimscope.store import open_store  # noqa: E402
from claimscope.web import create_app  # noqa: E402

ARTICLES = 30
PAGES = ["/", "/api/search?q=council", "/search?q=bridge", "/measures", "/api/measures",
         "/api/actors/Mara%20Quint", "/actors/Oskar%20Lind", "/articles/nope", "/api/articles/nope"]


def _whole(client: TestClient, aid: str, texts: set[str], statuses: Counter[int]) -> None:
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


def _round(client: TestClient, texts: set[str], statuses: Counter[int]) -> set[str]:
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


def test_reads_during_an_ingest_never_fail_nor_see_half_an_article(tmp_path: Path) -> None:
    corpus, db = tmp_path / "corpus", tmp_path / "store.db"
    texts = {p.read_text(encoding="utf-8") for p in write_corpus(corpus, ARTICLES)}
    open_store(db).close()
    statuses: Counter[int] = Counter()
    rounds: list[Any] = []
    proc = subprocess.Popen([PYTHON, "-c", CLI, "ingest", "--batch-size", "1", "--db", str(db), str(corpus)],
                            env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with TestClient(create_app(str(db)), raise_server_exceptions=False) as client:
            deadline = time.monotonic() + 180
            while proc.poll() is None and time.monotonic() < deadline:
                rounds.append(len(_round(client, texts, statuses)))
            assert proc.wait(timeout=30) == 0
            final = _round(client, texts, statuses)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
    during = [n for n in rounds if 0 < n < ARTICLES]
    print(f"concurrency: {len(rounds)} read rounds, {len(during)} while articles were being written, "
          f"{sum(statuses.values())} responses {dict(statuses)}")
    assert len(final) == ARTICLES
    assert during, "the reads did not overlap the writes"
    assert set(statuses) <= {200, 404}
