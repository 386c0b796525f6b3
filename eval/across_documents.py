"""Across documents: cross-source measures and syndicated copies on a corpus with gold event clusters.

Usage (after ``claimscope ingest CORPUS.jsonl.gz --db DB``):

    PYTHONPATH=src python eval/across_documents.py ../shared/data/corpora/basil/basil.jsonl.gz DB [--sample 20 --seed 6]

Prints, as JSON: how many cross-source measures and syndicated copies were found, how many of them stay
inside one gold cluster (an automatic purity check: a measure or copy that spans two clusters groups
different events), and, for ``--sample`` clusters drawn at random with ``--seed``, every measure found
across outlets in the cluster (label, places, timeline) and every copy, for a hand check.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from collections import defaultdict
from typing import Any

from claimscope.corpus.measures import cross_measures
from claimscope.store import open_store, queries


def clusters_of(path: str) -> dict[str, str]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return {rec["id"]: rec["cluster_id"] for rec in map(json.loads, f) if rec.get("cluster_id")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("db")
    ap.add_argument("--sample", type=int, default=20)
    ap.add_argument("--seed", type=int, default=6)
    args = ap.parse_args(argv)
    gold = clusters_of(args.corpus)
    with open_store(args.db, read_only=True) as store:
        measures = cross_measures(store)
        stories = queries.list_stories(store, limit=100000)
        counts = queries.story_counts(store)
    by_cluster: dict[str, list[dict[str, Any]]] = defaultdict(list)
    mixed = 0
    for m in measures:
        found = {gold.get(e["article_id"], "?") for e in m["timeline"]}
        mixed += len(found) > 1
        for c in found:
            by_cluster[c].append(m)
    copies = [(s["story_id"], x) for s in stories for x in s["members"] if x["relation"] != "first"]
    copy_mixed = sum(gold.get(sid) != gold.get(x["article_id"]) for sid, x in copies)
    rng = random.Random(args.seed)
    sample = sorted(rng.sample(sorted(set(gold.values())), min(args.sample, len(set(gold.values())))))
    report = {
        "articles": counts["articles"], "stories": counts["stories"], "copies": counts["copies"],
        "copies_across_clusters": copy_mixed, "measures": len(measures), "measures_across_clusters": mixed,
        "measures_with_disagreement": sum(bool(m["disagreements"]) for m in measures),
        "sample": {c: {"measures": [_short(m) for m in by_cluster.get(c, [])],
                       "copies": [[sid, x["article_id"], x["relation"], x["containment"], x["passage"]]
                                  for sid, x in copies if gold.get(x["article_id"]) == c]} for c in sample},
    }
    json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


def _short(m: dict[str, Any]) -> dict[str, Any]:
    return {"label": m["label"], "places": m["places"], "disagree": bool(m["disagreements"]),
            "timeline": [f"{e['date']} {e['outlet']} [{e['article_id']}]: {e['text']} {e['counted']} | "
                         f"{e['sentence'][:160]}" for e in m["timeline"]]}


if __name__ == "__main__":
    sys.exit(main())
