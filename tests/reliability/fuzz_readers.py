"""Coverage-guided fuzzing (atheris / libFuzzer) of the readers and the pipeline; run by ``test_fuzz.py``.

    python tests/reliability/fuzz_readers.py TARGET STATS.json [libFuzzer flags, e.g. -runs=500 CORPUS_DIR]

TARGET is one of ``text``, ``html``, ``jsonl``, ``feed``, ``warc`` (the bytes are written to a file of that
kind and read with ``sources.read``) or ``pipeline`` (read as text or HTML, then every article analysed and
its ledger checked). Every input must end in articles, skipped records, or a one-line ``ClaimscopeError``;
any other exception escapes to libFuzzer, which reports it as a crash (exit code non-zero) and writes the
input to ``crash-*`` in the working directory. STATS.json gets the outcome counts after every input (libFuzzer
ends the process with ``exit``, so no end-of-run hook would run).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["claimscope"]):
    from claimscope import sources
    from claimscope.errors import ClaimscopeError
    from claimscope.model import Article
    from claimscope.pipeline import default_pipeline
    from claimscope.sources.skipped import Skipped

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bounded import check_ledger  # noqa: E402

NAMES = {"text": "in.txt", "html": "in.html", "jsonl": "in.jsonl", "feed": "in.rss", "warc": "in.warc",
         "pipeline": "in.txt"}
FOLDER = Path(tempfile.mkdtemp(prefix="cs-fuzz-"))
COUNTS = {"inputs": 0, "articles": 0, "skipped": 0, "errors": 0, "ledgers": 0}


def _one_line(exc: BaseException) -> None:
    if "\n" in str(exc) or not str(exc):
        raise AssertionError(f"not a one-line error: {exc!r}")


def one_input(target: str, data: bytes, stats: Path, pipeline: object | None) -> None:
    COUNTS["inputs"] += 1
    name = NAMES[target]
    if target == "pipeline" and data[:1] == b"<":
        name = "in.html"
    path = FOLDER / name
    path.write_bytes(data)
    try:
        items = list(sources.read(path, max_bytes=1024 * 1024))
    except ClaimscopeError as exc:
        _one_line(exc)
        COUNTS["errors"] += 1
        items = []
    for item in items:
        if isinstance(item, Article):
            COUNTS["articles"] += 1
            if pipeline is not None:
                _analyse(item, pipeline)
        elif isinstance(item, Skipped | ClaimscopeError):
            _one_line(Exception(str(item)))
            COUNTS["skipped"] += 1
        else:
            raise AssertionError(f"a reader yielded {type(item).__name__}")
    stats.write_text(json.dumps(COUNTS), encoding="utf-8")


def _analyse(article: Article, pipeline: object) -> None:
    try:
        ledger = pipeline.run(article)  # type: ignore[attr-defined]
    except ClaimscopeError as exc:
        _one_line(exc)
        COUNTS["errors"] += 1
        return
    check_ledger(ledger)
    COUNTS["ledgers"] += 1


def main() -> None:
    target, stats = sys.argv[1], Path(sys.argv[2])
    if target not in NAMES:
        raise SystemExit(f"unknown target {target!r}; one of {', '.join(NAMES)}")
    pipeline = None
    if target == "pipeline":
        pipeline = default_pipeline()
    atheris.Setup([sys.argv[0], *sys.argv[3:]], lambda data: one_input(target, data, stats, pipeline))
    atheris.Fuzz()


if __name__ == "__main__":
    main()
