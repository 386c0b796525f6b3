"""time: find time expressions and resolve them to TimeML values against the publication date.

Requires the ``parse`` layer; provides ``times``. Each rule of the cascade is one pattern compiled once
at import (the grammar, ``time_rules``); all rules run over the article text (except those whose gate words
are absent), and where matches overlap the longest accepted one wins (then the earlier rule). A handler
(``time_values``) turns a match into (type, value) or rejects it (the guards below), so a rejected long match
leaves the place to shorter ones. Date arithmetic and word lists: ``time_calendar``.

Cascade (mirrored by the numbered comments of ``time_rules._RULE_TABLE``):
  1. absolute dates: ISO "2024-11-03", "Nov. 3, 2024", "3 November", "November 2024", spoken years
  2. years, decades and centuries: "in 1998", "fiscal 1989", "the 1990s", "the 20th century"
  3. quarters and halves: "the third quarter", "third-quarter", "the latest quarter"
  4. parts of a month: "the last week of October" -> an interval "2024-10-25/2024-10-31"
  5. calendar units relative to the anchor: "this Sunday", "last week", "earlier this year", "last fall"
  6. deictic days: "today", "Yesterday", "tonight", "this morning", "last night"
  7. clock times: "10 a.m.", "noon Friday"
  8. durations and offsets: "three days" -> P3D, "two years ago", "the past two months", "a year earlier";
     only "ago"/"from now" anchor an offset on the publication date: "three days later" is P3D
  9. sets: "every week" -> P1W, "each Friday" -> XXXX-WXX-5, "weekly"
 10. bare months, weekdays and holidays, directed by tense: "October", "Friday night", "Christmas"
 11. reference words: "now" -> PRESENT_REF, "recently" -> PAST_REF, "the future" -> FUTURE_REF

The direction of a weekday or a month named alone ("Friday", "October") follows the tense of the verb
that governs it: past (VBD, VBN, Tense=Past, have + VBN) -> on or before the publication date, future
(will/shall, "is scheduled to") -> on or after, otherwise the nearest. A day and month without a year
("Dec. 15") ignores tense (it misleads in "said it will pay Dec. 15"); undirected dates take the last
occurrence unless the next one comes within ``time_calendar.AHEAD_DAYS``.

Guards: month and weekday names must be capitalised; "May"/"March" tagged as verbs are not months; a
weekday or month that is a compound inside a name ("Sunday Times", "May Stores") or inside a named
entity is not a time; a four-digit number counting a noun ("1998 votes") or after "$" is not a year.

Limits: anaphoric expressions ("that year", "the day", "then") are not resolved and not emitted; rates
("$5 a year") and ages ("a 6-year-old") are left out, as the newswire annotation does. Without a
publication date relative expressions keep value None (never an invented date), with ``relative=True``;
absolute ones still resolve. Offsets such as "a year earlier" are resolved against
the publication date (or the last quarter named), not against the event they follow. TimeML's mod
attribute (early/late/about) is not represented: the modifier is kept in the span, not in the value.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from claimscope.model import Diagnostic, Ledger, Parse, Span, TimeRef, TimeType, Token
from claimscope.pipeline import Stage
from claimscope.stages.time_calendar import DAYS, MONTHS, PARTS, WEEKDAYS
from claimscope.stages.time_rules import RULES, Rule, fold
from claimscope.stages.time_values import Result

EXTRACTOR = "time.rules.v2"


@dataclass(frozen=True, slots=True)
class Config:
    name_entities: frozenset[str] = frozenset({"ORG", "WORK_OF_ART", "FAC", "PRODUCT", "PERSON", "LAW", "EVENT"})


CONFIG = Config()


def find_times(ledger: Ledger, config: Config = CONFIG) -> Ledger:
    """The stage function: every time expression of the article, in text order."""
    ctx = Ctx(ledger, config)
    kept = _select(ledger.text, ctx)
    ctx.last_quarter = ctx.last_date = None  # values again in text order: "a year earlier" reads the last quarter
    out: list[TimeRef] = []
    for start, end, rule, m in kept:
        res, relative = _apply(rule, m, ctx)
        if res is not None:
            span = Span.of(ledger.text, start, end)
            out.append(TimeRef(ledger.item_id("time", start, end), span, res[0], res[1], relative, EXTRACTOR))
    diags = ledger.diagnostics + tuple(ctx.diagnostics.values())
    return dataclasses.replace(ledger, times=tuple(out), diagnostics=diags)


def _apply(rule: Rule, m: re.Match[str], ctx: Ctx) -> tuple[Result | None, bool]:
    ctx.relative = False
    try:
        res = rule.handler(m, ctx)
    except _NoAnchor as missing:
        return (missing.type, None), True
    except (ValueError, KeyError, IndexError, TypeError, OverflowError) as exc:  # one item, not the article
        span = Span.of(ctx.text, *m.span())
        ctx.diagnostics[m.span()] = Diagnostic("time", f"rule {rule.name!r} failed: {type(exc).__name__}: {exc}", span)
        return None, False
    return res, ctx.relative


class _NoAnchor(Exception):
    """Raised inside a handler that needs the publication date when there is none."""

    def __init__(self, type_: TimeType) -> None:
        super().__init__(type_)
        self.type: TimeType = type_


# --- the context a handler sees --------------------------------------------------------------------


class Ctx:
    def __init__(self, ledger: Ledger, config: Config) -> None:
        self.text = ledger.text
        self.anchor = ledger.article.published
        self.parse: Parse | None = ledger.parse
        self.config = config
        self.starts = [t.start for t in self.parse.tokens] if self.parse else []
        self.relative = False
        self.last_quarter: tuple[int, int] | None = None
        self.last_date: tuple[dt.date, str] | None = None  # the last absolute date and its unit: "the following year"
        self.diagnostics: dict[tuple[int, int], Diagnostic] = {}

    def need(self, type_: TimeType = "DATE") -> dt.date:
        self.relative = True
        if self.anchor is None:
            raise _NoAnchor(type_)
        return self.anchor

    def tok(self, char: int) -> int | None:
        k = bisect.bisect_right(self.starts, char) - 1
        if k < 0 or self.parse is None or char >= self.parse.tokens[k].end:
            return None
        return k

    def direction(self, char: int) -> int:
        """-1 past, +1 future, 0 present or unknown: the tense of the verb governing ``char``; a deadline
        ("until Tuesday", "through January") is never read as past, "as soon as Tuesday" lies ahead."""
        if _AHEAD_CUE.search(self.text, max(0, char - 20), char):
            return 1  # "as soon as Tuesday", "as early as next week"
        k = self.tok(char)
        if k is None or self.parse is None:
            return 0
        toks = self.parse.tokens
        deadline = False
        for _ in range(8):
            if toks[k].pos in ("VERB", "AUX") or toks[k].head == k:
                break
            deadline = deadline or toks[k].text.lower() in _DEADLINE
            k = toks[k].head
        tense = _tense(self.parse, k)
        return max(tense, 0) if deadline else tense

    def is_name_part(self, start: int, end: int) -> bool:
        """Is the word at ``start`` part of a name ("Sunday Times") rather than a time?"""
        k = self.tok(start)
        if k is None or self.parse is None:
            return False
        t = self.parse.tokens[k]
        if t.ent_type in self.config.name_entities:
            return True
        head = self.parse.tokens[t.head]
        return (t.dep == "compound" and head.pos == "PROPN" and head.start >= end
                and head.text.lower() not in _TIME_HEADS)


_PLAN_VERBS = frozenset({"plan", "schedule", "expect", "due", "intend", "aim", "promise", "vow", "threaten", "slate"})
_AHEAD_CUE = re.compile(r"\bas\s+(?:soon|early)\s+as\s+(?:\w+\s+)?$", re.I)
_DEADLINE = frozenset({"until", "till", "through", "by"})
_PRESENT_AUX = frozenset({"VBZ", "VBP", "VB", "TO", "MD"})


def _tense(parse: Parse, k: int, depth: int = 0) -> int:
    """The tense cascade: 1. will/shall; 2. a plan ("is scheduled to close Monday", "planned a rally on
    Saturday"), unless a bare participle inside a past clause ("a rally planned for Saturday was called off");
    3. an infinitive after a plan, "set to" or "is to" ("is to resume trading Tuesday"); 3b. a participle
    clause takes the tense of the verb it hangs on ("Speaking on Monday, he said"); 4. past forms; 5. a present
    passive ("is heard in May") is not past; 6. a bare participle or have + VBN is."""
    verb = parse.tokens[k]
    kids = [c for c in parse.children(k) if c.dep in ("aux", "auxpass")]
    # 1. will/shall
    if any(c.lemma in ("will", "shall", "'ll") or c.text.lower() in ("will", "'ll", "wo") for c in kids):
        return 1
    # 2. a plan, unless it was one before ("had been scheduled to expire Friday")
    pluperfect = any(c.lemma == "have" and c.tag == "VBD" for c in kids)
    if _is_plan(parse, verb) and verb.tag in ("VBN", "VBG", "VBD", "VB") and not pluperfect and not (
            verb.lemma == "expect" and verb.tag == "VBD"):
        outer = _clause_verb(parse, verb.head) if verb.tag == "VBN" and not kids and verb.head != k else None
        if outer is not None and depth < 4 and _tense(parse, outer, depth + 1) < 0:
            return -1  # "a service planned for Saturday was canceled": the plan lies in the past
        return 1
    # 3. an infinitive: ahead after a plan or "is to"; after other verbs, only if they look ahead
    if any(c.tag == "TO" for c in kids):
        head = parse.tokens[verb.head]
        if verb.head == k or head.pos not in ("VERB", "AUX") or depth > 3:
            return 0
        if head.lemma in ("set", "be") and head.tag != "VBD":
            return 1
        return max(_tense(parse, verb.head, depth + 1), 0)
    # 3b. a participle clause with no auxiliary ("Speaking on Monday, the minister said"): the tense of its verb
    if verb.tag == "VBG" and not kids and verb.dep in ("advcl", "acl") and depth < 4:
        outer = _clause_verb(parse, verb.head) if verb.head != k else None
        return _tense(parse, outer, depth + 1) if outer is not None else 0
    # 4. past forms
    if verb.tag == "VBD" or "Tense=Past" in verb.morph and verb.tag != "VBN":
        return -1
    if any(c.tag == "VBD" or c.lemma == "have" for c in kids):
        return -1
    # 5. a present passive
    if verb.tag == "VBN" and kids and all(c.tag in _PRESENT_AUX for c in kids):
        return 0
    # 6. a bare participle
    return -1 if verb.tag == "VBN" else 0


def _clause_verb(parse: Parse, k: int) -> int | None:
    """The verb of the clause around token ``k``: ``k`` itself or the first verb up its heads."""
    toks = parse.tokens
    for _ in range(6):
        if toks[k].pos in ("VERB", "AUX"):
            return k
        if toks[k].head == k:
            return None
        k = toks[k].head
    return None


def _is_plan(parse: Parse, verb: Token) -> bool:
    """A verb of planning: "scheduled", "planned", or "set" with a "for" ("a summit set for April")."""
    if verb.lemma in _PLAN_VERBS:
        return True
    return verb.lemma == "set" and verb.tag == "VBN" and any(c.text.lower() == "for" for c in parse.children(verb.i))


_TIME_HEADS = frozenset(PARTS) | frozenset(MONTHS) | frozenset(WEEKDAYS) | frozenset(DAYS)


# --- selection of overlapping matches -------------------------------------------------------------

_HYPHEN_QUARTER = re.compile(r"\w-quarter\b", re.I)


def _select(text: str, ctx: Ctx) -> list[tuple[int, int, Rule, re.Match[str]]]:
    """Every rule's matches; where they overlap the longest accepted one wins, then the earlier rule."""
    found: list[tuple[int, int, int, Rule, re.Match[str]]] = []
    folded = fold(text)
    for order, rule in enumerate(RULES):
        if not rule.may_match(folded):
            continue  # a word the rule needs is absent: it cannot match
        for m in rule.pattern.finditer(text):
            start, end = m.span()
            if end > start:
                found.append((start, end, order, rule, m))  # ranked by the whole match, kept by its extent
    found.sort(key=lambda f: (-(f[1] - f[0]), f[2], f[0]))
    taken = bytearray(len(text))
    keep: list[tuple[int, int, Rule, re.Match[str]]] = []
    for _, _, _, rule, m in found:
        start, end = _extent(rule, m)
        if any(taken[start:end]) or _apply(rule, m, ctx)[0] is None:
            continue
        taken[start:end] = b"\x01" * (end - start)
        keep.append((start, end, rule, m))
    keep.sort(key=lambda k: k[0])
    return keep


def _extent(rule: Rule, m: re.Match[str]) -> tuple[int, int]:
    """The characters a match covers as a time: group ``x`` when the rule has one; an adjective such as
    "a 10-year plan" keeps its number and unit only."""
    if "x" in rule.pattern.groupindex and m["x"] is not None:
        return m.span("x")
    if rule.name == "quarter" and m["det"] and _HYPHEN_QUARTER.search(m[0]):
        return m.start("det") + len(m["det"]), m.end()  # "the third-quarter loss": the adjective only
    if rule.name == "duration" and m["hy"] == "-" and (m["mods"] or "").strip().lower() in ("", "the", "a", "an"):
        return m.start("n"), m.end()
    return m.span()


STAGE = Stage("time", frozenset({"parse"}), frozenset({"times"}), EXTRACTOR, find_times)
