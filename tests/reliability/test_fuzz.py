"""Coverage-guided fuzzing with atheris (libFuzzer) over the readers and the pipeline, a fixed budget per target.

Each target runs ``fuzz_readers.py`` in a child process with ``-runs=N`` (fixed ``-seed``), a per-input time
limit and a memory limit, from a small seed corpus of valid inputs of its kind. A crash (any exception other
than a one-line ``ClaimscopeError``, a ledger breaking an invariant, a per-input timeout, an out-of-memory)
makes libFuzzer exit non-zero and the test fail with the crashing input's traceback.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from articles import article
from bounded import PYTHON, env

pytest.importorskip("atheris")

HERE = Path(__file__).resolve().parent
SEED = 1125
RUNS = {"text": 500, "html": 300, "jsonl": 500, "feed": 300, "warc": 300, "pipeline": 300}
LIMITS = ["-max_len=4096", "-timeout=20", "-rss_limit_mb=2560", "-max_total_time=90", f"-seed={SEED}"]
FIGURES: dict[str, dict[str, int]] = {}


def _html(n: int) -> str:
    paras = "".join(f"<p>{p}</p>" for p in article(n).split("\n\n")[1:])
    return (f"<html><head><title>{article(n).splitlines()[0]}</title></head>"
            f"<body><nav>Home</nav><article><h1>Plan</h1>{paras}</article></body></html>")


def _warc(n: int) -> bytes:
    body = _html(n).encode()
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-00000000000{n}>\r\n"
            f"WARC-Date: 2024-05-02T10:00:00Z\r\nWARC-Target-URI: https://news.example/{n}\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n").encode()
    return head + http + b"\r\n\r\n"


def seeds(target: str) -> list[bytes]:
    """Valid inputs of the target's kind for libFuzzer to mutate."""
    if target in ("text", "pipeline"):
        return [article(n).encode() for n in range(3)] + [_html(3).encode()] * (target == "pipeline")
    if target == "html":
        return [_html(n).encode() for n in range(3)]
    if target == "jsonl":
        return ["\n".join(json.dumps({"id": f"a{n}", "text": article(n)}) for n in range(2)).encode(),
                json.dumps({"html": _html(2), "url": "https://x.example/2"}).encode()]
    if target == "feed":
        items = "".join(f"<item><title>t{n}</title><link>https://x.example/{n}</link>"
                        f"<description>{article(n)}</description></item>" for n in range(2))
        atom = (f"<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>a</title>"
                f"<content type='html'>{_html(2).replace('<', '&lt;')}</content></entry></feed>")
        return [f"<?xml version='1.0'?><rss version='2.0'><channel>{items}</channel></rss>".encode(), atom.encode()]
    return [_warc(0), _warc(1) + _warc(2)]


@pytest.fixture(scope="module", autouse=True)
def _figures() -> Iterator[None]:
    yield
    for target, got in FIGURES.items():
        print(f"\nfuzz {target}: {got}")


@pytest.mark.parametrize("target", list(RUNS))
def test_fuzzing_finds_no_crash(tmp_path: Path, target: str) -> None:
    corpus, stats = tmp_path / "corpus", tmp_path / "stats.json"
    corpus.mkdir()
    for i, data in enumerate(seeds(target)):
        (corpus / f"seed{i}").write_bytes(data)
    done = subprocess.run([PYTHON, str(HERE / "fuzz_readers.py"), target, str(stats), f"-runs={RUNS[target]}",
                           *LIMITS, str(corpus)], cwd=tmp_path, env=env(), capture_output=True, text=True,
                          timeout=240, check=False)
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-4000:]
    runs = re.search(r"Done (\d+) runs", log)
    cov = re.findall(r"cov: (\d+)", log)
    assert runs and cov, log[-2000:]
    counts = json.loads(stats.read_text(encoding="utf-8"))
    FIGURES[target] = {"runs": int(runs.group(1)), "coverage": int(cov[-1]), **counts, "crashes": 0}
    assert counts["inputs"] >= RUNS[target] // 2  # the budget ran (libFuzzer counts seeds and retries too)
