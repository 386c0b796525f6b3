"""Syndication: exact and near-duplicate copies of one story, grouped as one story with its copies.

Requires: a store (any backend) holding the articles. Provides: ``index_article`` (check one new
article against the stored index and record its story: what ingest calls after each ``put``),
``rebuild`` (recompute every story, in ingest order), ``Config``.
Limits: a story is the set of texts that copy each other's words (``corpus.shingles``); two outlets'
independent reports of one event are two stories. An article joins the story of the stored copy it
shares most with; stories are never merged afterwards (a later article that bridges two stories
joins the one it shares most with).

Deciding whether a candidate is a copy, in order:
1. candidates: stored articles sharing an LSH band (MinHash), the normalised body, or the title;
2. the same normalised body (credits and case aside) is an exact copy;
3. texts too short to shingle (under ``min_shingles``) are copies only when exact;
4. containment (shared shingles over the shorter text's) of at least ``containment`` is a copy: a
   rewrite that keeps half of the wire text, or a wire story cut to its first paragraphs;
5. a shared passage of ``passage`` words or more with containment of at least ``weak_containment``
   is a copy (an edited copy that lost or rewrote much of its text but kept long stretches);
6. the same title with containment of at least ``weak_containment`` is a copy.
Jaccard similarity alone is never used: edited copies often share under half their shingles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from claimscope.corpus.shingles import Config as ShingleConfig
from claimscope.corpus.shingles import Fingerprint, compare, fingerprint
from claimscope.store.base import Store

TABLES = ("article_sketches", "article_bands", "story_members")


@dataclass(frozen=True, slots=True)
class Config:
    shingles: ShingleConfig = ShingleConfig()
    min_shingles: int = 8
    containment: float = 0.5
    weak_containment: float = 0.2
    passage: int = 60  # a shared quote of a statement often runs to 40-55 words: not a copy by itself
    max_candidates: int = 60  # the most band-sharing candidates verified per article


@dataclass(frozen=True, slots=True)
class StoryLink:
    article_id: str
    story_id: str
    relation: str  # "first" (founds the story), "exact" or "near" (a copy)
    copy_of: str | None = None
    containment: float | None = None
    passage: int | None = None


@dataclass(frozen=True, slots=True)
class _Known:
    article_id: str
    story_id: str
    print: Fingerprint


def decide(new: Fingerprint, old: Fingerprint, config: Config = Config()) -> tuple[str, float, int] | None:
    """("exact" | "near", containment, passage) when ``new`` copies ``old``, else None (cascade 2-6)."""
    if new.body_hash == old.body_hash and new.shingles:  # 2.
        return "exact", 1.0, len(new.shingles) + config.shingles.shingle - 1
    if min(len(new.shingles), len(old.shingles)) < config.min_shingles:  # 3.
        return None
    overlap = compare(new.shingles, old.shingles, config.shingles.shingle)
    same_title = bool(new.title_key) and new.title_key == old.title_key
    if (overlap.containment >= config.containment  # 4.
            or overlap.containment >= config.weak_containment and overlap.passage >= config.passage  # 5.
            or overlap.containment >= config.weak_containment and same_title):  # 6.
        return "near", round(overlap.containment, 4), overlap.passage
    return None


def link(article_id: str, new: Fingerprint, candidates: Iterable[_Known], config: Config = Config()) -> StoryLink:
    """The story of the best copy among ``candidates`` (exact first, then the largest containment)."""
    best: tuple[tuple[int, float, int], StoryLink] | None = None
    for known in candidates:
        if known.article_id == article_id:
            continue
        found = decide(new, known.print, config)
        if found is None:
            continue
        relation, containment, passage = found
        rank = (relation == "exact", containment, passage)
        if best is None or rank > best[0]:
            best = rank, StoryLink(article_id, known.story_id, relation, known.article_id, containment, passage)
    return best[1] if best else StoryLink(article_id, article_id, "first")


def index_article(store: Store, article_id: str, text: str, title: str | None, config: Config = Config()) -> StoryLink:
    """Check one stored article against the index of the others, record its story and its index rows."""
    new = fingerprint(text, title, config.shingles)
    found = link(article_id, new, _stored_candidates(store, article_id, new, config), config)
    _write(store, article_id, new, found)
    return found


def rebuild(store: Store, config: Config = Config()) -> list[StoryLink]:
    """Recompute every article's fingerprint and story, in ingest order, replacing the stored ones."""
    bands: dict[str, list[_Known]] = defaultdict(list)
    exact: dict[str, list[_Known]] = defaultdict(list)
    out = []
    for row in store.rows("SELECT id, title, text FROM articles ORDER BY pk"):
        new = fingerprint(row["text"], row["title"], config.shingles)
        pool = {k.article_id: k for key in new.bands for k in bands.get(key, ())}
        pool.update({k.article_id: k for key in (new.body_hash, "t:" + new.title_key) for k in exact.get(key, ())})
        found = link(row["id"], new, pool.values(), config)
        known = _Known(row["id"], found.story_id, new)
        for key in new.bands:
            bands[key].append(known)
        exact[new.body_hash].append(known)
        if new.title_key:
            exact["t:" + new.title_key].append(known)
        _write(store, row["id"], new, found)
        out.append(found)
    return out


def _stored_candidates(store: Store, article_id: str, new: Fingerprint, config: Config) -> list[_Known]:
    # 1. LSH band collisions (most shared bands first), then the same body or title
    ids: list[str] = []
    if new.bands:
        marks = ", ".join("?" * len(new.bands))
        ids = [r["article_id"] for r in store.rows(
            f"SELECT article_id, count(*) AS n FROM article_bands WHERE band IN ({marks}) AND article_id <> ? "
            "GROUP BY article_id ORDER BY count(*) DESC, article_id LIMIT ?",
            (*new.bands, article_id, config.max_candidates))]
    ids += [r["article_id"] for r in store.rows(
        "SELECT article_id FROM article_sketches WHERE article_id <> ? AND (body_hash = ? OR "
        "(title_key = ? AND title_key <> '')) ORDER BY pk LIMIT ?",
        (article_id, new.body_hash, new.title_key, config.max_candidates))]
    ids = list(dict.fromkeys(ids))
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    found = store.rows(
        f"SELECT a.id, a.title, a.text, m.story_id FROM articles a JOIN story_members m ON m.article_id = a.id "
        f"WHERE a.id IN ({marks}) ORDER BY a.pk", tuple(ids))
    return [_Known(r["id"], r["story_id"], fingerprint(r["text"], r["title"], config.shingles)) for r in found]


def _write(store: Store, article_id: str, new: Fingerprint, found: StoryLink) -> None:
    sketch: dict[str, Any] = {"article_id": article_id, "position": 0, "credit": new.credit,
                              "title_key": new.title_key, "body_hash": new.body_hash, "shingles": len(new.shingles)}
    store.write_rows("article_sketches", article_id, [sketch])
    store.write_rows("article_bands", article_id,
                     [{"article_id": article_id, "position": i, "band": b} for i, b in enumerate(new.bands)])
    store.write_rows("story_members", article_id, [{
        "article_id": article_id, "position": 0, "story_id": found.story_id, "relation": found.relation,
        "copy_of": found.copy_of, "containment": found.containment, "passage": found.passage}])
