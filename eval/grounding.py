"""How well the integrity stage's sentence support score separates supported from unsupported claims.

usage: PYTHONPATH=src python eval/grounding.py [DATA_DIR] [--every N]
(DATA_DIR defaults to ../shared/data/grounding; --every N measures every N-th row, as the quality gate does)

Two public sets (see DATA_DIR's READMEs): QAGS (summary sentences of CNN/DM and XSum articles, majority
"supported" label) and SummEdits news (minimally edited summaries, labelled consistent or not). Each
source is parsed through segment + nlp as an article; each claim is parsed the same way and scored
against it:
  - support: ``support.grounding`` (weighted content-unit share, discounted per name or number the
    source lacks, halved on a contradiction), the minimum over the claim's sentences;
  - baseline: plain token recall (share of the claim's lower-cased word tokens found in the source).
Printed: AUROC on QAGS sentences; on SummEdits news, AUROC and the balanced accuracy on the ``test``
split at the threshold that is best on the ``evaluation`` split (and, for the learned score, at its own
threshold). The quality gate runs ``measure`` on a subsample (tests/eval_baseline.json).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from claimscope.model import Article, Ledger
from claimscope.pipeline import Pipeline, default_stages
from claimscope.stages import grounding as gr
from claimscope.stages import integrity as ig
from claimscope.stages import support as sp

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "grounding"


def parse_all(texts: Iterable[str]) -> dict[str, Ledger]:
    stages = [s for s in default_stages() if s.name in ("segment", "nlp")]
    unique = list(dict.fromkeys(texts))
    articles = [Article(id=Article.make_id(t), text=t) for t in unique]
    return dict(zip(unique, Pipeline(stages).run_many(articles, batch_size=32), strict=True))


def support_score(source: Ledger, claim: Ledger) -> float:
    assert source.parse is not None and claim.parse is not None
    ref = sp.reference(source, sp.analyse_all(source.parse))
    return min((sp.grounding(i, ref, ig.Config()) for i in sp.analyse_all(claim.parse).values()), default=1.0)


_SCORERS: dict[str, gr.Scorer] = {}


def learned_score(source: Ledger, claim: Ledger) -> float:
    """The learned grounding probability (stages/grounding.py), the minimum over the claim's sentences."""
    assert source.parse is not None and claim.parse is not None
    if source.text not in _SCORERS:
        ref = sp.reference(source, sp.analyse_all(source.parse))
        _SCORERS[source.text] = gr.scorer(source.text, source.parse, ref)
    infos = list(sp.analyse_all(claim.parse).values())
    claims = [(i, claim.text[i.sentence.start:i.sentence.end]) for i in infos]
    return min(_SCORERS[source.text].score(claims, claim.parse, ig.Config()), default=1.0)


def token_recall(source: str, claim: str) -> float:
    words = set(re.findall(r"\w+", source.lower()))
    toks = re.findall(r"\w+", claim.lower())
    return sum(t in words for t in toks) / len(toks) if toks else 1.0


def auroc(scores: list[float], labels: list[int]) -> float:
    """Probability that a supported claim scores above an unsupported one (ties count half)."""
    pos = [s for s, y in zip(scores, labels, strict=True) if y == 1]
    neg = [s for s, y in zip(scores, labels, strict=True) if y == 0]
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def balanced_accuracy(scores: list[float], labels: list[int], threshold: float) -> float:
    tp = sum(s >= threshold and y == 1 for s, y in zip(scores, labels, strict=True))
    tn = sum(s < threshold and y == 0 for s, y in zip(scores, labels, strict=True))
    return (tp / max(1, labels.count(1)) + tn / max(1, labels.count(0))) / 2


def best_threshold(scores: list[float], labels: list[int]) -> float:
    return max(sorted(set(scores)), key=lambda t: balanced_accuracy(scores, labels, t))


def load(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def evaluate(rows: list[dict[str, object]], scorer: Callable[[dict[str, object]], float]) -> list[float]:
    return [scorer(r) for r in rows]


def rows(data: Path = DATA, every: int = 1) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """QAGS sentence rows and SummEdits news rows (with their split), every ``every``-th of each."""
    qags = load(data / "qags" / "grounding_sentences.jsonl")
    news = load(data / "summedits" / "grounding_news.jsonl")
    meta = load(data / "summedits" / "grounding_news.meta.jsonl")
    news = [{**r, "split": m["split"]} for r, m in zip(news, meta, strict=True)]
    return qags[::every], news[::every]


def digest(qags: list[dict[str, object]], news: list[dict[str, object]]) -> str:
    """Identifies the rows measured (ids and labels), for the quality gate."""
    raw = "\n".join(f"{r['id']}:{r['label']}" for r in qags + news)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


Scores = dict[str, tuple[list[float], list[float]]]


def scores(qags: list[dict[str, object]], news: list[dict[str, object]],
           names: Iterable[str] = ("grounding", "support", "token recall")) -> Scores:
    """Per scorer, the score of every QAGS row and of every SummEdits news row."""
    import torch

    torch.set_num_threads(1)  # the encoder: one thread is faster than two on a shared machine
    parsed = parse_all([str(r[k]) for r in qags + news for k in ("source", "claim")])
    scorers: dict[str, Callable[[dict[str, object]], float]] = {
        "grounding": lambda r: learned_score(parsed[str(r["source"])], parsed[str(r["claim"])]),
        "support": lambda r: support_score(parsed[str(r["source"])], parsed[str(r["claim"])]),
        "token recall": lambda r: token_recall(str(r["source"]), str(r["claim"])),
    }
    return {name: (evaluate(qags, scorers[name]), evaluate(news, scorers[name])) for name in names}


def metrics(name: str, q: list[float], n: list[float], qags: list[dict[str, object]],
            news: list[dict[str, object]]) -> dict[str, float]:
    """QAGS AUROC, SummEdits news AUROC, balanced accuracy on the ``test`` split at the threshold best on
    the ``evaluation`` split, that threshold, and (for the learned score) the balanced accuracy on the
    test split at its own shipped threshold, not tuned on SummEdits."""
    ql, nl = [int(str(r["label"])) for r in qags], [int(str(r["label"])) for r in news]
    dev = [k for k, r in enumerate(news) if r["split"] == "evaluation"]
    test = [k for k, r in enumerate(news) if r["split"] == "test"]
    t = best_threshold([n[k] for k in dev], [nl[k] for k in dev])
    res = {"qags_auroc": auroc(q, ql), "news_auroc": auroc(n, nl),
           "news_ba": balanced_accuracy([n[k] for k in test], [nl[k] for k in test], t), "threshold": t}
    if name == "grounding":
        own = gr.weights().threshold
        res["news_ba_own_threshold"] = balanced_accuracy([n[k] for k in test], [nl[k] for k in test], own)
    return res


def measure(qags: list[dict[str, object]], news: list[dict[str, object]],
            names: Iterable[str] = ("grounding", "support", "token recall")) -> dict[str, dict[str, float]]:
    return {name: metrics(name, q, n, qags, news) for name, (q, n) in scores(qags, news, names).items()}


def _table(res: dict[str, dict[str, float]]) -> None:
    print(f"{'scorer':14} {'QAGS AUROC':>10} {'SE-news AUROC':>13} {'SE-news BA(test)':>16} {'threshold':>9}")
    for name, r in res.items():
        extra = f"   BA(test) at the shipped threshold: {r['news_ba_own_threshold']:.3f}" if name == "grounding" else ""
        print(f"{name:14} {r['qags_auroc']:10.3f} {r['news_auroc']:13.3f} {r['news_ba']:16.3f} {r['threshold']:9.3f}"
              + extra)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", nargs="?", type=Path, default=DATA)
    ap.add_argument("--every", type=int, default=1, help="measure every N-th row of each set (1: all)")
    ap.add_argument("--also-every", type=int, default=4,
                    help="also print the figures of every N-th of the rows measured (the quality gate's subsample)")
    args = ap.parse_args()
    qags, news = rows(args.data, args.every)
    t = time.perf_counter()
    got = scores(qags, news)
    print(f"{len(qags)} QAGS rows, {len(news)} SummEdits news rows (digest {digest(qags, news)}), "
          f"{time.perf_counter() - t:.0f} s")
    _table({name: metrics(name, q, n, qags, news) for name, (q, n) in got.items()})
    k = args.also_every
    if k > 1:
        sq, sn = qags[::k], news[::k]
        print(f"\nevery {k}th row: {len(sq)} QAGS rows, {len(sn)} SummEdits news rows (digest {digest(sq, sn)})")
        _table({name: metrics(name, q[::k], n[::k], sq, sn) for name, (q, n) in got.items()})


if __name__ == "__main__":
    main()
