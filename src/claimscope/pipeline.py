"""Stages, their assembly, and running them over one article or a stream of them.

A stage is a pure function ``Ledger -> Ledger`` with a name, the layers it requires and the layers it
provides. ``Pipeline`` checks the chain when it is assembled and names the missing layer. A stage may
also offer ``pipe`` (many ledgers at once): the parser uses it to batch with ``nlp.pipe``.

``run_many`` streams: it takes an iterable of articles, processes them in batches of ``batch_size``
and yields ledgers in input order, so memory stays flat however long the stream is. An unexpected
exception inside a stage costs that stage's layers of that one article (recorded as a diagnostic),
never the article or the batch.
"""

from __future__ import annotations

import dataclasses
import hashlib
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from claimscope.errors import MissingLayerError
from claimscope.model import Article, Diagnostic, Ledger

LAYERS = ("segments", "parse", "actors", "times", "statements", "quantities", "flags", "measures")

StageFn = Callable[[Ledger], Ledger]
PipeFn = Callable[[Sequence[Ledger]], list[Ledger]]


@dataclass(frozen=True, slots=True)
class Stage:
    """One analysis step: what it needs, what it adds, and the function that does it."""

    name: str
    requires: frozenset[str]
    provides: frozenset[str]
    extractor: str  # the registered extractor name and version, e.g. "attribution.rules.v1"
    fn: StageFn
    pipe: PipeFn | None = None  # batch form, when the stage gains from batching
    config_key: str = ""  # identifies non-default configuration (e.g. users' data files) for config_hash

    def run_batch(self, ledgers: Sequence[Ledger]) -> list[Ledger]:
        if self.pipe is not None:
            try:
                done = self.pipe(ledgers)
            except Exception:  # noqa: BLE001 - fall back to one at a time to isolate the bad article
                pass
            else:
                return [self._stamp(led) for led in done]
        return [self.run_one(led) for led in ledgers]

    def _stamp(self, ledger: Ledger) -> Ledger:
        return dataclasses.replace(ledger, extractors=ledger.extractors + ((self.name, self.extractor),))

    def run_one(self, ledger: Ledger) -> Ledger:
        try:
            out = self.fn(ledger)
        except Exception as exc:  # noqa: BLE001 - one bad article costs its layers, not the run
            return _failed(ledger, self, exc)
        return self._stamp(out)


def _failed(ledger: Ledger, stage: Stage, exc: Exception) -> Ledger:
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    loc = f" at {where.filename.rsplit('/', 1)[-1]}:{where.lineno}" if where else ""
    diag = Diagnostic(stage.name, f"{type(exc).__name__}: {exc}{loc}", level="error")
    empty: dict[str, object] = {layer: () for layer in stage.provides if layer != "parse"}
    return dataclasses.replace(ledger, diagnostics=ledger.diagnostics + (diag,), **empty)  # type: ignore[arg-type]


class Pipeline:
    """An ordered, checked chain of stages."""

    def __init__(self, stages: Sequence[Stage]) -> None:
        have = {"article"}
        for stage in stages:
            missing = sorted(stage.requires - have)
            if missing:
                raise MissingLayerError(
                    f"stage {stage.name!r} requires {', '.join(missing)}, which no earlier stage provides; "
                    f"add a stage that provides it before {stage.name!r}"
                )
            have |= stage.provides
        self.stages = tuple(stages)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.stages)

    @property
    def config_hash(self) -> str:
        """Identifies what this chain extracts: its stages and their extractor versions."""
        raw = ";".join(f"{s.name}={s.extractor}{'+' + s.config_key if s.config_key else ''}" for s in self.stages)
        return hashlib.sha1(raw.encode()).hexdigest()[:12]

    def run(self, article: Article) -> Ledger:
        return next(iter(self.run_many([article], batch_size=1)))

    def run_many(self, articles: Iterable[Article], batch_size: int = 32) -> Iterator[Ledger]:
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, articles: list[Article]) -> list[Ledger]:
        ledgers = [Ledger(article=a) for a in articles]
        for stage in self.stages:
            ledgers = stage.run_batch(ledgers)
        return ledgers


def default_stages(alias_files: Sequence[str] = (), attribution_model: str | None = None) -> list[Stage]:
    """The full analysis, in order. ``alias_files``: users' alias tables added to the bundled one;
    ``attribution_model``: a directory written by ``claimscope train-attribution`` (opt-in: the rules
    alone by default)."""
    from claimscope.stages import (
        actors,
        attribution,
        integrity,
        measures,
        nlp,
        quantities,
        segment,
        time,
    )

    return [
        segment.STAGE,
        nlp.STAGE,
        actors.with_config(actors.Config(alias_files=tuple(alias_files))) if alias_files else actors.STAGE,
        time.STAGE,
        _attribution_stage(attribution_model) if attribution_model else attribution.STAGE,
        quantities.STAGE,
        integrity.STAGE,
        measures.STAGE,
    ]


def _attribution_stage(model_dir: str) -> Stage:
    from claimscope.stages import attribution_learned

    return attribution_learned.stage(model_dir)


def default_pipeline(alias_files: Sequence[str] = (), attribution_model: str | None = None) -> Pipeline:
    return Pipeline(default_stages(alias_files, attribution_model))
