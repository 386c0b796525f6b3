"""The time stage: hand-written sentences, resolved against a publication date."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimscope.model import Ledger, TimeRef
from claimscope.stages import time as time_stage

Build = Callable[..., Ledger]
ROOT = Path(__file__).resolve().parents[2]


def _times(parsed: Build, text: str, published: str | None = "2024-11-03") -> list[TimeRef]:
    led = parsed(text, upto="time", published=published)
    assert led.times is not None
    return list(led.times)


def _value_of(parsed: Build, text: str, expr: str, published: str | None = "2024-11-03") -> str | None:
    for t in _times(parsed, text, published):
        if t.span.text == expr:
            return t.value
    raise AssertionError(f"{expr!r} not found in {[t.span.text for t in _times(parsed, text, published)]}")


# 2024-11-03 is a Sunday.
@pytest.mark.parametrize(("text", "expr", "value"), [
    ("The talks ended on 3 November 2024 in Geneva.", "3 November 2024", "2024-11-03"),
    ("The deal was signed Nov. 3, 2019, in Paris.", "Nov. 3, 2019", "2019-11-03"),
    ("The filing is dated 2023-06-30.", "2023-06-30", "2023-06-30"),
    ("The plant opened in 1998 and closed later.", "1998", "1998"),
    ("Prices rose sharply in October.", "October", "2024-10"),
    ("Prices rose sharply in November 2021.", "November 2021", "2021-11"),
    ("The parade took place Nov. 1.", "Nov. 1", "2024-11-01"),
    ("Unemployment fell in the third quarter.", "the third quarter", "2024-Q3"),
    ("Sales grew during the 1990s.", "the 1990s", "199"),
    ("Sales grew during the '80s.", "the '80s", "198"),
    ("Sales grew through the nineties.", "the nineties", "199"),
    ("They met at 10 a.m. in the town hall.", "10 a.m.", "2024-11-03T10:00"),
])
def test_dates_and_times(parsed: Build, text: str, expr: str, value: str) -> None:
    assert _value_of(parsed, text, expr) == value


@pytest.mark.parametrize(("text", "expr", "value"), [
    ("Today the mayor spoke to the crowd.", "Today", "2024-11-03"),
    ("Yesterday the mayor spoke to the crowd.", "Yesterday", "2024-11-02"),
    ("The vote is expected tomorrow.", "tomorrow", "2024-11-04"),
    ("Officials met this morning.", "this morning", "2024-11-03TMO"),
    ("Sales fell last week.", "last week", "2024-W43"),
    ("The council will decide next month.", "next month", "2024-12"),
    ("Profits rose last year.", "last year", "2023"),
    ("Two days ago the bridge closed.", "Two days ago", "2024-11-01"),
    ("Prices rose earlier this week.", "earlier this week", "2024-W44"),
    ("The town grew over the past decade.", "the past decade", "201"),
    ("The strike began in the last week of October.", "the last week of October", "2024-10-25/2024-10-31"),
    ("Prices are rising now.", "now", "PRESENT_REF"),
    ("The mayor recently resigned.", "recently", "PAST_REF"),
    ("Nobody knows what the future holds.", "the future", "FUTURE_REF"),
    ("We hope to finish it by this summer.", "this summer", "2024-SU"),
    ("Sales slumped last summer.", "last summer", "2024-SU"),
    ("Sales slumped last winter.", "last winter", "2023-WI"),
    ("Profit doubled in the first half of 2023.", "the first half of 2023", "2023-H1"),
    ("Net income was flat, against $4 million a year earlier.", "a year earlier", "2023"),
    ("Three days later the bridge reopened.", "Three days", "P3D"),
])
def test_relative_expressions(parsed: Build, text: str, expr: str, value: str) -> None:
    assert _value_of(parsed, text, expr) == value


@pytest.mark.parametrize(("text", "expr", "value", "type_"), [
    ("The siege lasted three days.", "three days", "P3D", "DURATION"),
    ("He served two years in office.", "two years", "P2Y", "DURATION"),
    ("It signed a 10-year lease.", "10-year", "P10Y", "DURATION"),
    ("The talks lasted five hours.", "five hours", "PT5H", "DURATION"),
    ("The committee meets every week.", "every week", "P1W", "SET"),
    ("The paper is published weekly.", "weekly", "P1W", "SET"),
    ("The market opens each Monday.", "each Monday", "XXXX-WXX-1", "SET"),
])
def test_durations_and_sets(parsed: Build, text: str, expr: str, value: str, type_: str) -> None:
    found = [t for t in _times(parsed, text) if t.span.text == expr]
    assert [(t.value, t.type) for t in found] == [(value, type_)]


@pytest.mark.parametrize(("text", "expr", "published", "value"), [
    # future tense looks ahead (on or after the publication date), past tense looks back
    ("The city will hold a parade this Sunday.", "this Sunday", "2024-11-03", "2024-11-03"),
    ("The city will hold a parade on Friday.", "Friday", "2024-11-03", "2024-11-08"),
    ("The troops arrived Friday night.", "Friday night", "2024-11-03", "2024-11-01"),
    ("Zelensky said Friday that talks would resume.", "Friday", "2024-11-03", "2024-11-01"),
    ("The minister resigned on Wednesday.", "Wednesday", "2024-11-06", "2024-11-06"),
    ("The minister will resign on Wednesday.", "Wednesday", "2024-11-07", "2024-11-13"),
    ("The board met last Friday.", "last Friday", "2024-11-08", "2024-11-01"),
])
def test_tense_directs_weekdays(parsed: Build, text: str, expr: str, published: str, value: str) -> None:
    assert _value_of(parsed, text, expr, published) == value


@pytest.mark.parametrize(("text", "word"), [
    ("Officials say the law may change soon.", "may"),
    ("He may resign if the vote fails.", "may"),
    ("The Sunday Times reported the story first.", "Sunday"),
    ("Protesters March on the capital every year.", "March"),
    ("The company sold 1998 cars to dealers.", "1998"),
    ("The shares cost $2000 each.", "2000"),
    ("A 6-year-old boy was rescued.", "6-year-old"),
    ("About a quarter of the voters stayed home.", "a quarter"),
])
def test_negatives(parsed: Build, text: str, word: str) -> None:
    assert all(word not in t.span.text for t in _times(parsed, text))


@pytest.mark.parametrize(("text", "expr", "value", "relative"), [
    ("Yesterday the mayor spoke.", "Yesterday", None, True),
    ("The board met on Friday.", "Friday", None, True),
    ("Sales fell last year.", "last year", None, True),
    ("The plant opened in March 1998.", "March 1998", "1998-03", False),
    ("The siege lasted three days.", "three days", "P3D", False),
    ("Prices are rising now.", "now", "PRESENT_REF", True),
])
def test_undated_documents_never_invent_dates(
        parsed: Build, text: str, expr: str, value: str | None, relative: bool) -> None:
    found = [t for t in _times(parsed, text, published=None) if t.span.text == expr]
    assert [(t.value, t.relative) for t in found] == [(value, relative)]


def test_spans_and_ids_are_traceable(parsed: Build) -> None:
    text = "On Monday, three days after the storm, the council met again, and it meets every week."
    led = parsed(text, upto="time", published="2024-11-05")
    assert led.times and all(t.span.matches(text) for t in led.times)
    assert len({t.id for t in led.times}) == len(led.times)
    assert all(t.extractor == time_stage.STAGE.extractor for t in led.times)


WORDS = ("Friday", "night", "last", "week", "of", "October", "the", "third", "quarter", "three", "days", "ago",
         "May", "1998", "$", "2000", "a", "year", "earlier", "every", "Sunday", "Times", "10", "a.m.", "'80s",
         "today", ",", "noon", "later", "this", "morning", "nineteen", "ninety-six", "-year-old", "Nov.", "3")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=14), st.sampled_from([None, "2024-02-29", "1999-12-31"]))
def test_spans_match_text_for_any_word_salad(words: list[str], published: str | None) -> None:
    led = _build_time(" ".join(words), published)
    assert led.times is not None and not led.diagnostics
    assert all(t.span.matches(led.text) for t in led.times)
    assert all(t.value is not None or t.relative for t in led.times)


def _build_time(text: str, published: str | None) -> Ledger:
    import datetime as dt

    from claimscope.model import Article
    from claimscope.pipeline import Pipeline, default_stages

    stages = {s.name: s for s in default_stages()}
    day = dt.date.fromisoformat(published) if published else None
    pipe = Pipeline([stages["segment"], stages["nlp"], stages["time"]])
    return pipe.run(Article(id=Article.make_id(text), text=text, published=day))


@pytest.mark.shared
def test_timebank_slice_floor(shared: Path) -> None:
    spec = importlib.util.spec_from_file_location("eval_times", ROOT / "eval" / "times.py")
    assert spec is not None and spec.loader is not None
    ev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ev)
    path = shared / "data" / "time" / "timebank.jsonl"
    head = path.read_text("utf-8").splitlines()[:SLICE]
    assert hashlib.sha256("\n".join(head).encode()).hexdigest()[:16] == SLICE_DIGEST, "gold slice changed: re-pin"
    gold = [json.loads(line) for line in head]
    _, preds = ev.run_docs(gold)
    res = ev.score(gold, preds)
    assert res["value_f1"] >= FLOOR_VALUE_F1, res
    assert res["relaxed_f1"] >= FLOOR_RELAXED_F1, res


# Pinned on the first 60 TimeBank documents (measured 0.846 value F1, 0.944 relaxed F1); lowering a
# floor or changing the slice is an explicit act.
SLICE = 60
SLICE_DIGEST = "f76b3cdaa0c07bda"
FLOOR_VALUE_F1 = 0.83
FLOOR_RELAXED_F1 = 0.934


# --- the tense cascade, rates, halves and vague spans ---------------------------------------------------

@pytest.mark.parametrize(("text", "expr", "published", "value"), [
    # 2. a plan looks ahead, even in the past tense; a plan that was one before does not
    ("The talks are scheduled to resume Monday.", "Monday", "2024-11-03", "2024-11-04"),
    ("Protesters planned a march on Saturday.", "Saturday", "2024-11-06", "2024-11-09"),
    ("The offer had been scheduled to expire Friday.", "Friday", "2024-11-04", "2024-11-01"),
    # 3. "is to" looks ahead
    ("The ship is to dock in the harbour Tuesday.", "Tuesday", "2024-11-03", "2024-11-05"),
    # 5. a present passive is not past
    ("The appeal is heard in May.", "May", "2024-03-20", "2024-05"),
    ("The appeal was heard in May.", "May", "2024-03-20", "2023-05"),
    # deadlines are never read as past; "as soon as" looks ahead
    ("The regulator gave the firm until Tuesday to respond.", "Tuesday", "2024-11-04", "2024-11-05"),
    ("The group could leave as soon as Tuesday.", "Tuesday", "2024-11-08", "2024-11-12"),
])
def test_tense_cascade(parsed: Build, text: str, expr: str, published: str, value: str) -> None:
    assert _value_of(parsed, text, expr, published) == value


@pytest.mark.parametrize(("text", "expr", "value", "type_"), [
    ("Profit in the year-ago third quarter was $5 million.", "the year-ago third quarter", "2023-Q3", "DATE"),
    ("The refugees lived in camps for 2 1/2 years.", "2 1/2 years", "P2Y6M", "DURATION"),
    ("The flight took five and a half hours.", "five and a half hours", "PT5H30M", "DURATION"),
    ("The call lasted a minute and a half.", "a minute and a half", "PT1M30S", "DURATION"),
    ("Prices have risen in recent weeks.", "recent weeks", "PXW", "DURATION"),
    ("Rates may fall in the coming months.", "the coming months", "PXM", "DURATION"),
    ("The mayor recently resigned.", "recently", "PAST_REF", "DATE"),
])
def test_quarters_halves_and_vague_spans(parsed: Build, text: str, expr: str, value: str, type_: str) -> None:
    found = [t for t in _times(parsed, text) if t.span.text == expr]
    assert [(t.value, t.type) for t in found] == [(value, type_)]


@pytest.mark.parametrize(("text", "expr"), [
    ("The airline adds 700 seats a week on the route.", "a week"),
    ("Guards patrol the site 24 hours a day.", "a day"),
    ("The plant earns $500 million a year.", "a year"),
])
def test_rates_are_not_times(parsed: Build, text: str, expr: str) -> None:
    assert all(t.span.text != expr for t in _times(parsed, text))


@pytest.mark.parametrize(("text", "expr"), [
    ("Two days ago the bridge closed.", "Two days ago"),
    ("The council will decide next month.", "next month"),
    ("The strike began in the last week of October.", "the last week of October"),
    ("The city will hold a parade this Sunday.", "this Sunday"),
    ("The troops arrived Friday night.", "Friday night"),
])
def test_undated_relative_expressions_keep_no_value(parsed: Build, text: str, expr: str) -> None:
    found = [t for t in _times(parsed, text, published=None) if t.span.text == expr]
    assert [(t.value, t.relative) for t in found] == [(None, True)]


@pytest.mark.parametrize(("text", "expr", "value"), [
    ("On May 22, 1995, he was promoted, and the following year he retired.", "the following year", "1996"),
    ("The plant opened in 1990. The following year it closed.", "The following year", "1991"),
    ("In March the board met. The following month, the firm was sold.", "The following month", "2024-04"),
    # without a date given before, "the following year" counts from the publication date
    ("Officials expect the following year to be harder.", "the following year", "2025"),
])
def test_following_counts_from_the_date_just_given(parsed: Build, text: str, expr: str, value: str) -> None:
    assert _value_of(parsed, text, expr) == value


@pytest.mark.parametrize(("text", "expr"), [
    ("For the people of the city, high noon comes today.", "noon"),
    ("The story ran in the party daily Granma.", "daily"),
])
def test_idioms_and_names_are_not_times(parsed: Build, text: str, expr: str) -> None:
    assert all(expr not in t.span.text for t in _times(parsed, text))


# --- conventions chosen by the newswire majority, spoken forms, parts of the day -----------------------

@pytest.mark.parametrize(("text", "expr", "published", "value"), [
    # "<weekday> night" is the bare date (TimeBank + AQUAINT gold: 11 bare dates, 7 TNI, 3 TEV); the other
    # parts of the day, "tonight" and "last night" keep theirs
    ("The troops arrived Friday night.", "Friday night", "2024-11-03", "2024-11-01"),
    ("The troops arrived Friday morning.", "Friday morning", "2024-11-03", "2024-11-01TMO"),
    ("The troops arrived Friday evening.", "Friday evening", "2024-11-03", "2024-11-01TEV"),
    ("The troops arrived last night.", "last night", "2024-11-03", "2024-11-02TNI"),
    ("The troops arrive tonight.", "tonight", "2024-11-03", "2024-11-03TNI"),
    ("Shares were up at mid-afternoon yesterday.", "mid-afternoon yesterday", "2024-11-03", "2024-11-02TAF"),
    ("The judge will rule at midday.", "midday", "2024-11-03", "2024-11-03T12:00"),
    ("He will leave at 4 in the morning.", "4 in the morning", "2024-11-03", "2024-11-03T04:00"),
    ("The rally ended at 9 in the evening.", "9 in the evening", "2024-11-03", "2024-11-03T21:00"),
    # spoken forms of broadcast transcripts
    ("Women's Day is this coming Sunday.", "this coming Sunday", "2024-11-01", "2024-11-03"),
    ("The vote is on March eighth.", "March eighth", "2024-02-20", "2024-03-08"),
    ("The vote was on March twenty-first.", "March twenty-first", "2024-04-20", "2024-03-21"),
    # "the year ended Jan. 31" looks back
    ("In the fiscal year ended Jan. 31, sales rose.", "Jan. 31", "2024-11-03", "2024-01-31"),
    # a participle clause takes the tense of its verb; a plan inside a past clause lies in the past
    ("Speaking on Monday, the minister said the talks failed.", "Monday", "2024-11-03", "2024-10-28"),
    ("Speaking on Monday, the minister will open the talks.", "Monday", "2024-11-03", "2024-11-04"),
    ("A rally planned for Saturday was called off.", "Saturday", "2024-11-06", "2024-11-02"),
    ("The summit set for April will decide.", "April", "2024-03-12", "2024-04"),
])
def test_parts_of_the_day_spoken_forms_and_tense(parsed: Build, text: str, expr: str, published: str,
                                                 value: str) -> None:
    assert _value_of(parsed, text, expr, published) == value


@pytest.mark.parametrize(("text", "expr"), [
    ("Such are the rules in today's world.", "today"),
    ("The case is for today's youth a symbol.", "today"),
    ("He came second in the race.", "second"),  # an ordinal, not a day of a month
    ("In March second-quarter sales fell.", "March second"),
    ("The October second round of voting was tense.", "October second"),
    ("He won the May third place prize.", "May third"),
])
def test_generic_present_and_ordinals_are_not_dates(parsed: Build, text: str, expr: str) -> None:
    assert all(expr not in t.span.text for t in _times(parsed, text))


def test_todays_paper_is_a_date(parsed: Build) -> None:
    assert _value_of(parsed, "The offer was advertised in today's editions.", "today") == "2024-11-03"


@pytest.mark.parametrize(("text", "expr", "value"), [
    # "a year ago" compares with the latest quarter reported so far, not a quarter named in passing
    ("Profit rose in the third quarter from a year ago. After a flat second quarter, sales grew from a year ago.",
     "a year ago", "2023-Q3"),
    ("Profit rose in the third quarter of 1984. Third-quarter net rose from a year ago.", "a year ago", "2023-Q3"),
])
def test_year_ago_reads_the_latest_reported_quarter(parsed: Build, text: str, expr: str, value: str) -> None:
    values = [t.value for t in _times(parsed, text) if t.span.text == expr]
    assert values and values[-1] == value
