"""Attribution: who said what, with the cue, the channel and the time of saying.

Requires: parse, segments, actors, times. Provides: statements.

The cascade (each rule on the dependency parse; numbers mirrored in the code; rules 1-4 work on one
sentence at a time and live in ``attribution_rules.py``, noun cues in ``attribution_nouns.py``):
  1. cue verbs (resources/cues.tsv, by class) with a complement: "GUR assured that ...", "...,
     Zelensky said Friday night" (ccomp); "A, but B, a source said" and "But A, he said, B" (the
     sentence around a closing or parenthetical cue); "vowed to ..." (an intention's infinitive);
     "calling on X to ..." (object + xcomp); "described X as Y" (object and its "as" phrase); "put
     the number at N"; noun cues: "his claim that ...", "her call for ..." (resources/cue_nouns.tsv)
  2. passive attribution: "was first warned by the US" -- the passive subject is the content, the
     agent the speaker; a conjoined passive ("and then confirmed by South Korea") shares the content
  3. copular attitude: "Guterres was “very concerned” about ..." (resources/attitudes.txt); an
     impression without a source: "the campaign appeared paralyzed" (class "evidential")
  4. "according to X": the rest of the sentence is X's content
  5. direct quotes not yet covered: the nearest cue verb of the sentence outside the quote gives the
     speaker; a quote that opens a paragraph without a cue continues the previous speaker; a
     quotation split by its cue is one statement over the whole stretch
  6. Q&A turns: each answer is the turn speaker's; "NAME: words" lines (a transcript inside a body,
     a headline naming its source) are the label's
  7. a statement held inside another one's content, cue and all, is part of it and is dropped (a cue
     inside a quotation, "X said Y had warned that ..."), unless it is the whole of what a closing cue
     reports ("[the union insisted that X], Reyes revealed": both stay)
Speakers: the cue's subject (or agent, or a noun cue's possessor); a relative pronoun ("the US –
which put ...") is the mention and resolves to its antecedent; a cue without a subject ("adding",
"before calling on") takes its governing cue's speaker (and channel and time); pronouns and
descriptions ("he", "the agency", "the president") resolve to the nearest preceding compatible
actor. Unnamed sources ("officials", "a source") stay unresolved, with their text kept.

Known limits (PolNeAR dev, docs/evaluation.md): recall is the gap -- a long tail of cue verbs and
nouns, content that runs over several sentences before a cue, and multi-sentence "according to"
scope are not read; content boundaries follow the parse, so a mis-attached clause moves them.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from claimscope.model import Ledger, Span, Statement, StatementKind
from claimscope.pipeline import Stage
from claimscope.spanindex import index_of
from claimscope.stages.actors import actor_at
from claimscope.stages.attribution_rules import Found, Sentence, governing_cue
from claimscope.stages.quotation import groups, quote_kind, quotes, trim
from claimscope.stages.speakers import Resolver

EXTRACTOR = "attribution.rules.v2"
# "PENCE: Well, look ..." (a transcript turn inside a body) and "Pence: Trump was 'mocking' Clinton" (a
# headline naming its source): a short capitalised label, a colon, the words.
_LABEL = re.compile(r"[\"“']?(?P<name>[A-Z][\w.'’-]*(?:\s+[\w.'’-]+){0,4}):\s+(?P<words>\S.*)")
_NOT_LABELS = frozenset({"read", "update", "updated", "note", "editor's note", "related", "photo", "photos", "video",
                         "watch", "source", "sources", "correction", "follow", "see also", "share", "listen", "via",
                         "credit", "caption", "warning", "breaking", "exclusive", "opinion", "analysis", "a",
                         "answer", "comments", "tags", "advertisement", "click here", "more"})
_SKIP_SEGMENTS = frozenset({"tags", "credit", "boilerplate"})
# A quotation signed with a dash: closing mark, dash, a capitalised name up to a comma or the line's end.
# A second source joined to the first one's content: "A said X, while B said Y"; "..., but B insisted ...".
_JOINT = re.compile(r"[,;]\s*(?:while|whereas|but|although|though|and)\s+$", re.IGNORECASE)
# Where a clause ends inside a content span (a comma between digits is part of a figure).
_CLAUSE_STOP = re.compile(r"[,;–—](?=\s)")
_SIGNATURE = re.compile(r"[”\"'’.,!?]*\s*(?:[―—–]|--)\s*(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4})")


@dataclass(frozen=True, slots=True)
class Config:
    min_quote_words: int = 3  # shorter quoted strings are scare quotes unless a cue governs them


# --- from findings to statements ---------------------------------------------------------------


class _Builder:
    def __init__(self, ledger: Ledger) -> None:
        assert ledger.parse is not None
        self.led, self.p, self.text = ledger, ledger.parse, ledger.text
        self.resolver = Resolver(ledger)
        self.out: list[Statement] = []
        self._merged: set[str] = set()  # quotations merged over their cue: a cue between the pieces stays
        self._line_quotes: dict[tuple[int, int], list[tuple[int, int]]] = {}  # one scan per line, not per statement

    def add(self, s: Sentence, f: Found) -> None:
        lo, hi = trim(self.text, *self._widen(f.content, f.cue))
        if hi - lo < 2 or self._in_quotation(f):
            return
        speaker, speaker_span = (None, None) if f.speaker_tok is None else self.resolver.resolve(self.p, f.speaker_tok)
        gov = governing_cue(s, f)
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

    def _quotes_around(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """The quotations of the line(s) holding lo:hi, scanned once per line."""
        line_lo = self.text.rfind("\n", 0, lo) + 1
        line_hi = self.text.find("\n", hi)
        line = (line_lo, len(self.text) if line_hi < 0 else line_hi)
        if line not in self._line_quotes:
            self._line_quotes[line] = quotes(self.text, *line)
        return self._line_quotes[line]

    def _widen(self, content: tuple[int, int], cue: tuple[int, int] | None) -> tuple[int, int]:
        """A complement that lies in a longer quotation (several sentences) takes the whole quotation,
        unless the cue itself is inside it (an attribution nested in somebody's quotation)."""
        lo, hi = content
        for q_lo, q_hi in self._quotes_around(lo, hi):
            nested = cue is not None and q_lo <= cue[0] < q_hi
            if q_lo <= lo + 2 and hi - 2 <= q_hi and (q_lo, q_hi) != (lo, hi) and not nested:
                return min(lo, q_lo), max(hi, q_hi)
        return lo, hi

    def _in_quotation(self, f: Found) -> bool:
        """A cue inside somebody's quotation ("“I think ...,” she said") belongs to that quotation: no
        statement of its own."""
        if f.cue is None:
            return False
        return any(q_lo <= f.cue[0] < q_hi for q_lo, q_hi in self._quotes_around(f.cue[0], f.cue[1]))

    def _kind(self, lo: int, hi: int) -> StatementKind:
        kind = quote_kind(self.text, lo, hi)
        if kind == "direct" and re.search(r"\bthat\s*[“\"«]?\s*$", self.text[max(0, lo - 8) : lo]):
            return "mixed"
        return kind

    def _channel(self, s: Sentence, cue: int | None) -> Span | None:
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

    def _time(self, s: Sentence, content: tuple[int, int], cue: int | None) -> tuple[str | None, str] | None:
        sent = self.p.sentences[s.toks[s.first].sent]
        near = s.toks[cue].start if cue is not None else content[0]
        best = None
        for t in index_of(self.led.times or (), "span").starting_in(sent.start, sent.end):
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
            for q in self._quotes_around(*line):
                self._quote(q, line, lines[k - 1] if k else None, config)

    def merge_quote_groups(self) -> None:
        """A quotation split by its cue ("A," she said. "B.") is one statement over the whole stretch."""
        for line in self.lines():
            spans = [trim(self.text, *q) for q in self._quotes_around(*line)]
            for group in groups(self.text, spans):
                lo, hi = group[0][0], group[-1][1]
                near = [(st, _quoted(st, group)) for st in self.out
                        if lo - 3 <= st.content.start and st.content.end <= hi + 3]
                members = [st for st, quoted in near if quoted * 2 >= st.content.length]  # not a cue's own words
                speakers = {st.speaker or (st.speaker_span.text if st.speaker_span else None) for st in members}
                cues = {st.cue.start for st, quoted in near if st.cue and quoted}
                if not members or len(speakers - {None}) > 1 or len(cues) > 1:
                    continue  # two cues ("said ..., adding ...") are two statements
                keep = min(members, key=lambda st: (st.cue is None, st.content.start))
                sid = self.led.item_id(f"statement{keep.cue.start if keep.cue else ''}", lo, hi)
                merged = dataclasses.replace(keep, id=sid, content=self.led.span(lo, hi), kind="direct")
                self.out = [st for st in self.out if st not in members] + [merged]
                self._merged.add(sid)

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
            s = Sentence(self.led, self.p, sent.first, sent.last)
            cues = [t for t in s.toks[s.first : s.last] if s.is_cue(t) and not lo <= t.start < hi]
            cues = [t for t in cues if (sp := s.speaker_of(t)) is not None and not lo <= s.toks[sp].start < hi]
            if cues:
                cue = min(cues, key=lambda t: min(abs(t.start - hi), abs(t.end - lo)))
                self.add(s, Found((lo, hi), s.speaker_of(cue), (cue.start, cue.end), cue.i, "quote-cue", "direct"))
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
        s = Sentence(self.led, self.p, sents[-1].first, sents[-1].last)
        for t in reversed(s.toks[s.first : s.last]):
            if s.is_cue(t) and s.speaker_of(t) is not None:
                self.add(s, Found((lo, hi), s.speaker_of(t), (t.start, t.end), t.i, "quote-colon", "direct"))
                return True
        return False

    def drop_nested(self) -> None:
        """A statement inside another one's content, cue and all, is part of what that source says, not a
        statement of its own ("[the union insisted that X], Reyes revealed"; PolNeAR annotates the outer one).
        Two that overlap without one holding the other are two sources ("A argued that X, according to B"),
        and so are two joined by a contrast ("A said X, while B said Y"): A's content ends before the joint."""
        outer = [st for st in self.out if st.id not in self._merged]
        cuts: dict[str, int] = {}

        def nested(st: Statement) -> bool:
            for o in outer:
                if o is st or st.cue is None or not (o.content.start <= min(st.cue.start, st.content.start)
                                                     and max(st.cue.start + 1, st.content.end) <= o.content.end):
                    continue
                if (o.pattern == "cue-final" and st.speaker_span is not None
                        and st.speaker_span.start - o.content.start <= 12 and st.content.end >= o.content.end - 2):
                    continue
                joint = self._joint_before(o, st)
                if joint is None:
                    return True
                cuts[o.id] = min(cuts.get(o.id, joint), joint)
            return False

        kept = [st for st in self.out if not nested(st)]
        for st in kept:  # content that runs on over another source's cue and name ends before that clause
            for o in kept:
                if o is st or o.cue is None or o.speaker_span is None or st.id in self._merged:
                    continue
                head = min(o.cue.start, o.speaker_span.start)
                inside = st.content.start < head < st.content.end
                if inside and not (st.content.start <= o.content.start and o.content.end <= st.content.end):
                    stops = [m.start() for m in _CLAUSE_STOP.finditer(self.text, st.content.start + 1, head)]
                    if stops:
                        cuts[st.id] = min(cuts.get(st.id, stops[-1]), stops[-1])
        self.out = [self._cut(st, cuts[st.id]) if st.id in cuts else st for st in kept]

    def _joint_before(self, outer: Statement, inner: Statement) -> int | None:
        """Where outer's content gives way to a second source joined by a contrast or "and" (", while B said
        ..."), or None when inner is simply part of what outer's source says."""
        if inner.speaker_span is None or inner.speaker is None:
            return None
        m = _JOINT.search(self.text, outer.content.start, inner.speaker_span.start)
        return m.start() if m is not None and m.end() == inner.speaker_span.start else None

    def _cut(self, st: Statement, end: int) -> Statement:
        lo, hi = trim(self.text, st.content.start, end)
        if hi <= lo:
            return st
        return dataclasses.replace(st, id=self.led.item_id("statement", lo, hi),
                                   kind=quote_kind(self.text, lo, hi), content=self.led.span(lo, hi))

    def labelled_lines(self) -> None:
        """6. "WALLACE: If I may, sir ..." inside a body, "Pence: Flowers won't be at debate" as a headline:
        the label names the speaker when it is a known actor or written in capitals."""
        for lo, hi in self.lines():
            m = _LABEL.match(self.text, lo, hi)
            if m is None or m.group("name").lower() in _NOT_LABELS or len(m.group("words").split()) < 3:
                continue
            actor = actor_at(self.led, m.start("name"), m.end("name"))
            if not self._is_label(m.start("name"), m.end("name")):
                continue
            c_lo, c_hi = trim(self.text, m.start("words"), hi)
            sid = self.led.item_id("statement", c_lo, c_hi)
            colon = self.led.span(m.end("name"), m.end("name") + 1)
            self.out.append(Statement(sid, quote_kind(self.text, c_lo, c_hi), self.led.span(c_lo, c_hi),
                                      actor.id if actor else None, self.led.span(m.start("name"), m.end("name")),
                                      colon, None, None, None, EXTRACTOR, 0.8, "labelled-line"))

    def _is_label(self, lo: int, hi: int) -> bool:
        """A speaker label is a name: capitalised words ("WALLACE", "Pat Caddell", "Poll"), or a short
        description around a proper name ("Republican pollster Daron Shaw", "Clinton camp"), never a
        clause ("Ana Ruiz said: ..." is a cue verb's colon, read by the rules)."""
        words = self.text[lo:hi].split()
        if all(w[0].isupper() or w in {"of", "the", "and"} for w in words):
            return hi > lo
        toks = [t for t in self.p.tokens[self._first_token(lo) :] if t.start < hi]
        return (any(t.pos == "PROPN" for t in toks) and not any(t.pos in {"VERB", "AUX"} for t in toks)
                and len(words) <= 5)

    def _first_token(self, char: int) -> int:
        sent = self.p.sentence_of(char)
        first = sent.first if sent is not None else 0
        return next((t.i for t in self.p.tokens[first:] if t.end > char), len(self.p.tokens))

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


def _quoted(st: Statement, group: list[tuple[int, int]]) -> int:
    """How many characters of a statement's content lie inside the quotations of a group."""
    return sum(max(0, min(st.content.end, q_hi) - max(st.content.start, q_lo)) for q_lo, q_hi in group)


def attribute(ledger: Ledger, config: Config = Config()) -> Ledger:
    parse = ledger.parse
    assert parse is not None and ledger.segments is not None
    b = _Builder(ledger)
    for sent in parse.sentences:
        seg = ledger.segments[sent.segment]
        if seg.kind in _SKIP_SEGMENTS or seg.kind == "turn":
            continue
        s = Sentence(ledger, parse, sent.first, sent.last)
        for f in s.find():
            b.add(s, f)
    b.labelled_lines()  # 6.
    b.quotes(config)  # 5.
    b.merge_quote_groups()  # 5.
    b.turns()  # 6.
    b.drop_nested()  # 7.
    unique: dict[tuple[int, int, str | None, int | None], Statement] = {}
    for st in sorted(b.out, key=lambda st: (st.content.start, st.content.end)):
        unique.setdefault((st.content.start, st.content.end, st.speaker, st.cue.start if st.cue else None), st)
    return dataclasses.replace(ledger, statements=tuple(unique.values()))


STAGE = Stage(
    "attribution", frozenset({"parse", "segments", "actors", "times"}), frozenset({"statements"}), EXTRACTOR, attribute
)
