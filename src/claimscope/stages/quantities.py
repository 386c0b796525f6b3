"""quantities: every figure in the text, with its bound, unit, what it counts, its source and its time.

Requires: parse, statements, times. Provides: quantities.

A figure is a numeral ("7,000", "1.2m", "$3.5bn", "40%", "3.5 million"), a number in words ("ten
thousand", "a dozen", "half"), a vague amount ("dozens", "tens of thousands": a range from the base to
ten times it) or a range of two of them ("10,000–12,000", "between 5 and 7", "5 to 7"). The lexicons
are data: resources/number_words.tsv, quantity_bounds.tsv, quantity_units.tsv, currencies.tsv.

The cascade, per parsed sentence (steps 4 and 5 run before 2, so that a unit or bound marks a figure):
  1. candidates (``_candidates``): numerals with an optional currency prefix, minus sign and scale
     ("$3.5bn", "4 hundred million"), number words, vague amounts, fractions ("two-thirds of",
     "1/16 of"); where two overlap the longer wins.
  2. not figures (``_not_figure``): (a) inside a time of the time layer that is not a duration;
     (b) a clock time ("10:45", "5pm", "three o'clock"); (c) a bare numeral glued to letters (codes
     "AK-12", "M21", ordinals "96th") or of nine digits or more (identifiers); (d) a day next to a
     month ("March 12", "September 16-19"); (e) a bare four-digit year ("in 2019", "Trump's 1995
     filings"; "2000 workers" counts); (f) a person's age ("Smith, 45,", "aged 45", "a 63-year-old";
     a "2,900-year-old site" is a measure); (g) a label ("category 4", "Game 7"; figure_labels.txt);
     (h) a number word in a compound adjective ("a five-year plan"); (i) part of a name ("iPhone 11",
     "Big 12", "BBC One", "787 Dreamliner"); the pronoun "one" ("a new one"); (j) phone numbers and
     numeric dates ("9/17/16").
  3. ranges (``_merge_ranges``): "5-7", "5 to 7", "between 5 and 7", "three or four", "from 5 (...)
     to 7" (the NewsQuant convention: a change from one value to another is a range); the scale is
     shared ("$89 to $93 billion") when that keeps the range in order; "one in five" is a ratio.
  4. bound: the longest modifier of quantity_bounds.tsv right before the figure; a conversion in
     brackets shares it ("just under 296 hp (224 kW)").
  5. unit: currency prefix or suffix, percent, or a unit of quantity_units.tsv after the figure.
  6. counted (``find_counted`` in stages/counted.py): (a) the noun the number modifies (nummod) with
     its compound/amod modifiers; (b) "N of X"; (c) the antecedent of "of which there are N" (by
     number agreement); (d) "put the number (of X) at N": X, or the sentence's first plural noun
     phrase outside the putting (else the previous sentence's counted plural) with the participle that
     qualifies "number" ("North Korean soldiers mobilized"). Units and currencies are never what is
     counted; a noun of unit_nouns.tsv ("33 years", "7 points") becomes the unit instead.
  7. statement and source: the innermost statement whose content contains the figure; time: a time
     expression of the same clause (governed by the same verb as the figure), as its value.

Known limits: number words joined by "and" ("three hundred and twenty") and scientific notation are
not read; "nearly"/"almost" are read as "about"; "as many as" as at_most; a year used as a count
without a plural noun after it ("sold 2000") is taken for a year; a bare number after a proper noun
is taken for a name even when it is a score ("Chelsea 2").
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from claimscope.model import Bound, Ledger, Parse, Quantity, Sentence, Span, Statement, TimeRef, Token
from claimscope.pipeline import Stage
from claimscope.spanindex import index_of
from claimscope.stages.counted import find_counted, tokens_in, unit_noun
from claimscope.stages.quantity_lexicon import lexicon, rows

EXTRACTOR = "quantities.rules.v1"


@dataclass(frozen=True, slots=True)
class Config:
    max_unit_gap: int = 1  # spaces allowed between a figure and its unit
    year_low: int = 1000
    year_high: int = 2150


# --- 1. candidates ---------------------------------------------------------------------------------

_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_SCALE_WORDS = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SCALE_SUFFIX = {"k": 1e3, "K": 1e3, "M": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9, "B": 1e9, "b": 1e9,
                 "tn": 1e12, "trn": 1e12, "m": 1e6}
_MONTH_RE = (r"(?:jan(?:uary)?|feb(?:ruary)?|(?-i:Mar(?:ch)?)|apr(?:il)?|(?-i:May)|june?|july?|aug(?:ust)?|"
             r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")  # "may" and "march" only capitalised
_CODES = re.compile(r"(?:\+\d{1,3}[\s.-]?)?\(?\b\d{2,4}\)?[\s.-]\d{3,4}[\s.-]\d{3,4}\b"  # phone numbers
                    r"|\b\d{1,4}([/.-])\d{1,2}\1\d{1,4}\b"  # numeric dates: 9/17/16, 2024-11-03
                    r"|\b\d+(?:-\d+){2,}\b")  # account and serial numbers: 1111-2222-3333
_DENOMINATORS = frozenset({2, 3, 4, 8, 16, 32, 64})
_PRONOUN_ONE_BEFORE = frozenset({"the", "each", "this", "that", "any", "no", "every", "which", "another", "same",
                                 "a", "an", "last", "little", "big", "new", "old", "right", "wrong"})


@dataclass(frozen=True, slots=True)
class Fig:
    """A figure being built: its character extent and what is known about it so far."""

    start: int
    end: int
    value: float
    high: float | None = None
    bound: Bound = "exact"
    unit: str | None = None
    digits: bool = True  # written in digits (not words)
    marked: bool = False  # carries a currency, scale, unit or bound: surely a figure
    vague: bool = False
    scale: float = 1.0  # the multiplier written with it ("bn", "million"), for ranges that share one


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    lex = lexicon()
    pre = "|".join(re.escape(p) for p, _ in lex.prefixes)
    scale_w = "|".join(_SCALE_WORDS)
    suffix = "|".join(sorted(_SCALE_SUFFIX, key=len, reverse=True))
    digits = re.compile(
        rf"(?<![\w.])(?:(?P<cur>{pre})\s?)?(?P<neg>minus[\s-]?|[-−](?=\d))?(?(cur)|(?<![\w.,]))(?P<num>{_DIGITS})"
        rf"(?:(?P<sfx>{suffix})(?![A-Za-z])|\s(?P<sw>(?:{scale_w})(?:\s(?:{scale_w}))*)s?\b)?",
    )
    small = [w for w, (_, k) in lex.words.items() if k in ("unit", "scale")]
    word = "|".join(sorted(small, key=len, reverse=True))
    words = re.compile(rf"\b(?P<a>an?\s)?(?P<w>(?:{word})(?:[\s-]+(?:{word}))*)\b", re.I)
    vague_w = "|".join(w for w, (_, k) in lex.words.items() if k == "vague")
    vague = re.compile(rf"\b(?P<v>{vague_w})(?:\s+of\s+(?P<v2>thousands|millions|billions))?\b", re.I)
    fracs = "|".join(w for w, (_, k) in lex.words.items() if k == "fraction")
    units = "|".join(w for w, (v, k) in lex.words.items() if k == "unit" and v < 10)
    fraction = re.compile(rf"\b(?:(?P<n>an?|{units})[\s-])?(?P<f>{fracs})\b(?=\s+(?:of|an?)\b)", re.I)
    ratio = re.compile(r"(?<![\w/.,])(?:(?P<whole>\d+)\s)?(?P<a>\d+)\s?[/⁄](?P<b>\d+)(?![\w/⁄])(?!\s?[/⁄]\d)")
    return digits, words, vague, fraction, ratio


def _candidates(text: str, lo: int, hi: int) -> Iterator[Fig]:
    chunk = text[lo:hi]
    yield from _digit_candidates(chunk, lo)
    yield from _word_candidates(chunk, lo)


def _digit_candidates(chunk: str, lo: int) -> Iterator[Fig]:
    digits, ratio = _patterns()[0], _patterns()[4]
    prefixes = dict(lexicon().prefixes)
    for m in digits.finditer(chunk):
        value = float(m.group("num").replace(",", "")) * (-1 if m.group("neg") else 1)
        cur = prefixes.get(m.group("cur") or "")
        sfx, sw = m.group("sfx"), m.group("sw")
        if sfx == "m" and cur is None:
            sfx = None  # "100m" without a currency is metres, left to the unit step
        scale = _SCALE_SUFFIX[sfx] if sfx else 1.0
        for w in (sw or "").lower().split():
            scale *= _SCALE_WORDS[w]
        end = m.end("sfx") if sfx else m.end("sw") if sw else m.end("num")
        yield Fig(lo + m.start(), lo + end, value * scale, unit=cur, marked=bool(cur or sfx or sw), scale=scale)
    for m in ratio.finditer(chunk):  # "1/16 of", "7 3/4 %"; not "24/7" nor "9/11"
        a, b = int(m.group("a")), int(m.group("b"))
        if 0 < a < b and (b in _DENOMINATORS or re.match(r"\s+of\b", chunk[m.end():])):
            yield Fig(lo + m.start(), lo + m.end(), int(m.group("whole") or 0) + a / b, marked=True)


def _word_candidates(chunk: str, lo: int) -> Iterator[Fig]:
    _, words, vague, fraction, _ = _patterns()
    lex = lexicon().words
    for m in words.finditer(chunk):
        ws = m.group("w").lower().replace("-", " ").split()
        if m.group("a") is None and all(lex[w][1] == "scale" or w == "dozen" for w in ws):
            continue  # "hundred", "dozen" alone ("several hundred", "a baker's dozen") are no figure
        yield Fig(lo + m.start(), lo + m.end(), _word_value(ws), digits=False)
    for m in vague.finditer(chunk):
        base = lex[m.group("v").lower()][0] * (lex[m.group("v2").lower()][0] if m.group("v2") else 1)
        yield Fig(lo + m.start(), lo + m.end(), base, base * 10, "range", digits=False, vague=True)
    for m in fraction.finditer(chunk):
        n, f = (m.group("n") or "").lower(), m.group("f").lower()
        if (n or f == "half") and not re.search(r"\b(?:first|second|latter|other|back|front)\s*$", chunk[:m.start()],
                                                re.I):  # "the second half of the year" is a time
            count = 1.0 if n in ("", "a", "an") else lex[n][0]
            yield Fig(lo + m.start(), lo + m.end(), count * lex[f][0], digits=False)


def _word_value(words: list[str]) -> float:
    lex = lexicon().words
    total = current = 0.0
    for w in words:
        value, kind = lex[w]
        if kind == "scale":
            current = (current or 1.0) * value
            if value >= 1000:
                total, current = total + current, 0.0
        else:
            current += value
    return total + current


# --- 2. not figures ---------------------------------------------------------------------------------


def _not_figure(text: str, fig: Fig, sent: Sentence, parse: Parse, times: tuple[TimeRef, ...],
                config: Config) -> bool:
    span = Span.of(text, fig.start, fig.end)
    before = text[max(sent.start, fig.start - 24):fig.start]
    after = text[fig.end:min(sent.end, fig.end + 24)]
    if any(t.type not in ("DURATION", "SET") and t.span.overlaps(span)
           for t in index_of(times, "span").overlapping(span.start, span.end)):
        return True  # 2a. the time layer has it as a date or clock time
    if fig.digits and (re.match(r"[:.]\d|\s?[ap]\.?m\b", after, re.I) or re.search(r"\d:$", before)):
        return True  # 2b. a clock time ("10:45", "5pm", "4:39")
    if re.match(r"\s*o['’]clock\b", after, re.I):
        return True  # 2b. "three o'clock"
    if fig.digits and not fig.marked:
        raw = text[fig.start:fig.end]
        if re.search(r"[A-Za-z]-?$|\d\s?[/⁄]$", before) or re.match(r"[A-Za-z]|\s?[/⁄]\d", after):
            return True  # 2c. a code ("AK-12", "M21", "24/7") or an ordinal ("96th")
        if len(raw) >= 9 and raw.isdigit():
            return True  # 2c. an identifier ("timestamp=1474387200")
        if fig.value <= 31 and (re.search(rf"\b{_MONTH_RE}\s*(?:\d{{1,2}}\s*[-–]\s*)?$", before, re.I)
                                or re.match(rf"\s*{_MONTH_RE}(?:\b|\d)", after, re.I)):
            return True  # 2d. a day next to a month
        if _is_year(text, fig, before, after, parse, config):
            return True  # 2e. a year
        framed = re.search(r",\s*$", before) and re.match(r"\s*[,―—–)]", after) and fig.value < 120
        if framed and (re.search(r"\b[A-Z][\w.'-]*,\s*$", before) or _appos_of_person(parse, fig)) \
                or re.search(r"\baged\s*$", before, re.I):
            return True  # 2f. an age: "Jamie Armstrong, 25, said", "the minister, 45, said", "aged 25"
        if re.search(rf"\b(?:{'|'.join(_labels())})\s*$", before, re.I):
            return True  # 2g. a label: "category 4", "Game 7", "page 12"
    if fig.value <= 120 and re.match(r"[\s-]*years?[\s-]*old\b", after, re.I):
        return True  # 2f. a person's age ("a 63-year-old"); a "2,900-year-old site" is a measure
    if not fig.digits and not fig.vague and re.match(r"-(?!year-old|thirds?)[A-Za-z]", after):
        return True  # 2h. a number word in a compound adjective ("a five-year plan")
    if not fig.marked and not fig.vague and _in_name(fig, sent, parse):
        return True  # 2i. part of a name: "iPhone 11", "Big 12", "BBC One", "787 Dreamliner"
    return not fig.digits and text[fig.start:fig.end].lower() == "one" and _pronoun_one(before, after, fig, parse)


def _appos_of_person(parse: Parse, fig: Fig) -> bool:
    """Is the number set off after a singular noun as its apposition ("the minister, 45,")? Ages are written so."""
    tok = _token_at(parse, fig.start)
    if tok is None or tok.dep != "appos":
        return False
    head = parse.tokens[tok.head]
    return head.i < tok.i and head.tag in ("NN", "NNP")


@lru_cache(maxsize=1)
def _labels() -> tuple[str, ...]:
    return tuple(re.escape(r[0]) for r in rows("figure_labels.txt"))


def _is_year(text: str, fig: Fig, before: str, after: str, parse: Parse, config: Config) -> bool:
    raw = text[fig.start:fig.end]
    if not re.fullmatch(r"-?\d{4}", raw) or not config.year_low <= fig.value <= config.year_high:
        return False
    if re.match(r"\s?(?:%|per ?cent)", after):
        return False
    if re.search(r"(?:\bthe|\b(?:his|her|its|their|our)|['’]s)\s*$", before, re.I):
        return True  # "the 2010 reform", "Trump's 1995 filings"
    if re.match(r"\s?['’′]s\b", after) or re.search(r"\b(?:in|by|since|until|till|during|from|of|to|before|after|"
                                                  r"between|year|season)\s*$", before, re.I):
        return True  # "in 2019", "2022's"
    tok = _token_at(parse, fig.start)
    if tok is None or tok.dep != "nummod":
        return True
    head = parse.tokens[tok.head]
    return head.tag not in ("NNS",) or head.text[:1].isupper()  # "1000 customers" counts; "2019 sales" do not


def _in_name(fig: Fig, sent: Sentence, parse: Parse) -> bool:
    tok = _token_at(parse, fig.start)
    if tok is None:
        return False
    head = parse.tokens[tok.head]
    if tok.dep in ("nummod", "compound") and head.i > tok.i and head.tag == "NNP" and "." not in tok.text \
            and parse.tokens[tok.i + 1].text[:1].isupper():
        return True  # "787 Dreamliner", "49 Zorro Ranch Road"
    if tok.i <= sent.first:
        return False
    prev = parse.tokens[tok.i - 1]
    named = prev.pos == "PROPN" or prev.pos in ("NOUN", "ADJ", "X") and any(c.isupper() for c in prev.text)
    if not named or prev.text.lower() in dict(lexicon().bounds) or re.fullmatch(_MONTH_RE, prev.text, re.I):
        return False
    nxt = parse.tokens[tok.i + 1] if tok.i + 1 < sent.last else None
    counts_noun = nxt is not None and (nxt.head == tok.i or tok.head == nxt.i) and nxt.text.islower()
    return not counts_noun


def _pronoun_one(before: str, after: str, fig: Fig, parse: Parse) -> bool:
    prev = re.search(r"([A-Za-z]+)\s*$", before)
    if prev and prev.group(1).lower() in _PRONOUN_ONE_BEFORE:
        return True
    if re.match(r"\s+another\b", after, re.I):
        return True
    tok = _token_at(parse, fig.start)
    return tok is not None and tok.pos not in ("NUM",)


# --- 3.-5. ranges, bounds, units -------------------------------------------------------------------


def _merge_ranges(text: str, figs: list[Fig]) -> list[Fig]:
    """3. Join "5-7", "5 to 7", "between 5 and 7", "three or four", "from 5 (...) to 7"; "one in three"."""
    out: list[Fig] = []
    for fig in figs:
        prev = out[-1] if out else None
        how = _joined(text, prev, fig) if prev is not None and prev.high is None else None
        if prev is None or how is None or not _compatible(prev, fig, how):
            out.append(fig)
        elif how == "ratio":
            out[-1] = dataclasses.replace(prev, end=fig.end, value=prev.value / fig.value, marked=True)
        else:
            shared = prev.scale == 1.0 and fig.scale > 1.0 and prev.value * fig.scale <= fig.value
            low = prev.value * fig.scale if shared else prev.value  # "$89 to $93 billion", not "$200 to $4 million"
            out[-1] = dataclasses.replace(prev, end=fig.end, value=low, high=fig.value, bound="range",
                                          unit=prev.unit or fig.unit, marked=True, scale=fig.scale)
    return out


def _compatible(a: Fig, b: Fig, how: str) -> bool:
    """Units agree, or only the second end names one ("5 to 7%"); "8% to 3.65" is a change, not a range."""
    if a.unit is None or a.unit == b.unit:
        return True
    return b.unit is None and how == "from"


def _joined(text: str, a: Fig, b: Fig) -> str | None:
    gap = text[a.end:b.start]
    lead = text[max(0, a.start - 30):a.start].lower()
    ratio = re.fullmatch(r"\s+(?:out\s+of|in|of\s+every)\s+", gap)
    if ratio and a.unit is None and b.unit is None and b.bound == "exact" and 0 < a.value < b.value:
        return "ratio"
    if re.search(r"\bfrom\s*$", lead) and re.fullmatch(r"[^;]{0,40}?\bto\s*", gap):
        return "from"
    m = re.fullmatch(r"(\s?[A-Za-z%/]+)?\s*(-|–|—|to|and|or)\s*", gap)
    if m is None or (m.group(1) and len(gap) > 16):
        return None
    if m.group(2) == "and":
        return "range" if re.search(r"\bbetween\s+\S*$", lead) else None
    if m.group(2) == "or":
        return "range" if not m.group(1) and a.digits == b.digits and b.value > a.value else None
    if m.group(2) == "to":
        return None if a.unit and re.search(r"\bby\s+\S*$", lead) else "range"  # "by $4bn to $9bn" is a change
    return None if re.search(r"\d[-–]\s*$", text[max(0, a.start - 8):a.start]) else "range"  # no phone numbers


def _inherit_bounds(text: str, figs: list[Fig]) -> list[Fig]:
    """4b. A conversion in brackets shares the bound: "just under 296 hp (224 kW / 300 PS)"."""
    out: list[Fig] = []
    for fig in figs:
        prev = out[-1] if out else None
        gap = text[prev.end:fig.start] if prev else ""
        if prev is not None and prev.bound not in ("exact", "range") and fig.bound == "exact" \
                and re.fullmatch(r"[^()\d]{0,25}\(\s*|[^()\d]{0,8}/\s*", gap):
            fig = dataclasses.replace(fig, bound=prev.bound)
        out.append(fig)
    return out


def _with_bound(text: str, fig: Fig, floor: int) -> Fig:
    before = text[max(floor, fig.start - 24):fig.start].lower()
    if fig.bound == "range":
        m = re.search(r"\bbetween\s*$", before)
        return dataclasses.replace(fig, start=fig.start - len(m.group(0))) if m else fig
    for phrase, bound in lexicon().bounds:
        m = re.search(rf"(?:^|(?<=[^\w]))({re.escape(phrase)})\s*$", before)
        if m:
            return dataclasses.replace(fig, start=fig.start - (len(before) - m.start(1)), bound=bound, marked=True)
    return fig


def _with_unit(text: str, fig: Fig, ceiling: int, config: Config) -> Fig:
    after = text[fig.end:ceiling]
    lex = lexicon()
    for table in (lex.suffixes, lex.units):
        for surface, canon in table:
            gap = after[:config.max_unit_gap + 1] if table is lex.units else after[:2]
            lead = len(gap) - len(gap.lstrip(" "))
            if after[lead:].startswith(surface) and not re.match(r"[A-Za-z]", after[lead + len(surface):]):
                if table is lex.units and lead and len(surface) == 1 and surface.isalpha():
                    continue  # a lone letter after a space ("5 m", "5 C") is too often something else
                end = fig.end + lead + len(surface) if canon == "percent" else fig.end  # "40%" spans its sign
                return dataclasses.replace(fig, unit=fig.unit or canon, end=end, marked=True)
    return fig


# --- the token at a character ----------------------------------------------------------------------

def _token_at(parse: Parse, char: int) -> Token | None:
    k = bisect.bisect_right(parse.tokens, char, key=lambda t: t.start) - 1
    return parse.tokens[k] if k >= 0 and parse.tokens[k].start <= char < parse.tokens[k].end else None


# --- the stage -------------------------------------------------------------------------------------


def extract(ledger: Ledger, config: Config = Config()) -> Ledger:
    parse = ledger.parse
    if parse is None:
        return dataclasses.replace(ledger, quantities=())
    text = ledger.text
    times = ledger.times or ()
    out: list[Quantity] = []
    for sent in parse.sentences:
        for fig in _sentence_figures(text, sent, parse, times, config):
            out.append(_quantity(ledger, fig, sent))
    return dataclasses.replace(ledger, quantities=tuple(out))


def _sentence_figures(text: str, sent: Sentence, parse: Parse, times: tuple[TimeRef, ...],
                      config: Config) -> list[Fig]:
    codes = [m.span() for m in _CODES.finditer(text, sent.start, sent.end)]
    found = [f for f in _candidates(text, sent.start, sent.end)
             if not any(lo < f.end and f.start < hi for lo, hi in codes)]  # 2j. phone numbers, numeric dates
    figs = _dedupe(sorted(found, key=lambda f: (f.start, -(f.end - f.start))))
    figs = [_with_unit(text, f, sent.end, config) for f in figs]
    figs = [_with_bound(text, f, sent.start) for f in figs]  # a bound marks the figure before the checks
    figs = [f for f in figs if not _not_figure(text, f, sent, parse, times, config)]
    figs = _merge_ranges(text, figs)
    return _inherit_bounds(text, [_with_bound(text, f, sent.start) if f.bound == "range" else f for f in figs])


def _dedupe(figs: list[Fig]) -> list[Fig]:
    out: list[Fig] = []
    for fig in figs:
        if out and fig.start < out[-1].end:
            continue  # the longer reading at the same place wins
        out.append(fig)
    return out


def _quantity(ledger: Ledger, fig: Fig, sent: Sentence) -> Quantity:
    assert ledger.parse is not None
    counted = find_counted(ledger.text, fig, ledger.parse)
    measured_in = unit_noun(ledger.parse, counted[1]) if counted else None
    if measured_in is not None:  # "33 years": a figure in years counts nothing
        fig, counted = dataclasses.replace(fig, unit=fig.unit or measured_in), None
    stmt = _statement_of(ledger.statements or (), fig)
    return Quantity(
        id=ledger.item_id("quantity", fig.start, fig.end), span=ledger.span(fig.start, fig.end),
        value=fig.value, bound=fig.bound, high=fig.high, unit=fig.unit,
        counted=counted[0] if counted else None, counted_span=counted[1] if counted else None,
        source=stmt.speaker if stmt else None, statement=stmt.id if stmt else None,
        time=_time_of(ledger, fig, sent), extractor=EXTRACTOR,
        confidence=0.9 if fig.marked else 0.7,
    )


def _statement_of(statements: tuple[Statement, ...], fig: Fig) -> Statement | None:
    inside = index_of(statements, "content").containing(fig.start, fig.end)
    return min(inside, key=lambda s: s.content.length) if inside else None


def _time_of(ledger: Ledger, fig: Fig, sent: Sentence) -> str | None:
    """7b. The time of the figure's clause: a time expression governed by the same verb as the figure."""
    parse = ledger.parse
    assert parse is not None
    verb = _clause_verb(parse, _token_at(parse, fig.start))
    if verb is None:
        return None
    span = Span.of(ledger.text, fig.start, fig.end)
    for t in _times_by_verb(ledger.times or (), parse).get(verb, ()):  # in layer order, as a scan would meet them
        if sent.start <= t.span.start and t.span.end <= sent.end and not t.span.overlaps(span):
            return t.value or t.span.text
    return None


_BY_VERB: list[tuple[tuple[TimeRef, ...], Parse, dict[int, list[TimeRef]]]] = []


def _times_by_verb(times: tuple[TimeRef, ...], parse: Parse) -> dict[int, list[TimeRef]]:
    """The times (not durations) by the verb heading their clause, computed once per ledger: a scan of the
    sentence's times per figure was quadratic in a long sentence."""
    for known, known_parse, found in _BY_VERB:
        if known is times and known_parse is parse:
            return found
    found = {}
    for t in times:
        if t.type == "DURATION":
            continue
        inside = tokens_in(parse, t.span.start, t.span.end)
        top = next((x for x in inside if not t.span.start <= parse.tokens[x.head].start < t.span.end), None)
        verb = _clause_verb(parse, top) if top is not None else None
        if verb is not None:
            found.setdefault(verb, []).append(t)
    _BY_VERB[:] = [(times, parse, found)]
    return found


def _clause_verb(parse: Parse, tok: Token | None) -> int | None:
    """Index of the nearest verb above ``tok``: the head of its clause."""
    for _ in range(40):
        if tok is None:
            return None
        if tok.pos in ("VERB", "AUX") or tok.is_root:
            return tok.i
        tok = parse.tokens[tok.head]
    return None


def _run(ledger: Ledger) -> Ledger:
    return extract(ledger)


STAGE = Stage("quantities", frozenset({"parse", "statements", "times"}), frozenset({"quantities"}), EXTRACTOR, _run)
