"""A store written by the previous schema version opens, upgrades, and loses nothing (SQLite and PostgreSQL).

The previous version is built for real: the migration list cut before its last migration (what the previous
release shipped), real ledgers analysed by the pipeline stored through it, plus a review row. Opening it with
the current code runs the pending migration; every ledger must then read back equal to what was stored,
every table keep its rows per article, search still find them, and an ingest of the same corpus store nothing
twice while filling the new migration's tables for the old articles.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from articles import write_corpus
from bounded import cli
from snapshots import snapshot

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
from backends import BACKENDS, backend_url  # noqa: E402

from claimscope import sources  # noqa: E402
from claimscope.model import Article, Ledger  # noqa: E402
from claimscope.serialize import to_json  # noqa: E402
from claimscope.store import migrations, open_store, pg_migrations, queries  # noqa: E402

ARTICLES = 12


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with backend_url(request.param, tmp_path) as found:
        yield found


def _names(url: str) -> list[str]:
    with open_store(url, read_only=False) as store:
        return [r["name"] for r in store.rows("SELECT name FROM migrations ORDER BY name")]


def test_a_store_of_the_previous_schema_upgrades_without_loss(tmp_path: Path, url: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from claimscope.pipeline import default_pipeline

    module = pg_migrations if url.startswith("postgresql") else migrations
    corpus = tmp_path / "corpus"
    write_corpus(corpus, ARTICLES)
    pipeline = default_pipeline()
    ledgers = [pipeline.run(a) for p in sorted(corpus.iterdir()) for a in sources.read(p)
               if isinstance(a, Article)]
    previous = module.MIGRATIONS[:-1]
    with monkeypatch.context() as m:  # the previous release: every migration but the last
        m.setattr(module, "MIGRATIONS", previous)
        with open_store(url) as store:
            for led in ledgers:
                store.put(led, config_hash=pipeline.config_hash)
            store.write_rows("reviews", ledgers[0].article.id, [_review(ledgers[0])])
        old = snapshot(url)
    assert len(old["articles"]) == ARTICLES
    with open_store(url) as store:  # the current release opens it: the pending migration runs
        back = [store.get(led.article.id) for led in ledgers]
        hits = queries.search(store, "council leader")
    assert _names(url) == sorted(n for n, _ in module.MIGRATIONS)
    new = snapshot(url)
    lost = {t: set(old[t]) - set(new.get(t, {})) for t in old}
    changed = {t: {a for a in old[t] if new.get(t, {}).get(a) != old[t][a]} for t in old}
    assert [to_json(b) for b in back] == [to_json(led) for led in ledgers]  # every ledger reads back as stored
    assert not any(lost.values()) and not any(changed.values()), (lost, changed)
    assert {h["article_id"] for h in hits} == {led.article.id for led in ledgers}
    again = cli("ingest", "--db", url, str(corpus), timeout=180)  # same corpus: nothing stored twice
    assert again.returncode == 0, again.stderr[-2000:]
    assert f"ingested 0 article(s), skipped {ARTICLES} unchanged" in again.stdout + again.stderr
    final = snapshot(url)
    assert set(final["runs"].values()) == {1} and len(final["articles"]) == ARTICLES
    assert set(final.get("story_members", {})) == set(old["articles"])  # the new tables cover the old articles
    print(f"\nupgrade {url.split(':')[0] if '://' in url else 'sqlite'}: {len(previous)} -> "
          f"{len(module.MIGRATIONS)} migrations, {ARTICLES} ledgers read back equal, "
          f"{sum(sum(t.values()) for t in old.values())} rows kept, lost 0, duplicated 0")


def _review(led: Ledger) -> dict[str, object]:
    """A reviewer's verdict on the ledger's first statement, as ``claimscope import-review`` stores it."""
    from claimscope.store import rows

    st = (led.statements or ())[0]
    values: dict[str, object] = dict.fromkeys(rows.COLUMNS["reviews"])
    values.update(article_id=led.article.id, position=0, statement_id=st.id, verdict="correct",
                  content_start=st.content.start, content_end=st.content.end, content_text=st.content.text,
                  reviewer="reliab", imported_at="2026-11-25T00:00:00+00:00")
    return values
