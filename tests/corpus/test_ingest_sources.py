"""Ingest over many sources: globs, URL lists and feed URLs from a local server, crawls, and resuming.

The server listens on 127.0.0.1 only; every wait is bounded.
"""

from __future__ import annotations

import http.server
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimscope.cli import main

SENTENCES = ("The water board said on Monday that the reservoir in {place} was {n}0 percent full.",
             "\"We will lift the hosepipe ban in {place} next week,\" said Petra Lund, the board's director.",
             "Farmers near {place} said the {n} dry months had cost them most of the barley harvest.")
PLACES = ("Alder", "Birchfield", "Cobham", "Dunmore", "Elstow", "Fenwick")


def page(n: int) -> str:
    place = PLACES[n % len(PLACES)]
    body = "".join(f"<p>{s.format(place=place, n=n + 2)}</p>" for s in SENTENCES)
    return f"<html><head><title>Reservoir report {n}</title></head><body><article>{body}</article></body></html>"


@dataclass
class Site:
    base: str
    seen: list[str] = field(default_factory=list)
    gate: threading.Event = field(default_factory=threading.Event)
    hold: str = ""  # a path whose answer waits for ``gate`` (bounded)


def _handler(site_ref: list[Site]) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            site = site_ref[0]
            site.seen.append(self.path)
            if self.path == site.hold:
                site.gate.wait(60)
            status, ctype, body = self._answer(site)
            self.send_response(status)
            self.send_header("content-type", ctype)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _answer(self, site: Site) -> tuple[int, str, bytes]:
            if self.path.startswith("/story/"):
                return 200, "text/html; charset=utf-8", page(int(self.path.rsplit("/", 1)[1])).encode()
            if self.path == "/feed.xml":
                items = "".join(f"<item><title>Reservoir report {n}</title><link>{site.base}/story/{n}</link>"
                                f"<description>Short.</description></item>" for n in (1, 2))
                rss = ("<?xml version='1.0'?><rss version='2.0'><channel><title>Water Weekly</title>"
                       f"{items}</channel></rss>")
                return 200, "application/rss+xml", rss.encode()
            return 404, "text/plain", b"not here"

        def log_message(self, *args: object) -> None:
            return

    return Handler


@pytest.fixture
def site() -> Iterator[Site]:
    ref: list[Site] = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(ref))
    ref.append(Site(f"http://127.0.0.1:{server.server_address[1]}"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield ref[0]
    ref[0].gate.set()
    server.shutdown()
    server.server_close()
    thread.join()


NET = ["--allow-private", "--rate", "1000", "--retries", "0"]


def ingest(tmp_path: Path, *args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, ["ingest", *args, "--db", str(tmp_path / "s.db")])
    return res.exit_code, res.stderr


def test_a_glob_picks_its_files_and_a_glob_matching_nothing_is_an_error(tmp_path: Path) -> None:
    for rel in ("crawl/a/one.html", "crawl/b/c/two.html", "crawl/notes.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(page(len(rel)), encoding="utf-8")
    code, err = ingest(tmp_path, str(tmp_path / "crawl/**/*.html"))
    assert code == 0 and "ingested 2 article(s)" in err
    code, err = ingest(tmp_path, str(tmp_path / "nowhere/*.html"))
    assert code == 1 and err.startswith("Error: ") and "no file matches" in err


def test_a_url_list_is_fetched_once_then_skipped_before_any_request(tmp_path: Path, site: Site) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# today\n{site.base}/story/1\n\n{site.base}/story/2\n{site.base}/missing\n", encoding="utf-8")
    code, err = ingest(tmp_path, str(urls), *NET)
    assert code == 0 and "ingested 2 article(s)" in err and "1 fetch refused or failed" in err
    assert "HTTP 404" in err and site.seen.count("/robots.txt") == 1
    site.seen.clear()
    code, err = ingest(tmp_path, str(urls), *NET)
    assert "ingested 0 article(s), skipped 2" in err and "/story/1" not in site.seen
    code, err = ingest(tmp_path, str(urls), *NET, "--force")
    assert "ingested 2 article(s)" in err and "/story/1" in site.seen


def test_private_addresses_are_refused_unless_allowed(tmp_path: Path, site: Site) -> None:
    code, err = ingest(tmp_path, f"{site.base}/story/1", "--retries", "0")
    assert code == 1 and "ingested 0 article(s)" in err and "loopback" in err and not site.seen


def test_a_feed_url_with_fetched_links(tmp_path: Path, site: Site) -> None:
    code, err = ingest(tmp_path, f"{site.base}/feed.xml", *NET)
    assert "ingested 0 article(s)" in err and "2 summary only" in err
    code, err = ingest(tmp_path, f"{site.base}/feed.xml", *NET, "--fetch-links")
    assert "ingested 2 article(s)" in err
    listed = json.loads(CliRunner().invoke(main, ["articles", "--db", str(tmp_path / "s.db"), "--json"]).stdout)
    assert {a["source"] for a in listed} == {"Water Weekly"}


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # the schema is not there yet


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_an_interrupted_run_resumes_without_duplicates(tmp_path: Path, site: Site, sig: signal.Signals) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text("".join(f"{site.base}/story/{n}\n" for n in range(1, 7)), encoding="utf-8")
    db = tmp_path / "s.db"
    site.hold = "/story/4"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    cmd = [sys.executable, "-c", "from claimscope.cli import main; main()", "ingest", str(urls), "--db", str(db),
           *NET, "--batch-size", "1"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):  # bounded: at most about two minutes
            if _count(db) >= 3 or proc.poll() is not None:
                break
            time.sleep(0.2)
        assert _count(db) == 3 and proc.poll() is None  # stored 1-3, waiting for 4
        proc.send_signal(sig)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=60)
    site.gate.set()
    site.seen.clear()
    code, err = ingest(tmp_path, str(urls), *NET)
    assert code == 0 and "ingested 3 article(s), skipped 3" in err
    assert sorted(site.seen) == ["/robots.txt", "/story/4", "/story/5", "/story/6"]
    with sqlite3.connect(db) as conn:
        urls_stored = [r[0] for r in conn.execute("SELECT url FROM articles")]
    assert len(urls_stored) == len(set(urls_stored)) == 6


def test_a_crawl_through_the_cli_reports_skipped_records_by_reason(tmp_path: Path) -> None:
    def record(url: str, ctype: str, body: bytes) -> bytes:
        block = f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body
        head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{url[-1]}>\r\n"
                f"WARC-Date: 2024-06-01T00:00:00Z\r\nWARC-Target-URI: {url}\r\n"
                f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(block)}\r\n\r\n")
        return head.encode() + block + b"\r\n\r\n"

    crawl = tmp_path / "day.warc"
    crawl.write_bytes(record("https://w.example/1", "text/html", page(1).encode())
                      + record("https://w.example/2", "text/css", b"p { color: red }")
                      + record("https://w.example/3", "text/html", page(3).encode()))
    code, err = ingest(tmp_path, str(tmp_path))  # the folder: the crawl is found by its suffix
    assert code == 0 and "ingested 2 article(s)" in err and "records skipped: 1 not HTML" in err


@pytest.mark.parametrize(("args", "message"), [
    (["analyze", "https://news.example/a"], "needs network access"),
    (["ingest", "--rate", "0", "x"], "--rate"),
])
def test_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    res = CliRunner().invoke(main, args)
    assert res.exit_code != 0 and message in res.stderr


def test_without_the_feeds_extra_local_files_still_ingest_and_feeds_say_what_to_install(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(page(1), encoding="utf-8")
    (tmp_path / "b.rss").write_text("<rss version='2.0'><channel><title>T</title></channel></rss>", encoding="utf-8")
    block = "import sys; sys.modules.update(httpx=None, feedparser=None, warcio=None); "
    cmd = [sys.executable, "-c", block + "from claimscope.cli import main; main()", "ingest", str(tmp_path / "a.html"),
           str(tmp_path / "b.rss"), "https://93.184.216.34/x", "--db", str(tmp_path / "s.db")]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0 and "ingested 1 article(s)" in done.stderr
    assert "needs feedparser: pip install 'claimscope[feeds]'" in done.stderr
    assert "needs httpx" in done.stderr and f"{tmp_path / 'b.rss'}: reading" in done.stderr
