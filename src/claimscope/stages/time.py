"""time: placeholder until its first version lands (provides an empty layer)."""

from __future__ import annotations

import dataclasses

from claimscope.model import Ledger
from claimscope.pipeline import Stage


def _run(ledger: Ledger) -> Ledger:
    return dataclasses.replace(ledger, times=())


STAGE = Stage("time", frozenset({'parse'}), frozenset({"times"}), "time.rules.v1", _run)
