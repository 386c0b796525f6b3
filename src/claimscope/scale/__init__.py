"""The distributed runner: one pipeline core, two engines (a local process pool, Ray Data).

Requires: input files; the ``ray`` extra for the Ray engine only (imported lazily by
``scale.ray_engine``, nowhere else). Provides: ``run``, ``RunConfig``, ``RunSummary``, ``process_batch``.

  batch.py       ``process_batch``: articles in, ledgers out, the model loaded once per process (every engine)
  local.py       the process pool: order kept, a bounded number of batches in flight
  ray_engine.py  Ray Data: read tasks per input file, ``map_batches`` over an actor pool
  shards.py      ledgers as Parquet shards
  runner.py      ``run``: an engine, into shards and/or the store

Not a stage: it has side effects (processes, files, the store). docs/scale.md tells how to run it on a
cluster.
"""

from claimscope.scale.batch import process_batch
from claimscope.scale.runner import RunConfig, RunSummary, run

__all__ = ["RunConfig", "RunSummary", "process_batch", "run"]
