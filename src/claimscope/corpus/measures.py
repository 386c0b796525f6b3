"""Measures across sources: figures about the same thing, grouped across articles, with their timeline.

Requires: a store with the quantities, actors, times and statements layers, and stories
(``corpus.syndication``) when there are copies. Provides: ``cross_measures(store)``, the list of
``Measure`` groups found in at least two stories (a story and its syndicated copies count once), each
with the timeline of who said which figure when and the disagreements between sources; ``Config``.
Limits: what is counted is compared by words (the counted phrase's last word, singular, and its
modifiers), not meaning: "troops" and "soldiers" stay apart; places and actors are the corpus actors
named in the figure's sentence (``corpus.actors``), so a figure whose sentence names nothing is
never grouped across articles.

Two figures measure the same thing when, in order:
1. what they count agrees: the same head word (singular), the same unit, modifiers that do not
   disagree ("North Korean soldiers" / "soldiers" agree, "Russian soldiers" / "Ukrainian soldiers" do
   not), and the same outcome when both clauses name one ("killing 10 people" / "50 people were
   injured" differ); small counts (under ``min_count``: "one option") are not measures;
2. their sizes are within ``max_ratio`` of each other ("a dozen people" and "5 million people" differ);
3. their places do not disagree: when both sentences name places, they share one ("2,000 troops" in
   Syria and "7,000 troops" in Afghanistan are different measures);
4. they share an anchor: a place or an actor (speaker, source, or one named in the sentence);
5. they refer to the same time: the figure's own resolved day, else its article's publication date,
   within ``max_days`` of each other (unknown dates do not disagree).
Grouping is complete-link in date order: a figure joins the first measure all of whose figures it
agrees with by 1-3 and 5, and with at least one of which it shares an anchor (4).

Two figures disagree when they come from different stories and outlets and their bounds do not
reconcile: "about 7,000" spans ±``about`` (10%), "more than 30" is 30 and up, "up to 40" is 40 and down.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from claimscope.corpus.actors import Config as ActorConfig
from claimscope.corpus.actors import CorpusActors, corpus_actors, when
from claimscope.stages.actors import fold
from claimscope.store import queries
from claimscope.store.base import Store

_STOP = frozenset(re.findall(r"\w+", "a an the more than most some other others new about around over under nearly "
                              "almost least only just additional extra another such these those this that their its "
                              "his her our"))
# What happened to what is counted: "10 people killed" and "50 people injured" are two measures.
_OUTCOMES = {
    "dead": "killed kill kills killing dead die died dies death deaths toll fatalities",
    "injured": "injured injuring injures injure wounded wounding hurt injuries",
    "missing": "missing unaccounted",
    "held": "arrested arrest detained detaining captured capturing held jailed",
    "displaced": "evacuated displaced homeless fled rescued",
}
_OUTCOME = {w: k for k, ws in _OUTCOMES.items() for w in ws.split()}
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")


@dataclass(frozen=True, slots=True)
class Config:
    min_count: float = 2.0  # counts below this ("one option") are not compared
    max_ratio: float = 3.0  # reports of one fact rarely differ more ("24 dead" after "at least ten")
    max_days: int = 14
    about: float = 0.1
    min_stories: int = 2
    actors: ActorConfig = ActorConfig()


@dataclass(slots=True)
class Figure:
    row: dict[str, Any]
    head: str
    modifiers: frozenset[str]
    low: float
    high: float
    places: frozenset[str]
    anchors: frozenset[str]
    day: str | None
    basis: str
    outlet: str
    story: str
    sentence: str
    speaker: str | None = None
    outcome: str | None = None

    def entry(self) -> dict[str, Any]:
        r = self.row
        return {"date": self.day, "date_basis": self.basis, "outlet": self.outlet, "article_id": r["article_id"],
                "story_id": self.story, "quantity": r["id"], "speaker": self.speaker, "text": r["text"],
                "value": r["value"], "bound": r["bound"], "high": r["high"], "unit": r["unit"],
                "counted": r["counted"], "sentence": self.sentence, "copies": []}


@dataclass(slots=True)
class Measure:
    figures: list[Figure] = field(default_factory=list)

    def json(self, config: Config) -> dict[str, Any]:
        timeline = _timeline(self.figures)
        ids = sorted(f"{f.row['article_id']}/{f.row['id']}" for f in self.figures)
        labels = Counter(f.row["counted"] for f in self.figures)
        return {
            "id": "m-" + hashlib.sha1("|".join(ids).encode()).hexdigest()[:12],
            "label": max(labels, key=lambda n: (labels[n], len(n), n)),
            "unit": self.figures[0].row["unit"],
            "places": sorted({p for f in self.figures for p in f.places}),
            "stories": len({f.story for f in self.figures}),
            "outlets": sorted({f.outlet for f in self.figures}),
            "timeline": timeline,
            "disagreements": _disagreements(timeline, config),
        }


def cross_measures(store: Store, config: Config = Config()) -> list[dict[str, Any]]:
    """Measures whose figures come from at least ``min_stories`` stories, most stories first."""
    merged = corpus_actors(store, config.actors)
    figures = _figures(store, merged, config)
    blocks: dict[tuple[str, str | None], list[Figure]] = defaultdict(list)
    for f in figures:
        blocks[(f.head, f.row["unit"])].append(f)
    found: list[Measure] = []
    for block in blocks.values():
        found += _group(sorted(block, key=lambda f: (f.day or "9999", f.row["article_id"])), config)
    out = [m.json(config) for m in found if len({f.story for f in m.figures}) >= config.min_stories]
    out.sort(key=lambda m: (-m["stories"], m["label"], m["id"]))
    return out


def _group(block: list[Figure], config: Config) -> list[Measure]:
    measures: list[Measure] = []
    for f in block:
        home = next((m for m in measures if all(_agree(f, g, config) for g in m.figures)
                     and any(f.anchors & g.anchors for g in m.figures)), None)
        if home is None:
            measures.append(Measure([f]))
        else:
            home.figures.append(f)
    return measures


def _agree(a: Figure, b: Figure, config: Config) -> bool:
    if a.modifiers and b.modifiers and not a.modifiers & b.modifiers:  # 1.
        return False
    if a.row["unit"] not in ("percent", "percentage point") and (  # 2.
            a.low > config.max_ratio * b.high or b.low > config.max_ratio * a.high):
        return False
    if a.outcome and b.outcome and a.outcome != b.outcome:  # 1.
        return False
    if a.places and b.places and not a.places & b.places:  # 3.
        return False
    return a.day is None or b.day is None or abs(_days(a.day, b.day)) <= config.max_days  # 5.


def _days(a: str, b: str) -> int:
    try:
        return (date.fromisoformat(a) - date.fromisoformat(b)).days
    except ValueError:
        return 0


def _figures(store: Store, merged: CorpusActors, config: Config) -> list[Figure]:
    rows = [r for r in queries.quantity_rows(store) if _keep(r, config)]
    ids = sorted({r["article_id"] for r in rows})
    texts = queries.article_texts(store, ids)
    mentions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in queries.mention_rows(store, ids):
        mentions[m["article_id"]].append(m)
    names = {a.id: a.name for a in merged.actors}
    out = []
    for r in rows:
        words = [_singular(w) for w in re.findall(r"[\w'’-]+", fold(r["counted"])) if w not in _STOP]
        if not words:
            continue
        start, end = _sentence(texts.get(r["article_id"], ""), r["start"], r["end"])
        inside = [m for m in mentions[r["article_id"]] if start <= m["start"] and m["end_"] <= end]
        places = {merged.of(r["article_id"], m["actor_id"]) for m in inside if m["kind"] == "place"}
        others = {merged.of(r["article_id"], m["actor_id"]) for m in inside if m["kind"] != "place"}
        speaker = merged.of(r["article_id"], r["source"] or r["statement_speaker"])
        day, basis = when(r["time_value"], r["published"])
        low, high = sorted((r["value"], r["high"] if r["high"] is not None else r["value"]))
        out.append(Figure(r, words[-1], frozenset(words[:-1]), low, high, frozenset(p for p in places if p),
                          frozenset(a for a in (places | others | {speaker}) if a), day, basis, _outlet(r),
                          r["story_id"] or r["article_id"], " ".join(texts[r["article_id"]][start:end].split()),
                          names.get(speaker) if speaker else None,
                          _outcome(texts[r["article_id"]], r["start"], r["end"], r["counted_end"])))
    return out


def _outcome(text: str, start: int, end: int, counted_end: int | None) -> str | None:
    """The outcome word nearest the figure in its clause ("killing at least 10 people", "10 were injured")."""
    after = text[max(end, counted_end or end):][:60]
    before = text[max(0, start - 40):start]
    for chunk in (re.split(r"[,;.]", after)[0], re.split(r"[,;.]", before)[-1]):
        for w in re.findall(r"[a-z]+", chunk.lower()):
            if w in _OUTCOME:
                return _OUTCOME[w]
    return None


def _keep(r: dict[str, Any], config: Config) -> bool:
    return bool(r["counted"]) and (r["unit"] is not None or (r["high"] or r["value"]) >= config.min_count)


def _singular(w: str) -> str:
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    lo = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        lo = m.end()
    after = _SENTENCE_END.search(text, end)
    return lo, (after.start() + 1 if after else len(text))


def _outlet(r: dict[str, Any]) -> str:
    if r["site"]:
        return str(r["site"])
    source = r["article_source"] or ""
    if source and not source.startswith(("/", ".")) and "/" not in source and not source.endswith((".gz", ".jsonl")):
        return str(source)
    host = urlsplit(r["url"]).hostname if r["url"] else None
    return host.removeprefix("www.") if host else f"article:{r['article_id']}"


def _timeline(figures: list[Figure]) -> list[dict[str, Any]]:
    """One entry per figure, syndicated copies of one figure (same story, same value) folded into ``copies``."""
    entries: list[dict[str, Any]] = []
    seen: dict[tuple[str, float, str], dict[str, Any]] = {}
    for f in sorted(figures, key=lambda f: (f.day or "9999", f.outlet, f.row["article_id"], f.row["start"])):
        key = (f.story, f.row["value"], f.row["bound"])
        if key in seen and seen[key]["article_id"] != f.row["article_id"]:
            seen[key]["copies"].append({"article_id": f.row["article_id"], "outlet": f.outlet})
            continue
        entry = f.entry()
        seen.setdefault(key, entry)
        entries.append(entry)
    return entries


def _interval(e: dict[str, Any], about: float) -> tuple[float, float]:
    v, bound = float(e["value"]), e["bound"]
    if bound == "about":
        return v * (1 - about), v * (1 + about)
    if bound in ("more_than", "at_least"):
        return v, math.inf
    if bound in ("less_than", "at_most"):
        return 0.0, v
    if bound == "range" and e["high"] is not None:
        return v, float(e["high"])
    return v, v


def _disagreements(timeline: list[dict[str, Any]], config: Config) -> list[dict[str, Any]]:
    out = []
    for i, a in enumerate(timeline):
        for j in range(i + 1, len(timeline)):
            b = timeline[j]
            if a["story_id"] == b["story_id"] or a["outlet"] == b["outlet"]:
                continue
            (lo1, hi1), (lo2, hi2) = _interval(a, config.about), _interval(b, config.about)
            if hi1 < lo2 or hi2 < lo1:
                out.append({"first": i, "second": j, "values": [a["text"], b["text"]],
                            "outlets": [a["outlet"], b["outlet"]]})
    return out
