"""time_rules: the rules of the time stage (stages/time.py), one compiled pattern and one handler each.

Holds the word lists (resources/time_words.json), the pattern fragments built from them, the calendar
arithmetic that turns a match into a TimeML value against the publication date, and ``RULES``: the
cascade of ``stages/time.py``'s docstring, numbered the same way in ``_RULE_TABLE``. A handler returns
(type, value) or None to reject its match; it reads the article through the stage's ``Ctx`` (anchor,
parse, tense) and asks ``ctx.need()`` for the publication date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from claimscope.model import TimeType

if TYPE_CHECKING:
    from claimscope.stages.time import Ctx


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
AHEAD_DAYS = 120  # an undirected day or month without a year lies ahead only when it comes within this many days
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_ONES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _alt(words: Any) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_CAP = r"(?=(?-i:[A-Z]))"  # names of months and days must be capitalised
MONTH = rf"{_CAP}(?:{_alt(MONTHS)})(?![a-z])"
WEEKDAY = rf"{_CAP}(?:{_alt(WEEKDAYS)})"
PART = rf"(?:{_alt(PARTS)})"
SEASON = rf"(?:{_alt(SEASONS)})"
DAYN = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)"
YEAR = r"(?<![\d$])(?<!\d[.,])(?:1[0-9]\d\d|20\d\d)(?!\d|,\d|\s*%|\s+percent)"
NUM = (rf"(?:\d{{1,3}}(?:\s+1/2|\s*½)(?![\d/])|\d{{1,3}}(?:\.\d+)?(?![\d/])|"
       rf"(?:{'|'.join(_TENS)})[- ](?:{'|'.join(_ONES)})|{_alt(NUMBERS)})")
UNIT = rf"(?:{_alt(UNITS)})(?:s\b|\b)"
PRE = (r"(?:(?:the\s+)?(?:(?:very\s+)?(?:early|late)|mid|(?:end|beginning|start|middle|rest|remainder|close)\s+of)"
       r"(?:\s+|-))?")
REL = (r"(?:this\s+past|this|last|next|past|previous|coming|following|current|"
       r"the\s+past|the\s+last|the\s+next|the\s+previous)")
DUR_MOD = (r"(?:(?:about|around|nearly|almost|more\s+than|less\s+than|fewer\s+than|at\s+least|up\s+to|"
           r"over(?!\s+the)|under|roughly|approximately|no\s+more\s+than|another|an\s+additional|an\s+extra|the|"
           r"past|last|next|first|final|previous|coming|following|latest)\s+)*")
QUARTER_CUE = re.compile(r"\b(?:quarter|period|three\s+months)\b", re.I)

Result = tuple[TimeType, str | None]
Handler = Callable[[re.Match[str], "Ctx"], Result | None]


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    handler: Handler


# --- calendar arithmetic ---------------------------------------------------------------------------


def _add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    return dt.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _shift(d: dt.date, n: int, unit: str) -> dt.date:
    if unit in ("D", "WE"):
        return d + dt.timedelta(days=n)
    if unit == "W":
        return d + dt.timedelta(weeks=n)
    if unit == "FN":
        return d + dt.timedelta(weeks=2 * n)
    months = {"M": 1, "Q": 3, "Y": 12, "DE": 120, "CE": 1200}.get(unit)
    return _add_months(d, n * months) if months else d


def _fmt(d: dt.date, unit: str) -> str:
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


def _weekday(anchor: dt.date, wd: int, direction: int, strict: bool = False) -> dt.date:
    back = anchor - dt.timedelta(days=(anchor.isoweekday() - wd) % 7 or (7 if strict else 0))
    fwd = anchor + dt.timedelta(days=(wd - anchor.isoweekday()) % 7 or (7 if strict else 0))
    if direction < 0:
        return back
    if direction > 0:
        return fwd
    return back if anchor - back <= fwd - anchor else fwd


def _month_year(anchor: dt.date, month: int, day: int, direction: int) -> int:
    """The year of a month (and day) named without one, seen from ``anchor`` in ``direction``."""
    here = (anchor.month, anchor.day if day else 0)
    if direction < 0:
        return anchor.year if (month, day) <= here else anchor.year - 1
    if direction > 0:
        return anchor.year if (month, day) >= here else anchor.year + 1
    # news mostly looks back: the last occurrence, unless the next one is close (measured on TimeBank)
    past = anchor.year if (month, day or 1) <= (anchor.month, anchor.day) else anchor.year - 1
    ahead = (_safe_date(past + 1, month, day or 1) - anchor).days
    return past + 1 if ahead <= AHEAD_DAYS else past


def _safe_date(y: int, m: int, d: int) -> dt.date:
    return dt.date(y, m, min(d, calendar.monthrange(y, m)[1]))


_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\D")


def _norm(words: str) -> str:
    return _SPACES.sub(" ", words.lower())


def _number(word: str) -> float | None:
    w = word.lower().replace("-", " ")
    if w.endswith(("1/2", "½")):
        return float(w.removesuffix("1/2").removesuffix("½").strip()) + 0.5
    if w[0].isdigit():
        return float(w)
    if " " in w and w.split()[0] in _TENS:
        tens, ones = w.split()[:2]
        return float(20 + 10 * _TENS.index(tens) + _ONES.index(ones) + 1)
    n = NUMBERS.get(_norm(w))
    return None if n is None else float(n)


def _month(s: str) -> int:
    return MONTHS[s.lower()]


def _day(s: str) -> int:
    return int(_DIGITS.sub("", s))


def _wd(s: str) -> int:
    return WEEKDAYS[s.lower().rstrip("s")] if s.lower() not in WEEKDAYS else WEEKDAYS[s.lower()]


# --- handlers (one per rule; numbered as in the docstring of stages/time.py) ------------------------


def _h_iso(m: re.Match[str], ctx: Ctx) -> Result | None:
    try:
        return "DATE", dt.date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat()
    except ValueError:
        return None


_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def _season_year(anchor: dt.date, season: str, step: int) -> int:
    """"last summer" is the most recent summer that has ended; "next summer" the first that has not begun."""
    start = _SEASON_START[season]
    if step < 0:
        return anchor.year if start + 3 <= anchor.month else anchor.year - 1
    if step > 0:
        return anchor.year if start > anchor.month else anchor.year + 1
    return anchor.year


def _h_day_month(m: re.Match[str], ctx: Ctx) -> Result | None:
    mon, day = _month(m["mon"]), _day(m["d"])
    if day > calendar.monthrange(2000, mon)[1]:
        return None
    if m["y"]:
        year = int(m["y"])
    else:
        anchor = ctx.need()
        year = _month_year(anchor, mon, day, 0)  # undirected: tense misleads for "said it will pay Dec. 15"
    return "DATE", _safe_date(year, mon, day).isoformat()


def _h_month_year(m: re.Match[str], ctx: Ctx) -> Result | None:
    return "DATE", f"{int(m['y'])}-{_month(m['mon']):02d}"


def _h_month(m: re.Match[str], ctx: Ctx) -> Result | None:
    mon = _month(m["mon"])
    k = ctx.tok(m.start("mon"))
    if k is not None and ctx.parse is not None:
        t = ctx.parse.tokens[k]
        if t.tag == "MD" or t.pos in ("VERB", "AUX") or ctx.is_name_part(m.start("mon"), m.end("mon")):
            return None
        if m["mon"].lower() == "may" and not m["rel"] and not m["ry"] and not m["pre"] and t.ent_type != "DATE":
            return None
    if m["mon"].lower() == "march" and not (m["rel"] or m["ry"] or m["pre"]) and _marching(ctx.text, m):
        return None
    anchor = ctx.need()
    rel = (m["rel"] or "").lower()
    if m["ry"]:
        year = anchor.year + {"this": 0, "last": -1, "next": 1}[m["ry"].lower()]
    elif rel == "this":
        year = anchor.year
    elif rel in ("last", "past"):
        year = anchor.year if mon < anchor.month else anchor.year - 1
    elif rel in ("next", "coming"):
        year = anchor.year if mon > anchor.month else anchor.year + 1
    else:
        year = _month_year(anchor, mon, 0, ctx.direction(m.start("mon")))
    return "DATE", f"{year}-{mon:02d}"


_MARCH_AFTER = re.compile(r"\s+(?:on|for|to|through|into|against|toward|towards|past|down|up|across)\b", re.I)
_MONTH_BEFORE = re.compile(r"\b(?:in|of|since|until|till|by|from|early|late|mid|last|next|this|through|during|before|"
                           r"after|and|or)\s+$", re.I)


def _marching(text: str, m: re.Match[str]) -> bool:
    """Is "March" the verb ("Protesters March on the capital")? Followed by a preposition of motion and not
    preceded by one of the words that introduce a month."""
    end = m.end("mon")
    return bool(_MARCH_AFTER.match(text, end)) and not _MONTH_BEFORE.search(text, max(0, m.start() - 12), m.start())


def _h_spoken_year(m: re.Match[str], ctx: Ctx) -> Result | None:
    if m["thousand"]:
        return "DATE", "2000"
    value = 1900 + 20 + 10 * _TENS.index(m["t"].lower()) if m["t"].lower() in _TENS else 1910
    value += _ONES.index(m["o"].lower()) + 1 if m["o"] else 0
    return "DATE", _season(m, str(value))


def _season(m: re.Match[str], year: str) -> str:
    s = m.groupdict().get("season")
    return f"{year}-{SEASONS[s.lower()]}" if s else year


def _h_year(m: re.Match[str], ctx: Ctx) -> Result | None:
    k = ctx.tok(m.start("y"))
    if k is not None and ctx.parse is not None and not m["pre"] and not m["fy"] and not m.groupdict().get("season"):
        t = ctx.parse.tokens[k]
        head = ctx.parse.tokens[t.head]
        if t.dep == "nummod" and head.tag == "NNS" and head.lemma not in ("year", "season", "model", "budget"):
            return None
        if t.ent_type in ("MONEY", "CARDINAL", "QUANTITY", "PERCENT", "ORG", "PRODUCT", "LAW", "TIME"):
            return None
    return "DATE", _season(m, str(int(m["y"])))


def _h_decade(m: re.Match[str], ctx: Ctx) -> Result | None:
    if m["c"]:
        return "DATE", m["c"] + m["d"]
    if m["word"]:
        return "DATE", f"19{_TENS.index(m['word'].lower()[:-3] + 'y') + 2}"
    return "DATE", "19" + m["d2"]


def _h_century(m: re.Match[str], ctx: Ctx) -> Result | None:
    n = int(m["n"]) if m["n"] else ORDINALS.get((m["o"] or "").lower(), 0)
    return ("DATE", f"{n - 1:02d}") if 0 < n < 22 else None


def _h_quarter(m: re.Match[str], ctx: Ctx) -> Result | None:
    q = ORDINALS[m["ord"].lower()]
    if q > 4:
        return None
    if m["y"] or m["y0"]:
        year = int(m["y"] or m["y0"])
    else:
        anchor = ctx.need()
        cur = (anchor.month - 1) // 3 + 1
        shift = {"this": 0, "last": -1, "next": 1}.get((m["yr"] or m["yp"] or "").lower())
        if shift is not None:
            year = anchor.year + shift
        elif q > cur and ctx.direction(m.start()) < 0:
            year = anchor.year - 1
        else:
            year = anchor.year
    if m["ya"]:
        return "DATE", f"{year - 1}-Q{q}"  # "the year-ago third quarter": the comparison, not the report
    if ctx.anchor is None or (year, q) <= _prev_quarter(ctx.anchor):
        ctx.last_quarter = (year, q)  # a reported quarter: what "a year earlier" compares with
    return "DATE", f"{year}-Q{q}"


def _h_half(m: re.Match[str], ctx: Ctx) -> Result | None:
    h = 2 if m["ord"].lower() == "last" else ORDINALS[m["ord"].lower()]
    year = int(m["y"]) if m["y"] else ctx.need().year + {"this": 0, "last": -1, "next": 1}.get(
        (m["yr"] or "").lower(), 0)
    return ("DATE", f"{year}-H{h}") if h in (1, 2) else None


def _h_the_quarter(m: re.Match[str], ctx: Ctx) -> Result | None:
    adj = (m["adj"] or "").lower()
    if m["y"]:
        q = ctx.last_quarter[1] if ctx.last_quarter else _prev_quarter(ctx.need())[1]
        return "DATE", f"{m['y']}-Q{q}"
    if adj in ("year-ago", "year-earlier", "comparable", "same", "year-before"):
        base = ctx.last_quarter or _prev_quarter(ctx.need())
        return "DATE", f"{base[0] - 1}-Q{base[1]}"
    if adj in ("current", "this"):
        d = ctx.need()
        return "DATE", _fmt(d, "Q")
    if not adj and m["u"].lower() == "period":
        return None
    base = _prev_quarter(ctx.need()) if adj in ("latest", "most recent", "recent") else (
        ctx.last_quarter or _prev_quarter(ctx.need()))
    return "DATE", f"{base[0]}-Q{base[1]}"


def _prev_quarter(d: dt.date) -> tuple[int, int]:
    p = _add_months(d, -3)
    return p.year, (p.month - 1) // 3 + 1


def _h_month_part(m: re.Match[str], ctx: Ctx) -> Result | None:
    mon = _month(m["mon"])
    year = int(m["y"]) if m["y"] else _month_year(ctx.need(), mon, 0, -1 if ctx.direction(m.start()) <= 0 else 1)
    last = calendar.monthrange(year, mon)[1]
    which, unit = m["which"].lower(), m["u"].lower()
    days = 7 if unit.startswith("week") else 2 if unit == "weekend" else 1 if unit == "day" else 7
    lo, hi = (last - days + 1, last) if which in ("last", "final") else (1, days)
    if lo == hi:
        return "DATE", _safe_date(year, mon, lo).isoformat()
    return "DATE", f"{_safe_date(year, mon, lo).isoformat()}/{_safe_date(year, mon, hi).isoformat()}"


def _h_relative(m: re.Match[str], ctx: Ctx) -> Result | None:
    rel = _norm(m["rel"]).removeprefix("the ")
    word = m["u"].lower()
    if word not in WEEKDAYS and m["u"][0].isupper() and not m["u"].isupper():
        return None  # "This Week" (a programme), "Next Year" in a title
    anchor = ctx.need()
    step = {"this past": -1, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "following": 1}.get(rel, 0)
    if word in WEEKDAYS:
        direction = step if step else ctx.direction(m.start())
        day = _weekday(anchor, WEEKDAYS[word], direction, strict=bool(step))
        part = PARTS.get((m["part"] or "").lower())
        return ("TIME", f"{day.isoformat()}T{part}") if part else ("DATE", day.isoformat())
    if word in SEASONS:
        return "DATE", f"{_season_year(anchor, SEASONS[word], step)}-{SEASONS[word]}"
    unit = UNITS[word]
    return "DATE", _fmt(_shift(anchor, step, unit), unit)


def _h_clock(m: re.Match[str], ctx: Ctx) -> Result | None:
    if m["nm"]:
        hour, minute = (12, 0) if m["nm"].lower() == "noon" else (24, 0)
    else:
        hour, minute = int(m["h"]), int(m["mi"] or 0)
        ap = (m["ap"] or "").lower()
        if hour > 12 or minute > 59 or (not ap and not m["mi"]):
            return None
        hour += 12 if ap.startswith("p") and hour < 12 else 0
        hour -= 12 if ap.startswith("a") and hour == 12 else 0
    if m["mon"]:
        anchor = ctx.need("TIME")
        mon, dd = _month(m["mon"]), _day(m["d"])
        day = _safe_date(_month_year(anchor, mon, dd, 0), mon, dd).isoformat()
    else:
        day = _day_of(m["wd"], m.start(), ctx)
    return "TIME", f"{day}T{hour:02d}:{minute:02d}"


def _day_of(word: str | None, char: int, ctx: Ctx) -> str:
    anchor = ctx.need("TIME")
    w = (word or "today").lower()
    if w in DAYS:
        return (anchor + dt.timedelta(days=DAYS[w])).isoformat()
    return _weekday(anchor, WEEKDAYS[w], ctx.direction(char)).isoformat()


def _duration_value(n: float | None, unit: str) -> str:
    if unit in ("DE", "CE"):
        mult = 10 if unit == "DE" else 100
        return f"P{_n(n * mult)}Y" if n is not None else f"PX{unit}"
    if unit == "FN":
        return f"P{_n(2 * n)}W" if n is not None else "PXW"
    letter = unit[-1] if unit not in ("WE",) else "WE"
    prefix = "PT" if unit.startswith("T") or unit == "S" else "P"
    if n is not None and n != int(n) and n * 2 == int(n * 2) and unit in _HALF:
        small, half = _HALF[unit]  # "2 1/2 years" -> P2Y6M, "five and a half hours" -> PT5H30M
        return f"{prefix}{int(n)}{letter}{half}{small}" if n > 1 else f"{prefix}{half}{small}"
    return f"{prefix}{_n(n) if n is not None else 'X'}{letter}"


_HALF = {"Y": ("M", 6), "TH": ("M", 30), "TM": ("S", 30), "D": ("H", 12)}


def _n(x: float) -> str:
    return str(int(x)) if x == int(x) else str(x)


def _h_duration(m: re.Match[str], ctx: Ctx) -> Result | None:
    n = _number(m["n"])
    n = n + 0.5 if n is not None and m["half"] else n
    unit = UNITS[m["u"].lower().rstrip("s") if m["u"].lower() not in UNITS else m["u"].lower()]
    off = _norm(m["off"] or "")
    if m["u"][0].isupper() and not m["u"].isupper() or unit == "S" and m["n"].lower() in ("a", "an"):
        return None  # "Sandra Day O'Connor", "60 Minutes" are names; "a second" is an ordinal
    if m["age"] or unit == "Q" and (n == 1 and m["n"].lower() in ("a", "an") or m["hy"] == "-"):
        return None  # ages ("a 6-year-old") and fractions ("a quarter", "three-quarters") are not times
    rate = _RATE_BEFORE.search(ctx.text, max(0, m.start() - 24), m.start())
    if not off and not m["mods"] and m["n"].lower() in ("a", "an") and (rate or _after_count(ctx, m.start())):
        return None  # "$500 million a year" is a rate, which the newswire annotation leaves out
    if not off:
        mods = (m["mods"] or "").lower()
        if unit == "WE" and not m["hy"].strip("- ") and n == 1 and "the" in mods:
            return "DATE", _fmt(ctx.need(), "WE")
        return "DURATION", _duration_value(n, unit)
    anchor = ctx.need()
    sign = -1 if off == "ago" else 1
    if n is None:
        return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF"
    if unit == "Y" and n == 1 and sign < 0 and (ctx.last_quarter or QUARTER_CUE.search(_sentence(ctx, m))):
        return _h_year_offset(m, ctx)
    gran = unit if unit in ("D", "W", "M", "Q", "Y", "DE", "CE", "WE") else "D"
    whole = int(n) if n == int(n) else None
    if whole is None:
        return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF"
    return "DATE", _fmt(_shift(anchor, sign * whole, gran), "D" if gran == "WE" else gran)


def _h_year_offset(m: re.Match[str], ctx: Ctx) -> Result | None:
    """"a year earlier" / "a year ago": the same quarter a year before in a results story, else last year."""
    anchor = ctx.need()
    if ctx.last_quarter or QUARTER_CUE.search(_sentence(ctx, m)):
        base = ctx.last_quarter or _prev_quarter(anchor)
        return "DATE", f"{base[0] - 1}-Q{base[1]}"
    return "DATE", str(anchor.year - 1)


def _h_the_year(m: re.Match[str], ctx: Ctx) -> Result | None:
    if m["ended"]:
        return "DURATION", "P1Y"
    return "DATE", str(ctx.need().year)


def _h_weekend(m: re.Match[str], ctx: Ctx) -> Result | None:
    anchor = ctx.need()
    which = m["x"].split()[0].lower()
    step = {"last": -1, "next": 1}.get(which, 0)
    if which in ("the", "this") and ctx.direction(m.start("x")) < 0 and anchor.isoweekday() < 6:
        step = -1
    return "DATE", _fmt(anchor + dt.timedelta(weeks=step), "WE")


def _h_plural_unit(m: re.Match[str], ctx: Ctx) -> Result | None:
    return "DURATION", _duration_value(None, UNITS[m["u"].lower().rstrip("s").replace("centurie", "century")])


_RATE_BEFORE = re.compile(r"(?:\d|\b(?:million|billion|trillion|percent|cents?|dollars?|pounds?|yen|euros?))\s+$",
                          re.I)


def _after_count(ctx: Ctx, char: int) -> bool:
    """Does a counted noun come just before ``char`` ("700 seats a week", "24 hours a day"): a rate?"""
    k = ctx.tok(char)
    if k is None or k == 0 or ctx.parse is None:
        return False
    prev = ctx.parse.tokens[k - 1]
    return prev.tag == "NNS" and ctx.parse.tokens[prev.head].i != k and any(
        c.tag == "CD" or c.lemma in ("several", "many", "few") for c in ctx.parse.children(prev.i))


def _sentence(ctx: Ctx, m: re.Match[str]) -> str:
    if ctx.parse is not None:
        s = ctx.parse.sentence_of(m.start())
        if s is not None:
            return ctx.text[s.start:s.end]
    return ctx.text[max(0, m.start() - 150): m.end() + 150]


def _h_year_earlier(m: re.Match[str], ctx: Ctx) -> Result | None:
    anchor = ctx.need()
    if ctx.last_quarter or QUARTER_CUE.search(_sentence(ctx, m)) or m["u"]:
        base = ctx.last_quarter or _prev_quarter(anchor)
        return "DATE", f"{base[0] - 1}-Q{base[1]}"
    return "DATE", str(anchor.year - 1)


def _h_set(m: re.Match[str], ctx: Ctx) -> Result | None:
    if m["word"]:
        k = ctx.tok(m.start("word"))
        if k is not None and ctx.parse is not None and ctx.parse.tokens[k].tag in ("NN", "NNP"):
            return None  # "the party daily Granma": a newspaper
        return "SET", SETS[m["word"].lower()]
    what = m["u"].lower()
    if what in WEEKDAYS or what.rstrip("s") in WEEKDAYS:
        part = PARTS.get((m["part"] or "").lower())
        return "SET", f"XXXX-WXX-{_wd(what)}" + (f"T{part}" if part else "")
    if what in MONTHS:
        return "SET", f"XXXX-{MONTHS[what]:02d}"
    if what in PARTS:
        return "SET", f"XXXX-XX-XXT{PARTS[what]}"
    n = _number(m["n"]) if m["n"] else 1.0
    return "SET", _duration_value(2 * n if m["other"] and n else n, UNITS[what.rstrip("s")])


def _h_weekday(m: re.Match[str], ctx: Ctx) -> Result | None:
    if ctx.is_name_part(m.start("wd"), m.end("wd")):
        return None
    word = m["wd"].lower()
    part = PARTS.get((m["part"] or "").lower())
    if word.endswith("s") and word not in WEEKDAYS:
        return "SET", f"XXXX-WXX-{_wd(word)}" + (f"T{part}" if part else "")
    anchor = ctx.need("TIME" if part else "DATE")
    day = _weekday(anchor, WEEKDAYS[word], ctx.direction(m.start("wd")))
    return ("TIME", f"{day.isoformat()}T{part}") if part else ("DATE", day.isoformat())


def _h_holiday(m: re.Match[str], ctx: Ctx) -> Result | None:
    mon, day = HOLIDAYS[_norm(m["hol"]).replace("’", "'")]
    year = int(m["y"]) if m["y"] else _month_year(ctx.need(), mon, max(day, 1), ctx.direction(m.start()))
    if day == 0:  # the fourth Thursday of November
        first = dt.date(year, mon, 1)
        return "DATE", (first + dt.timedelta(days=(4 - first.isoweekday()) % 7 + 21)).isoformat()
    return "DATE", dt.date(year, mon, day).isoformat()


def _h_ref(m: re.Match[str], ctx: Ctx) -> Result | None:
    word = _norm(m["ref"])
    k = ctx.tok(m.start("ref"))
    if k is not None and ctx.parse is not None and word in ("current", "future", "recent"):
        t = ctx.parse.tokens[k]
        if t.pos not in ("ADJ", "NOUN"):
            return None
    ctx.relative = True
    return ("DATE" if REFS[word].endswith("_REF") else "DURATION"), REFS[word]


# --- the rules, in cascade order -------------------------------------------------------------------

_YR_REL = r"(?P<yr>this|last|next)\s+year"
_SPOKEN = (rf"(?:(?:the\s+)?(?P<season>{SEASON})\s+of\s+)?(?:the\s+year\s+)?(?:(?P<thousand>two\s+thousand)|"
           rf"nineteen[- ](?P<t>ten|{'|'.join(_TENS)})(?:[- ](?P<o>{'|'.join(_ONES)}))?)\b")
_RULE_TABLE: tuple[tuple[str, str, Handler], ...] = (
    # 1. absolute dates
    ("iso", r"\b(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)\b", _h_iso),
    ("month-day", rf"(?:{WEEKDAY},?\s+)?(?:(?:early|late|mid)\s+)?(?P<mon>{MONTH})\s*(?P<d>{DAYN})\b"
                  rf"(?:,?\s+(?P<y>{YEAR}))?", _h_day_month),
    ("day-month", rf"(?:{WEEKDAY},?\s+)?(?:the\s+)?(?P<d>{DAYN})\s+(?:of\s+)?(?P<mon>{MONTH})(?:,?\s+(?P<y>{YEAR}))?",
     _h_day_month),
    ("month-year", rf"{PRE}(?P<mon>{MONTH}),?\s+(?:of\s+)?(?P<y>{YEAR})", _h_month_year),
    ("spoken-year", _SPOKEN, _h_spoken_year),
    # 2. years, decades, centuries
    ("year", rf"(?P<pre>{PRE[:-1]}(?:the\s+)?)??(?:(?:the\s+)?(?P<season>{SEASON})\s+of\s+)?"
             rf"(?P<fy>(?:fiscal|calendar|the\s+year|the\s+fiscal\s+year|fiscal\s+year)\s+)?(?P<y>{YEAR})", _h_year),
    ("decade", rf"{PRE}(?:the\s+)?(?:(?P<c>1[0-9]|20)(?P<d>\d)0|'(?P<d2>\d)0)s\b|{PRE}the\s+(?P<word>"
               rf"{'|'.join(w[:-1] + 'ies' for w in _TENS)})\b", _h_decade),
    ("century", rf"(?:the\s+)?{PRE}(?:(?P<n>\d{{1,2}})(?:st|nd|rd|th)|(?P<o>{_alt(ORDINALS)}))[- ]century", _h_century),
    # 3. quarters and halves
    ("quarter", rf"(?P<det>(?:the|a|this|last|next)\s+)?(?:(?P<ya>year-ago|year-earlier|year-before)\s+)?"
                rf"(?:(?P<yp>this|last|next)\s+year's\s+|(?P<y0>{YEAR})\s+)?"
                rf"(?:fiscal\s+)?"
                rf"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)(?:[- ]fiscal)?[- ]quarter\b"
                rf"(?:\s+of\s+(?:fiscal\s+)?(?:(?P<y>{YEAR})|{_YR_REL}))?", _h_quarter),
    ("half", rf"(?:the\s+)?(?P<ord>first|second|last)[- ]half(?:\s+of\s+(?:(?P<y>{YEAR})|{_YR_REL}|the\s+year))?",
     _h_half),
    ("the-quarter", rf"the\s+(?:(?P<y>{YEAR})\s+)?(?:(?P<adj>latest|most\s+recent|recent|current|year-ago|"
                    r"year-earlier|year-before|comparable|same|this)\s+)?(?:fiscal\s+)?(?:year-ago\s+)?"
                    r"(?P<u>quarter|period)\b", _h_the_quarter),
    # 4. parts of a month
    ("month-part", rf"(?:the\s+)?(?P<which>first|last|final)\s+(?P<u>week|weekend|days?)\s+of\s+(?P<mon>{MONTH})"
                   rf"(?:,?\s+(?P<y>{YEAR}))?", _h_month_part),
    # 5. calendar units relative to the anchor
    ("relative", rf"{PRE}(?:(?:earlier|later)\s+)?(?P<rel>{REL})\s+(?P<u>week|weekend|month|year|quarter|decade|"
                 rf"century|{SEASON}|{WEEKDAY}(?=\b)(?:\s+(?P<part>{PART}))?)\b", _h_relative),
    ("month", rf"(?P<pre>{PRE[:-1]})??(?:(?P<rel>this|last|next|past|coming)\s+)?(?P<mon>{MONTH})"
              rf"(?:\s+(?P<ry>this|last|next)\s+year)?", _h_month),
    # 6. deictic days
    ("deictic", rf"(?:(?:early|late)\s+)?(?:(?P<dw>today|yesterday|tomorrow|tonight)"
                rf"(?:\s+(?P<part>{PART}))?"
                rf"|(?P<dw2>this|last)\s+(?P<part2>{PART}))\b", lambda m, c: _h_deictic_any(m, c)),
    # 7. clock times
    ("clock", rf"(?:(?:about|around|approximately|shortly\s+(?:before|after))\s+)?(?:(?P<h>\d{{1,2}})"
              rf"(?:[:.](?P<mi>\d\d))?\s*(?P<ap>a\.m\.|p\.m\.|am\b|pm\b|o'clock)|(?P<nm>noon|midnight))"
              rf"(?:\s+(?:EST|EDT|GMT|CST|PST|[ECMP]T)\b)?(?:,?\s+(?:(?P<wd>{WEEKDAY}|today|yesterday|tomorrow)\b|"
              rf"(?P<mon>{MONTH})\s*(?P<d>{DAYN})\b))?",
     _h_clock),
    # 8. durations and offsets
    ("duration", rf"(?P<mods>{DUR_MOD})(?P<n>{NUM})(?:\s+more)?(?P<hy>-|\s+)(?P<u>{UNIT})(?P<half>\s+and\s+a\s+half)?"
                 rf"(?P<age>-old|\s+old)?"
                 rf"(?:\s+(?P<off>ago|from\s+now|hence))?", _h_duration),
    ("year-offset", rf"(?P<mods>{DUR_MOD})(?:a|one)\s+year\s+(?:earlier|before)", _h_year_offset),
    ("the-year", rf"{PRE}the\s+(?P<adj>full\s+|fiscal\s+|current\s+|calendar\s+|current\s+fiscal\s+)?year\b"
                 r"(?=(?P<ended>\s+(?:ended|ending|to|through))?)", _h_the_year),
    ("weekend", r"(?:(?:over|during|on|at)\s+)?(?P<x>(?:the|this|last|next)\s+weekend)\b", _h_weekend),
    ("plural-unit", r"(?:for|within|in|over|after|take|took|takes|last|lasted)\s+(?P<x>(?:many\s+|several\s+)?"
                    r"(?P<u>years|months|weeks|days|decades|centuries|hours|minutes))\b(?!\s+(?:ago|of|earlier|later))",
     _h_plural_unit),
    ("year-earlier", r"\b(?:the\s+)?year-(?:earlier|ago)\b(?:\s+(?P<u>quarter|period))?", _h_year_earlier),
    # 9. sets
    ("set", rf"(?:(?P<q>every|each|per)\s+(?P<other>other\s+)?(?:(?P<n>{NUM})\s+)?"
            rf"(?P<u>{UNIT}|{WEEKDAY}|{MONTH}|{PART})"
            rf"(?:\s+(?P<part>{PART}))?|(?P<word>{_alt(SETS)}))\b", _h_set),
    # 10. bare weekdays and holidays
    ("weekday", rf"(?:(?:early|late)\s+)?(?P<wd>{WEEKDAY}s?)(?:\s+(?P<part>{PART}))?\b", _h_weekday),
    ("holiday", rf"{_CAP}(?P<hol>{_alt(HOLIDAYS)})(?:\s+(?P<y>{YEAR}))?\b", _h_holiday),
    # 11. reference words
    ("ref", rf"\b(?P<ref>{_alt(REFS)})\b", _h_ref),
)
# every rule starts at a word boundary: the engine then skips the middle of words at once
RULES = tuple(Rule(name, re.compile(rf"(?:\b|(?='))(?:{p})", re.I), h) for name, p, h in _RULE_TABLE)


def _h_deictic_any(m: re.Match[str], ctx: Ctx) -> Result | None:
    if m["dw"] and m["dw"][0].isupper() and not m["dw"].isupper() and not _starts_sentence(ctx, m.start("dw")):
        return None  # "VOA Today", "USA Today": a name
    anchor = ctx.need("TIME" if m["part"] or m["part2"] or (m["dw"] or "").lower() == "tonight" else "DATE")
    if m["dw2"]:
        day = anchor - dt.timedelta(days=1 if m["dw2"].lower() == "last" else 0)
        part = PARTS[m["part2"].lower()]
        return ("TIME", f"{day.isoformat()}T{part}") if m["dw2"].lower() != "last" or part == "NI" else None
    word = m["dw"].lower()
    day = anchor + dt.timedelta(days=DAYS[word])
    tail = PARTS.get((m["part"] or "").lower()) or ("NI" if word == "tonight" else None)
    return ("TIME", f"{day.isoformat()}T{tail}") if tail else ("DATE", day.isoformat())


def _starts_sentence(ctx: Ctx, char: int) -> bool:
    k = ctx.tok(char)
    if k is None or ctx.parse is None:
        return True
    t = ctx.parse.tokens[k]
    first = ctx.parse.sentences[t.sent].first
    return k == first or all(not any(ch.isalpha() for ch in tok.text) for tok in ctx.parse.tokens[first:k])
