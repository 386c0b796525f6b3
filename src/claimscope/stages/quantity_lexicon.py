"""quantity_lexicon: the word lists of the quantities stage, read once from resources/.

number_words.tsv (number words: value and kind), quantity_bounds.tsv, quantity_units.tsv and
currencies.tsv make the ``lexicon()``; ``rows()`` reads any other tab-separated list of the package
(figure_labels.txt, unit_nouns.tsv). Used by stages/quantities.py and stages/counted.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from claimscope.model import Bound


@dataclass(frozen=True, slots=True)
class _Lexicon:
    words: dict[str, tuple[float, str]]  # number word -> (value, kind)
    bounds: tuple[tuple[str, Bound], ...]  # longest first
    units: tuple[tuple[str, str], ...]  # longest first
    prefixes: tuple[tuple[str, str], ...]  # currency before the figure, longest first
    suffixes: tuple[tuple[str, str], ...]  # currency after the figure, longest first


def rows(name: str) -> list[list[str]]:
    raw = resources.files("claimscope.resources").joinpath(name).read_text("utf-8")
    return [line.split("\t") for line in raw.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    def longest(pairs: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(pairs, key=lambda p: -len(p[0])))

    cur = rows("currencies.tsv")
    return _Lexicon(
        words={r[0]: (float(r[1]), r[2]) for r in rows("number_words.tsv")},
        bounds=longest([(r[0], r[1]) for r in rows("quantity_bounds.tsv")]),  # type: ignore[arg-type]
        units=longest([(r[0], r[1]) for r in rows("quantity_units.tsv")]),
        prefixes=longest([(r[0], r[1]) for r in cur if r[2] == "prefix"]),
        suffixes=longest([(r[0], r[1]) for r in cur if r[2] == "suffix"]),
    )
