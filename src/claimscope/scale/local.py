"""The local engine: a pool of worker processes on this machine (the default engine of ``claimscope run``).

Requires: a stream of articles. Provides: ``run_local``, ``LocalPool`` (a pool kept open across runs).

In order:
  1. one worker (``workers=1``) runs ``process_batch`` in this process: no pool, nothing pickled
  2. more workers: a pool of ``workers`` processes, started with "spawn" (a fork of a process that holds
     a loaded model and threads is not safe); each builds its pipeline and loads the model once, when
     it starts
  3. the stream is cut into batches of ``batch_size`` articles; at most ``2 * workers`` batches are in
     flight at once, so memory stays flat however long the stream (``Pool.imap`` would read the whole
     input ahead)
  4. ledgers are yielded in input order, batch after batch
  5. a worker that dies (killed, out of memory) fails the run with one line (``EngineError``): the
     store keeps every article stored before, and ``ingest``/``run --db`` picks up after them
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import TypeVar

from claimscope.errors import EngineError
from claimscope.model import Article, Ledger
from claimscope.scale.batch import pipeline_for, process_batch

T = TypeVar("T")


def run_local(articles: Iterable[Article], *, workers: int = 1, batch_size: int = 32,
              alias_files: tuple[str, ...] = ()) -> Iterator[Ledger]:
    """The ledgers (without their parse) of ``articles``, in input order."""
    batches = _batches(articles, batch_size)
    if workers <= 1:  # 1.
        for batch in batches:
            yield from process_batch(batch, alias_files)
        return
    yield from _pooled(batches, workers, alias_files)


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(articles)
    while batch := list(islice(it, size)):  # 3.
        yield batch


def _pooled(batches: Iterator[list[Article]], workers: int, alias_files: tuple[str, ...]) -> Iterator[Ledger]:
    with LocalPool(workers, alias_files) as pool:
        yield from pool.map_batches(batches)


class LocalPool:
    """``workers`` spawned processes, each with its pipeline and model loaded once (2.)."""

    def __init__(self, workers: int, alias_files: tuple[str, ...] = ()) -> None:
        import multiprocessing

        self.workers, self.alias_files = workers, alias_files
        self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=pipeline_for, initargs=(alias_files,))

    def __enter__(self) -> LocalPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(cancel_futures=True)

    def map(self, articles: Iterable[Article], batch_size: int = 32) -> Iterator[Ledger]:
        return self.map_batches(_batches(articles, batch_size))

    def map_batches(self, batches: Iterable[list[Article]]) -> Iterator[Ledger]:
        pending: deque[Future[list[Ledger]]] = deque()
        for batch in batches:
            pending.append(self._pool.submit(process_batch, batch, self.alias_files))
            if len(pending) >= 2 * self.workers:  # 3. bounded look-ahead
                yield from _result(pending.popleft())
        while pending:  # 4. in order
            yield from _result(pending.popleft())

    def pids(self) -> list[int]:
        """The worker processes' ids (for benchmarks that read their CPU time)."""
        return list(self._pool._processes or {})

    def warm(self, articles: list[Article], tries: int = 20) -> None:
        """Start every worker and load its model (for benchmarks: keep the loads off the clock)."""
        seen: set[int] = set()
        for _ in range(tries):
            futures = [self._pool.submit(_warm, articles, self.alias_files) for _ in range(self.workers)]
            seen |= {_result(f) for f in futures}
            if len(seen) >= self.workers:
                return


def _warm(articles: list[Article], alias_files: tuple[str, ...]) -> int:
    import os
    import time

    process_batch(articles, alias_files)
    time.sleep(0.2)  # hold this worker, so that the next warm-up batch goes to another one
    return os.getpid()


def _result(future: Future[T]) -> T:
    try:
        return future.result()
    except BrokenProcessPool as exc:  # 5.
        raise EngineError(f"a worker process of the local engine died ({exc}); the articles stored so far "
                          "are kept: run again with --db to resume, or with fewer --workers if memory "
                          "ran out") from None
