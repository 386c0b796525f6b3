"""Grouping figures about the same thing into measures, with look-alikes that must stay apart."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from claimscope.model import Ledger
from claimscope.stages import measures
from claimscope.stages.measures import _Key

Build = Callable[..., Ledger]


def groups(parsed: Build, text: str) -> list[tuple[str, list[str]]]:
    led = measures.group(parsed(text, upto="quantities"))
    by_id = {q.id: q.span.text for q in led.quantities or ()}
    return [(m.label, [by_id[i] for i in m.quantities]) for m in led.measures or ()]


@pytest.mark.parametrize(("text", "expected"), [
    # the same thing, told by two sources; the number noun resolved to what it numbers
    ("Kyiv said more than 7,000 North Korean soldiers had arrived. Washington, which put the number deployed "
     "at 10,000, agreed.", [("North Korean soldiers", ["more than 7,000", "10,000"])]),
    ("The army counted 300 tanks. Observers saw about 250 tanks.", [("tanks", ["300", "about 250"])]),
    ("At least 40% of voters backed the plan in May; by June 45% of voters backed it.",
     [("voters", ["At least 40%", "45%"])]),
    # look-alikes about different things stay apart
    ("Troops came from at least 5 training camps aboard at least 28 military aircraft.", []),
    ("About 40% of voters backed the plan, while 40% of donors opposed it.", []),
    ("Some 300 Russian soldiers and 200 North Korean soldiers crossed.", []),
    ("Sales were 300 tonnes in May and 300 cars in June.", []),
    ("The fund raised $5 million, and the city spent $5 million on roads.", []),  # nothing counted
    ("About a dozen people protested, while 5 million people watched.", []),  # sizes apart
    ("Twenty-seven states sued; one of the states withdrew.", []),  # a member is no count of the set
    ("The rocket flew for 3 years and the probe for 9 years.", []),  # durations count nothing
])
def test_grouping(parsed: Build, text: str, expected: list[tuple[str, list[str]]]) -> None:
    assert groups(parsed, text) == expected


def test_a_bare_noun_between_two_measures_joins_neither(parsed: Build) -> None:
    text = ("Some 300 Russian soldiers and 200 North Korean soldiers crossed. Later 310 Russian soldiers and 190 "
            "North Korean soldiers returned. Another report put it at 250 soldiers.")
    found = groups(parsed, text)
    assert [label for label, _ in found] == ["Russian soldiers", "North Korean soldiers"]
    assert all("250" not in members for _, members in found)


@pytest.mark.parametrize(("a", "b", "same"), [
    (_Key("soldier", frozenset({"north", "korean"}), None), _Key("soldier", frozenset(), None), True),
    (_Key("soldier", frozenset({"north", "korean"}), None), _Key("soldier", frozenset({"korean"}), None), True),
    (_Key("soldier", frozenset({"russian"}), None), _Key("soldier", frozenset({"korean"}), None), False),
    (_Key("soldier", frozenset(), None), _Key("troop", frozenset(), None), False),
    (_Key("budget", frozenset(), "USD"), _Key("budget", frozenset(), "EUR"), False),
    (_Key("voter", frozenset(), "percent", "back"), _Key("voter", frozenset(), "percent", "oppose"), False),
])
def test_agree(a: _Key, b: _Key, same: bool) -> None:
    assert measures.agree(a, b) is same
    assert measures.agree(b, a) is same
