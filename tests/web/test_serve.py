"""``claimscope serve`` through the real entry point (only its refusals: a running server is the browser tests')."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from claimscope.cli import main


@pytest.mark.parametrize(("args", "words"), [
    (["--db", "{tmp}/missing.db"], "does not exist"),
    (["--db", "{tmp}/nofolder/x.db"], "does not exist"),
    (["--db", "{tmp}/x.db", "--port", "70000"], "70000"),
    (["--db", "{tmp}/x.db", "--max-upload", "0"], "0"),
])
def test_serve_refuses_bad_options(tmp_path: Path, args: list[str], words: str) -> None:
    res = CliRunner().invoke(main, ["serve", *(a.format(tmp=tmp_path) for a in args)])
    assert res.exit_code != 0 and words in res.output


def test_serve_is_documented() -> None:
    res = CliRunner().invoke(main, ["serve", "--help"])
    assert res.exit_code == 0 and "--host" in res.output and "127.0.0.1" in res.output
