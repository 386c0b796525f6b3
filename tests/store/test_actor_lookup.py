"""The actor lookup (name, speaker mention or alias, any case) is served by indexes, not a scan (m004)."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimscope.store import open_store, queries


@pytest.mark.parametrize(("index", "used"), [
    ("actors_lower_name", True),
    ("actor_aliases_lower_alias", True),
    ("statements_lower_speaker_text", True),
    ("actors_name", False),  # the NOCASE index cannot serve lower(name) = lower(?)
])
def test_actor_match_uses_the_lower_indexes(tmp_path: Path, index: str, used: bool) -> None:
    with open_store(str(tmp_path / "s.db")) as store:
        plan = store.rows(f"EXPLAIN QUERY PLAN SELECT s.pk FROM statements s WHERE {queries._ACTOR_MATCH}",
                          ("Ada", "Ada", "Ada"))
    details = " | ".join(str(r["detail"]) for r in plan)
    assert (f"INDEX {index} " in details) is used, details
