"""Actors across articles: the same person, organisation or place under name variants, as one corpus actor.

Requires: a store with the actors layer (``store.queries.actor_rows``). Provides: ``merge_actors`` (the
corpus actors, each with a stable id such as ``person:marta-quiroga``, its names, and the per-article
actors it merges), ``CorpusActors.of`` (the corpus id of one article's actor), ``Config``.
Limits: names only, no context: two people with one name are one actor, until the user's alias table
tells them apart (give each its own line with the variants that are its own).

Merging, in order (the user's alias table corrects every step after 1):
1. a name or variant in the alias table (bundled plus ``alias_files``, later files win) belongs to the
   table's canonical actor: this merges variants the rules cannot ("Lula" and "Luiz Inácio Lula da
   Silva") and, since a variant listed under one name is taken from every other, splits a wrong merge;
2. persons: names folded as the article stage does (``stages.actors.fold``, titles dropped) and keyed
   by surname; within a surname, full names merge when their given names agree (equal, or one is the
   other's initial: "M. Quiroga", "Marta Quiroga"); a bare surname ("Quiroga") joins the one full name
   of that surname, and stays apart when the corpus has several (it would be a guess);
3. organisations and places: the folded name, or any folded variant the article stage found (an
   acronym in parentheses, an apposition) shared with another actor of the same kind;
4. the name: the table's canonical name, else the most frequent full name, else the most frequent name.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from claimscope.stages.actors import AliasTable, _titles, fold, load_aliases


@dataclass(frozen=True, slots=True)
class Config:
    alias_files: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CorpusActor:
    id: str
    name: str
    kind: str
    names: tuple[str, ...]  # the names the merged article actors go by, sorted
    members: tuple[tuple[str, str], ...]  # (article id, the article's actor id)

    def json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "kind": self.kind, "names": list(self.names),
                "articles": len({a for a, _ in self.members}),
                "members": [{"article_id": a, "actor": x} for a, x in self.members]}


@dataclass(slots=True)
class CorpusActors:
    actors: list[CorpusActor]
    _by_member: dict[tuple[str, str], str] = field(default_factory=dict)

    def of(self, article_id: str, actor_id: str | None) -> str | None:
        """The corpus id of an article's actor (None for no actor or one not stored)."""
        return None if actor_id is None else self._by_member.get((article_id, actor_id))

    def find(self, name: str) -> list[CorpusActor]:
        """Corpus actors whose id, name or a variant equals ``name`` once folded."""
        key = fold(name)
        return [a for a in self.actors if key == a.id or any(fold(n) == key for n in (a.name, *a.names))]


@dataclass(slots=True)
class _Local:
    article_id: str
    actor_id: str
    name: str
    kind: str
    variants: set[str]


class _Union:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        while self.parent.setdefault(x, x) != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def merge_actors(rows: Iterable[dict[str, Any]], aliases: Iterable[dict[str, Any]],
                 config: Config = Config()) -> CorpusActors:
    """Corpus actors from stored actor rows (article_id, id, name, kind) and their alias rows (actor_id, alias)."""
    locals_ = _locals(rows, aliases)
    table = load_aliases(config.alias_files)
    union = _Union()
    canonical = _by_table(locals_, table, union)  # 1.
    free = [i for i in range(len(locals_)) if i not in canonical]
    _persons([i for i in free if locals_[i].kind == "person"], locals_, union)  # 2.
    _by_variant([i for i in free if locals_[i].kind != "person"], locals_, union)  # 3.
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(locals_)):
        groups[union.find(i)].append(i)
    return _build(groups.values(), locals_, canonical)


def _locals(rows: Iterable[dict[str, Any]], aliases: Iterable[dict[str, Any]]) -> list[_Local]:
    variants: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in aliases:
        variants[(r["article_id"], r["actor_id"])].add(r["alias"])
    return [_Local(r["article_id"], r["id"], r["name"], r["kind"],
                   variants.get((r["article_id"], r["id"]), set()) | {r["name"]}) for r in rows]


def _by_table(locals_: list[_Local], table: AliasTable, union: _Union) -> dict[int, str]:
    first: dict[str, int] = {}
    canonical: dict[int, str] = {}
    for i, a in enumerate(locals_):
        names = [a.name, *sorted(a.variants - {a.name})] if a.kind == "person" else [a.name, *sorted(a.variants)]
        entry = next((table.lookup[fold(n)] for n in names if fold(n) in table.lookup), None)
        if entry is None:
            continue
        canonical[i] = entry[0]
        union.join(i, first.setdefault(fold(entry[0]), i))
    return canonical


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _person_parts(name: str) -> tuple[str, tuple[str, ...]]:
    words = [w for w in re.sub(r"[^\w\s-]", " ", fold(name)).replace("-", " ").split() if w not in _titles()]
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    return (words[-1], tuple(words[:-1])) if words else (fold(name), ())


def _initials(words: tuple[str, ...]) -> str:
    return "".join(w if len(w) <= 2 else w[0] for w in words)


def _given_agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """First names equal or one the other's initial; middle names, when both have them, with the same initials."""
    x, y = a[0], b[0]
    if not (x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y))):
        return False
    return not a[1:] or not b[1:] or _initials(a[1:]) == _initials(b[1:])


def _persons(ids: Sequence[int], locals_: list[_Local], union: _Union) -> None:
    by_surname: dict[str, list[tuple[int, tuple[str, ...]]]] = defaultdict(list)
    for i in ids:
        surname, given = _person_parts(locals_[i].name)
        by_surname[surname].append((i, given))
    for people in by_surname.values():
        # complete link, most detailed names first: a name joins the one cluster all of whose names it
        # agrees with; "George Bush" between "George W. Bush" and "George H. W. Bush" joins neither
        clusters: list[list[tuple[int, tuple[str, ...]]]] = []
        for i, g in sorted((p for p in people if p[1]), key=lambda p: (-len(p[1]), -len("".join(p[1])), p[0])):
            homes = [c for c in clusters if all(_given_agree(g, h) for _, h in c)]
            if len(homes) == 1:
                union.join(i, homes[0][0][0])
                homes[0].append((i, g))
            elif not homes:
                clusters.append([(i, g)])
        bare = [i for i, g in people if not g]
        for i in bare:  # a bare surname joins the one full name, or the other bare ones
            if len(clusters) <= 1:
                union.join(i, clusters[0][0][0] if clusters else bare[0])


def _by_variant(ids: Sequence[int], locals_: list[_Local], union: _Union) -> None:
    seen: dict[tuple[str, str], int] = {}
    for i in ids:
        a = locals_[i]
        for v in a.variants:
            key = (a.kind, fold(v))
            if key in seen:
                union.join(i, seen[key])
            else:
                seen[key] = i


def _build(groups: Iterable[list[int]], locals_: list[_Local], canonical: dict[int, str]) -> CorpusActors:
    actors: list[CorpusActor] = []
    by_member: dict[tuple[str, str], str] = {}
    used: Counter[str] = Counter()
    for members in groups:
        ms = [locals_[i] for i in members]
        kind = Counter(m.kind for m in ms).most_common(1)[0][0]
        name = next((canonical[i] for i in members if i in canonical), None) or _name(ms, kind)  # 4.
        base = f"{kind}:{re.sub(r'[^a-z0-9]+', '-', fold(name)).strip('-') or 'actor'}"
        used[base] += 1
        cid = base if used[base] == 1 else f"{base}-{used[base]}"
        pairs = tuple(sorted({(m.article_id, m.actor_id) for m in ms}))
        actors.append(CorpusActor(cid, name, kind, tuple(sorted({m.name for m in ms})), pairs))
        by_member.update({p: cid for p in pairs})
    actors.sort(key=lambda a: (-len({x for x, _ in a.members}), a.id))
    return CorpusActors(actors, by_member)


def _name(ms: list[_Local], kind: str) -> str:
    counts = Counter(m.name for m in ms)
    if kind == "person":  # the most frequent full name, the longest on a tie
        return max(counts, key=lambda n: (len(_person_parts(n)[1]) > 0, counts[n], len(n), n))
    return max(counts, key=lambda n: (counts[n], n))


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def when(time_value: str | None, published: str | None) -> tuple[str | None, str]:
    """The date a statement or figure is dated by: its own resolved time, else its article's publication date."""
    if time_value and _DAY.match(time_value):
        return time_value[:10], "statement"
    return (published[:10] if published else None), "published"


def corpus_actors(store: Any, config: Config = Config()) -> CorpusActors:
    """The corpus actors of a store (``store.queries.actor_rows``)."""
    from claimscope.store import queries

    rows, aliases = queries.actor_rows(store)
    return merge_actors(rows, aliases, config)


def statements_by(store: Any, name: str, since: str | None = None, config: Config = Config()) -> list[dict[str, Any]]:
    """Statements of the corpus actor(s) named ``name`` (any variant, or a corpus id), dated on or after ``since``.

    Each statement carries ``actor`` (the corpus id), ``date`` and ``date_basis`` ("statement" when its
    own time resolved to a day, "published" when the article's date stands in).
    """
    from claimscope.store import queries

    merged = corpus_actors(store, config)
    wanted = {a.id for a in merged.find(name)} | ({name} if any(a.id == name for a in merged.actors) else set())
    out = []
    for s in queries.statement_rows(store):
        cid = merged.of(s["article_id"], s["speaker"])
        if cid not in wanted:
            continue
        day, basis = when(s["time_value"], s["published"])
        if since and (day is None or day < since):
            continue
        out.append({**s, "actor": cid, "date": day, "date_basis": basis})
    return out
