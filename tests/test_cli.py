"""The command line through its real entry point: output, errors as one line, batches that go on."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimscope.cli import main

ARTICLE = ("“We will rebuild the bridge,” Mayor Ana Ruiz said on Monday.\n"
           "More than 300 homes were damaged, according to the fire service.\n")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_analyze_json_has_the_contract_fields(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    res = runner.invoke(main, ["analyze", str(path), "--json", "--published", "2024-05-06"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    for key in ("text", "published", "segments", "actors", "statements", "quantities", "times", "flags", "measures"):
        assert key in doc
    assert doc["published"] == "2024-05-06" and doc["text"] == ARTICLE
    assert any(st["cue"] == "said" for st in doc["statements"])


def test_analyze_terminal_view(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    res = runner.invoke(main, ["analyze", str(path)])
    assert res.exit_code == 0 and "Who said what" in res.stdout and "said" in res.stdout


def test_standard_input(runner: CliRunner) -> None:
    res = runner.invoke(main, ["analyze", "-", "--json"], input=ARTICLE.encode())
    assert res.exit_code == 0 and json.loads(res.stdout)["text"] == ARTICLE


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("e.txt", b"", "{path}: expected an article's text, found nothing but white space; "
                       "check that the right file was given"),
        ("w.txt", b"   \n\n ", "{path}: expected an article's text, found nothing but white space; "
                             "check that the right file was given"),
        ("b.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
         "{path}: expected text or HTML, found a PNG image; give the article's text instead"),
        ("enc.txt", "Les élèves ont été très nombreux à venir, ça se voit.".encode("cp1252"),
         '{path}: not UTF-8 and the legacy encoding is ambiguous (cp1252 reads "élèves", cp1250 reads "élčves", '
         'cp1257 reads "élčves", iso8859_10 reads "élčves"); pass --encoding'),
    ],
)
def test_unreadable_input_is_one_line_error(runner: CliRunner, tmp_path: Path, name: str, content: bytes,
                                            message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    res = runner.invoke(main, ["analyze", str(path)])
    assert res.exit_code == 1
    assert res.stderr == f"Error: {message.format(path=path)}\n"


def test_encoding_option_decodes_legacy_text(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "enc.txt"
    path.write_bytes("Les élèves ont été très nombreux.".encode("cp1252"))
    res = runner.invoke(main, ["analyze", str(path), "--json", "--encoding", "cp1252"])
    assert res.exit_code == 0 and json.loads(res.stdout)["text"].startswith("Les élèves")


def test_broken_html_still_gives_a_ledger(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "broken.html"
    path.write_text("<html><body><div><p>The mayor said the bridge would reopen. <b>Unclosed <i>", encoding="utf-8")
    res = runner.invoke(main, ["analyze", str(path), "--json"])
    assert res.exit_code == 0 and "bridge would reopen" in json.loads(res.stdout)["text"]


def test_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(main, ["analyze", str(tmp_path / "nope.txt")])
    assert res.exit_code == 1 and res.stderr.startswith("Error: ") and "cannot read" in res.stderr


def test_bad_date_option(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(main, ["analyze", "-", "--published", "03/11/2024"], input=b"text")
    assert res.exit_code == 2 and "YYYY-MM-DD" in res.stderr


def test_jsonl_batch_reports_bad_line_and_goes_on(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl.gz"
    lines = [json.dumps({"id": "one", "text": ARTICLE, "published": "2024-05-06"}), "{not json",
             json.dumps({"id": "three", "text": "The council said it would vote on Friday."})]
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    res = runner.invoke(main, ["analyze", str(path), "--json"])
    assert res.exit_code == 0
    ids = [json.loads(line)["id"] for line in res.stdout.splitlines()]
    assert ids == ["one", "three"]
    assert ":2:" in res.stderr and "Error:" in res.stderr


def test_ingest_show_and_rerun(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "b.txt").write_text("The council said it would vote on Friday.\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    first = runner.invoke(main, ["ingest", str(folder), "--db", db])
    assert first.exit_code == 0 and "ingested 2 article(s), skipped 0" in first.stderr
    again = runner.invoke(main, ["ingest", str(folder), "--db", db])
    assert "ingested 0 article(s), skipped 2" in again.stderr
    listed = json.loads(runner.invoke(main, ["articles", "--db", db, "--json"]).stdout)
    assert len(listed) == 2
    shown = runner.invoke(main, ["show", listed[0]["id"], "--db", db, "--json"])
    assert shown.exit_code == 0 and json.loads(shown.stdout)["id"] == listed[0]["id"]


def test_show_unknown_key(runner: CliRunner, tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    missing = runner.invoke(main, ["show", "nope", "--db", db])
    assert missing.exit_code == 1 and missing.stderr.startswith("Error: ") and "does not exist" in missing.stderr
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    runner.invoke(main, ["ingest", str(tmp_path / "a.txt"), "--db", db])
    res = runner.invoke(main, ["show", "nope", "--db", db])
    assert res.exit_code == 1 and res.stderr.startswith("Error: ") and "'nope'" in res.stderr


def test_entry_point_is_installed() -> None:
    exe = Path(sys.executable).parent / "claimscope"
    res = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=False)
    assert res.returncode == 0 and "analyze" in res.stdout


def test_user_alias_table(runner: CliRunner, tmp_path: Path) -> None:
    table = tmp_path / "aliases.tsv"
    table.write_text("Harbour Workers' Union\torganization\tHWU|the dockers' union\n", encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("HWU said the strike would go on.\n", encoding="utf-8")
    res = runner.invoke(main, ["analyze", str(article), "--json", "--aliases", str(table)])
    assert res.exit_code == 0, res.output
    names = {a["name"] for a in json.loads(res.stdout)["actors"]}
    assert "Harbour Workers' Union" in names


def test_bad_alias_table_is_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    table = tmp_path / "aliases.tsv"
    table.write_text("Somebody\tanimal\tSB\n", encoding="utf-8")
    res = runner.invoke(main, ["analyze", "-", "--aliases", str(table)], input=b"text")
    assert res.exit_code == 1 and res.stderr.startswith("Error: alias table line") and "KIND one of" in res.stderr
