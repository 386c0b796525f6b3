"""Both store backends for the store tests: a SQLite file, and a PostgreSQL schema of its own.

Each PostgreSQL test gets a freshly created schema (named after nothing but a random token) that is
dropped afterwards, so runs and tests never see each other's data. The server is
``$CLAIMSCOPE_TEST_PG`` or ``postgresql://postgres@127.0.0.1:5432/test``; when it cannot be reached the
PostgreSQL cases are skipped with the reason, except under CI (``$CI`` set), where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest

PG_URL = os.environ.get("CLAIMSCOPE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", "postgresql"]


@cache
def pg_unreachable() -> str | None:
    """Why the test server cannot be used, or None when it can."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        psycopg.connect(PG_URL, connect_timeout=3).close()
    except psycopg.Error as exc:
        return f"PostgreSQL unreachable at {PG_URL}: {str(exc).strip().splitlines()[0]}"
    return None


def need_pg() -> None:
    reason = pg_unreachable()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must start PostgreSQL)")
    pytest.skip(reason)


@contextmanager
def pg_schema() -> Iterator[str]:
    """A URL whose search_path is a fresh, empty schema; the schema is dropped on exit."""
    import psycopg

    need_pg()
    name = f"cs_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{name}"
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {name} CASCADE")


@contextmanager
def backend_url(backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield str(tmp_path / "ledger.db")
    else:
        with pg_schema() as url:
            yield url


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a fresh, empty store of each backend lives."""
    with backend_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL schema only (for the PostgreSQL-specific tests)."""
    with pg_schema() as url:
        yield url
