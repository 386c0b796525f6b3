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
        f"{_STATEMENTS} WHERE lower(a.name) = lower(?) OR lower(s.speaker_text) = lower(?) OR EXISTS ("
        "SELECT 1 FROM actor_aliases al WHERE al.article_id = a.article_id AND al.actor_position = a.position "
        "AND lower(al.alias) = lower(?)) ORDER BY s.article_id, s.position LIMIT ? OFFSET ?",
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
