"""Both store backends: round trips, upserts, lookups, opening errors and concurrent access."""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from backends import pg_url, store_url  # noqa: F401  (fixtures)
from store_samples import TEXT, sample_ledger

from claimscope.errors import NotFoundError, StoreError
from claimscope.model import Article, Ledger
from claimscope.store import Store, content_hash, open_store
from claimscope.store.rows import ITEM_TABLES


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:  # noqa: F811
    with open_store(store_url) as st:
        yield st


def counts(st: Store) -> dict[str, int]:
    return {t: st.rows(f"SELECT count(*) AS n FROM {t}")[0]["n"] for t in ("articles", *ITEM_TABLES)}


def test_round_trip_full_ledger(store: Store) -> None:
    led = sample_ledger()
    assert store.put(led) == led.article.id
    assert store.get(led.article.id) == led


@pytest.mark.parametrize("layers", [
    {},  # nothing ran: every layer reloads as None
    {"segments": (), "actors": (), "times": (), "statements": (), "quantities": (), "flags": (), "measures": ()},
    {"statements": ()},
])
def test_round_trip_keeps_none_apart_from_empty(store: Store, layers: dict[str, tuple[()]]) -> None:
    led = Ledger(article=Article(id="bare", text="Nothing to see."), **layers)
    store.put(led)
    assert store.get("bare") == led


def test_round_trip_of_a_parsed_ledger(store: Store, parsed) -> None:  # type: ignore[no-untyped-def]
    led = parsed("The mayor said the pool would open in May. \"It is ready,\" she added.", upto="measures")
    store.put(led)
    assert store.get(led.article.id) == dataclasses.replace(led, parse=None)


def test_reput_replaces_items_without_duplicates(store: Store) -> None:
    led = sample_ledger()
    store.put(led)
    first = counts(store)
    store.put(led)
    assert counts(store) == first
    fewer = dataclasses.replace(led, statements=led.statements[:1] if led.statements else None)
    store.put(fewer)
    assert counts(store) == {**first, "statements": 1}
    assert store.get(led.article.id) == fewer


def test_reput_keeps_first_ingest_time_and_records_each_run(store: Store) -> None:
    led = sample_ledger()
    store.put(led)
    before = store.articles()[0]
    store.put(led, config_hash="cfg2")
    after = store.articles()[0]
    assert (after["ingested_at"], after["updated_at"] > before["updated_at"]) == (before["ingested_at"], True)
    assert [r["config_hash"] for r in store.rows("SELECT config_hash FROM runs ORDER BY pk")] == [None, "cfg2"]


@pytest.mark.parametrize("key", [
    "placeholder-id",
    "/data/in/bridge.txt",
    "https://news.example/bridge",
    "https://NEWS.example/bridge/",  # the canonical form of the URL hashes to the same id
])
def test_get_by_id_source_or_url(store: Store, key: str) -> None:
    led = sample_ledger()
    store.put(led)
    assert store.get(led.article.id if key == "placeholder-id" else key) == led


def test_get_by_relative_source_path(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text(TEXT)
    store.put(sample_ledger(source=str(tmp_path / "a.txt")))
    monkeypatch.chdir(tmp_path)
    assert store.get("a.txt").article.source == str(tmp_path / "a.txt")


@pytest.mark.parametrize("key", ["nope", "", "https://news.example/other", "/data/in/other.txt", "' OR 1=1 --",
                                 "a\x00b", "x" * 5000])
def test_get_unknown_key_raises_not_found(store: Store, key: str) -> None:
    store.put(sample_ledger())
    with pytest.raises(NotFoundError, match="no stored article has the id, source path or URL"):
        store.get(key)


@pytest.mark.parametrize(("case", "expected"), [
    ("same", True),
    ("changed-text", False),
    ("other-id", False),
    ("same-config", True),
    ("other-config", False),
])
def test_has(store: Store, case: str, expected: bool) -> None:
    led = sample_ledger()
    store.put(led, config_hash="cfg1")
    aid, digest = led.article.id, content_hash(led.text)
    args = {"same": (aid, digest, None), "changed-text": (aid, content_hash(led.text + "!"), None),
            "other-id": ("other", digest, None), "same-config": (aid, digest, "cfg1"),
            "other-config": (aid, digest, "cfg9")}[case]
    assert store.has(*args) is expected


def test_articles_lists_newest_first_with_paging(store: Store) -> None:
    ids = [store.put(sample_ledger(TEXT + f" {i}", url=f"https://news.example/{i}")) for i in range(5)]
    assert [a["id"] for a in store.articles(limit=2, offset=1)] == ids[::-1][1:3]
    assert "text" not in store.articles()[0]


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p / "missing" / "x.db", "folder {p}/missing does not exist; create it first"),
    (lambda p: p, "it is a folder"),
    (lambda p: p / "junk.db", "the file is not a SQLite database"),
    (lambda p: "mysql://db.example/ledger", "mysql:// is not supported"),
    (lambda p: "postgresql://nobody@127.0.0.1:1/ledger", "the server cannot be reached"),
    (lambda p: "postgresql://u:secret@127.0.0.1:1/ledger", "postgresql://u:***@127.0.0.1:1/ledger"),
    (lambda p: "postgresql://127.0.0.1:5432/test?nosuchoption=1", "not a valid PostgreSQL URL"),
])
def test_open_errors_are_one_line_store_errors(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "junk.db").write_bytes(b"this is plain text, not a database\n" * 200)
    with pytest.raises(StoreError) as err:
        open_store(make(tmp_path))
    assert message.format(p=tmp_path) in str(err.value)
    assert "\n" not in str(err.value) and "secret" not in str(err.value)


@pytest.mark.parametrize("form", ["sqlite:///{p}", "{p}"])
def test_open_by_url_or_path(tmp_path: Path, form: str) -> None:
    path = tmp_path / "u.db"
    with open_store(form.format(p=path)) as st:
        st.put(sample_ledger())
    with open_store(path) as st:
        assert st.get(sample_ledger().article.id) == sample_ledger()


def test_memory_store_and_wal_mode(tmp_path: Path) -> None:
    with open_store(":memory:") as mem:
        mem.put(sample_ledger())
        assert len(mem.articles()) == 1
    with open_store(tmp_path / "w.db") as st:
        assert st.rows("PRAGMA journal_mode")[0]["journal_mode"] == "wal"
        assert st.rows("PRAGMA foreign_keys")[0]["foreign_keys"] == 1


def test_read_only_store_refuses_writes(store_url: str) -> None:  # noqa: F811
    with open_store(store_url) as st:
        st.put(sample_ledger())
    with open_store(store_url, read_only=True) as ro:
        assert ro.get("/data/in/bridge.txt") == sample_ledger()
        with pytest.raises(StoreError, match="opened read-only"):
            ro.put(sample_ledger())


def test_read_only_store_needs_an_existing_migrated_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="the file does not exist"):
        open_store(tmp_path / "none.db", read_only=True)
    sqlite3.connect(tmp_path / "blank.db").close()
    with pytest.raises(StoreError, match="schema is out of date"):
        open_store(tmp_path / "blank.db", read_only=True)


def test_reader_and_second_writer_wait_for_a_busy_writer(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    with open_store(path) as first:
        first.put(sample_ledger())
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE articles SET title = 'held'")
    release = threading.Timer(0.3, lambda: holder.execute("COMMIT"))
    with open_store(path) as reader, open_store(path) as writer:
        assert reader.get(sample_ledger().article.id).article.title == "Harbour bridge closed"  # WAL: old snapshot
        release.start()
        writer.put(sample_ledger(TEXT + " later", url="https://news.example/later"))  # waits, then succeeds
        assert len(writer.articles()) == 2
    release.join()
    holder.close()


def test_closed_store_raises_store_error(tmp_path: Path) -> None:
    st = open_store(tmp_path / "x.db")
    st.close()
    with pytest.raises(StoreError, match="query failed"):
        st.articles()


def test_read_only_postgres_needs_a_migrated_schema(pg_url: str) -> None:  # noqa: F811
    with pytest.raises(StoreError, match="schema in .* is out of date or missing"):
        open_store(pg_url, read_only=True)
    open_store(pg_url).close()
    with open_store(pg_url, read_only=True) as ro:
        assert ro.articles() == []


def test_postgres_writer_waits_for_a_transaction_holding_the_article(pg_url: str) -> None:  # noqa: F811
    import psycopg

    with open_store(pg_url) as first:
        first.put(sample_ledger())
    holder = psycopg.connect(pg_url, autocommit=True)
    tx = holder.transaction()
    tx.__enter__()
    holder.execute("UPDATE articles SET title = 'held'")
    release = threading.Timer(0.3, lambda: tx.__exit__(None, None, None))
    with open_store(pg_url) as reader, open_store(pg_url) as writer:
        assert reader.get(sample_ledger().article.id).article.title == "Harbour bridge closed"  # committed data only
        release.start()
        writer.put(sample_ledger())  # waits for the row lock, then replaces the held row
        assert writer.get(sample_ledger().article.id) == sample_ledger()
    release.join()
    holder.close()


def test_two_connections_putting_at_once_leave_no_duplicates(store_url: str) -> None:  # noqa: F811
    open_store(store_url).close()  # migrate once, before the race
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            with open_store(store_url) as st:
                for j in range(5):
                    st.put(sample_ledger())
                    st.put(sample_ledger(TEXT + f" {i}-{j}", url=f"https://news.example/{i}/{j}"))
        except BaseException as exc:  # noqa: BLE001  (reported by the assertion below)
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with open_store(store_url) as st:
        assert len(st.articles(limit=100)) == 11
        assert st.rows("SELECT count(*) AS n FROM statements")[0]["n"] == 22
        assert st.get(sample_ledger().article.id) == sample_ledger()


@pytest.mark.parametrize("field", ["text", "title"])
def test_postgres_refuses_nul_characters_in_one_line(pg_url: str, field: str) -> None:  # noqa: F811
    led = sample_ledger()
    art = dataclasses.replace(led.article, **{field: "a\x00b"})
    with open_store(pg_url) as st:
        with pytest.raises(StoreError) as err:
            st.put(dataclasses.replace(led, article=art))
        assert "\n" not in str(err.value)
        assert st.articles() == []  # nothing half-written, and the connection still works
        st.put(led)
        assert st.get(led.article.id) == led
