"""A record of an input that gave no article: what it was, why, and whether it counts as a failure.

Provides: ``Skipped``. Readers of many-record inputs (feeds, WARC files, URL lists) yield it beside their
articles, so that one bad record costs that record only and the run's summary can count the reasons.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Skipped", "STORED"]

STORED = "already stored"


@dataclass(frozen=True, slots=True)
class Skipped:
    where: str  # the input and record: "crawl.warc.gz record 12", a URL
    reason: str  # short and countable: "not HTML", "record too large", "already stored"
    detail: str = ""  # the full message, for the log
    failed: bool = False  # True: an error (a refused fetch, a damaged record); False: skipped by design

    def __str__(self) -> str:
        detail = self.detail or self.reason
        return detail if detail.startswith(self.where) else f"{self.where}: {detail}"
