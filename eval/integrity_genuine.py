"""Integrity flags on genuine reporting: how many fire, by kind, and what the learned grounding costs.

usage: PYTHONPATH=src python eval/integrity_genuine.py [--per-corpus N]

Runs the default pipeline over the first N articles (default 300) of each of two corpora of genuine news in
``../shared/data/corpora`` (BBC full text, AllSides), each article given as its headline line and its text.
Every flag except ``tag_line`` and ``unattributed_claim`` is a false positive there (the pages carry
no appended material). Printed: per corpus, articles, flags by kind, the articles with any such flag;
then the integrity stage's time over all of them, with the learned grounding (``Config.learned``) and
without, and the time of the learned scorer alone per assessed article (encoder load excluded).
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections import Counter
from pathlib import Path

from claimscope.model import Article, Ledger
from claimscope.pipeline import Pipeline, default_stages
from claimscope.stages import grounding as gr
from claimscope.stages import integrity as ig
from claimscope.stages import support as sp

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "data" / "corpora"
GENUINE_OK = frozenset({"tag_line", "unattributed_claim"})


def articles(name: str, n: int) -> list[Article]:
    out = []
    with gzip.open(CORPORA / name / f"{name}.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if not d.get("text"):
                continue
            text = (d.get("title") or "").strip() + "\n" + d["text"]
            out.append(Article(Article.make_id(text), text))
            if len(out) >= n:
                break
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--per-corpus", type=int, default=300)
    args = ap.parse_args()
    import torch

    torch.set_num_threads(1)
    stages = [s for s in default_stages() if s.name != "integrity"]
    before: list[Ledger] = []
    for corpus in ("bbc_fulltext", "allsides_baly2020"):
        ledgers = list(Pipeline(stages).run_many(articles(corpus, args.per_corpus), batch_size=32))
        before += ledgers
        flagged = [ig.integrity(led) for led in ledgers]
        kinds = Counter(f.kind for led in flagged for f in led.flags or ())
        bad = sum(any(f.kind not in GENUINE_OK for f in led.flags or ()) for led in flagged)
        print(f"{corpus}: {len(ledgers)} articles; flags {dict(sorted(kinds.items()))}; "
              f"articles with a false flag: {bad}")
    gr.encoder()  # loaded once, outside the timings
    for learned in (True, False):
        cfg = ig.Config(learned=learned)
        t = time.perf_counter()
        for led in before:
            ig.integrity(led, cfg)
        print(f"integrity stage, learned={learned}: {(time.perf_counter() - t) / len(before) * 1000:.1f} ms/article")
    enc, _ = gr.encoder()
    t, n = time.perf_counter(), 0
    for led in before[:100]:
        assert led.parse is not None
        infos = sp.analyse_all(led.parse)
        ref = sp.reference(led, infos)
        claims = [(i, led.text[i.sentence.start:i.sentence.end]) for i in list(infos.values())[-5:]]
        gr.Scorer(gr.prepare(led.text, led.parse, ref, enc), enc, "").assess(claims, led.parse, ig.Config())
        n += 1
    print(f"learned scorer alone (body embedded + 5 claims assessed): {(time.perf_counter() - t) / n * 1000:.0f} "
          f"ms/article over {n} articles")


if __name__ == "__main__":
    main()
