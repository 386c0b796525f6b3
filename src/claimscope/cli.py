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
from claimscope.errors import BatchLineError, ClaimscopeError
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


def _articles(paths: tuple[str, ...], published: dt.date | None) -> Iterator[Article]:
    from claimscope import sources

    for path in paths:
        for item in sources.read(path, published=published):
            if isinstance(item, BatchLineError):
                click.echo(f"Error: {item} (line skipped)", err=True)
                continue
            yield item


@main.command()
@click.argument("paths", nargs=-1, required=True)
@input_options
@click.option("--json", "as_json", is_flag=True, help="Emit the ledger as JSON (one line per document).")
@errors_to_exit
def analyze(paths: tuple[str, ...], published: dt.date | None, as_json: bool) -> None:
    """Print the ledger of each article in PATHS (text, HTML, JSON Lines, or - for standard input)."""
    from claimscope.pipeline import default_pipeline

    pipeline = default_pipeline()
    batch = len(paths) > 1 or any(p.endswith((".jsonl", ".jsonl.gz", ".ndjson")) for p in paths)
    for ledger in pipeline.run_many(_articles(paths, published)):
        _emit(ledger, as_json, batch)


def _emit(ledger: Ledger, as_json: bool, batch: bool) -> None:
    if as_json:
        doc = serialize.to_json(ledger)
        click.echo(json.dumps(doc, ensure_ascii=False, indent=None if batch else 1))
    else:
        from claimscope.render import print_ledger

        print_ledger(ledger)
