"""Training data for the learned attribution tagger: PolNeAR-style JSON Lines, analysed up to attribution.

A record is ``{"doc_id", "text", "quotes": [{"content_span": [s, e], "cue_span": [s, e] | null,
"speaker_span": [s, e] | null}, ...]}`` with character offsets into ``text`` (the shape of
../shared/data/polnear and of the attribution scorer's gold). Each article runs through the default
stages up to and including the rule attribution stage, whose statements become features.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from claimscope.errors import InputError, ModelFileError
from claimscope.learn.features import Sequence_, sequences
from claimscope.model import Article, Ledger
from claimscope.pipeline import Pipeline, default_stages


def rule_pipeline(alias_files: tuple[str, ...] = ()) -> Pipeline:
    """The default stages up to and including the rule attribution stage (the tagger's input)."""
    stages = default_stages(alias_files)
    names = [s.name for s in stages]
    return Pipeline(stages[: names.index("attribution") + 1])


def read(path: str | Path) -> Iterator[dict[str, Any]]:
    """Gold records, checked: a bad line is a one-line error naming the file and line."""
    with Path(path).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                text = rec["text"]
                quotes = rec.get("quotes") or []
                for q in quotes:
                    lo, hi = q["content_span"]
                    if not (isinstance(lo, int) and isinstance(hi, int) and 0 <= lo < hi <= len(text)):
                        raise ValueError(f"content_span {q['content_span']} is outside the text")
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(f"{path}:{n}: not a training record ({exc}); expected "
                                 '{"doc_id", "text", "quotes": [{"content_span": [s, e], ...}]}') from exc
            yield {"id": str(rec.get("doc_id") or rec.get("id") or n), "text": text, "quotes": quotes}


def analysed(records: Iterator[dict[str, Any]], pipeline: Pipeline | None = None
             ) -> Iterator[tuple[dict[str, Any], Ledger]]:
    pipe = pipeline or rule_pipeline()
    recs: list[dict[str, Any]] = []

    def articles() -> Iterator[Article]:
        for r in records:
            recs.append(r)
            yield Article(id=r["id"], text=r["text"])

    for k, led in enumerate(pipe.run_many(articles())):
        yield recs[k], led


def training_sequences(path: str | Path, pipeline: Pipeline | None = None) -> list[Sequence_]:
    out: list[Sequence_] = []
    for rec, led in analysed(read(path), pipeline):
        if led.parse is not None:
            out.extend(sequences(led, rec["quotes"]))
    return out


def train_attribution(data: str | Path, out: str | Path, epochs: int = 5, threads: int = 1,
                      report: Callable[[str], None] | None = None, max_steps: int | None = None) -> int:
    """Analyse the gold articles in ``data``, train a tagger on them and write it to ``out``.
    Returns the number of training lines (sequences). Needs torch (the ``learn`` extra)."""
    try:
        from claimscope.learn.tagger import TrainConfig, train
    except ImportError as exc:
        raise ModelFileError("training needs torch: pip install 'claimscope[learn]'") from exc
    seqs = training_sequences(data)
    if report:
        report(f"{len(seqs)} lines with gold tags from {data}")
    tagger = train(seqs, TrainConfig(epochs=epochs, threads=threads), report=report, max_steps=max_steps)
    tagger.save(out)
    return len(seqs)
