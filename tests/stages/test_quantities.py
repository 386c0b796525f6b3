"""The figures layer on hand-written sentences: bounds, ranges, currencies, number words, what is not a figure."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimscope.model import Ledger, Quantity, Span, Statement, TimeRef
from claimscope.stages import quantities

Build = Callable[..., Ledger]


def figures(parsed: Build, text: str) -> tuple[Quantity, ...]:
    out = quantities.extract(parsed(text, upto="attribution"))
    assert out.quantities is not None
    return out.quantities


def one(parsed: Build, text: str) -> Quantity:
    found = figures(parsed, text)
    assert len(found) == 1, [q.span.text for q in found]
    return found[0]


@pytest.mark.parametrize(("text", "span", "value", "bound"), [
    ("Rebels seized more than 7,000 rifles.", "more than 7,000", 7000, "more_than"),
    ("The flood destroyed over 40 bridges.", "over 40", 40, "more_than"),
    ("They built at least 5 depots.", "at least 5", 5, "at_least"),
    ("Nearly 300 homes burned.", "Nearly 300", 300, "about"),
    ("Almost 20 ships sank.", "Almost 20", 20, "about"),
    ("The army may deploy up to 12 drones.", "up to 12", 12, "at_most"),
    ("Some 60 officers were fired.", "Some 60", 60, "about"),
    ("About 15 boats left the port.", "About 15", 15, "about"),
    ("Around 80 cars were towed.", "Around 80", 80, "about"),
    ("Roughly 90 trucks crossed.", "Roughly 90", 90, "about"),
    ("Fewer than 10 schools reopened.", "Fewer than 10", 10, "less_than"),
    ("Under 30 buses ran.", "Under 30", 30, "less_than"),
    ("No more than 6 tanks remain.", "No more than 6", 6, "at_most"),
    ("As many as 400 workers quit.", "As many as 400", 400, "at_most"),
    ("The storm destroyed 40 bridges.", "40", 40, "exact"),  # no modifier: exact
    ("The storm moved over the 40 bridges.", "40", 40, "exact"),  # "over" not next to the number
])
def test_bound_words(parsed: Build, text: str, span: str, value: float, bound: str) -> None:
    q = one(parsed, text)
    assert (q.span.text, q.value, q.bound) == (span, value, bound)


@pytest.mark.parametrize(("text", "value", "high", "unit"), [
    ("The company earned $3.5bn last year.", 3.5e9, None, "USD"),
    ("The bank lent €1.2m to the farm.", 1.2e6, None, "EUR"),
    ("The EU pledged €20bn in aid.", 2e10, None, "EUR"),
    ("The club paid £5m for the striker.", 5e6, None, "GBP"),
    ("Exports hit US$4.2 billion.", 4.2e9, None, "USD"),
    ("The fine was 500 euros.", 500, None, "EUR"),
    ("The firm lost 3 million yuan.", 3e6, None, "CNY"),
    ("The bill was 1,200.50 dollars.", 1200.5, None, "USD"),
    ("Inflation rose to 40% in May.", 40, None, "percent"),
    ("Inflation rose to 4.5 per cent.", 4.5, None, "percent"),
    ("The city has 3.5 million residents.", 3.5e6, None, None),
    ("The runner won the 100m sprint.", 100, None, "m"),  # "m" without a currency is metres
    ("Temperatures fell to minus 5 degrees.", -5, None, "degree"),
    ("Sales reached $89 to $93 billion.", 89e9, 93e9, "USD"),  # the scale is shared
    ("The fine ranged from $200 to $4 million.", 200, 4e6, "USD"),  # ... but not here
])
def test_digits_currencies_units(parsed: Build, text: str, value: float, high: float | None, unit: str | None) -> None:
    q = one(parsed, text)
    assert (q.value, q.high, q.unit) == (pytest.approx(value), None if high is None else pytest.approx(high), unit)


@pytest.mark.parametrize(("text", "span", "value", "high", "bound"), [
    ("Police counted 10,000–12,000 protesters.", "10,000–12,000", 10000, 12000, "range"),
    ("Between 5 and 7 soldiers died.", "Between 5 and 7", 5, 7, "range"),
    ("Prices rose 5 to 7 percent.", "5 to 7 percent", 5, 7, "range"),
    ("Output climbed from 240 to 273 units.", "240 to 273", 240, 273, "range"),
    ("It lasted three or four years.", "three or four", 3, 4, "range"),
    ("Ten thousand people marched.", "Ten thousand", 10000, None, "exact"),
    ("She bought a dozen eggs.", "a dozen", 12, None, "exact"),
    ("Dozens of people were hurt.", "Dozens", 12, 120, "range"),
    ("Hundreds of homes were flooded.", "Hundreds", 100, 1000, "range"),
    ("Tens of thousands of people fled.", "Tens of thousands", 1e4, 1e5, "range"),
    ("Half of the staff left.", "Half", 0.5, None, "exact"),
    ("Two-thirds of members voted.", "Two-thirds", 2 / 3, None, "exact"),
    ("One in five adults smokes.", "One in five", 0.2, None, "exact"),
    ("About one of every nine voters is young.", "About one of every nine", 1 / 9, None, "about"),
    ("The bonds pay 7 3/4 % a year.", "7 3/4 %", 7.75, None, "exact"),
    ("An ounce is 1/16 of a pint.", "1/16", 1 / 16, None, "exact"),
    ("It was one of the best films.", "one", 1, None, "exact"),
])
def test_ranges_and_number_words(parsed: Build, text: str, span: str, value: float, high: float | None,
                                 bound: str) -> None:
    q = one(parsed, text)
    assert (q.span.text, q.value, q.bound) == (span, pytest.approx(value), bound)
    assert q.high == (None if high is None else pytest.approx(high))


@pytest.mark.parametrize("text", [
    "The talks began on 12 March 2024.",
    "The talks began on March 12.",
    "The law passed in 2019.",
    "The meeting starts at 10:30.",
    "The meeting ends at 5pm.",
    "The 3rd battalion moved.",
    "He scored in the 96th minute.",
    "The troops carried AK-12 rifles.",
    "She bought an iPhone 11 yesterday.",
    "John Smith, 45, said he was tired.",
    "A man aged 45 was arrested.",
    "Call 555-123-4567 for details.",
    "I lost my pen and bought a new one.",
    "The category 4 storm hit the coast.",
    "The league ranked them among the Big 12.",
    "The speech in Washington (9/17/16) was filmed.",
    "Crutcher, 40 ― a father ― died.",
    "The post had timestamp 1474387200 on it.",
    "He tweets at three o'clock in the morning.",
    "He released Trump's 1995 state tax filings.",
    "Health worries have dogged the 68-year-old senator.",
    "The shop is open 24/7.",
    "Sales rose in the second half of the year.",
    "Her account is 1111-22223333-4444.",
])
def test_not_figures(parsed: Build, text: str) -> None:
    assert [q.span.text for q in figures(parsed, text)] == []


@pytest.mark.parametrize(("text", "counted"), [
    ("Rebels seized more than 7,000 North Korean rifles.", "North Korean rifles"),
    ("The planes flew with the help of at least 28 military aircraft.", "military aircraft"),
    ("Nearly 40% of voters backed the plan.", "voters"),
    ("Officials put the number of refugees at 2,000.", "refugees"),
    ("Troops came from bases in the east, of which there are at least 9.", "bases"),
    ("The company earned $3.5bn last year.", None),  # money counts nothing
    ("The comet returns every 33 years.", None),  # a duration: years are its unit
    ("Officials put the number killed at 40.", None),  # no noun outside the putting: better nothing than "Officials"
])
def test_counted(parsed: Build, text: str, counted: str | None) -> None:
    q = one(parsed, text)
    assert q.counted == counted
    assert q.counted_span is None or q.counted_span.matches(parsed(text).text)


def test_number_put_at_resolves_to_the_main_noun(parsed: Build) -> None:
    text = "The arrival of foreign fighters was reported by the agency, which put the number deployed at 3,000."
    q = one(parsed, text)
    assert q.counted == "foreign fighters deployed"
    assert q.counted_span is not None and q.counted_span.text == "foreign fighters"


def _with_statement(led: Ledger, content: str, speaker: str) -> Ledger:
    start = led.text.index(content)
    stmt = Statement("s1", "indirect", led.span(start, start + len(content)), speaker, None, None)
    return dataclasses.replace(led, statements=(stmt,))


@pytest.mark.parametrize(("sentence", "source", "statement"), [
    ("more than 7,000 soldiers crossed", "a1", "s1"),  # inside the statement: the speaker's figure
    ("The border has 12 crossings", None, None),  # narration outside any statement
])
def test_source_from_statement(parsed: Build, sentence: str, source: str | None, statement: str | None) -> None:
    text = "Officials said more than 7,000 soldiers crossed. The border has 12 crossings."
    led = _with_statement(parsed(text, upto="attribution"), "more than 7,000 soldiers crossed", "a1")
    out = quantities.extract(led).quantities or ()
    q = next(x for x in out if sentence.startswith(x.span.text) or x.span.text in sentence)
    assert (q.source, q.statement) == (source, statement)


def test_time_of_the_same_clause(parsed: Build) -> None:
    text = "Yesterday officials said that Russia moved 7,000 soldiers in the last week of October."
    led = parsed(text, upto="attribution", published="2024-11-03")
    times = tuple(TimeRef(f"t{k}", led.span(text.index(w), text.index(w) + len(w)), "DATE", v)
                  for k, (w, v) in enumerate([("Yesterday", "2024-11-02"),
                                              ("the last week of October", "2024-W44")]))
    found = quantities.extract(dataclasses.replace(led, times=times)).quantities or ()
    assert [q.time for q in found] == ["2024-W44"]  # not "Yesterday": that is when it was said


def test_a_date_from_the_time_layer_is_no_figure(parsed: Build) -> None:
    text = "The vote is set for the 14 of June."
    led = parsed(text, upto="attribution")
    start = text.index("14")
    date = TimeRef("t1", Span.of(text, start, start + len("14 of June")), "DATE", "2025-06-14")
    assert quantities.extract(dataclasses.replace(led, times=(date,))).quantities == ()


def test_spans_match_the_text(parsed: Build) -> None:
    text = "About 15 boats and more than 7,000 rifles, worth $3.5bn, left between 5 and 7 ports."
    for q in figures(parsed, text):
        assert q.span.matches(text)
        assert q.id.startswith("q")


_PIECES = ["more than", "about", "$", "€", "3.5", "7,000", "bn", "million", "%", "per cent", "to", "-", "and",
           "between", "ten", "a dozen", "dozens of", "half of", "2019", "March", "12", "10:30", "iPhone", "11",
           "soldiers", "the", "of", "1/4", "minus", "Smith,", "45,", "said", "."]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14))
def test_spans_stay_in_the_text(parsed: Build, pieces: list[str]) -> None:
    text = " ".join(pieces)
    for q in figures(parsed, text):
        assert q.span.matches(text) and q.span.length > 0
        assert q.counted_span is None or q.counted_span.matches(text)
        assert q.high is None or q.bound == "range"
