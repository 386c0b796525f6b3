"""time_rules: the grammar of the time stage (stages/time.py), one compiled pattern per rule.

Holds ``RULES``: the cascade of ``stages/time.py``'s docstring, numbered the same way in ``_RULE_TABLE``,
assembled from the pattern fragments of ``time_calendar``. Each rule names its handler in ``time_values``
(which turns a match into a value) and a gate: words without which the pattern cannot match, so that a rule
is not run over an article that lacks them. ``fold`` gives the text the gates read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimscope.stages.time_calendar import (
    CAP,
    DAYN,
    DAYW,
    DUR_MOD,
    HOLIDAYS,
    MONTH,
    NUM,
    ONES,
    ORDINALS,
    PART,
    PRE,
    REFS,
    REL,
    SEASON,
    SETS,
    TENS,
    UNIT,
    WEEKDAY,
    WEEKDAYS,
    YEAR,
    alt,
)
from claimscope.stages.time_values import (
    Handler,
    h_century,
    h_clock,
    h_day_month,
    h_decade,
    h_deictic_any,
    h_duration,
    h_half,
    h_holiday,
    h_iso,
    h_month,
    h_month_part,
    h_month_year,
    h_plural_unit,
    h_quarter,
    h_ref,
    h_relative,
    h_set,
    h_spoken_year,
    h_the_quarter,
    h_the_year,
    h_weekday,
    h_weekend,
    h_year,
    h_year_earlier,
    h_year_offset,
)


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of the cascade. ``gate`` holds groups of words, lower case: a match is only possible when the
    article (case-folded, white space collapsed) holds a word of every group, so without them the pattern is
    not run at all ("century" for "the 20th century"); an empty gate runs the rule on every article."""

    name: str
    pattern: re.Pattern[str]
    handler: Handler
    gate: tuple[tuple[str, ...], ...] = ()

    def may_match(self, folded: str) -> bool:
        return all(any(w in folded for w in group) for group in self.gate)


# --- the rules, in cascade order -------------------------------------------------------------------

_YR_REL = r"(?P<yr>this|last|next)\s+year"
_SPOKEN = (rf"(?:(?:the\s+)?(?P<season>{SEASON})\s+of\s+)?(?:the\s+year\s+)?(?:(?P<thousand>two\s+thousand)|"
           rf"nineteen[- ](?P<t>ten|{'|'.join(TENS)})(?:[- ](?P<o>{'|'.join(ONES)}))?)\b")
_RULE_TABLE: tuple[tuple[str, str, Handler], ...] = (
    # 1. absolute dates
    ("iso", r"\b(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)\b", h_iso),
    ("month-day", rf"(?:{WEEKDAY},?\s+)?(?:(?:early|late|mid)\s+)?(?P<mon>{MONTH})\s*(?P<d>{DAYN}\b|{DAYW})"
                  rf"(?:,?\s+(?P<y>{YEAR}))?", h_day_month),
    ("day-month", rf"(?:{WEEKDAY},?\s+)?(?:the\s+)?(?P<d>{DAYN})\s+(?:of\s+)?(?P<mon>{MONTH})(?:,?\s+(?P<y>{YEAR}))?",
     h_day_month),
    ("month-year", rf"{PRE}(?P<mon>{MONTH}),?\s+(?:of\s+)?(?P<y>{YEAR})", h_month_year),
    ("spoken-year", _SPOKEN, h_spoken_year),
    # 2. years, decades, centuries
    ("year", rf"(?P<pre>{PRE[:-1]}(?:the\s+)?)??(?:(?:the\s+)?(?P<season>{SEASON})\s+of\s+)?"
             rf"(?P<fy>(?:fiscal|calendar|the\s+year|the\s+fiscal\s+year|fiscal\s+year)\s+)?(?P<y>{YEAR})", h_year),
    ("decade", rf"{PRE}(?:the\s+)?(?:(?P<c>1[0-9]|20)(?P<d>\d)0|'(?P<d2>\d)0)s\b|{PRE}the\s+(?P<word>"
               rf"{'|'.join(w[:-1] + 'ies' for w in TENS)})\b", h_decade),
    ("century", rf"(?:the\s+)?{PRE}(?:(?P<n>\d{{1,2}})(?:st|nd|rd|th)|(?P<o>{alt(ORDINALS)}))[- ]century", h_century),
    # 3. quarters and halves
    ("quarter", rf"(?P<det>(?:the|a|this|last|next)\s+)?(?:(?P<ya>year-ago|year-earlier|year-before)\s+)?"
                rf"(?:(?P<yp>this|last|next)\s+year's\s+|(?P<y0>{YEAR})\s+)?"
                rf"(?:fiscal\s+)?"
                rf"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)(?:[- ]fiscal)?[- ]quarter\b"
                rf"(?:\s+of\s+(?:fiscal\s+)?(?:(?P<y>{YEAR})|{_YR_REL}))?", h_quarter),
    ("half", rf"(?:the\s+)?(?P<ord>first|second|last)[- ]half(?:\s+of\s+(?:(?P<y>{YEAR})|{_YR_REL}|the\s+year))?",
     h_half),
    ("the-quarter", rf"the\s+(?:(?P<y>{YEAR})\s+)?(?:(?P<adj>latest|most\s+recent|recent|current|year-ago|"
                    r"year-earlier|year-before|comparable|same|this)\s+)?(?:fiscal\s+)?(?:year-ago\s+)?"
                    r"(?P<u>quarter|period)\b", h_the_quarter),
    # 4. parts of a month
    ("month-part", rf"(?:the\s+)?(?P<which>first|last|final)\s+(?P<u>week|weekend|days?)\s+of\s+(?P<mon>{MONTH})"
                   rf"(?:,?\s+(?P<y>{YEAR}))?", h_month_part),
    # 5. calendar units relative to the anchor
    ("relative", rf"{PRE}(?:(?:earlier|later)\s+)?(?P<rel>{REL})\s+(?P<u>week|weekend|month|year|quarter|decade|"
                 rf"century|{SEASON}|{WEEKDAY}(?=\b)(?:\s+(?P<part>{PART}))?)\b", h_relative),
    ("month", rf"(?P<pre>{PRE[:-1]})??(?:(?P<rel>this|last|next|past|coming)\s+)?(?P<mon>{MONTH})"
              rf"(?:\s+(?P<ry>this|last|next)\s+year)?", h_month),
    # 6. deictic days
    ("deictic", rf"(?:(?:early|late)\s+)?(?:(?:(?P<part0>{PART})\s+)?(?P<dw>today|yesterday|tomorrow|tonight)"
                rf"(?:\s+(?P<part>{PART}))?"
                rf"|(?P<dw2>this|last)\s+(?P<part2>{PART}))\b", h_deictic_any),
    # 7. clock times
    ("clock", rf"(?:(?:about|around|approximately|shortly\s+(?:before|after))\s+)?(?:(?P<h>\d{{1,2}})"
              rf"(?:[:.](?P<mi>\d\d))?\s*(?P<ap>a\.m\.|p\.m\.|am\b|pm\b|o'clock|in\s+the\s+(?:morning|afternoon|evening)\b|"
              rf"at\s+night\b)|(?P<nm>noon|midnight|midday))"
              rf"(?:\s+(?:EST|EDT|GMT|CST|PST|[ECMP]T)\b)?(?:,?\s+(?:(?P<wd>{WEEKDAY}|today|yesterday|tomorrow)\b|"
              rf"(?P<mon>{MONTH})\s*(?P<d>{DAYN})\b))?",
     h_clock),
    # 8. durations and offsets
    ("duration", rf"(?P<mods>{DUR_MOD})(?P<n>{NUM})(?P<half0>\s+and\s+a\s+half)?(?:\s+more)?(?P<hy>-|\s+)(?P<u>{UNIT})"
                 rf"(?P<half>\s+and\s+a\s+half)?"
                 rf"(?P<age>-old|\s+old)?"
                 rf"(?:\s+(?P<off>ago|from\s+now|hence))?", h_duration),
    ("year-offset", rf"(?P<mods>{DUR_MOD})(?:a|one)\s+year\s+(?:earlier|before)", h_year_offset),
    ("the-year", rf"{PRE}the\s+(?P<adj>full\s+|fiscal\s+|current\s+|calendar\s+|current\s+fiscal\s+)?year\b"
                 r"(?=(?P<ended>\s+(?:ended|ending|to|through))?)", h_the_year),
    ("weekend", r"(?:(?:over|during|on|at)\s+)?(?P<x>(?:the|this|last|next)\s+weekend)\b", h_weekend),
    ("plural-unit", r"(?:for|within|in|over|after|take|took|takes|last|lasted)\s+(?P<x>(?:many\s+|several\s+)?"
                    r"(?P<u>years|months|weeks|days|decades|centuries|hours|minutes))\b(?!\s+(?:ago|of|earlier|later))",
     h_plural_unit),
    ("year-earlier", r"\b(?:the\s+)?year-(?:earlier|ago)\b(?:\s+(?P<u>quarter|period))?", h_year_earlier),
    # 9. sets
    ("set", rf"(?:(?P<q>every|each|per)\s+(?P<other>other\s+)?(?:(?P<n>{NUM})\s+)?"
            rf"(?P<u>{UNIT}|{WEEKDAY}|{MONTH}|{PART})"
            rf"(?:\s+(?P<part>{PART}))?|(?P<word>{alt(SETS)}))\b", h_set),
    # 10. bare weekdays and holidays
    ("weekday", rf"(?:(?:early|late)\s+)?(?P<wd>{WEEKDAY}s?)(?:\s+(?P<part>{PART}))?\b", h_weekday),
    ("holiday", rf"{CAP}(?P<hol>{alt(HOLIDAYS)})(?:\s+(?P<y>{YEAR}))?\b", h_holiday),
    # 11. reference words
    ("ref", rf"\b(?P<ref>{alt(REFS)})\b", h_ref),
)
# words without which a rule cannot match (each gate is implied by its pattern; see Rule)
_GATES: dict[str, tuple[tuple[str, ...], ...]] = {
    "spoken-year": (("nineteen", "two thousand"),),
    "decade": (("0s", *(w[:-1] + "ies" for w in TENS)),),
    "century": (("century",),),
    "quarter": (("quarter",),),
    "half": (("half",),),
    "the-quarter": (("quarter", "period"),),
    "month-part": (("first", "last", "final"), ("week", "day")),
    "year-offset": (("year earlier", "year before"),),
    "the-year": (("year",),),
    "weekend": (("weekend",),),
    "plural-unit": (("years", "months", "weeks", "days", "decades", "centuries", "hours", "minutes"),),
    "year-earlier": (("year-earlier", "year-ago"),),
    "set": (("every", "each", "per ", *SETS),),
    "weekday": (tuple(WEEKDAYS),),
    "holiday": (tuple(HOLIDAYS),),
}
# Every rule starts at the start of a word or at an apostrophe ("the '80s"): each pattern begins with a word
# character or "'", so a look-behind for "no word character before" is the same test as a word boundary, and
# the engine runs it faster than ``\b``.
RULES = tuple(Rule(name, re.compile(rf"(?:(?<!\w)|(?='))(?:{p})", re.I), h, _GATES.get(name, ()))
              for name, p, h in _RULE_TABLE)
_SPACE_RUN = re.compile(r"\s+")


def fold(text: str) -> str:
    """The text the gates read: case-folded (as ``re.I`` compares), white space collapsed to one space."""
    return _SPACE_RUN.sub(" ", text.casefold())
