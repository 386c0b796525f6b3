"""Where the attribution rules go wrong on PolNeAR: misses, false alarms and boundary errors, in buckets.

Usage (from the project's root):
  python -m eval.attribution_errors [--split dev|train] [--limit N] [--cache FILE] [--show BUCKET] [--n K]

Runs the default pipeline over ``../shared/data/polnear/{split}.jsonl`` and matches the statements to
the gold attributions as ``../shared/eval/score_quotes.py`` does (a pair matches loosely when each
span covers half of the other; strictly when the trimmed spans are equal). It then sorts every error
into one bucket:

  miss/...   a gold attribution no statement matches, by what its cue is: a verb missing from
             resources/cues.tsv (``miss/cue-lemma:WORD``), a noun cue (``miss/noun-cue``), "according
             to" (``miss/according-to``), a cue verb the rules know but did not read
             (``miss/known-verb``), a cue already used by a statement whose content is elsewhere
             (``miss/scope``, e.g. several sentences), or none (``miss/no-cue``)
  false/...  a statement no gold attribution matches, by its rule (``false/<pattern>``), and whether
             it overlaps a gold content at all (``.../overlap``) or not (``.../none``)
  strict/... a loose match whose boundaries differ: ``strict/start`` / ``strict/end`` (which side),
             with the words predicted but not gold (``+``) or gold but not predicted (``-``)
  speaker    a loose match with the wrong speaker

``--cache FILE`` keeps the ledgers before attribution in a pickle (built on first use), so that a
change to the rules re-runs in seconds. ``--write PRED.jsonl`` also writes the ledgers (attribution
included) for ``../shared/eval/score_quotes.py``, which gives the cue figures as well. ``--show
BUCKET`` prints examples of the buckets starting with that prefix. The totals it prints are the
scorer's loose/strict/speaker figures, computed the same way.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import importlib.util
import json
import pickle
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_quotes", SHARED / "eval" / "score_quotes.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _before_attribution(gold: list[dict[str, Any]], cache: Path | None) -> list[Any]:
    from claimscope.model import Article
    from claimscope.pipeline import Pipeline, default_stages

    if cache is not None and cache.exists():
        with cache.open("rb") as fh:
            return pickle.load(fh)  # type: ignore[no-any-return]
    stages = []
    for st in default_stages():
        if st.name == "attribution":
            break
        stages.append(st)
    ledgers = list(Pipeline(stages).run_many(Article(id=g["doc_id"], text=g["text"]) for g in gold))
    if cache is not None:
        with cache.open("wb") as fh:
            pickle.dump(ledgers, fh)
    return ledgers


def _words(text: str) -> str:
    return " ".join(text.split())[:90]


@dataclasses.dataclass
class Report:
    buckets: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    examples: dict[str, list[str]] = dataclasses.field(default_factory=lambda: collections.defaultdict(list))
    totals: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)

    def add(self, bucket: str, example: str) -> None:
        self.buckets[bucket] += 1
        self.examples[bucket].append(example)


def _miss_bucket(text: str, q: dict[str, Any], led: Any, cue_used: set[int], cues: dict[str, str]) -> str:
    from claimscope.stages.attribution_rules import lemma as lemma_of

    cue = q.get("cue_span")
    if not cue:
        return "miss/no-cue"
    if any(cue[0] <= c < cue[1] for c in cue_used):
        return "miss/scope"
    ctext = (q.get("cue_text") or "").lower()
    if "according" in ctext:
        return "miss/according-to"
    toks = [t for t in led.parse.tokens if t.start < cue[1] and cue[0] < t.end] if led.parse else []
    verbs = [t for t in toks if t.pos in {"VERB", "AUX"} and t.lemma.lower() not in {"be", "have", "do"}]
    if verbs:
        lem = lemma_of(verbs[-1])
        return "miss/known-verb" if lem in cues else f"miss/cue-lemma:{lem}"
    if any(t.pos == "NOUN" for t in toks):
        return "miss/noun-cue"
    return "miss/other-cue"


def analyse(gold: list[dict[str, Any]], ledgers: list[Any]) -> Report:
    from claimscope.stages.attribution import attribute
    from claimscope.stages.attribution_rules import lexicon

    sc = _scorer()
    cues = lexicon()[0]
    rep = Report()
    for g, before in zip(gold, ledgers, strict=True):
        led = attribute(before)
        text = g["text"]
        names = {a.id: {a.name.lower(), *(x.lower() for x in a.aliases)} for a in led.actors or ()}
        sts = list(led.statements or ())
        rep.totals["gold"] += len(g["quotes"])
        rep.totals["pred"] += len(sts)
        used: dict[int, dict[str, Any]] = {}
        for q in g["quotes"]:
            gs = q["content_span"]
            best = max((k for k, st in enumerate(sts) if k not in used
                        and sc.loose([st.content.start, st.content.end], gs)),
                       key=lambda k: sc.inter([sts[k].content.start, sts[k].content.end], gs), default=None)
            if best is not None:
                used[best] = q
        matched = {id(q) for q in used.values()}
        cue_used = {st.cue.start for st in sts if st.cue is not None}
        for q in g["quotes"]:
            if id(q) not in matched:
                b = _miss_bucket(text, q, led, cue_used, cues)
                rep.add(b, f"[{q.get('cue_text')}] {q.get('speaker_text')} :: {_words(q['content_text'])}")
        for k, st in enumerate(sts):
            span = [st.content.start, st.content.end]
            if k not in used:
                ov = any(sc.inter(span, q["content_span"]) for q in g["quotes"])
                rep.add(f"false/{st.pattern}/{'overlap' if ov else 'none'}",
                        f"[{st.cue.text if st.cue else None}] {_words(st.content.text)}")
                continue
            q = used[k]
            rep.totals["loose"] += 1
            ps, gs = sc.trimmed(text, *span), sc.trimmed(text, *q["content_span"])
            if ps == gs:
                rep.totals["strict"] += 1
            else:
                for side, (a, b) in (("start", (ps[0], gs[0])), ("end", (ps[1], gs[1]))):
                    if a != b:
                        sign = "+" if (a < b) == (side == "start") else "-"
                        rep.add(f"strict/{side}", f"{sign} {_words(text[min(a, b):max(a, b)])}")
            if q.get("speaker_span") or q.get("speaker_text"):
                rep.totals["spk_n"] += 1
                ok = st.speaker_span is not None and q.get("speaker_span") and sc.inter(
                    [st.speaker_span.start, st.speaker_span.end], q["speaker_span"]) > 0
                ok = ok or (q.get("speaker_text") or "").lower() in (
                    {(st.speaker_span.text if st.speaker_span else "").lower()} | names.get(st.speaker or "", set()))
                if ok:
                    rep.totals["spk_ok"] += 1
                else:
                    got = st.speaker_span.text if st.speaker_span else None
                    rep.add("speaker", f"gold {q.get('speaker_text')!r} got {got!r} [{st.pattern}]")
    return rep


def _write(ledgers: list[Any], path: Path) -> None:
    from claimscope.serialize import to_json
    from claimscope.stages.attribution import attribute

    with path.open("w", encoding="utf-8") as out:
        for led in ledgers:
            out.write(json.dumps(to_json(attribute(led)), ensure_ascii=False) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="dev", choices=["dev", "train"])
    ap.add_argument("--limit", type=int)
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--show", default="")
    ap.add_argument("--n", type=int, default=15)
    ap.add_argument("--write", type=Path, help="write the ledgers as JSON Lines for score_quotes.py")
    args = ap.parse_args()
    path = SHARED / "data" / "polnear" / f"{args.split}.jsonl"
    if not path.exists():
        sys.exit(f"{path} is not there: this needs ../shared beside the repository")
    gold = [json.loads(ln) for ln in path.open(encoding="utf-8") if ln.strip()][: args.limit]
    before = _before_attribution(gold, args.cache)[: len(gold)]
    if args.write:
        _write(before, args.write)
    rep = analyse(gold, before)
    t = rep.totals
    lp, lr = t["loose"] / max(1, t["pred"]), t["loose"] / max(1, t["gold"])
    sp, sr = t["strict"] / max(1, t["pred"]), t["strict"] / max(1, t["gold"])

    def f(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    print(f"gold {t['gold']} pred {t['pred']}  loose P {lp:.3f} R {lr:.3f} F1 {f(lp, lr):.3f}  "
          f"strict F1 {f(sp, sr):.3f}  speaker {t['spk_ok'] / max(1, t['spk_n']):.3f}")
    if args.show:
        for b, n in rep.buckets.most_common():
            if b.startswith(args.show):
                print(f"== {b} ({n})")
                for ex in rep.examples[b][: args.n]:
                    print("   ", ex)
        return
    groups: collections.Counter[str] = collections.Counter()
    for b, n in rep.buckets.items():
        groups[b.split(":")[0]] += n
    for b, n in groups.most_common():
        print(f"{n:6d}  {b}")
    lemmas = [(b.split(":")[1], n) for b, n in rep.buckets.most_common() if b.startswith("miss/cue-lemma:")]
    print("missing cue lemmas:", ", ".join(f"{w} {n}" for w, n in lemmas[:40]))


if __name__ == "__main__":
    main()
