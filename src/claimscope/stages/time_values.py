"""time_values: what a match of the time stage means, one handler per rule of ``time_rules``.

Each handler turns a match into (type, value) or None to reject it (a guard: "May" the verb, "Sunday Times" the
name, "$500 million a year" the rate). It reads the article through the stage's ``Ctx`` (anchor, parse, tense),
asks ``ctx.need()`` for the publication date and leaves the date arithmetic to ``time_calendar``. The grammar
that finds the matches is ``time_rules``; the handlers are numbered as the cascade in ``stages/time.py``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from claimscope.model import TimeType
from claimscope.stages.time_calendar import (
    DAYS,
    GENERIC_PRESENT,
    HOLIDAYS,
    MONTHS,
    ONES,
    ORDINALS,
    PARTS,
    QUARTER_CUE,
    REFS,
    SEASONS,
    SETS,
    TENS,
    UNITS,
    WEEKDAYS,
    alt,
    day_no,
    duration_value,
    fmt,
    month_no,
    month_year,
    norm,
    number,
    prev_quarter,
    safe_date,
    season_year,
    shift,
    weekday,
    weekday_no,
)

if TYPE_CHECKING:
    from claimscope.stages.time import Ctx

Result = tuple[TimeType, str | None]
Handler = Callable[[re.Match[str], "Ctx"], Result | None]


def h_iso(m: re.Match[str], ctx: Ctx) -> Result | None:
    try:
        return "DATE", _absolute(ctx, dt.date(int(m["y"]), int(m["m"]), int(m["d"])), "D")
    except ValueError:
        return None


def h_day_month(m: re.Match[str], ctx: Ctx) -> Result | None:
    mon, day = month_no(m["mon"]), day_no(m["d"])
    if day > calendar.monthrange(2000, mon)[1] or not m["d"][0].isdigit() and _modifies_next(ctx, m.start("d")):
        return None  # "the October second round": an ordinal of what follows, not a day
    if m["y"]:
        return "DATE", _absolute(ctx, safe_date(int(m["y"]), mon, day), "D")
    # undirected: tense misleads for "said it will pay Dec. 15"; only "the year ended Jan. 31" looks back
    back = _ENDED_BEFORE.search(ctx.text, max(0, m.start() - 12), m.start())
    year = month_year(ctx.need(), mon, day, -1 if back else 0)
    return "DATE", safe_date(year, mon, day).isoformat()


def _modifies_next(ctx: Ctx, char: int) -> bool:
    k = ctx.tok(char)
    return k is not None and ctx.parse is not None and ctx.parse.tokens[k].head > k


_ENDED_BEFORE = re.compile(r"\b(?:ended|closed)\s+(?:on\s+)?$", re.I)


def h_month_year(m: re.Match[str], ctx: Ctx) -> Result | None:
    return "DATE", _absolute(ctx, dt.date(int(m["y"]), month_no(m["mon"]), 1), "M")


def _absolute(ctx: Ctx, day: dt.date, unit: str) -> str:
    """The value of a date the text gives in full, kept as what "the following year" counts from."""
    ctx.last_date = (day, unit)
    return fmt(day, unit)


def h_month(m: re.Match[str], ctx: Ctx) -> Result | None:
    mon = month_no(m["mon"])
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
        year = month_year(anchor, mon, 0, ctx.direction(m.start("mon")))
    return "DATE", _absolute(ctx, dt.date(year, mon, 1), "M")


_MARCH_AFTER = re.compile(r"\s+(?:on|for|to|through|into|against|toward|towards|past|down|up|across)\b", re.I)
_MONTH_BEFORE = re.compile(r"\b(?:in|of|since|until|till|by|from|early|late|mid|last|next|this|through|during|before|"
                           r"after|and|or)\s+$", re.I)


def _marching(text: str, m: re.Match[str]) -> bool:
    """Is "March" the verb ("Protesters March on the capital")? Followed by a preposition of motion and not
    preceded by one of the words that introduce a month."""
    end = m.end("mon")
    return bool(_MARCH_AFTER.match(text, end)) and not _MONTH_BEFORE.search(text, max(0, m.start() - 12), m.start())


def h_spoken_year(m: re.Match[str], ctx: Ctx) -> Result | None:
    if m["thousand"]:
        return "DATE", "2000"
    value = 1900 + 20 + 10 * TENS.index(m["t"].lower()) if m["t"].lower() in TENS else 1910
    value += ONES.index(m["o"].lower()) + 1 if m["o"] else 0
    return "DATE", _season(m, str(value))


def _season(m: re.Match[str], year: str) -> str:
    s = m.groupdict().get("season")
    return f"{year}-{SEASONS[s.lower()]}" if s else year


def h_year(m: re.Match[str], ctx: Ctx) -> Result | None:
    k = ctx.tok(m.start("y"))
    if k is not None and ctx.parse is not None and not m["pre"] and not m["fy"] and not m.groupdict().get("season"):
        t = ctx.parse.tokens[k]
        head = ctx.parse.tokens[t.head]
        if t.dep == "nummod" and head.tag == "NNS" and head.lemma not in ("year", "season", "model", "budget"):
            return None
        if t.ent_type in ("MONEY", "CARDINAL", "QUANTITY", "PERCENT", "ORG", "PRODUCT", "LAW", "TIME"):
            return None
    if m.groupdict().get("season"):
        return "DATE", _season(m, str(int(m["y"])))
    return "DATE", _absolute(ctx, dt.date(int(m["y"]), 1, 1), "Y")


def h_decade(m: re.Match[str], ctx: Ctx) -> Result | None:
    if m["c"]:
        return "DATE", m["c"] + m["d"]
    if m["word"]:
        return "DATE", f"19{TENS.index(m['word'].lower()[:-3] + 'y') + 2}"
    return "DATE", "19" + m["d2"]


def h_century(m: re.Match[str], ctx: Ctx) -> Result | None:
    n = int(m["n"]) if m["n"] else ORDINALS.get((m["o"] or "").lower(), 0)
    return ("DATE", f"{n - 1:02d}") if 0 < n < 22 else None


def h_quarter(m: re.Match[str], ctx: Ctx) -> Result | None:
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
    if (ctx.anchor is None or (year, q) <= prev_quarter(ctx.anchor)) and (year, q) >= (ctx.last_quarter or (0, 0)):
        # the latest reported quarter so far (not "after a flat second quarter"): what "a year earlier" compares with
        ctx.last_quarter = (year, q)
    return "DATE", f"{year}-Q{q}"


def h_half(m: re.Match[str], ctx: Ctx) -> Result | None:
    h = 2 if m["ord"].lower() == "last" else ORDINALS[m["ord"].lower()]
    year = int(m["y"]) if m["y"] else ctx.need().year + {"this": 0, "last": -1, "next": 1}.get(
        (m["yr"] or "").lower(), 0)
    return ("DATE", f"{year}-H{h}") if h in (1, 2) else None


def h_the_quarter(m: re.Match[str], ctx: Ctx) -> Result | None:
    adj = (m["adj"] or "").lower()
    if m["y"]:
        q = ctx.last_quarter[1] if ctx.last_quarter else prev_quarter(ctx.need())[1]
        return "DATE", f"{m['y']}-Q{q}"
    if adj in ("year-ago", "year-earlier", "comparable", "same", "year-before"):
        base = ctx.last_quarter or prev_quarter(ctx.need())
        return "DATE", f"{base[0] - 1}-Q{base[1]}"
    if adj in ("current", "this"):
        d = ctx.need()
        return "DATE", fmt(d, "Q")
    if not adj and m["u"].lower() == "period":
        return None
    base = prev_quarter(ctx.need()) if adj in ("latest", "most recent", "recent") else (
        ctx.last_quarter or prev_quarter(ctx.need()))
    return "DATE", f"{base[0]}-Q{base[1]}"


def h_month_part(m: re.Match[str], ctx: Ctx) -> Result | None:
    mon = month_no(m["mon"])
    year = int(m["y"]) if m["y"] else month_year(ctx.need(), mon, 0, -1 if ctx.direction(m.start()) <= 0 else 1)
    last = calendar.monthrange(year, mon)[1]
    which, unit = m["which"].lower(), m["u"].lower()
    days = 7 if unit.startswith("week") else 2 if unit == "weekend" else 1 if unit == "day" else 7
    lo, hi = (last - days + 1, last) if which in ("last", "final") else (1, days)
    if lo == hi:
        return "DATE", safe_date(year, mon, lo).isoformat()
    return "DATE", f"{safe_date(year, mon, lo).isoformat()}/{safe_date(year, mon, hi).isoformat()}"


def h_relative(m: re.Match[str], ctx: Ctx) -> Result | None:
    rel = norm(m["rel"]).removeprefix("the ")
    word = m["u"].lower()
    if word not in WEEKDAYS and m["u"][0].isupper() and not m["u"].isupper():
        return None  # "This Week" (a programme), "Next Year" in a title
    anchor = ctx.need()
    step = {"this past": -1, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "this coming": 1,
            "following": 1}.get(rel, 0)
    if word in WEEKDAYS:
        direction = step if step else ctx.direction(m.start())
        day = weekday(anchor, WEEKDAYS[word], direction, strict=bool(step))
        return _weekday_part(day, m["part"])
    if word in SEASONS:
        return "DATE", f"{season_year(anchor, SEASONS[word], step)}-{SEASONS[word]}"
    unit = UNITS[word]
    if rel in ("following", "previous") and ctx.last_date and _FINER[ctx.last_date[1]] >= _FINER[unit]:
        anchor = ctx.last_date[0]  # "On May 22, 1995 ... the following year": counted from the date just given
    return "DATE", fmt(shift(anchor, step, unit), unit)


_FINER = {"Y": 1, "Q": 2, "M": 3, "W": 4, "D": 5, "DE": 0, "CE": 0, "WE": 5}


def h_clock(m: re.Match[str], ctx: Ctx) -> Result | None:
    if m["nm"]:
        if ctx.text[max(0, m.start() - 5):m.start()].lower() == "high ":
            return None  # "high noon": an idiom, or the film
        hour, minute = (24, 0) if m["nm"].lower() == "midnight" else (12, 0)
    else:
        hour, minute = int(m["h"]), int(m["mi"] or 0)
        ap = _MERIDIEM.get((m["ap"] or "").lower().split()[-1], (m["ap"] or "").lower())  # "4 in the morning"
        if hour > 12 or minute > 59 or (not ap and not m["mi"]):
            return None
        hour += 12 if ap.startswith("p") and hour < 12 else 0
        hour -= 12 if ap.startswith("a") and hour == 12 else 0
    if m["mon"]:
        anchor = ctx.need("TIME")
        mon, dd = month_no(m["mon"]), day_no(m["d"])
        day = safe_date(month_year(anchor, mon, dd, 0), mon, dd).isoformat()
    else:
        day = _day_of(m["wd"], m.start(), ctx)
    return "TIME", f"{day}T{hour:02d}:{minute:02d}"


_MERIDIEM = {"morning": "a", "afternoon": "p", "evening": "p", "night": "p"}


def _day_of(word: str | None, char: int, ctx: Ctx) -> str:
    anchor = ctx.need("TIME")
    w = (word or "today").lower()
    if w in DAYS:
        return (anchor + dt.timedelta(days=DAYS[w])).isoformat()
    return weekday(anchor, WEEKDAYS[w], ctx.direction(char)).isoformat()


def h_duration(m: re.Match[str], ctx: Ctx) -> Result | None:
    n = number(m["n"])
    n = n + 0.5 if n is not None and (m["half"] or m["half0"]) else n  # "five and a half hours"
    unit = UNITS[m["u"].lower().rstrip("s") if m["u"].lower() not in UNITS else m["u"].lower()]
    off = norm(m["off"] or "")
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
            return "DATE", fmt(ctx.need(), "WE")
        return "DURATION", duration_value(n, unit)
    anchor = ctx.need()
    sign = -1 if off == "ago" else 1
    if n is None:
        return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF"
    if unit == "Y" and n == 1 and sign < 0 and (ctx.last_quarter or QUARTER_CUE.search(_sentence(ctx, m))):
        return h_year_offset(m, ctx)
    gran = unit if unit in ("D", "W", "M", "Q", "Y", "DE", "CE", "WE") else "D"
    whole = int(n) if n == int(n) else None
    if whole is None:
        return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF"
    return "DATE", fmt(shift(anchor, sign * whole, gran), "D" if gran == "WE" else gran)


def h_year_offset(m: re.Match[str], ctx: Ctx) -> Result | None:
    """"a year earlier" / "a year ago": the same quarter a year before in a results story, else last year."""
    anchor = ctx.need()
    if ctx.last_quarter or QUARTER_CUE.search(_sentence(ctx, m)):
        base = ctx.last_quarter or prev_quarter(anchor)
        return "DATE", f"{base[0] - 1}-Q{base[1]}"
    return "DATE", str(anchor.year - 1)


def h_the_year(m: re.Match[str], ctx: Ctx) -> Result | None:
    if m["ended"]:
        return "DURATION", "P1Y"
    return "DATE", str(ctx.need().year)


def h_weekend(m: re.Match[str], ctx: Ctx) -> Result | None:
    anchor = ctx.need()
    which = m["x"].split()[0].lower()
    step = {"last": -1, "next": 1}.get(which, 0)
    if which in ("the", "this") and ctx.direction(m.start("x")) < 0 and anchor.isoweekday() < 6:
        step = -1
    return "DATE", fmt(anchor + dt.timedelta(weeks=step), "WE")


def h_plural_unit(m: re.Match[str], ctx: Ctx) -> Result | None:
    return "DURATION", duration_value(None, UNITS[m["u"].lower().rstrip("s").replace("centurie", "century")])


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


def h_year_earlier(m: re.Match[str], ctx: Ctx) -> Result | None:
    anchor = ctx.need()
    if ctx.last_quarter or QUARTER_CUE.search(_sentence(ctx, m)) or m["u"]:
        base = ctx.last_quarter or prev_quarter(anchor)
        return "DATE", f"{base[0] - 1}-Q{base[1]}"
    return "DATE", str(anchor.year - 1)


def h_set(m: re.Match[str], ctx: Ctx) -> Result | None:
    if m["word"]:
        k = ctx.tok(m.start("word"))
        toks = ctx.parse.tokens if ctx.parse is not None else ()
        if k is not None and (toks[k].tag in ("NN", "NNP") or k + 1 < len(toks) and toks[k + 1].tag == "NNP"):
            return None  # "the party daily Granma": a newspaper
        return "SET", SETS[m["word"].lower()]
    what = m["u"].lower()
    if what in WEEKDAYS or what.rstrip("s") in WEEKDAYS:
        part = PARTS.get((m["part"] or "").lower())
        return "SET", f"XXXX-WXX-{weekday_no(what)}" + (f"T{part}" if part else "")
    if what in MONTHS:
        return "SET", f"XXXX-{MONTHS[what]:02d}"
    if what in PARTS:
        return "SET", f"XXXX-XX-XXT{PARTS[what]}"
    n = number(m["n"]) if m["n"] else 1.0
    return "SET", duration_value(2 * n if m["other"] and n else n, UNITS[what.rstrip("s")])


def h_weekday(m: re.Match[str], ctx: Ctx) -> Result | None:
    if ctx.is_name_part(m.start("wd"), m.end("wd")):
        return None
    word = m["wd"].lower()
    part = PARTS.get((m["part"] or "").lower())
    if word.endswith("s") and word not in WEEKDAYS:
        return "SET", f"XXXX-WXX-{weekday_no(word)}" + (f"T{part}" if part else "")
    anchor = ctx.need("TIME" if part else "DATE")
    return _weekday_part(weekday(anchor, WEEKDAYS[word], ctx.direction(m.start("wd"))), m["part"])


def _weekday_part(day: dt.date, word: str | None) -> Result:
    """"Friday morning" is 2024-11-01TMO; "Friday night" is the bare date, as most of the newswire gold has it
    (TimeBank + AQUAINT: 11 bare dates, 7 TNI, 3 TEV), while "tonight" and "last night" keep TNI."""
    part = PARTS.get((word or "").lower())
    return ("TIME", f"{day.isoformat()}T{part}") if part and part != "NI" else ("DATE", day.isoformat())


def h_holiday(m: re.Match[str], ctx: Ctx) -> Result | None:
    mon, day = HOLIDAYS[norm(m["hol"]).replace("’", "'")]
    year = int(m["y"]) if m["y"] else month_year(ctx.need(), mon, max(day, 1), ctx.direction(m.start()))
    if day == 0:  # the fourth Thursday of November
        first = dt.date(year, mon, 1)
        return "DATE", (first + dt.timedelta(days=(4 - first.isoweekday()) % 7 + 21)).isoformat()
    return "DATE", dt.date(year, mon, day).isoformat()


def h_ref(m: re.Match[str], ctx: Ctx) -> Result | None:
    word = norm(m["ref"])
    k = ctx.tok(m.start("ref"))
    if k is not None and ctx.parse is not None and word in ("current", "future", "recent"):
        t = ctx.parse.tokens[k]
        if t.pos not in ("ADJ", "NOUN"):
            return None
    ctx.relative = True
    return ("DATE" if REFS[word].endswith("_REF") else "DURATION"), REFS[word]


def h_deictic_any(m: re.Match[str], ctx: Ctx) -> Result | None:
    if m["dw"] and m["dw"][0].isupper() and not m["dw"].isupper() and not _starts_sentence(ctx, m.start("dw")):
        return None  # "VOA Today", "USA Today": a name
    part_word = m["part"] or m["part0"] or m["part2"]
    anchor = ctx.need("TIME" if part_word or (m["dw"] or "").lower() == "tonight" else "DATE")
    if m["dw2"]:
        day = anchor - dt.timedelta(days=1 if m["dw2"].lower() == "last" else 0)
        part = PARTS[m["part2"].lower()]
        return ("TIME", f"{day.isoformat()}T{part}") if m["dw2"].lower() != "last" or part == "NI" else None
    word = m["dw"].lower()
    if word == "today" and _GENERIC_TODAY.match(ctx.text, m.end()):
        return None  # "in today's world", "today's youth": the present in general, not a date
    day = anchor + dt.timedelta(days=DAYS[word])
    tail = PARTS.get((part_word or "").lower()) or ("NI" if word == "tonight" else None)  # "mid-afternoon yesterday"
    return ("TIME", f"{day.isoformat()}T{tail}") if tail else ("DATE", day.isoformat())


_GENERIC_TODAY = re.compile(rf"['’]s\s+(?:[a-z]+\s+)?(?:{alt(GENERIC_PRESENT)})\b")


def _starts_sentence(ctx: Ctx, char: int) -> bool:
    k = ctx.tok(char)
    if k is None or ctx.parse is None:
        return True
    t = ctx.parse.tokens[k]
    first = ctx.parse.sentences[t.sent].first
    return k == first or all(not any(ch.isalpha() for ch in tok.text) for tok in ctx.parse.tokens[first:k])
