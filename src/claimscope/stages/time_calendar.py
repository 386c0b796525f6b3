"""time_calendar: the word lists, pattern fragments and calendar arithmetic of the time stage.

Requires nothing but the word lists in resources/time_words.json; provides the compiled-once pattern
fragments (MONTH, WEEKDAY, YEAR, NUM, UNIT, ...) that ``time_rules`` assembles into its cascade, and the pure
date arithmetic its handlers share: shifting a date by calendar units, formatting it as a TimeML value at a
granularity, finding the weekday or the year of a month named without one, and reading number words.
Limits: Gregorian calendar, English words only; no knowledge of the article (that is ``stages/time.py``'s Ctx).
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from importlib import resources
from typing import Any

# --- words and patterns, compiled once ---------------------------------------------------------------

_W: dict[str, Any] = json.loads(resources.files("claimscope.resources").joinpath("time_words.json").read_text("utf-8"))
MONTHS: dict[str, int] = _W["months"]
WEEKDAYS: dict[str, int] = _W["weekdays"]
NUMBERS: dict[str, int | None] = _W["numbers"]
UNITS: dict[str, str] = _W["units"]
PARTS: dict[str, str] = _W["parts"]
SEASONS: dict[str, str] = _W["seasons"]
ORDINALS: dict[str, int] = _W["ordinals"]
REFS: dict[str, str] = _W["refs"]
SETS: dict[str, str] = _W["sets"]
DAYS: dict[str, int] = _W["days"]
HOLIDAYS: dict[str, list[int]] = _W["holidays"]
GENERIC_PRESENT: list[str] = _W["generic_present"]  # "today's youth": the present in general
AHEAD_DAYS = 120  # an undirected day or month without a year lies ahead only when it comes within this many days
TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
ONES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def alt(words: Any) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


CAP = r"(?=(?-i:[A-Z]))"  # names of months and days must be capitalised
MONTH = rf"{CAP}(?:{alt(MONTHS)})(?![a-z])"
WEEKDAY = rf"{CAP}(?:{alt(WEEKDAYS)})"
PART = rf"(?:{alt(PARTS)})"
SEASON = rf"(?:{alt(SEASONS)})"
DAYN = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)"
_FIRSTS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
_TEENS = ("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
          "eighteenth", "nineteenth", "twentieth")
DAY_WORDS: dict[str, int] = {w: k + 1 for k, w in enumerate(
    _FIRSTS + _TEENS + tuple(f"twenty-{w}" for w in _FIRSTS) + ("thirtieth", "thirty-first"))}
# a day spoken as an ordinal ("March eighth"), not the start of "second-quarter" or "first half"
DAYW = rf"(?:{alt(DAY_WORDS)})(?![\w-])(?!\s+(?:quarter|half)\b)"
YEAR = r"(?<![\d$])(?<!\d[.,])(?:1[0-9]\d\d|20\d\d)(?!\d|,\d|\s*%|\s+percent)"
NUM = (rf"(?:\d{{1,3}}(?:\s+1/2|\s*½)(?![\d/])|\d{{1,3}}(?:\.\d+)?(?![\d/])|"
       rf"(?:{'|'.join(TENS)})[- ](?:{'|'.join(ONES)})|{alt(NUMBERS)})")
UNIT = rf"(?:{alt(UNITS)})(?:s\b|\b)"
PRE = (r"(?:(?:the\s+)?(?:(?:very\s+)?(?:early|late)|mid|(?:end|beginning|start|middle|rest|remainder|close)\s+of)"
       r"(?:\s+|-))?")
REL = (r"(?:this\s+past|this\s+coming|this|last|next|past|previous|coming|following|current|"
       r"the\s+past|the\s+last|the\s+next|the\s+previous|the\s+following)")
DUR_MOD = (r"(?:(?:about|around|nearly|almost|more\s+than|less\s+than|fewer\s+than|at\s+least|up\s+to|"
           r"over(?!\s+the)|under|roughly|approximately|no\s+more\s+than|another|an\s+additional|an\s+extra|the|"
           r"past|last|next|first|final|previous|coming|following|latest)\s+)*")
QUARTER_CUE = re.compile(r"\b(?:quarter|period|three\s+months)\b", re.I)

# --- calendar arithmetic ---------------------------------------------------------------------------


def add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    return dt.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def shift(d: dt.date, n: int, unit: str) -> dt.date:
    if unit in ("D", "WE"):
        return d + dt.timedelta(days=n)
    if unit == "W":
        return d + dt.timedelta(weeks=n)
    if unit == "FN":
        return d + dt.timedelta(weeks=2 * n)
    months = {"M": 1, "Q": 3, "Y": 12, "DE": 120, "CE": 1200}.get(unit)
    return add_months(d, n * months) if months else d


def fmt(d: dt.date, unit: str) -> str:
    if unit == "W":
        y, w, _ = d.isocalendar()
        return f"{y}-W{w:02d}"
    if unit == "WE":
        y, w, _ = d.isocalendar()
        return f"{y}-W{w:02d}-WE"
    if unit == "M":
        return f"{d.year}-{d.month:02d}"
    if unit == "Q":
        return f"{d.year}-Q{(d.month - 1) // 3 + 1}"
    if unit == "Y":
        return str(d.year)
    if unit == "DE":
        return str(d.year)[:3]
    if unit == "CE":
        return str(d.year)[:2]
    return d.isoformat()


def weekday(anchor: dt.date, wd: int, direction: int, strict: bool = False) -> dt.date:
    back = anchor - dt.timedelta(days=(anchor.isoweekday() - wd) % 7 or (7 if strict else 0))
    fwd = anchor + dt.timedelta(days=(wd - anchor.isoweekday()) % 7 or (7 if strict else 0))
    if direction < 0:
        return back
    if direction > 0:
        return fwd
    return back if anchor - back <= fwd - anchor else fwd


def month_year(anchor: dt.date, month: int, day: int, direction: int) -> int:
    """The year of a month (and day) named without one, seen from ``anchor`` in ``direction``."""
    here = (anchor.month, anchor.day if day else 0)
    if direction < 0:
        return anchor.year if (month, day) <= here else anchor.year - 1
    if direction > 0:
        return anchor.year if (month, day) >= here else anchor.year + 1
    # news mostly looks back: the last occurrence, unless the next one is close (measured on TimeBank)
    past = anchor.year if (month, day or 1) <= (anchor.month, anchor.day) else anchor.year - 1
    ahead = (safe_date(past + 1, month, day or 1) - anchor).days
    return past + 1 if ahead <= AHEAD_DAYS else past


def safe_date(y: int, m: int, d: int) -> dt.date:
    return dt.date(y, m, min(d, calendar.monthrange(y, m)[1]))


_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\D")


def norm(words: str) -> str:
    return _SPACES.sub(" ", words.lower())


def number(word: str) -> float | None:
    w = word.lower().replace("-", " ")
    if w.endswith(("1/2", "½")):
        return float(w.removesuffix("1/2").removesuffix("½").strip()) + 0.5
    if w[0].isdigit():
        return float(w)
    if " " in w and w.split()[0] in TENS:
        tens, ones = w.split()[:2]
        return float(20 + 10 * TENS.index(tens) + ONES.index(ones) + 1)
    n = NUMBERS.get(norm(w))
    return None if n is None else float(n)


def month_no(s: str) -> int:
    return MONTHS[s.lower()]


def day_no(s: str) -> int:
    word = DAY_WORDS.get(s.lower().replace(" ", "-"))
    return word if word is not None else int(_DIGITS.sub("", s))


def weekday_no(s: str) -> int:
    return WEEKDAYS[s.lower().rstrip("s")] if s.lower() not in WEEKDAYS else WEEKDAYS[s.lower()]


SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def season_year(anchor: dt.date, season: str, step: int) -> int:
    """"last summer" is the most recent summer that has ended; "next summer" the first that has not begun."""
    start = SEASON_START[season]
    if step < 0:
        return anchor.year if start + 3 <= anchor.month else anchor.year - 1
    if step > 0:
        return anchor.year if start > anchor.month else anchor.year + 1
    return anchor.year


def prev_quarter(d: dt.date) -> tuple[int, int]:
    p = add_months(d, -3)
    return p.year, (p.month - 1) // 3 + 1


def duration_value(n: float | None, unit: str) -> str:
    if unit in ("DE", "CE"):
        mult = 10 if unit == "DE" else 100
        return f"P{num_text(n * mult)}Y" if n is not None else f"PX{unit}"
    if unit == "FN":
        return f"P{num_text(2 * n)}W" if n is not None else "PXW"
    letter = unit[-1] if unit not in ("WE",) else "WE"
    prefix = "PT" if unit.startswith("T") or unit == "S" else "P"
    if n is not None and n != int(n) and n * 2 == int(n * 2) and unit in HALF:
        small, half = HALF[unit]  # "2 1/2 years" -> P2Y6M, "five and a half hours" -> PT5H30M
        return f"{prefix}{int(n)}{letter}{half}{small}" if n > 1 else f"{prefix}{half}{small}"
    return f"{prefix}{num_text(n) if n is not None else 'X'}{letter}"


HALF = {"Y": ("M", 6), "TH": ("M", 30), "TM": ("S", 30), "D": ("H", 12)}


def num_text(x: float) -> str:
    return str(int(x)) if x == int(x) else str(x)
