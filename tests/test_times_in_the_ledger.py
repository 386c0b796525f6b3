"""Times in the whole ledger: when each statement was said, when each figure holds, undated articles, and the
dates, ages, years and ordinals that are not figures. Hand-written sentences through every stage."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from claimscope.model import Ledger, Quantity
from claimscope.serialize import to_json

Build = Callable[..., Ledger]
SUNDAY = "2024-11-03"  # the seed's publication date, a Sunday


def _ledger(parsed: Build, text: str, published: str | None = SUNDAY) -> Ledger:
    return parsed(text, upto="measures", published=published)


def _figure(led: Ledger, text: str) -> Quantity:
    found = [q for q in led.quantities or () if q.span.text == text]
    assert len(found) == 1, [q.span.text for q in led.quantities or ()]
    return found[0]


@pytest.mark.parametrize(("text", "said"), [
    ("Yesterday, Ukraine's intelligence agency said that 7,000 soldiers arrived.", "2024-11-02"),
    ("Speaking on Monday, President Zelensky said that 7,000 soldiers had crossed the border.", "2024-10-28"),
    ('President Zelensky said last week: "We counted 7,000 soldiers."', "2024-W43"),
    # the time inside what was said is not when it was said
    ("President Zelensky said that 7,000 soldiers crossed the border on Friday.", None),
    ("President Zelensky said that 7,000 soldiers crossed the border.", None),
])
def test_each_statement_gets_the_time_it_was_said(parsed: Build, text: str, said: str | None) -> None:
    led = _ledger(parsed, text)
    assert [s.time for s in led.statements or ()] == [said]


@pytest.mark.parametrize(("text", "figure", "refers_to"), [
    ("Yesterday, Ukraine's intelligence agency said that 7,000 North Korean soldiers arrived in the last week "
     "of October.", "7,000", "2024-10-25/2024-10-31"),
    ("President Zelensky said that 7,000 soldiers crossed the border on Friday.", "7,000", "2024-11-01"),
    ("In October, prices rose by 4%.", "4%", "2024-10"),
    ("In 2023 the agency counted 7,000 soldiers.", "7,000", "2023"),
    # when it was said is not when the figure holds; a figure with no time of its own has none
    ("Speaking on Monday, President Zelensky said that 7,000 soldiers had crossed the border.", "7,000", None),
    ("Prices rose by 4% and 300 shops closed.", "300", None),
])
def test_each_figure_gets_the_time_it_refers_to(parsed: Build, text: str, figure: str, refers_to: str | None) -> None:
    assert _figure(_ledger(parsed, text), figure).time == refers_to


@pytest.mark.parametrize(("text", "figure", "source"), [
    ("President Zelensky said that 7,000 soldiers crossed the border.", "7,000", "Zelensky"),
    ("Ukraine's intelligence agency GUR said 7,000 soldiers had arrived.", "7,000", "GUR"),
    ("The bridge has 40 pillars.", "40", None),  # narration: no source, and the ledger says so
    ("Officials in Kyiv were silent. The bridge has 40 pillars.", "40", None),
])
def test_figures_carry_the_source_of_their_statement(parsed: Build, text: str, figure: str,
                                                     source: str | None) -> None:
    led = _ledger(parsed, text)
    q = _figure(led, figure)
    row = next(r for r in to_json(led)["quantities"] if r["id"] == q.id)
    if source is None:
        assert (q.source, q.statement, row["source"], row["statement"]) == (None, None, None, None)
    else:
        actor = led.actor(q.source)
        assert actor is not None and source in actor.name and source in row["source_text"]
        assert q.statement is not None and row["statement"] == q.statement


@pytest.mark.parametrize(("published", "undated", "yesterday"), [
    (None, True, None),  # kept in its relative form, no invented date
    (SUNDAY, False, "2024-11-02"),
])
def test_undated_articles_say_so_and_keep_relative_times(parsed: Build, published: str | None, undated: bool,
                                                         yesterday: str | None) -> None:
    led = _ledger(parsed, "Yesterday the council said 40 roads were closed in March 2021.", published)
    out = to_json(led)
    assert (out["undated"], out["published"]) == (undated, published)
    times = {t["text"]: (t["value"], t["relative"]) for t in out["times"]}
    assert times == {"Yesterday": (yesterday, True), "March 2021": ("2021-03", False)}


@pytest.mark.parametrize(("text", "figures"), [
    # dates, ages, years and ordinals are not figures ...
    ("He came second, for the third time, in the 2020 race.", []),
    ("He finished 3rd in the first poll of the 21st century.", []),
    ("The minister, 45, said the plan failed.", []),
    ("The officer, 32, was charged on Monday.", []),
    ("The vote is set for 14 June 2025.", []),
    ("The law dates from 1998 and was amended in the 1990s.", []),
    # ... while the counts beside them are
    ("The minister said 45 people died in 2020.", ["45"]),
    ("Of the injured, 12 were taken to hospital on Monday.", ["12"]),
    ("The officer, 32, arrested 3 men.", ["3"]),
])
def test_dates_ages_years_and_ordinals_are_not_figures(parsed: Build, text: str, figures: list[str]) -> None:
    assert [q.span.text for q in _ledger(parsed, text).quantities or ()] == figures
