"""The command line: one command per user task, each a thin shell over one library call.

Data goes to stdout, progress and diagnostics to stderr. A ``ClaimscopeError`` becomes one line,
``Error: …``, and exit status 1.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any, TypeVar

import click

from claimscope import serialize
from claimscope.errors import BatchLineError, ClaimscopeError, InputError
from claimscope.model import Article, Ledger

F = TypeVar("F", bound=Callable[..., Any])


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date as YYYY-MM-DD, got {value!r}") from None


def input_options(fn: F) -> F:
    """Options shared by every command that reads articles."""
    fn = click.option("--aliases", "alias_files", multiple=True, metavar="FILE",
                      help="An extra alias table (NAME<TAB>KIND<TAB>ALIAS|ALIAS per line); may be repeated.")(fn)
    fn = click.option("--encoding", metavar="NAME", default=None,
                      help="Decode the input with this encoding instead of detecting it.")(fn)
    fn = click.option("--published", callback=_date, metavar="YYYY-MM-DD",
                      help="Publication date, used to resolve relative times (overrides the input's).")(fn)
    return fn


def errors_to_exit(fn: F) -> F:
    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ClaimscopeError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="claimscope")
def main() -> None:
    """claimscope: who said what in a news article, which figures, when, and what is not reporting."""


def _articles(paths: tuple[str, ...], published: dt.date | None, encoding: str | None = None) -> Iterator[Article]:
    from claimscope import sources

    for path in paths:
        for item in sources.read(path, published=published, encoding=encoding):
            if isinstance(item, BatchLineError):
                click.echo(f"Error: {item} (line skipped)", err=True)
                continue
            if isinstance(item, sources.Skipped):
                click.echo(f"{'Error' if item.failed else 'Skipped'}: {item}", err=True)
                continue
            yield item


@main.command()
@click.argument("paths", nargs=-1, required=True)
@input_options
@click.option("--json", "as_json", is_flag=True, help="Emit each ledger as JSON, one line per document.")
@click.option("--pretty", is_flag=True, help="With --json: indent the JSON.")
@click.option("--attribution-model", metavar="DIR", default=None,
              help="Revise the attribution rules with a tagger trained by `claimscope train-attribution` "
                   "(opt-in; needs the learn extra).")
@errors_to_exit
def analyze(paths: tuple[str, ...], published: dt.date | None, encoding: str | None, alias_files: tuple[str, ...],
            as_json: bool, pretty: bool, attribution_model: str | None) -> None:
    """Print the ledger of each article in PATHS (text, HTML, JSON Lines, or - for standard input)."""
    from claimscope.pipeline import default_pipeline

    pipeline = default_pipeline(alias_files, attribution_model)
    for ledger in pipeline.run_many(_articles(paths, published, encoding)):
        _emit(ledger, as_json, pretty)


@main.command("train-attribution")
@click.argument("data", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", required=True, metavar="DIR", help="Directory to write the model to (created if missing).")
@click.option("--epochs", default=5, show_default=True, type=click.IntRange(1, 100), help="Passes over the data.")
@click.option("--threads", default=1, show_default=True, type=click.IntRange(1, 64), help="CPU threads for torch.")
@errors_to_exit
def train_attribution_command(data: str, out: str, epochs: int, threads: int) -> None:
    """Train the opt-in attribution tagger on DATA, JSON Lines of {"doc_id", "text", "quotes":
    [{"content_span": [s, e], "cue_span": [s, e], "speaker_span": [s, e]}]} (character offsets; the
    PolNeAR conversion's shape), and write it to --out; use it with `analyze --attribution-model DIR`.
    Needs the learn extra (torch)."""
    from claimscope.learn.data import train_attribution

    n = train_attribution(data, out, epochs=epochs, threads=threads, report=lambda m: click.echo(m, err=True))
    click.echo(f"trained on {n} lines; model written to {out}", err=True)


def _emit(ledger: Ledger, as_json: bool, pretty: bool = False) -> None:
    if as_json:
        doc = serialize.to_json(ledger)
        click.echo(json.dumps(doc, ensure_ascii=False, indent=1 if pretty else None))
    else:
        from claimscope.render import print_ledger

        print_ledger(ledger)


def db_option(fn: F) -> F:
    return click.option("--db", default="claimscope.db", show_default=True, metavar="PATH|URL",
                        help="The ledger store: a SQLite file path, sqlite:///path, or a postgresql:// URL.")(fn)


INPUT_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".jsonl", ".jsonl.gz", ".ndjson", ".rss", ".atom",
                  ".warc", ".warc.gz", ".arc", ".arc.gz", ".urls", ".parquet")
_GLOB = frozenset("*?[")


def expand_paths(paths: tuple[str, ...]) -> list[str]:
    """Files and URLs as given; folders walked for article files and globs expanded, in a stable order."""
    import glob
    from pathlib import Path

    out: list[str] = []
    for raw in paths:
        p = Path(raw)
        if raw.startswith(("http://", "https://")) or raw == "-":
            out.append(raw)
        elif p.is_dir():
            out.extend(str(f) for f in sorted(p.rglob("*")) if f.is_file() and f.name.endswith(INPUT_SUFFIXES))
        elif not p.exists() and _GLOB & set(raw):
            found = sorted(f for f in glob.glob(raw, recursive=True) if Path(f).is_file())
            if not found:
                raise InputError(f"{raw}: no file matches this pattern; check the pattern (quote it so that "
                                 "claimscope, not the shell, expands it)")
            out.extend(found)
        else:
            out.append(raw)
    return out


def _reader(files: list[str], read: Callable[..., Iterator[Any]]) -> Callable[[Any], Iterator[Any]]:
    """The items of one PATH argument's files: a file without an article costs that file only."""
    from claimscope.sources import read_all

    def items(known: Any) -> Iterator[Any]:
        return read_all(files, read, known=known)

    return items


def _report_failure(item: Any) -> None:
    if item.failed:
        click.echo(f"Error: {item} (skipped)", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@input_options
@click.option("--force", is_flag=True, help="Re-analyse articles whose text is already stored, and re-fetch URLs.")
@click.option("--fetch-links", is_flag=True, help="For feed entries, fetch the linked page instead of using the "
              "entry's own text.")
@click.option("--allow-private", is_flag=True, help="Allow fetching from private, loopback and link-local addresses.")
@click.option("--rate", default=1.0, show_default=True, type=click.FloatRange(min=0.01), metavar="PER_SECOND",
              help="At most this many requests per second to one host (robots.txt Crawl-delay can slow it).")
@click.option("--retries", default=3, show_default=True, type=click.IntRange(0, 10),
              help="Retries, with exponential backoff, after HTTP 429/5xx, timeouts and connection errors.")
@click.option("--timeout", default=15.0, show_default=True, type=click.FloatRange(min=0.1), metavar="SECONDS",
              help="Time limit of one HTTP request.")
@click.option("--max-bytes", default=5 * 1024 * 1024, show_default=True, type=click.IntRange(1024),
              help="Largest page fetched, and largest crawl (WARC) record read after decompression.")
@click.option("--batch-size", default=16, show_default=True, type=click.IntRange(1, 1024),
              help="Articles analysed together (smaller: stored sooner, less lost when interrupted).")
@errors_to_exit
def ingest(paths: tuple[str, ...], db: str, published: dt.date | None, encoding: str | None,
           alias_files: tuple[str, ...], force: bool, fetch_links: bool, allow_private: bool, rate: float,
           retries: int, timeout: float, max_bytes: int, batch_size: int) -> None:
    """Analyse PATHS into the store: files, folders, globs ('crawl/**/*.html'), JSON Lines, RSS/Atom feeds,
    WARC/ARC crawls, URL lists (urls.txt) and http(s) URLs. Stored articles are skipped, so a re-run
    resumes an interrupted one."""
    from functools import partial

    from claimscope import sources
    from claimscope.corpus.ingest import ingest_sources
    from claimscope.sources.fetch import Config, Fetcher

    config = Config(allow_private=allow_private, rate=rate, retries=retries, timeout=timeout, max_bytes=max_bytes)
    with Fetcher(config) as fetcher:
        read = partial(sources.read, published=published, encoding=encoding, fetcher=fetcher,
                       fetch_links=fetch_links, max_record_bytes=max_bytes)
        inputs = [(raw, _reader(expand_paths((raw,)), read)) for raw in paths]  # bad globs fail before any work
        summary = ingest_sources(inputs, db, force=force, progress=True,
                                 batch_size=batch_size, alias_files=alias_files,
                                 on_skip=_report_failure)
    click.echo(summary.line(), err=True)
    if summary.failed and not (summary.stored or summary.skipped):
        sys.exit(1)  # every input failed: a script should notice


@main.command("run")
@click.argument("paths", nargs=-1, required=True)
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="local: a pool of processes on this machine; ray: Ray Data (a cluster via RAY_ADDRESS or "
              "--address; needs claimscope[ray]).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 1024),
              help="Worker processes (local) or actors (ray), each loading the model once.")
@click.option("--batch-size", default=32, show_default=True, type=click.IntRange(1, 1024),
              help="Articles analysed together by one worker (one nlp.pipe).")
@click.option("--out", metavar="DIR", default=None, help="Write the ledgers as Parquet shards into DIR.")
@click.option("--db", default=None, metavar="PATH|URL",
              help="Also store the ledgers: a SQLite file path, sqlite:///path, or a postgresql:// URL.")
@click.option("--address", default=None, metavar="HOST:PORT",
              help="With --engine ray: the cluster to join (default: RAY_ADDRESS, else Ray on this machine).")
@input_options
@errors_to_exit
def run_command(paths: tuple[str, ...], engine: str, workers: int, batch_size: int, out: str | None,
                db: str | None, address: str | None, published: dt.date | None, encoding: str | None,
                alias_files: tuple[str, ...]) -> None:
    """Analyse PATHS (files, folders, globs; JSON Lines, Parquet, WARC crawls, pages) in parallel into
    Parquet shards (--out) and/or the store (--db)."""
    from claimscope.scale import RunConfig, run

    if out is None and db is None:
        raise InputError("nothing to write: give --out DIR (Parquet shards), --db PATH|URL (the store), or both")
    config = RunConfig(engine="ray" if engine == "ray" else "local", workers=workers, batch_size=batch_size,
                       alias_files=alias_files, address=address,
                       read_options=(("published", published), ("encoding", encoding)))
    summary = run(expand_paths(paths), config, out=out, db=db, on_skip=_report_failure)
    click.echo(summary.line(), err=True)
    if summary.failed_records and not (summary.analysed or summary.unchanged):
        sys.exit(1)  # every input failed: a script should notice


@main.command()
@click.argument("key")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Emit the stored ledger as JSON.")
@errors_to_exit
def show(key: str, db: str, as_json: bool) -> None:
    """Print a stored ledger; KEY is its article id, source path or URL."""
    from claimscope.store import open_store

    with open_store(db, read_only=True) as store:
        ledger = store.get(key)
    _emit(ledger, as_json, pretty=True)


@main.command()
@db_option
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Emit JSON.")
@errors_to_exit
def articles(db: str, limit: int, as_json: bool) -> None:
    """List the stored articles, newest first."""
    from claimscope.store import open_store, queries

    with open_store(db, read_only=True) as store:
        rows = queries.list_articles(store, limit=limit)
    _rows(rows, as_json, ("id", "title", "source", "published", "statements", "quantities", "flags"))


@main.command()
@click.argument("query")
@db_option
@click.option("--scope", type=click.Choice(["statements", "articles"]), default="statements", show_default=True)
@click.option("--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Emit JSON.")
@errors_to_exit
def search(query: str, db: str, scope: str, limit: int, as_json: bool) -> None:
    """Full-text search over stored statements or articles."""
    from claimscope.store import open_store, queries

    with open_store(db, read_only=True) as store:
        rows = queries.search(store, query, scope="articles" if scope == "articles" else "statements", limit=limit)
    _rows(rows, as_json, ("article_id", "speaker_text", "snippet") if scope == "statements"
          else ("id", "title", "snippet"))


def _rows(rows: list[dict[str, Any]], as_json: bool, columns: tuple[str, ...]) -> None:
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table()
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    Console().print(table)


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--allow-fetch", is_flag=True, help="Let the paste page fetch a URL (public addresses only).")
@click.option("--max-upload", default=2 * 1024 * 1024, show_default=True, type=click.IntRange(1),
              metavar="BYTES", help="Largest request body accepted (a pasted or uploaded article).")
@errors_to_exit
def serve(db: str, host: str, port: int, allow_fetch: bool, max_upload: int) -> None:
    """Serve the web app and JSON API over the store at --db (pages, /api, /openapi.json)."""
    try:
        import uvicorn

        from claimscope.web import create_app
    except ImportError as exc:
        raise click.ClickException(f"the web app needs the web extra: pip install 'claimscope[web]' ({exc})") from None
    app = create_app(db, allow_fetch=allow_fetch, max_upload=max_upload)
    click.echo(f"claimscope: serving {db} at http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.command("export")
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet", "labelstudio"]), default="jsonl",
              show_default=True, help="jsonl: one contract ledger per line; csv/parquet: one file per table in "
              "the folder OUT; labelstudio: a task list with the statements as predictions.")
@click.argument("out", metavar="OUT")
@errors_to_exit
def export_command(db: str, fmt: str, out: str) -> None:
    """Export every stored ledger to OUT (a file, '-' for stdout, or a folder for csv and parquet)."""
    from claimscope.store import open_store
    from claimscope.store.export import export_jsonl, export_tables
    from claimscope.store.review import LABEL_CONFIG, export_labelstudio

    with open_store(db, read_only=True) as store:
        if fmt in ("csv", "parquet"):
            counts = export_tables(store, out, "csv" if fmt == "csv" else "parquet")
            click.echo(f"exported {counts['articles']} article(s), {counts['statements']} statement(s), "
                       f"{counts['quantities']} quantities to {out}", err=True)
            return
        write = export_jsonl if fmt == "jsonl" else export_labelstudio
        if out == "-":
            n = write(store, sys.stdout)
        else:
            try:
                with open(out, "w", encoding="utf-8") as f:
                    n = write(store, f)
            except OSError as exc:
                raise ClaimscopeError(f"cannot write {out}: {exc.strerror or exc}") from exc
    click.echo(f"exported {n} {'ledger' if fmt == 'jsonl' else 'task'}(s) to {out}", err=True)
    if fmt == "labelstudio":
        click.echo("Label Studio labelling interface for these tasks:\n" + LABEL_CONFIG, err=True)


@main.command("import-review")
@click.argument("file", metavar="FILE")
@db_option
@errors_to_exit
def import_review_command(file: str, db: str) -> None:
    """Store the reviewed attributions of a Label Studio JSON export beside the extractor's."""
    from claimscope.errors import InputError
    from claimscope.store import open_store
    from claimscope.store.review import import_review

    try:
        with open(file, encoding="utf-8") as f:
            tasks = json.load(f)
    except OSError as exc:
        raise InputError(f"cannot read {file}: {exc.strerror or exc}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{file} is not a JSON file (a Label Studio JSON export): {exc}") from exc
    with open_store(db) as store:
        summary = import_review(store, tasks)
    click.echo(summary.line(), err=True)


@main.command()
@db_option
@click.option("--rebuild", is_flag=True, help="Recompute every article's story (syndicated copies) from the texts.")
@click.option("--all", "show_all", is_flag=True, help="List stories of one article too, not only those with copies.")
@click.option("--limit", default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Emit JSON.")
@errors_to_exit
def stories(db: str, rebuild: bool, show_all: bool, limit: int, as_json: bool) -> None:
    """List stories with their syndicated copies (exact and near-duplicate texts under other credits)."""
    from claimscope.corpus.syndication import rebuild as rebuild_stories
    from claimscope.store import open_store, queries

    with open_store(db, read_only=not rebuild) as store:
        if rebuild:
            rebuild_stories(store)
        found = queries.list_stories(store, min_articles=1 if show_all else 2, limit=limit)
        counts = queries.story_counts(store)
    click.echo(f"{counts['articles']} article(s), {counts['stories']} stor{'y' if counts['stories'] == 1 else 'ies'}, "
               f"{counts['copies']} syndicated cop{'y' if counts['copies'] == 1 else 'ies'}", err=True)
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=1))
        return
    _rows([{**s, "copies": ", ".join(f"{m['article_id']} ({m['relation']}{', ' + m['credit'] if m['credit'] else ''})"
                                     for m in s["members"])} for s in found],
          False, ("story_id", "articles", "title", "copies"))


def _alias_option(fn: F) -> F:
    return click.option("--aliases", "alias_files", multiple=True, metavar="FILE",
                        help="An alias table (NAME<TAB>KIND<TAB>ALIAS|ALIAS) that merges or splits actors; "
                             "may be repeated.")(fn)


@main.command("actors")
@db_option
@_alias_option
@click.option("--kind", type=click.Choice(["person", "organization", "place", "other"]), default=None)
@click.option("--limit", default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Emit JSON.")
@errors_to_exit
def actors_command(db: str, alias_files: tuple[str, ...], kind: str | None, limit: int, as_json: bool) -> None:
    """List the actors of the whole store, name variants merged across articles (corpus actor ids)."""
    from claimscope.corpus.actors import Config, corpus_actors
    from claimscope.store import open_store

    with open_store(db, read_only=True) as store:
        merged = corpus_actors(store, Config(tuple(alias_files)))
    found = [a.json() for a in merged.actors if kind is None or a.kind == kind][:limit]
    _rows([{**a, "names": " | ".join(a["names"])} for a in found] if not as_json else found, as_json,
          ("id", "name", "kind", "articles", "names"))


@main.command("statements")
@db_option
@_alias_option
@click.option("--actor", required=True, metavar="NAME", help="The speaker: any name variant or a corpus actor id.")
@click.option("--since", callback=_date, metavar="YYYY-MM-DD",
              help="Only statements dated on or after this day (their own time, else the article's date).")
@click.option("--json", "as_json", is_flag=True, help="Emit JSON.")
@errors_to_exit
def statements_command(db: str, alias_files: tuple[str, ...], actor: str, since: dt.date | None, as_json: bool) -> None:
    """Statements of one actor across the store, whatever name variant each article uses."""
    from claimscope.corpus.actors import Config, statements_by
    from claimscope.store import open_store

    with open_store(db, read_only=True) as store:
        found = statements_by(store, actor, since.isoformat() if since else None, Config(tuple(alias_files)))
    _rows(found, as_json, ("date", "actor", "speaker_text", "article_id", "content_text"))


@main.command("measures")
@db_option
@_alias_option
@click.option("--disagreements", "only_disagreements", is_flag=True, help="Only measures whose sources disagree.")
@click.option("--limit", default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Emit JSON (each measure with its timeline).")
@errors_to_exit
def measures_command(db: str, alias_files: tuple[str, ...], only_disagreements: bool, limit: int,
                     as_json: bool) -> None:
    """Figures about the same thing across articles: who gave which figure when, and where sources disagree."""
    from claimscope.corpus.actors import Config as ActorConfig
    from claimscope.corpus.measures import Config, cross_measures
    from claimscope.store import open_store

    with open_store(db, read_only=True) as store:
        found = cross_measures(store, Config(actors=ActorConfig(tuple(alias_files))))
    found = [m for m in found if m["disagreements"] or not only_disagreements][:limit]
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=1))
        return
    _rows([{**m, "places": ", ".join(m["places"]), "disagree": "yes" if m["disagreements"] else "",
            "timeline": "\n".join(f"{e['date'] or '?'} {e['outlet']}: {e['text']} {e['counted']}"
                                  f"{' (' + e['speaker'] + ')' if e['speaker'] else ''}" for e in m["timeline"])}
           for m in found], False, ("label", "places", "stories", "disagree", "timeline"))


@main.command()
@click.argument("target")
@click.option("--db", default=None, metavar="PATH|URL",
              help="Read the stored ledger of TARGET (an article id, source path or URL) from this store; "
                   "without it, TARGET is a file to analyse.")
@input_options
@click.option("--json", "as_json", is_flag=True, help="Emit the brief as JSON.")
@errors_to_exit
def brief(target: str, db: str | None, published: dt.date | None, encoding: str | None,
          alias_files: tuple[str, ...], as_json: bool) -> None:
    """A Q&A brief of one article in which every answer cites the characters it comes from."""
    from claimscope.brief import make_brief, to_json, to_text

    found: Ledger | None
    if db is not None:
        from claimscope.store import open_store

        with open_store(db, read_only=True) as store:
            found = store.get(target)
    else:
        from claimscope.pipeline import default_pipeline

        found = next(iter(default_pipeline(alias_files).run_many(_articles((target,), published, encoding))), None)
    if found is None:
        raise ClaimscopeError(f"{target}: no article to brief")
    result = make_brief(found)
    click.echo(json.dumps(to_json(result), ensure_ascii=False, indent=1) if as_json else to_text(result), nl=False)
