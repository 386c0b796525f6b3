"""Bad input: every case ends in ledgers or one-line errors, within a time limit and (in a child) a memory limit.

Property-based over the readers (text, HTML, JSON Lines, feed, WARC) and the pipeline, plus hand-made hard
cases: 5,000 nested divs, a single 50 MB line through the readers (and one over the limit), a 60,000-character
line and a 40,000-character run-on sentence through the whole pipeline, nested and unbalanced quotation marks,
and a gzip bomb inside a WARC record.
"""

from __future__ import annotations

import gzip
import json
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from bounded import check_ledger, cli, ledger_dicts, one_line_errors, time_limit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimscope import sources
from claimscope.errors import ClaimscopeError
from claimscope.model import Article
from claimscope.pipeline import default_pipeline
from claimscope.sources.skipped import Skipped

PIECES = ["The mayor said", " “We will win,” she said.", " 7,000 people", " according to police", "\n", "\n\n",
          "“", "”", '"', "''", "«", "»", "„", "\x00", "é", "ß", "\u2028", "\ufeff", "<p>", "</div>", "<div>",
          "&amp;", "&#0;", "{", "}", " http://a.example/x", "\r\n", "\t", "文字", "🙂", " — "]
ENCODINGS = ["utf-8", "latin-1", "cp1252", "utf-16", "shift_jis", "koi8-r"]
NAMES = ["a.txt", "a.html", "a.jsonl", "a.rss", "a.warc", "a.warc.gz", "a.gz", "noext"]
RAW = [b"\xff\xfe\xfd", b"\xc3(", b"\x00\x00", b"\x1f\x8b\x08", b"\xef\xbb\xbf", b"\x80", b"\xed\xa0\x80"]

texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join) | st.text(max_size=200)


@st.composite
def payloads(draw: st.DrawFn) -> bytes:
    text = draw(texts)
    shape = draw(st.sampled_from(["plain", "html", "jsonl", "rss", "binary", "mixed"]))
    if shape == "binary":
        return draw(st.binary(max_size=400))
    if shape == "html":
        text = f"<html><head><title>t</title></head><body><article><p>{text}</p></article></body></html>"
    elif shape == "jsonl":
        text = json.dumps({"text": text}, ensure_ascii=draw(st.booleans())) + "\n" + text
    elif shape == "rss":
        text = f"<?xml version='1.0'?><rss><channel><item><title>x</title><description>{text}</description></item>"
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="ignore")
    if shape == "mixed":
        data = b"".join(draw(st.lists(st.sampled_from(RAW) | st.just(data), max_size=5)))
    return data


PIPELINE = default_pipeline()
TRIED = {"cases": 0, "ledgers": 0, "errors": 0}


@pytest.fixture(scope="module", autouse=True)
def _figures() -> Iterator[None]:
    yield
    print(f"\nbad input: {TRIED['cases']} generated inputs, {TRIED['ledgers']} ledgers checked, "
          f"{TRIED['errors']} one-line errors")


def _analyse(path: Path) -> None:
    """Read and analyse one input: ledgers that keep the invariants, or one-line deliberate errors."""
    try:
        items = list(sources.read(path))
    except ClaimscopeError as exc:
        assert "\n" not in str(exc) and str(exc), repr(exc)
        TRIED["errors"] += 1
        return
    for item in items:
        assert isinstance(item, Article | Skipped | ClaimscopeError), item
        if isinstance(item, Article):
            try:
                check_ledger(PIPELINE.run(item))
                TRIED["ledgers"] += 1
            except ClaimscopeError as exc:
                assert "\n" not in str(exc), repr(exc)
                TRIED["errors"] += 1
        else:
            assert "\n" not in str(item), str(item)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=payloads(), name=st.sampled_from(NAMES))
def test_any_bytes_under_any_name_give_ledgers_or_one_line_errors(data: bytes, name: str) -> None:
    TRIED["cases"] += 1
    with tempfile.TemporaryDirectory(prefix="cs-bad-") as tmp, time_limit(20):
        path = Path(tmp) / name
        path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
        _analyse(path)


QUOTES = [
    "“" * 3000 + "He said it." + "”" * 3000,
    '"' * 5001 + " the mayor said.",
    "“Open, she said. " * 800,
    "''We will, '' he said ''and then“ «„»" * 500,
    "\x00" * 10_000 + "The mayor said “yes”.",
]


@pytest.mark.parametrize("text", QUOTES, ids=["nested-curly", "straight-run", "unclosed", "mixed", "nuls"])
def test_quotation_marks_nested_or_unbalanced(tmp_path: Path, text: str) -> None:
    path = tmp_path / "q.txt"
    path.write_text(text, encoding="utf-8")
    with time_limit(30):
        _analyse(path)


MB = 1024 * 1024
SENTENCE = "The council said that it would meet again on Monday to discuss 7,000 new homes. "
RUN_ON = "the council said that it would meet again on Monday to discuss 7,000 new homes and "  # no sentence end


def _line(size: int, unit: str = SENTENCE) -> str:
    return (unit * (size // len(unit) + 1))[:size]


@pytest.mark.parametrize("name,wrap,size", [
    ("long.txt", "{}", 50 * MB - 64),
    ("long.html", "<html><body><article><p>{}</p></article></body></html>", 50 * MB - 64),
    ("long.jsonl", "", 50 * MB - 64),
    ("over.txt", "{}", 50 * MB + 1),
    ("long.bin", None, 5 * MB),
], ids=["text-50mb", "html-50mb", "jsonl-50mb", "text-over-the-limit", "binary-5mb"])
def test_a_single_50_mb_line_is_read_or_refused_within_limits(tmp_path: Path, name: str, wrap: str | None,
                                                              size: int) -> None:
    """Under ``max_bytes`` (50 MB) the line is read (or refused in one line: HTML without main text); over it,
    refused before it is read whole. Binary garbage is 5 MB: charset detection alone needs ~30 s for 50 MB."""
    path = tmp_path / name
    if wrap is None:
        path.write_bytes(b"\xff" * size)
    elif name.endswith(".jsonl"):
        path.write_text(json.dumps({"text": _line(size - 12)}), encoding="utf-8")
    else:
        path.write_text(wrap.format(_line(size - len(wrap) + 2)), encoding="utf-8")
    with time_limit(120):
        try:
            items = list(sources.read(path))
        except ClaimscopeError as exc:
            assert "\n" not in str(exc)
            assert name != "over.txt" or "larger than the 50 MB limit" in str(exc)
            TRIED["errors"] += 1
            return
    assert name != "over.txt", "an input over the limit was read"
    assert all(isinstance(i, Article | Skipped) for i in items)
    assert name != "long.txt" or len(items[0].text) > 49 * MB  # type: ignore[union-attr]


def _nested_divs(depth: int) -> bytes:
    body = "<div>" * depth + "<p>The mayor said the bridge would reopen in May, according to the council.</p>" * 5
    return f"<html><body>{body}{'</div>' * depth}</body></html>".encode()


def _warc_bomb(size: int) -> bytes:
    """A WARC response whose gzip body inflates to ``size`` bytes (about 1,000 times its length)."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"<p>" + b"a" * (1024 * 1024 - 3)
    body = b"".join(squeeze.compress(chunk) for _ in range(size // len(chunk))) + squeeze.flush()
    http = (f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-000000000001>\r\n"
            f"WARC-Date: 2024-05-02T10:00:00Z\r\nWARC-Target-URI: https://bomb.example/\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n").encode()
    return gzip.compress(head + http + b"\r\n\r\n")


HARD = [
    ("nested.html", _nested_divs(5000)),
    ("long-line.txt", _line(60_000).encode()),
    ("run-on-line.txt", _line(40_000, RUN_ON).encode()),  # sentences as long as the parser's 20,000-char pieces
    ("bomb.warc.gz", _warc_bomb(200 * 1024 * 1024)),
]


@pytest.mark.parametrize("name,data", HARD, ids=[n for n, _ in HARD])
def test_hard_inputs_through_the_cli_in_a_bounded_child(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    done = cli("analyze", "--json", str(path), timeout=180)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    one_line_errors(done.stderr)
    for d in ledger_dicts(done.stdout):
        from claimscope.serialize import from_json

        check_ledger(from_json(d))
    assert done.stdout or done.stderr
