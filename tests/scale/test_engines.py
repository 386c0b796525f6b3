"""The local engine against the sequential pipeline, bad records, Parquet shards and inputs, and `run`."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimscope import sources
from claimscope.cli import main
from claimscope.errors import BatchLineError, EngineError
from claimscope.model import Article
from claimscope.pipeline import default_pipeline
from claimscope.scale import RunConfig, run
from claimscope.scale.local import run_local
from claimscope.scale.shards import ShardWriter, read_shards
from claimscope.serialize import to_json

RECORDS = [
    {"id": "bridge", "published": "2024-05-06", "title": "Bridge to be rebuilt",
     "text": "“We will rebuild the bridge by March,” Mayor Ana Ruiz said on Monday.\n\n"
             "More than 300 homes were damaged, according to the fire service."},
    {"id": "rates", "published": "2023-11-02",
     "text": "The central bank raised its main rate to 5.25% on Thursday, the third rise this year.\n\n"
             "Inflation fell to 4.1% in October from 6.7% a year earlier, officials said."},
    {"id": "strike", "url": "https://example.org/strike",
     "text": "Union leader Tom Baker told reporters the strike would last two weeks.\n\n"
             "\"We have no other choice,\" he said. The company declined to comment."},
    {"id": "page", "published": "2022-01-15",
     "html": "<html><head><title>Floods</title></head><body><article><p>About 2,000 people were "
             "evacuated on Saturday, the regional governor said.</p><p>“The water is still rising,” "
             "she told the BBC.</p></article></body></html>"},
    {"id": "short", "text": "Prices rose."},
]
BAD_LINES = ["{not json", json.dumps({"id": "empty"})]


def write_corpus(folder: Path, bad: bool = True) -> Path:
    path = folder / "corpus.jsonl"
    lines = [json.dumps(r) for r in RECORDS]
    if bad:
        lines[2:2] = BAD_LINES  # bad lines in the middle: the records after them still count
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def articles_of(path: Path) -> list[Article]:
    return [a for a in sources.read(path) if isinstance(a, Article)]


def as_json(ledgers: object) -> list[dict[str, object]]:
    return [to_json(led) for led in ledgers]  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def expected(corpus: Path) -> list[dict[str, object]]:
    """The sequential pipeline's ledgers of the corpus: what every engine must give."""
    return as_json(default_pipeline().run_many(articles_of(corpus)))


@pytest.mark.parametrize(("workers", "batch_size"), [(1, 2), (2, 2)])
def test_local_engine_equals_the_sequential_pipeline(corpus: Path, expected: list[dict[str, object]],
                                                     workers: int, batch_size: int) -> None:
    got = as_json(run_local(articles_of(corpus), workers=workers, batch_size=batch_size))
    assert [d["id"] for d in got] == [r["id"] for r in RECORDS]  # input order kept
    assert got == expected


def test_engine_ledgers_carry_no_parse(corpus: Path) -> None:
    ledgers = list(run_local(articles_of(corpus)[:1]))
    assert ledgers[0].parse is None and ledgers[0].statements


def test_bad_records_are_reported_and_the_run_goes_on(tmp_path: Path, corpus: Path,
                                                     expected: list[dict[str, object]]) -> None:
    skipped: list[str] = []
    summary = run([str(corpus), str(tmp_path / "missing.jsonl")], RunConfig(batch_size=2),
                  out=str(tmp_path / "out"), on_skip=lambda item: skipped.append(str(item)))
    assert summary.analysed == len(RECORDS) and summary.failed == 0
    assert summary.records == {"unusable batch line": 2, "no article in the file": 1}
    assert summary.failed_records == 3
    assert any("corpus.jsonl:3: expected a JSON object" in s for s in skipped)
    assert any('corpus.jsonl:4: expected a "text" or "html" string' in s for s in skipped)
    assert as_json(read_shards(tmp_path / "out")) == expected


@pytest.mark.parametrize(("rows_per_shard", "shards"), [(2, 3), (5, 1), (100, 1)])
def test_shards_split_and_reload(tmp_path: Path, expected: list[dict[str, object]], rows_per_shard: int,
                                 shards: int) -> None:
    from claimscope.serialize import from_json

    with ShardWriter(tmp_path, rows_per_shard=rows_per_shard, rows_per_group=2) as writer:
        for doc in expected:
            writer.write(from_json(doc))
    assert writer.shards == shards == len(list(tmp_path.glob("part-*.parquet")))
    assert as_json(read_shards(tmp_path)) == expected


def test_shards_replace_an_earlier_run(tmp_path: Path, expected: list[dict[str, object]]) -> None:
    from claimscope.serialize import from_json

    for docs in (expected, expected[:1]):
        with ShardWriter(tmp_path, rows_per_shard=1) as writer:
            for doc in docs:
                writer.write(from_json(doc))
    assert as_json(read_shards(tmp_path)) == expected[:1]


def test_parquet_input_gives_the_articles_of_json_lines(tmp_path: Path) -> None:
    import datetime as dt

    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    rows = [{**r, "published": dt.date.fromisoformat(r["published"]) if "published" in r else None}
            for r in RECORDS]  # a real date column, as Parquet writers make it
    pq.write_table(pa.Table.from_pylist([{k: r.get(k) for k in ("id", "text", "html", "published", "url", "title")}
                                         for r in rows]), tmp_path / "corpus.parquet", row_group_size=2)
    want = [dataclasses.replace(a, source=None) for a in articles_of(write_corpus(tmp_path, bad=False))]
    got = [dataclasses.replace(a, source=None) for a in sources.read(tmp_path / "corpus.parquet")]
    assert got == want


@pytest.mark.parametrize(("row", "message"), [
    ({"id": "a", "text": None, "html": None}, 'corpus.parquet:1: expected a "text" or "html" string'),
    ({"id": "a", "text": "x", "published": "soon"}, "corpus.parquet:1: expected \"published\" as an ISO date"),
])
def test_a_bad_parquet_row_is_reported_not_raised(tmp_path: Path, row: dict[str, object], message: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist([row, {"id": "b", "text": "Prices rose.", "published": None}]),
                   tmp_path / "corpus.parquet")
    items = list(sources.read(tmp_path / "corpus.parquet"))
    assert isinstance(items[0], BatchLineError) and str(items[0]).startswith(str(tmp_path / message))
    assert isinstance(items[1], Article) and items[1].id == "b"


def test_a_file_that_is_not_parquet_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    path.write_text("id,text\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"x\.parquet: expected a Parquet file, found something else"):
        list(sources.read(path))


def test_cli_run_into_shards_and_store_then_resume(tmp_path: Path) -> None:
    corpus, db, out = write_corpus(tmp_path), str(tmp_path / "s.db"), str(tmp_path / "out")
    runner = CliRunner()
    res = runner.invoke(main, ["run", str(corpus), "--workers", "1", "--batch-size", "2", "--db", db, "--out", out])
    assert res.exit_code == 0, res.output
    assert res.stderr.splitlines()[-1] == (f"analysed {len(RECORDS)} article(s), 0 with an error diagnostic; "
                                           "wrote 1 shard(s); records skipped: 2 unusable batch line (2 failed)")
    assert len(list(read_shards(out))) == len(RECORDS)
    again = runner.invoke(main, ["run", str(corpus), "--db", db])
    assert again.exit_code == 0, again.output
    assert f"analysed 0 article(s), 0 with an error diagnostic, skipped {len(RECORDS)} unchanged" in again.stderr


@pytest.mark.parametrize(("args", "error"), [
    (["run", "x.jsonl"], "Error: nothing to write: give --out DIR (Parquet shards), --db PATH|URL (the store), "
                         "or both"),
    (["run", "missing.jsonl", "--out", "o"], "Error: missing.jsonl: cannot read the file (No such file or "
                                             "directory); check the path (skipped)"),
])
def test_cli_run_errors_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str],
                                     error: str) -> None:
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 1
    assert res.stderr.splitlines()[0] == error


def test_ray_missing_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from claimscope.scale.ray_engine import run_ray

    monkeypatch.setitem(sys.modules, "ray", None)  # as if the extra were not installed
    with pytest.raises(EngineError, match=r"^the Ray engine needs Ray; install it with `pip install "
                                          r"'claimscope\[ray\]'` or use --engine local$"):
        list(run_ray([str(write_corpus(tmp_path))]))
