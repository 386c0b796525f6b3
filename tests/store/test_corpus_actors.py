"""Actors merged across articles by name variants, and the user's alias table correcting a merge."""

from __future__ import annotations

from pathlib import Path

import pytest
from backends import store_url  # noqa: F401  (fixture)

from claimscope.corpus.actors import Config, merge_actors, statements_by
from claimscope.model import Actor, Article, Ledger, Span, Statement
from claimscope.store import open_store


def _merged(names: list[tuple[str, str]], alias_files: tuple[str, ...] = ()) -> list[set[str]]:
    rows = [{"article_id": f"a{i}", "id": f"x{i}", "name": n, "kind": k} for i, (n, k) in enumerate(names)]
    merged = merge_actors(rows, [], Config(alias_files))
    return sorted(({names[int(aid[1:])][0] for aid, _ in a.members} for a in merged.actors), key=sorted)


@pytest.mark.parametrize(("names", "groups"), [
    ([("Marta Quiroga", "person"), ("M. Quiroga", "person"), ("Quiroga", "person")],
     [{"Marta Quiroga", "M. Quiroga", "Quiroga"}]),
    ([("Jane Smith", "person"), ("John Smith", "person"), ("Smith", "person")],
     [{"Jane Smith"}, {"John Smith"}, {"Smith"}]),
    ([("George W. Bush", "person"), ("George H. W. Bush", "person"), ("George Bush", "person")],
     [{"George Bush"}, {"George H. W. Bush"}, {"George W. Bush"}]),
    ([("Robert S. Mueller III", "person"), ("Robert Mueller", "person")],
     [{"Robert S. Mueller III", "Robert Mueller"}]),
    ([("Quiroga", "person"), ("Quiroga", "organization")], [{"Quiroga"}, {"Quiroga"}]),
    ([("U.S.", "place"), ("United States", "place"), ("Valdoria", "place")], [{"U.S.", "United States"}, {"Valdoria"}]),
])
def test_merge_by_name(names: list[tuple[str, str]], groups: list[set[str]]) -> None:
    assert _merged(names) == sorted(groups, key=sorted)


ALIASES = "John Smith\tperson\tJ. Smith\nLuiz Inácio Lula da Silva\tperson\tLula|Lula da Silva\n"


@pytest.mark.parametrize(("names", "with_table", "groups"), [
    ([("J. Smith", "person"), ("Jane Smith", "person")], False, [{"J. Smith", "Jane Smith"}]),
    ([("J. Smith", "person"), ("Jane Smith", "person")], True, [{"J. Smith"}, {"Jane Smith"}]),
    ([("Lula", "person"), ("Luiz Inácio Lula da Silva", "person")], False, [{"Lula"}, {"Luiz Inácio Lula da Silva"}]),
    ([("Lula", "person"), ("Luiz Inácio Lula da Silva", "person")], True, [{"Lula", "Luiz Inácio Lula da Silva"}]),
])
def test_alias_file_corrects_a_merge(tmp_path: Path, names: list[tuple[str, str]], with_table: bool,
                                     groups: list[set[str]]) -> None:
    table = tmp_path / "aliases.tsv"
    table.write_text(ALIASES, encoding="utf-8")
    assert _merged(names, (str(table),) if with_table else ()) == sorted(groups, key=sorted)


def _ledger(aid: str, published: str, name: str, said: str, when: str | None = None) -> Ledger:
    import datetime as dt

    text = f"{name} said {said}."
    who = Span.of(text, 0, len(name))
    actor = Actor("speaker", name, "person", (name,), (who,), (), "actors.rules.v1")
    content = Span.of(text, len(name) + 6, len(text) - 1)
    statement = Statement(f"{aid}-s", "indirect", content, "speaker", who, Span.of(text, len(name) + 1, len(name) + 5),
                          time=when)
    return Ledger(article=Article(id=aid, text=text, published=dt.date.fromisoformat(published)),
                  actors=(actor,), statements=(statement,))


@pytest.mark.parametrize(("since", "expected"), [
    (None, ["a", "b", "c"]),
    ("2024-03-02", ["b", "c"]),
    ("2024-03-06", []),
])
def test_statements_by_any_variant(store_url: str, since: str | None, expected: list[str]) -> None:  # noqa: F811
    with open_store(store_url) as store:
        store.put(_ledger("a", "2024-03-01", "Marta Quiroga", "the bridge would reopen"))
        store.put(_ledger("b", "2024-03-04", "M. Quiroga", "the works were late"))
        store.put(_ledger("c", "2024-03-09", "Marta Quiroga", "the contracts were signed", when="2024-03-05"))
        store.put(_ledger("d", "2024-03-04", "Jorge Quiroga", "nothing"))
        store.put(_ledger("e", "2024-03-04", "Quiroga", "something"))  # which Quiroga? not guessed
        for name in ("Marta Quiroga", "m quiroga"):
            found = statements_by(store, name, since)
            assert sorted(s["article_id"] for s in found) == expected
        assert [(s["date"], s["date_basis"]) for s in statements_by(store, "Marta Quiroga") if s["article_id"] == "c"] \
            == [("2024-03-05", "statement")]
