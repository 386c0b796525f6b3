"""`claimscope export` and `claimscope import-review` through the CLI, on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from backends import store_url  # noqa: F401  (fixture)
from click.testing import CliRunner
from store_samples import sample_ledger

from claimscope.cli import main
from claimscope.serialize import to_json
from claimscope.store import open_store


@pytest.fixture
def db(store_url: str) -> str:  # noqa: F811
    with open_store(store_url) as st:
        st.put(sample_ledger())
    return store_url


def test_export_jsonl_to_stdout_messages_to_stderr(db: str) -> None:
    res = CliRunner().invoke(main, ["export", "--db", db, "--format", "jsonl", "-"])
    assert res.exit_code == 0, res.output
    assert [json.loads(line) for line in res.stdout.splitlines()] == [to_json(sample_ledger())]
    assert "exported 1 ledger(s)" in res.stderr


@pytest.mark.parametrize(("fmt", "name"), [("csv", "statements.csv"), ("parquet", "statements.parquet")])
def test_export_tables_to_a_folder(db: str, tmp_path: Path, fmt: str, name: str) -> None:
    res = CliRunner().invoke(main, ["export", "--db", db, "--format", fmt, str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "out" / name).is_file() and res.stdout == ""


def test_labelstudio_round_trip_through_the_cli(db: str, tmp_path: Path) -> None:
    out = tmp_path / "tasks.json"
    res = CliRunner().invoke(main, ["export", "--db", db, "--format", "labelstudio", str(out)])
    assert res.exit_code == 0, res.output
    tasks = json.loads(out.read_text(encoding="utf-8"))
    tasks[0]["annotations"] = [{"completed_by": 3, "result": tasks[0]["predictions"][0]["result"]}]
    out.write_text(json.dumps(tasks), encoding="utf-8")
    res = CliRunner().invoke(main, ["import-review", str(out), "--db", db])
    assert res.exit_code == 0, res.output
    assert "imported 1 reviewed task(s) of 1: 2 confirmed" in res.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["import-review", "{tmp}/missing.json"], "Error: cannot read {tmp}/missing.json"),
    (["import-review", "{tmp}/bad.json"], "is not a JSON file"),
    (["import-review", "{tmp}/list.json"], "a Label Studio export is a JSON list"),
    (["export", "--format", "jsonl", "{tmp}/no/such/dir/x.jsonl"], "Error: cannot write"),
])
def test_errors_are_one_line(db: str, tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "list.json").write_text("{}", encoding="utf-8")
    res = CliRunner().invoke(main, [a.format(tmp=tmp_path) for a in args] + ["--db", db])
    assert res.exit_code == 1
    assert message.format(tmp=tmp_path) in res.stderr and res.stderr.count("\n") == 1
