"""attribution: placeholder until its first version lands (provides an empty layer)."""

from __future__ import annotations

import dataclasses

from claimscope.model import Ledger
from claimscope.pipeline import Stage


def _run(ledger: Ledger) -> Ledger:
    return dataclasses.replace(ledger, statements=())


STAGE = Stage(
    "attribution", frozenset({"actors", "parse", "times"}), frozenset({"statements"}), "attribution.rules.v1", _run
)
