"""Attribution: who said what, with the cue, the channel and the time of saying.

Requires: parse, segments, actors, times. Provides: statements.

The cascade (each rule on the dependency parse; numbers mirrored in the code):
  1. cue verbs with a complement: "GUR assured that ...", "..., Zelensky said Friday night" (ccomp);
     "calling on X to ..." (object + xcomp); "put the number at N" (object + its "at" phrase)
  2. passive attribution: "was first warned by the US" -- the passive subject is the content, the
     agent the speaker; a conjoined passive ("and then confirmed by South Korea") shares the content
  3. copular attitude: "Guterres was “very concerned” about ..." (resources/attitudes.txt)
  4. "according to X": the rest of the sentence is X's content
  5. direct quotes not yet covered: the nearest cue verb of the sentence outside the quote gives the
     speaker; a quote that opens a paragraph without a cue continues the previous speaker
  6. Q&A turns: each answer is the turn speaker's
Speakers: the cue's subject (or agent); a relative pronoun ("the US – which put ...") takes its
antecedent; a cue without a subject ("adding", "before calling on") takes its governing cue's speaker
(and channel and time); pronouns and descriptions ("he", "the agency", "the president") resolve to
the nearest preceding compatible actor. Unnamed sources ("officials", "a source") stay unresolved,
with their text kept.

Known limits: noun cues ("his claim that") and multi-sentence "according to" scope are not yet read.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from claimscope.model import Ledger, Parse, Span, Statement, StatementKind, Token
from claimscope.pipeline import Stage
from claimscope.stages.actors import actor_at
from claimscope.stages.quotation import OPEN as _OPEN
from claimscope.stages.quotation import groups, quote_kind, quotes, trim
from claimscope.stages.speakers import PRONOUN_KINDS, Resolver

EXTRACTOR = "attribution.rules.v1"
_SKIP_SEGMENTS = frozenset({"tags", "credit", "boilerplate"})
# What "put ... at N" puts a figure on ("put the number of strikers at 2,500"), as opposed to "put pressure on".
_ESTIMATES = frozenset({"number", "figure", "toll", "total", "estimate", "cost", "count", "tally", "price", "value",
                        "size", "death", "casualty", "loss", "bill", "damage", "rate"})
_RECIPIENT_VERBS = frozenset({"tell", "ask", "inform", "notify", "advise", "urge", "call", "put", "warn", "assure",
                              "thank", "remind"})
# A quotation signed with a dash: closing mark, dash, a capitalised name up to a comma or the line's end.
_SIGNATURE = re.compile(r"[”\"'’.,!?]*\s*[―—–]\s*(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4})")
# Verbs whose content is a prepositional object ("called for a ban"): pairs of lemma and preposition.
_PREP_CUES = frozenset({
    ("call", "for"), ("ask", "about"), ("speak", "of"), ("speak", "about"), ("talk", "about"), ("complain", "about"),
    ("warn", "against"), ("warn", "about"), ("warn", "of"), ("point", "to"), ("accuse", "of"), ("advocate", "for"),
    ("argue", "for"), ("argue", "against"), ("push", "for"), ("press", "for"), ("rally", "for"), ("testify", "about"),
    ("comment", "on"), ("insist", "on"), ("worry", "about"), ("boast", "about"), ("joke", "about"), ("write", "about"),
    ("tweet", "about"), ("speak", "out"), ("apologize", "for"), ("apologise", "for"), ("criticize", "for"),
})
_ORG_NOUNS = frozenset(
    {
        "agency",
        "ministry",
        "government",
        "department",
        "office",
        "company",
        "group",
        "army",
        "military",
        "police",
        "court",
        "committee",
        "council",
        "administration",
        "organization",
        "organisation",
        "service",
        "firm",
        "party",
        "campaign",
        "bank",
    }
)


@dataclass(frozen=True, slots=True)
class Config:
    min_quote_words: int = 3  # shorter quoted strings are scare quotes unless a cue governs them


@lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    root = resources.files("claimscope.resources")

    def words(name: str) -> list[str]:
        raw = root.joinpath(name).read_text("utf-8")
        return [ln.strip() for ln in raw.splitlines() if ln.strip() and not ln.startswith("#")]

    cues: dict[str, str] = {}
    for w in words("cues.tsv"):
        lemma, cls = w.split("\t")
        cues.setdefault(lemma, cls)
    return cues, frozenset(words("channels.txt")), frozenset(words("attitudes.txt"))


@dataclass(slots=True)
class _Found:
    content: tuple[int, int]  # characters
    speaker_tok: int | None
    cue: tuple[int, int] | None
    cue_tok: int | None
    pattern: str
    kind: StatementKind | None = None


class _Sentence:
    """The attribution rules over one sentence of the parse."""

    def __init__(self, ledger: Ledger, parse: Parse, first: int, last: int) -> None:
        self.led, self.p, self.first, self.last = ledger, parse, first, last
        self.toks = parse.tokens
        self.cues, self.channels, self.attitudes = _lexicon()
        self.kids: dict[int, list[Token]] = {}
        for t in self.toks[first:last]:
            if t.head != t.i:
                self.kids.setdefault(t.head, []).append(t)

    def child(self, i: int, *deps: str) -> Token | None:
        return next((c for c in self.kids.get(i, []) if c.dep in deps), None)

    def chars(self, lo: int, hi: int) -> tuple[int, int]:
        return self.toks[lo].start, self.toks[hi - 1].end

    def subtree(self, i: int) -> tuple[int, int]:
        return self.p.subtree(i)

    def is_cue(self, t: Token) -> bool:
        return t.pos in {"VERB", "AUX"} and t.lemma.lower() in self.cues

    def find(self) -> list[_Found]:
        out: list[_Found] = []
        for t in self.toks[self.first : self.last]:
            if self.is_cue(t):
                f = self._verb_cue(t)  # 1. and 2.
                if f:
                    out.append(f)
            elif t.dep == "acomp" and t.lemma.lower() in self.attitudes:
                f = self._attitude(t)  # 3.
                if f:
                    out.append(f)
            elif t.text.lower() == "according":
                f = self._according(t)  # 4.
                if f:
                    out.append(f)
        return out

    # 1. / 2. --------------------------------------------------------------------------------
    def _verb_cue(self, t: Token) -> _Found | None:
        cue = (t.start, t.end)
        prt = self.child(t.i, "prt") or (self.child(t.i, "prep") if t.lemma == "call" else None)
        if prt is not None and prt.i == t.i + 1:
            cue = (t.start, prt.end)
        named = self._naming(t, cue)
        if named is not None:
            return named
        comp = self.child(t.i, "ccomp")
        if comp is not None and comp.i != t.i:
            lo, hi = self.subtree(comp.i)
            lo = self._skip_mark(lo)
            return _Found(self.chars(lo, hi), self.speaker_of(t), cue, t.i, "cue-ccomp")
        if t.lemma == "put":
            obj, at = self.child(t.i, "dobj") or self.child(t.i, "ccomp"), self.child(t.i, "prep")
            if obj is not None and at is not None and at.text.lower() == "at" and obj.lemma.lower() in _ESTIMATES:
                return _Found(
                    self.chars(self.subtree(obj.i)[0], self.subtree(at.i)[1]), self.speaker_of(t), cue, t.i, "cue-put"
                )
        xcomp = self.child(t.i, "xcomp")
        obj = self.child(prt.i, "pobj") if prt is not None else self.child(t.i, "dobj")
        if obj is None and prt is not None:
            obj = self.child(t.i, "dobj")
        if xcomp is not None and obj is not None:
            return _Found(
                self.chars(self.subtree(obj.i)[0], self._tail(self.subtree(xcomp.i)[1])),
                self.speaker_of(t),
                cue,
                t.i,
                "cue-xcomp",
            )
        for prep in self.kids.get(t.i, []):  # 1. a prepositional object: "called for ...", "warned against ..."
            obj = self.child(prep.i, "pobj", "pcomp") if prep.dep == "prep" else None
            if obj is not None and (t.lemma.lower(), prep.text.lower()) in _PREP_CUES:
                lo, hi = self.subtree(obj.i)
                dobj = self.child(t.i, "dobj")
                if dobj is not None and dobj.i < prep.i:  # "accused the GOP of stoking ..."
                    lo = self.subtree(dobj.i)[0]
                return _Found(self.chars(lo, hi), self.speaker_of(t), (t.start, prep.end), t.i, "cue-prep")
        dobj = self.child(t.i, "dobj")
        speech = self.cues.get(t.lemma.lower()) == "speech" and t.lemma.lower() not in _RECIPIENT_VERBS
        if dobj is not None and speech and dobj.pos != "PRON" and xcomp is None:
            lo, hi = self.subtree(dobj.i)  # 1. a noun phrase as content: "acknowledged the reality of ..."
            return _Found(self.chars(lo, hi), self.speaker_of(t), cue, t.i, "cue-dobj")
        agent = self.child(t.i, "agent")
        if agent is not None and self.child(agent.i, "pobj") is not None:  # 2.
            subj = self._passive_subject(t)
            if subj is not None:
                lo, hi = self.subtree(subj.i)
                return _Found(
                    self.chars(lo, hi),
                    self.child(agent.i, "pobj").i,  # type: ignore[union-attr]
                    cue,
                    t.i,
                    "cue-passive",
                )
        return None

    def _naming(self, t: Token, cue: tuple[int, int]) -> _Found | None:
        """ "called Trump's plan a disaster": the object and what it is called are the content."""
        if t.lemma.lower() not in {"call", "label", "brand", "dub", "name", "deem"} or cue[1] > t.end:
            return None  # "calling on X to ...", "called for ...": not naming
        obj = self.child(t.i, "dobj")
        comp = self.child(t.i, "oprd", "ccomp", "xcomp", "attr")
        if obj is None or comp is None or comp.i < obj.i:
            return None
        lo, hi = self.subtree(obj.i)[0], self.subtree(comp.i)[1]
        return _Found(self.chars(lo, hi), self.speaker_of(t), cue, t.i, "cue-naming")

    def _tail(self, hi: int) -> int:
        """Extend a complement to the sentence end when only dangling words follow (no new subject or cue)."""
        rest = self.toks[hi : self.last]
        if any(t.dep in {"nsubj", "nsubjpass"} and t.head < hi or self.is_cue(t) and self.child(t.i, "nsubj")
               for t in rest):
            return hi
        return self.last if rest else hi

    def _skip_mark(self, lo: int) -> int:
        while lo < self.last and (
            self.toks[lo].dep == "mark"
            and self.toks[lo].text.lower() in {"that", "if", "whether"}
            or self.toks[lo].pos == "PUNCT"
            and self.toks[lo].text not in _OPEN
        ):
            lo += 1
        return lo

    def _passive_subject(self, t: Token) -> Token | None:
        seen = set()
        while t.i not in seen:
            seen.add(t.i)
            subj = self.child(t.i, "nsubjpass")
            if subj is not None:
                return subj
            if t.dep not in {"conj", "advcl"} or t.head == t.i:
                return None
            t = self.toks[t.head]
        return None

    # 3. ------------------------------------------------------------------------------------
    def _attitude(self, t: Token) -> _Found | None:
        cop = self.toks[t.head]
        subj = self.child(cop.i, "nsubj")
        if subj is None or subj.pos not in {"PROPN", "NOUN", "PRON"} or self._is_thing(subj):
            return None
        lo, hi = self.subtree(t.i)
        return _Found(self.chars(lo, hi), subj.i, None, None, "attitude")

    def _is_thing(self, subj: Token) -> bool:
        if subj.pos == "PRON":
            return PRONOUN_KINDS.get(subj.text.lower(), "none") == "none"
        return actor_at(self.led, subj.start, subj.end) is None and subj.lemma.lower() not in _ORG_NOUNS

    # 4. ------------------------------------------------------------------------------------
    def _according(self, t: Token) -> _Found | None:
        to = self.child(t.i, "prep")
        src = self.child(to.i, "pobj") if to is not None else None
        if src is None:
            return None
        lo, hi = self.subtree(t.i)
        s_lo, s_hi = self.first, self.last
        # the content is on the longer side of the phrase
        content = self._trim_tokens(s_lo, lo) if lo - s_lo >= s_hi - hi else self._trim_tokens(hi, s_hi)
        if content is None:
            return None
        cue = (t.start, to.end if to is not None else t.end)
        return _Found(self.chars(*content), src.i, cue, t.i, "according-to", "indirect")

    def _trim_tokens(self, lo: int, hi: int) -> tuple[int, int] | None:
        while lo < hi and self.toks[lo].pos == "PUNCT":
            lo += 1
        while hi > lo and self.toks[hi - 1].pos == "PUNCT":
            hi -= 1
        return (lo, hi) if hi - lo >= 2 else None

    # speakers --------------------------------------------------------------------------------
    def speaker_of(self, t: Token) -> int | None:
        seen = set()
        while t.i not in seen:
            seen.add(t.i)
            subj = self.child(t.i, "nsubj", "nsubjpass")
            agent = self.child(t.i, "agent")
            if agent is not None and self.child(agent.i, "pobj") is not None:
                return self.child(agent.i, "pobj").i  # type: ignore[union-attr]
            if subj is not None:
                return self._antecedent(subj) if subj.tag in {"WDT", "WP"} else subj.i
            if t.head == t.i or t.dep not in {"advcl", "conj", "xcomp", "pcomp", "prep", "ccomp"}:
                return None
            t = self.toks[t.head]
            if t.dep == "prep" or t.pos == "ADP":  # "before calling": step over the preposition
                continue
        return None

    def _antecedent(self, rel: Token) -> int | None:
        for i in range(rel.i - 1, self.first - 1, -1):
            if self.toks[i].pos in {"PROPN", "NOUN"}:
                return i
        return None


def _governing_cue(s: _Sentence, f: _Found) -> int | None:
    """For a cue without its own subject ("adding", "calling on"): the cue it depends on."""
    if f.cue_tok is None:
        return None
    t = s.toks[f.cue_tok]
    while t.head != t.i and t.dep in {"advcl", "conj", "xcomp", "pcomp", "prep"}:
        t = s.toks[t.head]
        if s.is_cue(t):
            return t.i
    return None


# --- from findings to statements ---------------------------------------------------------------


class _Builder:
    def __init__(self, ledger: Ledger) -> None:
        assert ledger.parse is not None
        self.led, self.p, self.text = ledger, ledger.parse, ledger.text
        self.resolver = Resolver(ledger)
        self.out: list[Statement] = []
        self._line_quotes: dict[tuple[int, int], list[tuple[int, int]]] = {}  # one scan per line, not per statement

    def add(self, s: _Sentence, f: _Found) -> None:
        lo, hi = trim(self.text, *self._widen(f.content, f.cue))
        if hi - lo < 2 or self._nested_first_person(s, f):
            return
        speaker, speaker_span = (None, None) if f.speaker_tok is None else self.resolver.resolve(self.p, f.speaker_tok)
        gov = _governing_cue(s, f)
        channel = self._channel(s, f.cue_tok) or self._channel(s, gov)
        when = self._time(s, (lo, hi), f.cue_tok)
        kind = f.kind or self._kind(lo, hi)
        cue = self.led.span(*f.cue) if f.cue else None
        sid = self.led.item_id(f"statement{cue.start if cue else ''}", lo, hi)
        self.out.append(
            Statement(
                sid,
                kind,
                self.led.span(lo, hi),
                speaker,
                speaker_span,
                cue,
                channel,
                when[0] if when else None,
                when[1] if when else None,
                EXTRACTOR,
                0.9 if speaker else 0.6,
                f.pattern,
            )
        )

    def _widen(self, content: tuple[int, int], cue: tuple[int, int] | None) -> tuple[int, int]:
        """A complement that lies in a longer quotation (several sentences) takes the whole quotation,
        unless the cue itself is inside it (an attribution nested in somebody's quotation)."""
        lo, hi = content
        line_lo = self.text.rfind("\n", 0, lo) + 1
        line_hi = self.text.find("\n", hi)
        line = (line_lo, len(self.text) if line_hi < 0 else line_hi)
        if line not in self._line_quotes:
            self._line_quotes[line] = quotes(self.text, *line)
        for q_lo, q_hi in self._line_quotes[line]:
            nested = cue is not None and q_lo <= cue[0] < q_hi
            if q_lo <= lo + 2 and hi - 2 <= q_hi and (q_lo, q_hi) != (lo, hi) and not nested:
                return min(lo, q_lo), max(hi, q_hi)
        return lo, hi

    def _nested_first_person(self, s: _Sentence, f: _Found) -> bool:
        """"I think ..." inside somebody's quotation belongs to that quotation: no statement of its own."""
        if f.speaker_tok is None or f.cue is None or s.toks[f.speaker_tok].text.lower() not in {"i", "we", "you"}:
            return False
        line_lo = self.text.rfind("\n", 0, f.cue[0]) + 1
        line_hi = self.text.find("\n", f.cue[1])
        spans = quotes(self.text, line_lo, len(self.text) if line_hi < 0 else line_hi)
        return any(q_lo <= f.cue[0] < q_hi for q_lo, q_hi in spans)

    def _kind(self, lo: int, hi: int) -> StatementKind:
        kind = quote_kind(self.text, lo, hi)
        if kind == "direct" and re.search(r"\bthat\s*[“\"«]?\s*$", self.text[max(0, lo - 8) : lo]):
            return "mixed"
        return kind

    def _channel(self, s: _Sentence, cue: int | None) -> Span | None:
        if cue is None:
            return None
        for prep in s.kids.get(cue, []):
            if prep.dep != "prep" or prep.text.lower() not in {"in", "on", "via", "through", "during", "at", "to"}:
                continue
            obj = s.child(prep.i, "pobj")
            if obj is not None and obj.lemma.lower() in s.channels:
                lo = min(
                    [obj.i] + [c.i for c in s.kids.get(obj.i, []) if c.dep in {"compound", "amod"} and c.i < obj.i]
                )
                return self.led.span(s.toks[lo].start, obj.end)
        return None

    def _time(self, s: _Sentence, content: tuple[int, int], cue: int | None) -> tuple[str | None, str] | None:
        sent = self.p.sentences[s.toks[s.first].sent]
        near = s.toks[cue].start if cue is not None else content[0]
        best = None
        for t in self.led.times or ():
            inside = content[0] <= t.span.start < content[1]
            if (
                sent.start <= t.span.start < sent.end
                and not inside
                and t.type in {"DATE", "TIME"}
                and (best is None or abs(t.span.start - near) < abs(best.span.start - near))
            ):
                best = t
        return (best.value, best.id) if best else None

    def lines(self) -> list[tuple[int, int]]:
        out = []
        for seg in self.led.segments or ():
            if seg.parent is not None or seg.kind not in {"body", "caption", "headline"}:
                continue
            for m in re.finditer(r"[^\n]+", self.text[seg.span.start : seg.span.end]):
                out.append((seg.span.start + m.start(), seg.span.start + m.end()))
        return out

    def quotes(self, config: Config) -> None:
        lines = self.lines()
        for k, line in enumerate(lines):
            for q in quotes(self.text, *line):
                self._quote(q, line, lines[k - 1] if k else None, config)

    def merge_quote_groups(self) -> None:
        """A quotation split by its cue ("A," she said. "B.") is one statement over the whole stretch."""
        for line in self.lines():
            spans = [trim(self.text, *q) for q in quotes(self.text, *line)]
            for group in groups(self.text, spans):
                lo, hi = group[0][0], group[-1][1]
                members = [st for st in self.out if lo - 2 <= st.content.start and st.content.end <= hi + 2]
                speakers = {st.speaker or (st.speaker_span.text if st.speaker_span else None) for st in members}
                if not members or len(speakers - {None}) > 1 or sum(st.cue is not None for st in members) > 1:
                    continue  # two cues ("said ..., adding ...") are two statements
                keep = min(members, key=lambda st: (st.cue is None, st.content.start))
                sid = self.led.item_id(f"statement{keep.cue.start if keep.cue else ''}", lo, hi)
                merged = dataclasses.replace(keep, id=sid, content=self.led.span(lo, hi), kind="direct")
                self.out = [st for st in self.out if st not in members] + [merged]

    def _quote(self, q: tuple[int, int], line: tuple[int, int], prev_line: tuple[int, int] | None,
               config: Config) -> None:
        lo, hi = trim(self.text, *q)
        if len(self.text[lo:hi].split()) < config.min_quote_words:
            return
        for st in self.out:  # 5. already covered by a cue rule
            ov = min(st.content.end, hi) - max(st.content.start, lo)
            if ov >= 0.5 * (hi - lo):
                return
        sents = [s for s in self.p.sentences if s.start < hi and lo < s.end]
        for sent in sents:
            s = _Sentence(self.led, self.p, sent.first, sent.last)
            cues = [t for t in s.toks[s.first : s.last] if s.is_cue(t) and not lo <= t.start < hi]
            cues = [t for t in cues if (sp := s.speaker_of(t)) is not None and not lo <= s.toks[sp].start < hi]
            if cues:
                cue = min(cues, key=lambda t: min(abs(t.start - hi), abs(t.end - lo)))
                self.add(s, _Found((lo, hi), s.speaker_of(cue), (cue.start, cue.end), cue.i, "quote-cue", "direct"))
                return
        if self._dash_signed(lo, hi, line):  # "“…” ― Julie Diaz, a nurse": the quotation is signed
            return
        prev = [st for st in self.out if st.content.end <= lo]
        if self.text[line[0] : q[0]].strip(' “"«') == "" and prev:
            last = max(prev, key=lambda st: st.content.end)
            if last.kind == "direct" and self.text[last.content.end : line[0]].strip(" \n.,") == "":
                # a quotation running over paragraphs: the earlier one was left open, this one goes on
                merged = dataclasses.replace(last, content=self.led.span(last.content.start, hi))
                self.out[self.out.index(last)] = merged
                return
            sid = self.led.item_id("statement", lo, hi)
            self.out.append(
                Statement(
                    sid,
                    "direct",
                    self.led.span(lo, hi),
                    last.speaker,
                    last.speaker_span,
                    None,
                    None,
                    last.time,
                    last.time_ref,
                    EXTRACTOR,
                    0.7,
                    "quote-continued",
                )
            )

    def _dash_signed(self, lo: int, hi: int, line: tuple[int, int]) -> bool:
        m = _SIGNATURE.match(self.text, hi, line[1])
        if m is None:
            return False
        who = self.led.span(m.start("name"), m.end("name"))
        actor = actor_at(self.led, who.start, who.end)
        sid = self.led.item_id("statement", lo, hi)
        self.out.append(Statement(sid, "direct", self.led.span(lo, hi), actor.id if actor else None, who, None,
                                  None, None, None, EXTRACTOR, 0.8, "quote-signed"))
        return True

    def _colon_intro(self, lo: int, hi: int, prev_line: tuple[int, int]) -> bool:
        sents = [x for x in self.p.sentences if prev_line[0] <= x.start < prev_line[1]]
        if not sents:
            return False
        s = _Sentence(self.led, self.p, sents[-1].first, sents[-1].last)
        for t in reversed(s.toks[s.first : s.last]):
            if s.is_cue(t) and s.speaker_of(t) is not None:
                self.add(s, _Found((lo, hi), s.speaker_of(t), (t.start, t.end), t.i, "quote-colon", "direct"))
                return True
        return False

    def turns(self) -> None:
        for seg in self.led.segments or ():  # 6.
            if seg.kind != "turn" or seg.role != "answer" or seg.speaker is None:
                continue
            lo, hi = trim(self.text, seg.span.start, seg.span.end)
            actor = actor_at(self.led, seg.speaker.start, seg.speaker.end)
            sid = self.led.item_id("statement", lo, hi)
            self.out.append(
                Statement(
                    sid,
                    "direct",
                    self.led.span(lo, hi),
                    actor.id if actor else None,
                    seg.speaker,
                    None,
                    None,
                    None,
                    None,
                    EXTRACTOR,
                    0.9,
                    "qa-turn",
                )
            )


def attribute(ledger: Ledger, config: Config = Config()) -> Ledger:
    parse = ledger.parse
    assert parse is not None and ledger.segments is not None
    b = _Builder(ledger)
    for sent in parse.sentences:
        seg = ledger.segments[sent.segment]
        if seg.kind in _SKIP_SEGMENTS or seg.kind == "turn":
            continue
        s = _Sentence(ledger, parse, sent.first, sent.last)
        for f in s.find():
            b.add(s, f)
    b.quotes(config)
    b.merge_quote_groups()
    b.turns()
    unique: dict[tuple[int, int, str | None, int | None], Statement] = {}
    for st in sorted(b.out, key=lambda st: (st.content.start, st.content.end)):
        unique.setdefault((st.content.start, st.content.end, st.speaker, st.cue.start if st.cue else None), st)
    return dataclasses.replace(ledger, statements=tuple(unique.values()))


STAGE = Stage(
    "attribution", frozenset({"parse", "segments", "actors", "times"}), frozenset({"statements"}), EXTRACTOR, attribute
)
