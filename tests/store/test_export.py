"""Exports (JSON Lines, CSV, Parquet, Label Studio) and the import of reviewed attributions."""

from __future__ import annotations

import copy
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from backends import store_url  # noqa: F401  (fixture)
from store_samples import TEXT, at, sample_ledger

from claimscope.errors import InputError, NotFoundError, StoreError
from claimscope.model import Article, Ledger, Statement
from claimscope.serialize import to_json
from claimscope.store import Store, open_store, rows
from claimscope.store.export import TABLES, export_jsonl, export_tables
from claimscope.store.review import _Offsets, export_labelstudio, import_review, task

WIDE = "Mayor 🙂 Lee said 🚀 the pier reopens."


def wide_ledger() -> Ledger:
    art = Article(id="wide", text=WIDE)
    return Ledger(article=art, statements=(
        Statement("w-1", "indirect", at(WIDE, "the pier reopens"), None, at(WIDE, "Lee"), at(WIDE, "said")),))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:  # noqa: F811
    with open_store(store_url) as st:
        st.put(sample_ledger())
        st.put(wide_ledger())
        yield st


def test_columns_are_what_encode_writes() -> None:
    led = sample_ledger()
    found = {"articles": [rows.encode_article(led, "x")], **rows.encode_items(led)}
    assert {t: tuple(batch[0]) for t, batch in found.items()} == {t: rows.COLUMNS[t] for t in found}


def test_jsonl_is_one_contract_ledger_per_line(store: Store) -> None:
    out = io.StringIO()
    assert export_jsonl(store, out) == 2
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines == [to_json(sample_ledger()), to_json(wide_ledger())]


def test_csv_has_one_file_per_kind_with_offsets(store: Store, tmp_path: Path) -> None:
    counts = export_tables(store, tmp_path / "csv", "csv")
    assert sorted(p.stem for p in (tmp_path / "csv").iterdir()) == sorted(TABLES)
    assert (counts["articles"], counts["statements"], counts["reviews"]) == (2, 3, 0)
    with (tmp_path / "csv" / "statements.csv").open(encoding="utf-8", newline="") as f:
        got = list(csv.DictReader(f))
    assert [(r["article_id"], r["id"]) for r in got] == [(sample_ledger().article.id, "s-1"),
                                                         (sample_ledger().article.id, "s-2"), ("wide", "w-1")]
    first = got[0]
    assert TEXT[int(first["content_start"]):int(first["content_end"])] == first["content_text"]
    with (tmp_path / "csv" / "reviews.csv").open(encoding="utf-8") as f:
        assert f.read().strip() == ",".join(rows.COLUMNS["reviews"])


def test_parquet_tables_have_typed_columns(store: Store, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    export_tables(store, tmp_path / "pq", "parquet")
    table = pq.read_table(tmp_path / "pq" / "quantities.parquet")
    assert table.column_names == list(rows.COLUMNS["quantities"])
    assert (str(table.schema.field("value").type), str(table.schema.field("span_start").type)) == ("double", "int64")
    assert table.column("high").to_pylist() == [None, 320.0]
    assert pq.read_table(tmp_path / "pq" / "reviews.parquet").num_rows == 0


def test_export_to_a_file_path_is_refused(store: Store, tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(StoreError, match="it is a file"):
        export_tables(store, tmp_path / "f", "csv")


@pytest.mark.parametrize("text", ["plain", WIDE, "🙂🙂a🚀", ""])
def test_utf16_offsets_round_trip(text: str) -> None:
    conv = _Offsets(text)
    js = text.encode("utf-16-le")
    for i in range(len(text) + 1):
        assert conv.to_py(conv.to_js(i)) == i
        assert js[: 2 * conv.to_js(i)].decode("utf-16-le") == text[:i]


def test_labelstudio_task_has_statement_regions_and_relations() -> None:
    t = task(sample_ledger())
    (pred,) = t["predictions"]
    labels = {r["id"]: r["value"]["labels"][0] for r in pred["result"] if r["type"] == "labels"}
    relations = {(r["from_id"], r["to_id"], r["labels"][0]) for r in pred["result"] if r["type"] == "relation"}
    said = at(TEXT, "said")
    assert pred["model_version"] == "attribution.rules.v1"
    assert labels["content:s-1"] == "Content" and labels[f"cue:{said.start}-{said.end}"] == "Cue"
    assert (f"cue:{said.start}-{said.end}", "content:s-1", "cue") in relations
    assert t["data"]["article_id"] == sample_ledger().article.id and t["data"]["text"] == TEXT


def test_labelstudio_offsets_count_utf16_units() -> None:
    (region,) = [r for r in task(wide_ledger())["predictions"][0]["result"] if r.get("id") == "content:w-1"]
    start = WIDE.index("the pier")
    assert region["value"]["start"] == start + 2  # two characters outside the BMP come before it


def reviewed(store: Store) -> list[dict[str, Any]]:
    out = io.StringIO()
    export_labelstudio(store, out)
    tasks: list[dict[str, Any]] = json.loads(out.getvalue())
    for i, t in enumerate(tasks):
        t["id"] = i + 1
        t["annotations"] = [{"completed_by": {"id": 7, "email": "rev@example.org"}, "was_cancelled": False,
                             "updated_at": "2031-03-05T10:00:00Z",
                             "result": copy.deepcopy(t["predictions"][0]["result"])}]
    return tasks


def by_id(result: list[dict[str, Any]], rid: str) -> dict[str, Any]:
    return next(r for r in result if r.get("id") == rid)


def test_import_keeps_reviews_beside_the_extractor(store: Store) -> None:
    tasks = reviewed(store)
    bridge, wide = tasks
    result = bridge["annotations"][0]["result"]
    okafor = at(TEXT, "Ines Okafor")
    speaker = by_id(result, f"speaker:{okafor.start}-{okafor.end}")  # reviewer trims the speaker to "Okafor"
    speaker["value"].update(start=okafor.start + 5, text="Okafor")
    result.remove(by_id(result, "content:s-1"))  # and rejects s-1
    new = at(TEXT, "between 250 and 320 cars")
    result.append({"id": "x9", "type": "labels", "from_name": "label", "to_name": "text",
                   "value": {"start": new.start, "end": new.end, "text": new.text, "labels": ["Content"]}})
    result.append({"type": "relation", "from_id": "x9", "to_id": speaker["id"], "labels": []})
    wide["annotations"][0]["was_cancelled"] = True
    summary = import_review(store, tasks, now="2031-03-06T00:00:00+00:00")
    assert (summary.tasks, summary.unreviewed, summary.verdicts) == (
        2, 1, {"confirmed": 0, "corrected": 1, "added": 1, "rejected": 1})
    got = store.rows("SELECT statement_id, verdict, speaker, speaker_text, reviewer, predicted_by FROM reviews "
                     "ORDER BY position")
    assert [(r["statement_id"], r["verdict"], r["speaker_text"]) for r in got] == [
        ("s-2", "corrected", "Okafor"), (None, "added", "Okafor"), ("s-1", "rejected", "The harbour authority")]
    assert (got[0]["speaker"], got[2]["speaker"], got[0]["reviewer"]) == ("a-okafor", "a-auth", "rev@example.org")
    assert store.get(sample_ledger().article.id) == sample_ledger()  # the extractor's statements are untouched


def test_reimport_replaces_earlier_reviews_and_reput_keeps_them(store: Store) -> None:
    tasks = reviewed(store)
    import_review(store, tasks)
    summary = import_review(store, tasks)
    assert summary.verdicts["confirmed"] == 3
    store.put(sample_ledger())
    assert store.rows("SELECT count(*) AS n FROM reviews")[0]["n"] == 3


@pytest.mark.parametrize(("edit", "error", "message"), [
    (lambda t: t[0]["data"].update(article_id="nope"), NotFoundError, "task 1 reviews article nope"),
    (lambda t: t[1]["data"].update(text="changed"), InputError, "task 2: the text of article wide differs"),
    (lambda t: t[0].pop("data"), InputError, "task 1 has no data.article_id"),
])
def test_import_refuses_tasks_that_do_not_fit_and_writes_nothing(store: Store, edit, error, message) -> None:  # type: ignore[no-untyped-def]
    tasks = reviewed(store)
    edit(tasks)
    with pytest.raises(error, match=message):
        import_review(store, tasks)
    assert store.rows("SELECT count(*) AS n FROM reviews")[0]["n"] == 0


def test_import_needs_a_task_list(store: Store) -> None:
    with pytest.raises(InputError, match="JSON list of tasks"):
        import_review(store, {"data": {}})
