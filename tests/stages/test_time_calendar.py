"""Calendar arithmetic of the time stage: pure functions, no article."""

from __future__ import annotations

import datetime as dt

import pytest

from claimscope.stages.time_calendar import duration_value, fmt, month_year, number, shift, weekday

SUNDAY = dt.date(2024, 11, 3)


@pytest.mark.parametrize(("wd", "direction", "strict", "expected"), [
    (5, -1, False, dt.date(2024, 11, 1)),   # "arrived Friday": behind
    (5, 1, False, dt.date(2024, 11, 8)),    # "will arrive Friday": ahead
    (7, 1, False, SUNDAY),                  # "will hold a parade this Sunday": the day itself
    (7, -1, True, dt.date(2024, 10, 27)),   # "last Sunday": never the day itself
    (1, 0, False, dt.date(2024, 11, 4)),    # undirected: the nearest
])
def test_weekday(wd: int, direction: int, strict: bool, expected: dt.date) -> None:
    assert weekday(SUNDAY, wd, direction, strict) == expected


@pytest.mark.parametrize(("month", "day", "direction", "expected"), [
    (10, 0, -1, 2024), (12, 0, -1, 2023), (12, 0, 1, 2024), (1, 0, 1, 2025),
    (12, 0, 0, 2024),   # undirected and close ahead
    (6, 0, 0, 2024),    # undirected and far ahead: the last one
    (11, 3, -1, 2024), (11, 4, -1, 2023),
])
def test_month_year(month: int, day: int, direction: int, expected: int) -> None:
    assert month_year(SUNDAY, month, day, direction) == expected


@pytest.mark.parametrize(("n", "unit", "value"), [
    (3, "D", "P3D"), (2.5, "Y", "P2Y6M"), (5.5, "TH", "PT5H30M"), (0.5, "TH", "PT30M"), (None, "W", "PXW"),
    (2, "DE", "P20Y"), (1, "FN", "P2W"),
])
def test_duration_value(n: float | None, unit: str, value: str) -> None:
    assert duration_value(n, unit) == value


@pytest.mark.parametrize(("n", "unit", "value"), [
    (-1, "W", "2024-W43"), (1, "M", "2024-12"), (-2, "D", "2024-11-01"), (-1, "Y", "2023"), (0, "Q", "2024-Q4"),
])
def test_shift_and_format(n: int, unit: str, value: str) -> None:
    assert fmt(shift(SUNDAY, n, unit), unit) == value


@pytest.mark.parametrize(("word", "value"), [
    ("three", 3.0), ("twenty-five", 25.0), ("2 1/2", 2.5), ("12", 12.0), ("a", 1.0), ("several", None),
])
def test_number(word: str, value: float | None) -> None:
    assert number(word) == value
