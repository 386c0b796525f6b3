"""An article stored by a run killed before its story was indexed gets indexed when a re-run skips it."""

from __future__ import annotations

from pathlib import Path

from claimscope.corpus.ingest import ingest_articles
from claimscope.model import Article
from claimscope.pipeline import default_pipeline
from claimscope.store import open_store

TEXT = "The council approved the harbour budget on Monday, officials said.\nPort Alder / AP\n"


def test_skipped_article_missing_from_its_story_is_indexed(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    article = Article(Article.make_id(TEXT), TEXT)
    pipeline = default_pipeline()
    with open_store(db) as store:  # what a run killed between put and indexing leaves behind
        store.put(pipeline.run(article), config_hash=pipeline.config_hash)
        assert store.rows("SELECT 1 FROM story_members WHERE article_id = ?", (article.id,)) == []
    summary = ingest_articles([article], db)
    assert summary.skipped == 1 and summary.stored == 0
    with open_store(db, read_only=True) as store:
        assert len(store.rows("SELECT 1 FROM story_members WHERE article_id = ?", (article.id,))) == 1
