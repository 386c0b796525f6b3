"""The local engine: a pool of worker processes on this machine (the default engine of ``claimscope run``).

Requires: a stream of articles. Provides: ``run_local``.

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

from claimscope.errors import EngineError
from claimscope.model import Article, Ledger
from claimscope.scale.batch import pipeline_for, process_batch


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
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")  # 2.
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=pipeline_for, initargs=(alias_files,)) as pool:
        pending: deque[Future[list[Ledger]]] = deque()
        for batch in batches:
            pending.append(pool.submit(process_batch, batch, alias_files))
            if len(pending) >= 2 * workers:  # 3. bounded look-ahead
                yield from _result(pending.popleft())
        while pending:  # 4. in order
            yield from _result(pending.popleft())


def _result(future: Future[list[Ledger]]) -> list[Ledger]:
    try:
        return future.result()
    except BrokenProcessPool as exc:  # 5.
        raise EngineError(f"a worker process of the local engine died ({exc}); the articles stored so far "
                          "are kept: run again with --db to resume, or with fewer --workers if memory "
                          "ran out") from None
