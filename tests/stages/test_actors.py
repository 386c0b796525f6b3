"""Actors: name variants merged, acronyms, titles, the alias table."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from claimscope.model import Ledger
from claimscope.stages.actors import fold, load_aliases

Build = Callable[..., Ledger]


def _actors(parsed: Build, text: str) -> dict[str, tuple[str, ...]]:
    led = parsed(text, upto="actors")
    return {a.name: a.aliases for a in led.actors or ()}


def test_surname_merges_with_full_name(parsed: Build) -> None:
    found = _actors(parsed, "Maria Lindqvist opened the shelter. Later Lindqvist thanked the volunteers.")
    assert "Lindqvist" in found["Maria Lindqvist"]
    assert "Lindqvist" not in found


def test_acronym_in_parentheses_names_the_phrase(parsed: Build) -> None:
    found = _actors(parsed, "The Harbour Workers' Union (HWU) called a strike. HWU leaders met on Monday.")
    assert any("HWU" in aliases and any("Union" in a for a in aliases) for aliases in found.values()), found


def test_title_apposition_becomes_an_alias(parsed: Build) -> None:
    led = parsed("The director of the museum, Clara Benn, was pleased with the visitors.", upto="actors")
    clara = next(a for a in led.actors or () if a.name == "Clara Benn")
    assert any("director of the museum" in a for a in clara.aliases)


def test_alias_table_merges_country_names(parsed: Build) -> None:
    found = _actors(parsed, "The US imposed sanctions. Later the United States lifted them.")
    assert "United States" in found and "US" in found["United States"]


def test_distinct_people_stay_distinct(parsed: Build) -> None:
    found = _actors(parsed, "Maria Lindqvist met Omar Haddad in Oslo.")
    assert {"Maria Lindqvist", "Omar Haddad"} <= set(found)


@pytest.mark.parametrize(("raw", "folded"), [("António Guterres", "antonio guterres"), ("the U.S.", "us"),
                                              ("Zelensky’s", "zelensky")])
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_user_alias_file_extends_the_table(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "extra.tsv"
    path.write_text("Harbour Workers' Union\torganization\tHWU|the dockers' union\n", encoding="utf-8")
    table = load_aliases([str(path)])
    assert table.lookup[fold("HWU")] == ("Harbour Workers' Union", "organization")
