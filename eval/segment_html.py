"""Body and caption accuracy of the HTML reader + segmenter on annotated web pages (a script, not a test).

Usage: PYTHONPATH=src python eval/segment_html.py [--limit N] [--shared DIR]

Measures, one printed line each:
  1. scrapinghub_article_body (181 pages, gold = the article body without its title): word-level
     precision/recall/F1 of (a) ``trafilatura.extract`` with its defaults and (b) claimscope's body, i.e.
     the text of the ``body`` segments from ``sources.read`` + ``stages.segment`` (headline excluded, as the
     gold excludes the title). Words are lower-cased ``\\w+`` tokens compared as multisets; P and R are
     averaged over pages and F1 is taken from the averages (the benchmark's own evaluate.py convention).
  2. l3s_gn1 (621 news pages, block labels): the same body measure against the "full text" blocks, and
     line-level figures for what the segmenter takes out of the body: of our lines found in the gold
     full text, the share of words we mark non-body (body loss, lower is better); of our lines found only
     in the gold "supplemental" blocks (captions, bylines, datelines, credits), the share we mark non-body;
     captions: of the lines we mark caption, the share that are gold supplemental (precision), and of the
     caption-like supplemental lines (8+ words: sentences, not datelines) the share we mark caption (recall).
  3. trafilatura_eval_en (184 pages, snippets labelled main content / boilerplate): trafilatura's own
     benchmark convention, a main snippet found in the output is a true positive, a boilerplate snippet
     found is a false positive; for (a) ``trafilatura.extract`` and (b) claimscope's body.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from claimscope.errors import InputError
from claimscope.model import Article, Ledger, SegmentKind
from claimscope.pipeline import Pipeline
from claimscope.sources import read
from claimscope.sources.html import article_from_html
from claimscope.stages.segment import STAGE

_WORD = re.compile(r"\w+")
_NON_BODY: frozenset[SegmentKind] = frozenset({"caption", "credit", "tags", "boilerplate", "appendix"})


@dataclass(slots=True)
class PR:
    """Per-page precision and recall, averaged."""

    p: list[float] = field(default_factory=list)
    r: list[float] = field(default_factory=list)

    def add(self, got: str, gold: str) -> None:
        g, w = Counter(_WORD.findall(gold.lower())), Counter(_WORD.findall(got.lower()))
        hit = sum((g & w).values())
        self.p.append(hit / sum(w.values()) if w else 0.0)
        self.r.append(hit / sum(g.values()) if g else 1.0)

    def figures(self) -> tuple[float, float, float]:
        p, r = sum(self.p) / max(len(self.p), 1), sum(self.r) / max(len(self.r), 1)
        return p, r, 2 * p * r / (p + r) if p + r else 0.0

    def line(self, name: str) -> str:
        p, r, f = self.figures()
        return f"{name}: P {p:.3f} R {r:.3f} F1 {f:.3f} (n={len(self.p)})"


def find_shared(explicit: str | None = None) -> Path | None:
    here = Path(__file__).resolve().parents[1]
    for cand in ([Path(explicit)] if explicit else []) + [Path("/work/shared"), here.parent / "shared"]:
        if (cand / "data" / "html").is_dir():
            return cand
    return None


def segmented(html: str | Path, where: str) -> Ledger | None:
    """The segmented ledger of a page given as markup, or as a file read through ``sources.read``."""
    try:
        article = next(iter(read(html))) if isinstance(html, Path) else article_from_html(html, where)
    except InputError:
        return None
    return Pipeline([STAGE]).run(article) if isinstance(article, Article) else None


def body_text(ledger: Ledger | None) -> str:
    if ledger is None:
        return ""
    return "\n".join(s.span.text for s in ledger.segments or () if s.kind == "body")


def measure_scrapinghub(shared: Path, limit: int | None = None) -> dict[str, PR]:
    import trafilatura

    root = shared / "data" / "html" / "scrapinghub_article_body"
    out = {"trafilatura": PR(), "claimscope": PR()}
    with (root / "article_body.jsonl").open(encoding="utf-8") as handle:
        for k, row in enumerate(map(json.loads, handle)):
            if limit is not None and k >= limit:
                break
            path = root / row["html_file"]
            out["trafilatura"].add(trafilatura.extract(gzip.decompress(path.read_bytes())) or "", row["text"])
            out["claimscope"].add(body_text(segmented(path, row["id"])), row["text"])
    return out


@dataclass(slots=True)
class Lines:
    """Line-level counts of what the segmenter takes out of the body, against L3S block labels."""

    body_words: int = 0
    body_words_lost: int = 0
    supp_lines: int = 0
    supp_lines_out: int = 0
    caption_marked: int = 0
    caption_marked_supp: int = 0
    caption_like: int = 0
    caption_like_found: int = 0
    lost_examples: list[str] = field(default_factory=list)


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _l3s_records(shared: Path, limit: int | None) -> Iterator[dict[str, object]]:
    with gzip.open(shared / "data" / "corpora" / "l3s_gn1" / "l3s_gn1.jsonl.gz", "rt", encoding="utf-8") as handle:
        for k, line in enumerate(handle):
            if limit is not None and k >= limit:
                break
            yield json.loads(line)


def measure_l3s(shared: Path, limit: int | None = None) -> tuple[PR, PR, Lines]:
    import trafilatura

    ours, theirs, lines = PR(), PR(), Lines()
    for rec in _l3s_records(shared, limit):
        html, gold = str(rec["html"]), str(rec["expected_text"] or "")
        theirs.add(trafilatura.extract(html) or "", gold)
        ledger = segmented(html, str(rec["id"]))
        ours.add(body_text(ledger), gold)
        if ledger is not None:
            _count_lines(ledger, _norm(gold), _norm(str(rec["expected_supplemental"] or "")), lines)
    return ours, theirs, lines


def _count_lines(ledger: Ledger, gold: str, supp: str, c: Lines) -> None:
    for seg in ledger.segments or ():
        if seg.kind in ("turn", "headline"):
            continue
        for raw in seg.span.text.split("\n"):
            line = _norm(raw)
            if len(line) < 12:
                continue
            out = seg.kind in _NON_BODY
            in_gold, in_supp = line in gold, line in supp and line not in gold
            if in_gold:
                c.body_words += len(line.split())
                c.body_words_lost += len(line.split()) if out else 0
                if out and len(c.lost_examples) < 200:
                    c.lost_examples.append(f"{seg.kind}: {raw[:150]}")
            if in_supp:
                c.supp_lines += 1
                c.supp_lines_out += out
                if len(line.split()) >= 8:
                    c.caption_like += 1
                    c.caption_like_found += seg.kind == "caption"
            if seg.kind == "caption" and (in_gold or in_supp):
                c.caption_marked += 1
                c.caption_marked_supp += in_supp


@dataclass(slots=True)
class Snippets:
    """trafilatura's own benchmark convention: "with" snippets must be in the output, "without" must not."""

    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    def add(self, output: str, snippet: str, main: bool) -> None:
        found = _norm(snippet) in output
        if main:
            self.tp, self.fn = self.tp + found, self.fn + (not found)
        else:
            self.fp, self.tn = self.fp + found, self.tn + (not found)

    def line(self, name: str) -> str:
        p, r = self.tp / max(self.tp + self.fp, 1), self.tp / max(self.tp + self.fn, 1)
        f = 2 * p * r / (p + r) if p + r else 0.0
        counts = f"snippets {self.tp + self.fn} main, {self.fp + self.tn} boilerplate"
        return f"{name}: P {p:.3f} R {r:.3f} F1 {f:.3f} ({counts})"


def measure_trafilatura_eval(shared: Path, limit: int | None = None) -> dict[str, Snippets]:
    """Snippet accuracy of trafilatura.extract and of claimscope's body on trafilatura's English eval pages."""
    import trafilatura

    root = shared / "data" / "html" / "trafilatura_eval_en"
    pages: dict[str, list[tuple[str, bool]]] = {}
    with (root / "segments.jsonl").open(encoding="utf-8") as handle:
        for row in map(json.loads, handle):
            pages.setdefault(row["html_file"], []).append((row["text"], row["label"] == 1))
    out = {"trafilatura": Snippets(), "claimscope": Snippets()}
    for k, (name, snippets) in enumerate(pages.items()):
        if limit is not None and k >= limit:
            break
        theirs = _norm(trafilatura.extract((root / name).read_bytes()) or "")
        ours = _norm(body_text(segmented(root / name, name)))
        for snippet, main in snippets:
            out["trafilatura"].add(theirs, snippet, main)
            out["claimscope"].add(ours, snippet, main)
    return out


def _share(a: int, b: int) -> str:
    return f"{a / b:.3f} ({a}/{b})" if b else "n/a (0/0)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="pages per data set (default: all)")
    ap.add_argument("--shared", default=None, help="the shared data directory (default /work/shared or ../shared)")
    ap.add_argument("--show-lost", action="store_true", help="print the gold body lines we mark non-body")
    args = ap.parse_args()
    shared = find_shared(args.shared)
    if shared is None:
        sys.exit("segment_html: the shared data (/work/shared or ../shared with data/html) is not present; "
                 "pass --shared DIR")
    sh = measure_scrapinghub(shared, args.limit)
    print(sh["trafilatura"].line("scrapinghub body, trafilatura.extract"))
    print(sh["claimscope"].line("scrapinghub body, claimscope reader+segmenter"))
    ours, theirs, c = measure_l3s(shared, args.limit)
    print(theirs.line("l3s_gn1 full text, trafilatura.extract"))
    print(ours.line("l3s_gn1 full text, claimscope reader+segmenter"))
    print(f"l3s_gn1 body words marked non-body (lower is better): {_share(c.body_words_lost, c.body_words)}")
    print(f"l3s_gn1 supplemental lines marked non-body: {_share(c.supp_lines_out, c.supp_lines)}")
    print(f"l3s_gn1 caption precision (marked caption, gold supplemental): "
          f"{_share(c.caption_marked_supp, c.caption_marked)}")
    print(f"l3s_gn1 caption recall (caption-like supplemental lines marked caption): "
          f"{_share(c.caption_like_found, c.caption_like)}")
    te = measure_trafilatura_eval(shared, args.limit)
    print(te["trafilatura"].line("trafilatura_eval_en snippets, trafilatura.extract"))
    print(te["claimscope"].line("trafilatura_eval_en snippets, claimscope body"))
    if args.show_lost:
        print("\n".join(c.lost_examples))


if __name__ == "__main__":
    main()
