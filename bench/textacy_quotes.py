"""Our attribution beside textacy's quote extraction, over the same parse: speeds and how much each finds.

usage: TEXTACY_PYTHON=/path/to/venv/bin/python; $TEXTACY_PYTHON bench/textacy_quotes.py [CORPUS.jsonl]
Runs in a separate environment that has textacy (0.13) beside the same spaCy and model: textacy pulls
scikit-learn, which cannot live in claimscope's own environment (it breaks quantulum3's classifier used
by eval/baselines.py). `bench/all.py` runs it when TEXTACY_PYTHON is set, and skips it otherwise.

Both sides get the same spaCy output: the paragraphs the nlp stage parses, parsed by the same model
(``nlp.pipe`` is deterministic, so the docs kept for textacy equal the ones the stage converted).
textacy's ``extract.direct_quotations`` runs on those docs, joined per article with ``Doc.from_docs``
(it works on whole documents); our ``attribution`` stage on the ledgers, after the actors and time
stages it needs (not timed). CPU seconds, best of ``--rounds``; nothing is asserted.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "data" / "polnear" / "dev.jsonl"))
    parser.add_argument("--rounds", type=int, default=3)
    opts = parser.parse_args()
    try:
        import textacy  # type: ignore[import-not-found]
        from textacy import extract
    except ImportError:
        sys.exit("textacy is not installed in this Python; run this script with TEXTACY_PYTHON (see its docstring)")

    from spacy.tokens import Doc

    from claimscope.model import Article, Ledger
    from claimscope.pipeline import default_stages
    from claimscope.stages import nlp

    texts = [json.loads(line)["text"] for line in Path(opts.corpus).read_text(encoding="utf-8").splitlines()]
    model = nlp.load()
    stages = {s.name: s for s in default_stages()}
    ledgers = [Ledger(Article(str(i), t)) for i, t in enumerate(texts)]
    for name in ("segment", "nlp", "actors", "time"):
        ledgers = stages[name].run_batch(ledgers)
    units = [nlp._MARKUP.sub(nlp._blank, led.text[a:b]) for led in ledgers for a, b, _ in nlp.units(led)]
    parsed = iter(model.pipe(units, batch_size=nlp.Config().batch_size))  # the same parse, kept as spaCy docs
    docs = [Doc.from_docs([next(parsed) for _ in nlp.units(led)]) or Doc(model.vocab) for led in ledgers]

    ours_s = theirs_s = float("inf")
    for _ in range(opts.rounds):
        t0 = time.process_time()
        attributed = stages["attribution"].run_batch(ledgers)
        ours_s = min(ours_s, time.process_time() - t0)
        t0 = time.process_time()
        quotes, bailed = [], 0
        for doc in docs:
            try:
                quotes.extend(extract.direct_quotations(doc))
            except ValueError:  # an odd number of quotation marks: textacy gives up on the document
                bailed += 1
        theirs_s = min(theirs_s, time.process_time() - t0)
    statements = [s for led in attributed for s in led.statements or ()]
    direct = sum(s.kind == "direct" for s in statements)
    n = len(texts)
    print(f"corpus: {Path(opts.corpus).name}, {n} documents, {len(units)} paragraphs; textacy {textacy.__version__}")
    print(f"claimscope attribution: {ours_s:.3f} CPU s ({1000 * ours_s / n:.2f} ms/doc), {len(statements)} "
          f"statements ({direct} direct, {len(statements) - direct} mixed or indirect) with speaker and cue")
    print(f"textacy direct_quotations: {theirs_s:.3f} CPU s ({1000 * theirs_s / n:.2f} ms/doc), "
          f"{len(quotes)} direct quotations; it gave up on {bailed} of {n} documents (unpaired quotation marks)")
    print(f"attribution_ms_per_doc={1000 * ours_s / n:.2f} textacy_ms_per_doc={1000 * theirs_s / n:.2f} "
          f"statements={len(statements)} textacy_quotes={len(quotes)}")


if __name__ == "__main__":
    main()
