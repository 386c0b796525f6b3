"""Latency of the web app's article, actor and search pages (and their JSON twins) on a large store.

usage: python bench/web_latency.py [--corpus FILE.jsonl.gz] [--docs 300] [--statements 100000]
                                   [--db PATH] [--requests 300] [--concurrency 4]

How the store is built (quickly, and realistically enough for the queries to do real work):
1. the real default pipeline analyses ``--docs`` real articles from ``--corpus`` (by default the BBC
   full-text corpus in ../shared/data/corpora; any JSON Lines file, gzipped or not, with a "text" field);
2. those ledgers are stored, then stored again and again under new deterministic ids and URLs
   (``bench.example/<copy>/<id>``), each copy with its own publication date (spread over ten years) and
   its people renamed (copy 0 and every eighth copy keep the real names, so a real name gathers
   statements across many copies; the others take one of a list of invented surnames), until the store
   holds at least ``--statements`` statements. An existing store at ``--db`` with enough is reused.

Then the server runs in a subprocess (uvicorn, one worker, on a free loopback port) and a bounded
asyncio/httpx loop sends ``--requests`` requests per endpoint, ``--concurrency`` at a time, to: an
article page, an actor page, a statement search, and the JSON twin of each, over sampled ids, names and
words. It prints p50/p95/p99 (milliseconds, measured at the client) and whether p95 is under 100 ms.
Reports, it does not assert: the figures are from one run on this machine.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import gzip
import json
import os
import platform
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "corpora" / "bbc_fulltext" / "bbc_fulltext.jsonl.gz"
SURNAMES = ("Arvel", "Brannoch", "Castine", "Delacroy", "Eskeland", "Fennimore", "Garroway", "Holloran",
            "Isenbeck", "Jarrow", "Kestrell", "Lindqvar", "Morrow", "Nethercott", "Orlov-Vane", "Pellam")
TARGET_MS = 100.0


def read_texts(path: Path, limit: int) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    out = []
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if (row.get("text") or "").strip():
                out.append(row)
            if len(out) >= limit:
                break
    return out


def analyse(rows: list[dict[str, Any]]) -> list[Any]:
    from claimscope.model import Article
    from claimscope.pipeline import default_pipeline

    articles = [Article(id=Article.make_id(r["text"]), text=r["text"], title=r.get("title"),
                        site=r.get("source"), source=r.get("id")) for r in rows]
    return list(default_pipeline().run_many(articles))


def variant(ledger: Any, copy: int, index: int) -> Any:
    """The ledger under a new id, URL and date, its people renamed unless the copy keeps real names."""
    art = ledger.article
    url = f"https://bench.example/{copy}/{art.id}"
    day = dt.date(2015, 1, 1) + dt.timedelta(days=(copy * 37 + index * 11) % 3650)
    article = dataclasses.replace(art, id=f"{copy:05d}{art.id[:11]}", url=url, published=day)
    actors = ledger.actors
    if copy % 8 and actors:
        actors = tuple(_renamed(a, SURNAMES[(copy + k) % len(SURNAMES)]) for k, a in enumerate(actors))
    return dataclasses.replace(ledger, article=article, actors=actors)


def _renamed(actor: Any, surname: str) -> Any:
    if actor.kind != "person" or " " not in actor.name:
        return actor
    first = actor.name.rsplit(" ", 1)[0]
    return dataclasses.replace(actor, name=f"{first} {surname}", aliases=tuple(
        surname if a == actor.name.rsplit(" ", 1)[-1] else a for a in actor.aliases))


def build_store(db: Path, corpus: Path, docs: int, statements: int) -> dict[str, Any]:
    from claimscope.store import open_store

    if db.exists():
        with open_store(str(db), read_only=True) as st:
            have = st.rows("SELECT count(*) AS n FROM statements")[0]["n"]
        if have >= statements:
            return {"reused": True, "statements": have}
        db.unlink()
    started = time.perf_counter()
    ledgers = analyse(read_texts(corpus, docs))
    per_copy = sum(len(led.statements or ()) for led in ledgers)
    if per_copy == 0:
        sys.exit("the pipeline found no statements in the corpus sample; use more --docs")
    analysed = time.perf_counter() - started
    copies = -(-statements // per_copy)
    with open_store(str(db)) as st:
        for copy in range(copies):
            for i, led in enumerate(ledgers):
                st.put(variant(led, copy, i))
        total = st.rows("SELECT count(*) AS n FROM statements")[0]["n"]
        arts = st.rows("SELECT count(*) AS n FROM articles")[0]["n"]
    return {"reused": False, "statements": total, "articles": arts, "analysed_docs": len(ledgers),
            "analyse_s": round(analysed, 1), "build_s": round(time.perf_counter() - started, 1)}


def samples(db: Path, n: int, seed: int = 7) -> dict[str, list[str]]:
    """Article ids, actor names (common and rare) and search words drawn from the store."""
    from claimscope.store import open_store

    rng = random.Random(seed)
    with open_store(str(db), read_only=True) as st:
        ids = [r["id"] for r in st.rows("SELECT id FROM articles ORDER BY pk")]
        names = [r["name"] for r in st.rows(
            "SELECT a.name AS name FROM actors a JOIN statements s ON s.article_id = a.article_id "
            "AND s.speaker = a.id GROUP BY a.name")]
        texts = [r["content_text"] for r in st.rows("SELECT content_text FROM statements LIMIT 5000")]
    words = sorted({w.strip(".,;:'\"“”‘’()").lower() for t in texts for w in t.split()} - {""})
    words = [w for w in words if len(w) > 4 and w.isalpha()]
    return {"article": [rng.choice(ids) for _ in range(n)], "actor": [rng.choice(names) for _ in range(n)],
            "search": [" ".join(rng.sample(words, rng.choice((1, 1, 2)))) for _ in range(n)]}


def urls(kind: str, values: list[str]) -> dict[str, list[str]]:
    if kind == "article":
        return {"article page": [f"/articles/{v}" for v in values],
                "article JSON": [f"/api/articles/{v}" for v in values]}
    if kind == "actor":
        return {"actor page": [f"/actors/{quote(v, safe='')}" for v in values],
                "actor JSON": [f"/api/actors/{quote(v, safe='')}" for v in values]}
    return {"search page": [f"/search?q={quote(v)}" for v in values],
            "search JSON": [f"/api/search?q={quote(v)}" for v in values]}


@dataclasses.dataclass
class Server:
    base: str
    proc: subprocess.Popen[bytes]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def start_server(db: Path) -> Iterator[Server]:
    port = _free_port()
    code = ("import sys, uvicorn; from claimscope.web import create_app; "
            "uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]), log_level='warning')")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen([sys.executable, "-c", code, str(db), str(port)], env=env)
    try:
        import httpx

        for _ in range(600):  # readiness: up to a minute
            try:
                httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                if proc.poll() is not None:
                    sys.exit("the server exited at start")
                time.sleep(0.1)
        yield Server(f"http://127.0.0.1:{port}", proc)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


async def drive(base: str, paths: list[str], concurrency: int) -> tuple[list[float], int]:
    """Send every path once, ``concurrency`` at a time; the latency of each (ms) and the count of non-200s."""
    import httpx

    queue = list(reversed(paths))
    times: list[float] = []
    bad = 0

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal bad
        while queue:
            path = queue.pop()
            t0 = time.perf_counter()
            resp = await client.get(path)
            await resp.aread()
            times.append((time.perf_counter() - t0) * 1000)
            bad += resp.status_code != 200

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        await client.get(paths[0])  # warm the route
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return times, bad


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "claimscope-bench-web.db"))
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=4)
    opts = parser.parse_args()
    corpus, db = Path(opts.corpus), Path(opts.db)
    if not corpus.exists() and not db.exists():
        sys.exit(f"{corpus}: corpus not found (the team's data lives in ../shared)")
    sys.path.insert(0, str(ROOT / "src"))
    built = build_store(db, corpus, opts.docs, opts.statements)
    print(f"store {db}: {json.dumps(built)}")
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"{opts.requests} requests per endpoint, {opts.concurrency} at a time, on loopback")
    sample = samples(db, opts.requests)
    print(f"{'endpoint':<14} {'p50':>7} {'p95':>7} {'p99':>7}  ms   non-200  p95<{TARGET_MS:.0f}ms")
    with start_server(db) as server:
        for kind in ("article", "actor", "search"):
            for name, paths in urls(kind, sample[kind]).items():
                times, bad = asyncio.run(drive(server.base, paths, opts.concurrency))
                p95 = pct(times, 95)
                print(f"{name:<14} {pct(times, 50):7.1f} {p95:7.1f} {pct(times, 99):7.1f}       {bad:7d}  "
                      f"{'yes' if p95 < TARGET_MS else 'NO'}", flush=True)


if __name__ == "__main__":
    main()
