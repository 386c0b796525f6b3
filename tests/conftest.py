"""Shared fixtures. Tests that need the team's annotated data skip with a reason when ../shared is absent."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from claimscope.model import Article, Ledger

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_b363215d67523c3c.txt"


@pytest.fixture
def shared() -> Path:
    if not (SHARED / "eval").is_dir():
        pytest.skip("../shared (annotated development data) is not beside the repository")
    return SHARED


@pytest.fixture(scope="session")
def parsed() -> Callable[..., Ledger]:
    """Build a ledger through segment + nlp (+ more stages by name) from a hand-written text."""
    from claimscope.pipeline import Pipeline, default_stages

    stages = {s.name: s for s in default_stages()}

    def build(text: str, *, upto: str = "nlp", published: str | None = None, title: str | None = None) -> Ledger:
        import datetime as dt

        names = list(stages)
        chain = [stages[n] for n in names[: names.index(upto) + 1]]
        day = dt.date.fromisoformat(published) if published else None
        article = Article(id=Article.make_id(text), text=text, published=day, title=title)
        return Pipeline(chain).run(article)

    return build


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="Rewrite the golden ledgers in tests/fixtures/golden from the current output.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
