"""Read-only queries over a ledger store, shared by the CLI's listing commands and the web app.

Requires: an open ``Store`` (any backend).
Provides: functions returning plain dicts and lists in the shapes of the JSON contract
(``claimscope.serialize``: a statement has ``start``/``end`` of its content, ``speaker``,
``speaker_text``, ``cue``, ...), each row also naming its ``article_id``, so ``--json`` output and the
web API are the same data.
Limits: nothing here writes. The SQL is portable (``?`` placeholders, no dialect functions); the one
dialect-specific operation, full-text search, goes through ``Store.match``, which treats the user's
query as plain words and never splices it into SQL.
"""

from __future__ import annotations

from typing import Any

from claimscope.serialize import to_json
from claimscope.store.base import SearchScope, Store

JSON = dict[str, Any]

_SEGMENT_OF = (
    "(SELECT g.kind FROM segments g WHERE g.article_id = s.article_id AND g.parent IS NULL "
    "AND g.span_start <= s.content_start AND s.content_start < g.span_end ORDER BY g.position LIMIT 1)"
)
_STATEMENTS = (
    f"SELECT s.*, a.name AS speaker_name, {_SEGMENT_OF} AS segment FROM statements s "
    "LEFT JOIN actors a ON a.article_id = s.article_id AND a.id = s.speaker"
)
_QUANTITIES = (
    "SELECT q.*, a.name AS source_text FROM quantities q "
    "LEFT JOIN actors a ON a.article_id = q.article_id AND a.id = q.source"
)


def get_ledger(store: Store, key: str) -> JSON:
    """The whole stored ledger of one article (by id, source path or URL) as contract JSON."""
    return to_json(store.get(key))


def list_articles(store: Store, limit: int = 50, offset: int = 0) -> list[JSON]:
    """Stored articles, most recently updated first, with how many items of each kind they hold."""
    return store.rows(
        "SELECT id, title, url, source, published, site, content_hash, ingested_at, updated_at, "
        "(SELECT count(*) FROM statements s WHERE s.article_id = articles.id) AS statements, "
        "(SELECT count(*) FROM quantities q WHERE q.article_id = articles.id) AS quantities, "
        "(SELECT count(*) FROM flags f WHERE f.article_id = articles.id) AS flags "
        "FROM articles ORDER BY updated_at DESC, pk DESC LIMIT ? OFFSET ?", (limit, offset))


def statements_by_actor(store: Store, name: str, limit: int = 100, offset: int = 0) -> list[JSON]:
    """Statements credited to an actor whose name, an alias, or the speaker mention equals ``name`` (any case)."""
    rows = store.rows(
        f"{_STATEMENTS} WHERE {_ACTOR_MATCH} ORDER BY s.article_id, s.position LIMIT ? OFFSET ?",
        (name, name, name, limit, offset))
    return [_statement(r) for r in rows]


def search(store: Store, q: str, scope: SearchScope = "statements", limit: int = 20, offset: int = 0) -> list[JSON]:
    """Full-text search: statements whose content (or articles whose title or text) has all the words of ``q``.

    ``q`` is untrusted input; it is matched as plain words (see ``Store.match``). Each hit carries a
    ``snippet`` with the matched words in brackets.
    """
    hits = store.match(scope, q, limit, offset)
    if not hits:
        return []
    keys = tuple(h["pk"] for h in hits)
    marks = ", ".join("?" * len(keys))
    if scope == "statements":
        found = {r["pk"]: _statement(r) for r in store.rows(f"{_STATEMENTS} WHERE s.pk IN ({marks})", keys)}
    else:
        found = {r["pk"]: r for r in store.rows(
            f"SELECT pk, id, title, url, source, published, site FROM articles WHERE pk IN ({marks})", keys)}
    return [{**_public(found[h["pk"]]), "snippet": h["snippet"]} for h in hits if h["pk"] in found]


def flagged_articles(store: Store, kind: str | None = None, limit: int = 50, offset: int = 0) -> list[JSON]:
    """Articles with at least one flag (of ``kind``, when given), each with its flags in order."""
    where, params = ("WHERE kind = ?", (kind,)) if kind else ("", ())
    articles = store.rows(
        "SELECT id, title, url, source, published, site FROM articles WHERE id IN "
        f"(SELECT article_id FROM flags {where}) ORDER BY updated_at DESC, pk DESC LIMIT ? OFFSET ?",
        (*params, limit, offset))
    for art in articles:
        flags = store.rows(f"SELECT * FROM flags WHERE article_id = ? {where.replace('WHERE', 'AND')} "
                           "ORDER BY position", (art["id"], *params))
        art["flags"] = [_flag(f) for f in flags]
    return articles


def measures(store: Store, article_id: str | None = None, limit: int = 100, offset: int = 0) -> list[JSON]:
    """Measures (figures about the same thing), each with its member quantities in contract shape."""
    where, params = ("WHERE article_id = ?", (article_id,)) if article_id else ("", ())
    found = store.rows(f"SELECT * FROM measures {where} ORDER BY article_id, position LIMIT ? OFFSET ?",
                       (*params, limit, offset))
    out = []
    for m in found:
        members = store.rows(
            f"SELECT mm.position AS member, {_QUANTITIES.removeprefix('SELECT ')} JOIN measure_members mm "
            "ON mm.article_id = q.article_id AND mm.quantity_id = q.id "
            "WHERE mm.article_id = ? AND mm.measure_position = ? ORDER BY mm.position, q.position",
            (m["article_id"], m["position"]))
        out.append({"article_id": m["article_id"], "id": m["id"], "label": m["label"], "extractor": m["extractor"],
                    "quantities": [_quantity(q) for q in members]})
    return out


# --- across the corpus (the web app's actor, measure and filtered-search pages) -------------------

_ARTICLE_COLS = "art.title AS article_title, art.published AS published, art.site AS site, art.source AS source"
# The statements credited to a name (actor name, speaker mention or alias, any case): a union of three
# lookups, each served by an expression index on lower(...) (migration m004), instead of one OR that
# would scan every statement.
_ACTOR_MATCH = (
    "s.pk IN (SELECT s1.pk FROM actors a1 JOIN statements s1 ON s1.article_id = a1.article_id "
    "AND s1.speaker = a1.id WHERE lower(a1.name) = lower(?) "
    "UNION SELECT s2.pk FROM statements s2 WHERE lower(s2.speaker_text) = lower(?) "
    "UNION SELECT s3.pk FROM actor_aliases al JOIN actors a3 ON a3.article_id = al.article_id "
    "AND a3.position = al.actor_position JOIN statements s3 ON s3.article_id = a3.article_id "
    "AND s3.speaker = a3.id WHERE lower(al.alias) = lower(?))"
)


def actor_profile(store: Store, name: str, limit: int = 200, offset: int = 0) -> JSON:
    """Everything credited to an actor across the corpus, oldest first, with the name variants used.

    ``name`` matches an actor's name, one of its aliases, or the speaker mention, in any case. Each
    statement carries its article's title, publication date and site; ``variants`` lists the actor
    names, aliases and speaker mentions seen for it, most frequent first.
    """
    rows = store.rows(
        f"{_STATEMENTS.replace(' FROM statements s', f', {_ARTICLE_COLS} FROM statements s')} "
        f"JOIN articles art ON art.id = s.article_id WHERE {_ACTOR_MATCH} "
        "ORDER BY art.published IS NULL, art.published, s.article_id, s.position LIMIT ? OFFSET ?",
        (name, name, name, limit, offset))
    variants: dict[str, int] = {}
    for r in rows:
        for v in (r["speaker_name"], r["speaker_text"]):
            if v:
                variants[v] = variants.get(v, 0) + 1
    aliases = store.rows(
        "SELECT DISTINCT al.alias AS alias FROM actor_aliases al JOIN actors a ON a.article_id = al.article_id "
        "AND a.position = al.actor_position JOIN statements s ON s.article_id = a.article_id AND s.speaker = a.id "
        f"WHERE {_ACTOR_MATCH} ORDER BY al.alias", (name, name, name))
    for r in aliases:
        variants.setdefault(r["alias"], 0)
    return {
        "name": name,
        "variants": sorted(variants, key=lambda v: (-variants[v], v)),
        "articles": len({r["article_id"] for r in rows}),
        "statements": [{**_statement(r), "article_title": r["article_title"], "published": r["published"],
                        "site": r["site"], "source": r["source"]} for r in rows],
    }


def measure_labels(store: Store, limit: int = 200, offset: int = 0) -> list[JSON]:
    """Measure labels across the corpus, with how many articles and figures give each, most common first."""
    return store.rows(
        "SELECT lower(m.label) AS label, count(DISTINCT m.article_id) AS articles, count(mm.pk) AS figures "
        "FROM measures m LEFT JOIN measure_members mm ON mm.article_id = m.article_id "
        "AND mm.measure_position = m.position GROUP BY lower(m.label) "
        "ORDER BY count(DISTINCT m.article_id) DESC, lower(m.label) LIMIT ? OFFSET ?", (limit, offset))


def measure_series(store: Store, label: str, limit: int = 1000) -> JSON:
    """The figures every source gives for measures labelled ``label`` (any case), by publication date.

    Each point is a contract-shaped quantity plus its article's date, title and site; ``disagree`` is
    true for a point whose value differs from another point of the same date and unit.
    """
    rows = store.rows(
        f"SELECT m.id AS measure_id, {_QUANTITIES.removeprefix('SELECT ')} "
        "JOIN measure_members mm ON mm.article_id = q.article_id AND mm.quantity_id = q.id "
        "JOIN measures m ON m.article_id = mm.article_id AND m.position = mm.measure_position "
        f"JOIN articles art ON art.id = q.article_id WHERE lower(m.label) = lower(?) "
        "ORDER BY art.published IS NULL, art.published, q.article_id, q.position LIMIT ?",
        (label, limit))
    meta = _article_meta(store, {r["article_id"] for r in rows})
    points = [{**_quantity(r), "measure": r["measure_id"], **meta[r["article_id"]]} for r in rows]
    groups: dict[tuple[Any, Any], set[float]] = {}
    for p in points:
        groups.setdefault((p["time"] or p["published"], p["unit"]), set()).add(p["value"])
    for p in points:
        p["disagree"] = len(groups[(p["time"] or p["published"], p["unit"])]) > 1
    return {"label": label, "points": points, "sources": sorted({p["site"] or p["article_id"] for p in points})}


def _article_meta(store: Store, ids: set[str]) -> dict[str, JSON]:
    if not ids:
        return {}
    keys = tuple(sorted(ids))
    found = store.rows(f"SELECT id, title, published, site, source FROM articles WHERE id IN "
                       f"({', '.join('?' * len(keys))})", keys)
    return {r["id"]: {"article_title": r["title"], "published": r["published"], "site": r["site"],
                      "article_source": r["source"]} for r in found}


def search_filtered(store: Store, q: str = "", scope: SearchScope = "statements", *, source: str | None = None,
                    actor: str | None = None, since: str | None = None, until: str | None = None,
                    flag: str | None = None, limit: int = 20, offset: int = 0, candidates: int = 2000) -> list[JSON]:
    """Search with filters: words of ``q`` (optional), and the article's site or source path, the speaker,
    a publication date range (ISO dates, inclusive) and a flag kind.

    With words, the full-text engine proposes up to ``candidates`` rows, which the filters narrow; with
    none, the filters alone select. For statements, ``flag`` keeps those a flag of that kind overlaps;
    for articles, those carrying such a flag. ``actor`` applies to statements only.
    """
    where: list[str] = []
    params: list[Any] = []
    snippets: dict[int, str] = {}
    alias = "s" if scope == "statements" else "art"
    if q.strip():
        hits = store.match(scope, q, candidates, 0)
        if not hits:
            return []
        snippets = {h["pk"]: h["snippet"] for h in hits}
        where.append(f"{alias}.pk IN ({', '.join('?' * len(snippets))})")
        params += list(snippets)
    if source:
        where.append("(lower(art.site) = lower(?) OR art.source = ? OR lower(art.url) LIKE lower(?) ESCAPE '\\')")
        params += [source, source, "%" + _like(source) + "%"]
    if since:
        where.append("art.published >= ?")
        params.append(since)
    if until:
        where.append("art.published <= ?")
        params.append(until)
    if scope == "statements":
        return _filtered_statements(store, where, params, actor, flag, snippets, limit, offset)
    if flag:
        where.append("EXISTS (SELECT 1 FROM flags f WHERE f.article_id = art.id AND f.kind = ?)")
        params.append(flag)
    cond = " AND ".join(where) or "1 = 1"
    found = store.rows(f"SELECT art.pk AS pk, art.id, art.title, art.url, art.source, art.published, art.site "
                       f"FROM articles art WHERE {cond} ORDER BY art.published IS NULL, art.published DESC, art.pk "
                       "LIMIT ? OFFSET ?", (*params, limit, offset))
    return [{**_public(r), "snippet": snippets.get(r["pk"])} for r in found]


def _filtered_statements(store: Store, where: list[str], params: list[Any], actor: str | None, flag: str | None,
                         snippets: dict[int, str], limit: int, offset: int) -> list[JSON]:
    if actor:
        where.append(_ACTOR_MATCH)
        params += [actor, actor, actor]
    if flag:
        where.append("EXISTS (SELECT 1 FROM flags f WHERE f.article_id = s.article_id AND f.kind = ? "
                     "AND f.span_start < s.content_end AND s.content_start < f.span_end)")
        params.append(flag)
    cond = " AND ".join(where) or "1 = 1"
    found = store.rows(
        f"{_STATEMENTS.replace(' FROM statements s', f', {_ARTICLE_COLS} FROM statements s')} "
        f"JOIN articles art ON art.id = s.article_id WHERE {cond} "
        "ORDER BY art.published IS NULL, art.published DESC, s.article_id, s.position LIMIT ? OFFSET ?",
        (*params, limit, offset))
    return [{**_statement(r), "article_title": r["article_title"], "published": r["published"], "site": r["site"],
             "snippet": snippets.get(r["pk"])} for r in found]


def actor_search(store: Store, q: str, limit: int = 20) -> list[JSON]:
    """Actors whose name contains ``q`` (any case; ``%`` and ``_`` are literal), with their statement counts."""
    if not q.strip():
        return []
    return store.rows(
        "SELECT a.name AS name, a.kind AS kind, count(DISTINCT a.article_id) AS articles, count(s.pk) AS statements "
        "FROM actors a LEFT JOIN statements s ON s.article_id = a.article_id AND s.speaker = a.id "
        "WHERE lower(a.name) LIKE lower(?) ESCAPE '\\' GROUP BY a.name, a.kind "
        "ORDER BY count(s.pk) DESC, a.name LIMIT ?", ("%" + _like(q.strip()) + "%", limit))


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --- row shapes -----------------------------------------------------------------------------------


def _public(row: JSON) -> JSON:
    return {k: v for k, v in row.items() if k != "pk"}


def _off(row: JSON, prefix: str, out: str | None = None) -> JSON:
    out = prefix if out is None else out
    return {f"{out}start": row[f"{prefix}_start"], f"{out}end": row[f"{prefix}_end"]}


def _statement(r: JSON) -> JSON:
    return {
        "article_id": r["article_id"], "id": r["id"], "kind": r["kind"], **_off(r, "content", ""),
        "content_text": r["content_text"], "speaker": r["speaker"], "speaker_name": r["speaker_name"],
        "speaker_text": r["speaker_text"], **_off(r, "speaker", "speaker_"),
        "cue": r["cue_text"], **_off(r, "cue", "cue_"), "channel": r["channel_text"],
        **_off(r, "channel", "channel_"), "time": r["time"], "time_ref": r["time_ref"], "segment": r["segment"],
        "extractor": r["extractor"], "confidence": r["confidence"], "pattern": r["pattern"],
    }


def _quantity(r: JSON) -> JSON:
    return {
        "article_id": r["article_id"], "id": r["id"], **_off(r, "span", ""), "text": r["span_text"],
        "value": r["value"], "bound": r["bound"], "high": r["high"], "unit": r["unit"], "counted": r["counted"],
        **_off(r, "counted", "counted_"), "source": r["source"], "source_text": r["source_text"],
        "statement": r["statement"], "time": r["time"], "extractor": r["extractor"], "confidence": r["confidence"],
    }


def _flag(r: JSON) -> JSON:
    return {"id": r["id"], "kind": r["kind"], **_off(r, "span", ""), "text": r["span_text"], "reason": r["reason"],
            "score": r["score"], "extractor": r["extractor"]}


# --- across documents -------------------------------------------------------------------------------


def list_stories(store: Store, min_articles: int = 2, limit: int = 100, offset: int = 0) -> list[JSON]:
    """Stories with at least ``min_articles`` articles (a story and its syndicated copies), largest first."""
    found = store.rows(
        "SELECT m.story_id AS story_id, count(*) AS articles, min(a.title) AS title, "
        "min(a.published) AS first_published FROM story_members m JOIN articles a ON a.id = m.article_id "
        "GROUP BY m.story_id HAVING count(*) >= ? ORDER BY count(*) DESC, m.story_id LIMIT ? OFFSET ?",
        (min_articles, limit, offset))
    if not found:
        return []
    marks = ", ".join("?" * len(found))
    members: dict[str, list[JSON]] = {}
    for r in store.rows(
            "SELECT m.story_id, m.article_id, m.relation, m.copy_of, m.containment, m.passage, k.credit, "
            "a.title, a.source, a.site, a.url, a.published FROM story_members m "
            "JOIN articles a ON a.id = m.article_id LEFT JOIN article_sketches k ON k.article_id = m.article_id "
            f"WHERE m.story_id IN ({marks}) ORDER BY a.pk", tuple(s["story_id"] for s in found)):
        members.setdefault(r["story_id"], []).append({k: v for k, v in r.items() if k != "story_id"})
    return [{**s, "members": members.get(s["story_id"], [])} for s in found]


def story_counts(store: Store) -> dict[str, int]:
    """How many articles, distinct stories (a story counted once with its copies) and copies are stored."""
    row = store.rows(
        "SELECT (SELECT count(*) FROM articles) AS articles, "
        "(SELECT count(DISTINCT story_id) FROM story_members) AS stories, "
        "(SELECT count(*) FROM story_members WHERE relation <> 'first') AS copies")[0]
    unindexed = int(row["articles"]) - int(store.rows("SELECT count(*) AS n FROM story_members")[0]["n"])
    return {"articles": int(row["articles"]), "stories": int(row["stories"]) + unindexed,
            "copies": int(row["copies"])}


def story_of(store: Store) -> dict[str, str]:
    """Each indexed article's story id (an article not yet indexed is its own story)."""
    return {r["article_id"]: r["story_id"] for r in store.rows("SELECT article_id, story_id FROM story_members")}


def actor_rows(store: Store) -> tuple[list[JSON], list[JSON]]:
    """Every stored actor (article_id, id, name, kind) and every variant of its name (article_id, actor_id, alias)."""
    return (store.rows("SELECT article_id, id, name, kind FROM actors ORDER BY article_id, position"),
            store.rows("SELECT article_id, actor_id, alias FROM actor_aliases ORDER BY article_id, actor_position, "
                       "position"))


def statement_rows(store: Store) -> list[JSON]:
    """Every stored statement with its article's date, outlet and story (``time_value``: when it was said)."""
    select = _STATEMENTS.replace(" FROM statements s", f", {_CROSS_COLS}, s.time AS time_value FROM statements s")
    rows = store.rows(
        f"{select} "
        "JOIN articles art ON art.id = s.article_id "
        "ORDER BY art.published IS NULL, art.published, s.article_id, s.position")
    return [{**_statement(r), **{k: r[k] for k in _CROSS_KEYS}} for r in rows]


def quantity_rows(store: Store) -> list[JSON]:
    """Every stored figure that names what it counts, with its article's date, outlet, story and time value."""
    select = _QUANTITIES.replace(" FROM quantities q", f", {_CROSS_COLS}, q.time AS time_value, "
                                                      "st.speaker AS statement_speaker FROM quantities q")
    rows = store.rows(
        f"{select} "
        "JOIN articles art ON art.id = q.article_id "
        "LEFT JOIN statements st ON st.article_id = q.article_id AND st.id = q.statement "
        "WHERE q.counted IS NOT NULL ORDER BY art.pk, q.position")
    return [{**_quantity(r), "statement_speaker": r["statement_speaker"], **{k: r[k] for k in _CROSS_KEYS}}
            for r in rows]


def article_texts(store: Store, ids: list[str]) -> dict[str, str]:
    """The texts of the given articles."""
    out: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        chunk = tuple(ids[i:i + 500])
        out.update({r["id"]: r["text"] for r in store.rows(
            f"SELECT id, text FROM articles WHERE id IN ({', '.join('?' * len(chunk))})", chunk)})
    return out


def mention_rows(store: Store, ids: list[str]) -> list[JSON]:
    """The actor mentions (article_id, actor_id, start, end) of the given articles, with each actor's kind."""
    out: list[JSON] = []
    for i in range(0, len(ids), 500):
        chunk = tuple(ids[i:i + 500])
        out += store.rows(
            "SELECT m.article_id, m.actor_id, m.span_start AS start, m.span_end AS end_, a.kind FROM actor_mentions m "
            "JOIN actors a ON a.article_id = m.article_id AND a.position = m.actor_position "
            f"WHERE m.article_id IN ({', '.join('?' * len(chunk))}) ORDER BY m.article_id, m.span_start", chunk)
    return out


_CROSS_COLS = ("art.published AS published, art.source AS article_source, art.site AS site, art.url AS url, "
               "art.title AS article_title, "
               "(SELECT sm.story_id FROM story_members sm WHERE sm.article_id = art.id) AS story_id")
_CROSS_KEYS = ("published", "article_source", "site", "url", "article_title", "time_value", "story_id")
