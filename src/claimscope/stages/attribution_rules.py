"""The attribution rules over one parsed sentence (steps 1-4 of the attribution stage's cascade).

Helpers of ``stages/attribution.py`` (not a stage): ``Sentence.find`` applies the cue-verb rules
(complement clause, the sentence around a closing or parenthetical cue, an intention's infinitive,
noun-phrase or prepositional object, naming verbs, "put ... at N", object and infinitive), noun cues
(``attribution_nouns.py``), passive attribution, copular attitudes, evidential "seem"/"appear" and
"according to"; each finding names the content characters, the speaker token, the cue and the rule.
``Sentence.content`` trims what a complement's subtree carries but the source did not say (a second
cue, a trailing participle, a non-restrictive relative clause, a channel phrase). Word lists live in
resources/ (cues.tsv by class, cue_nouns.tsv, channels.txt, attitudes.txt); the closed sets here are
grammatical, not lexical, apart from the few verbs whose object is a hearer or a figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from claimscope.model import Ledger, Parse, StatementKind, Token
from claimscope.stages.actors import actor_at
from claimscope.stages.attribution_nouns import noun_cue
from claimscope.stages.quotation import OPEN as _OPEN
from claimscope.stages.speakers import PRONOUN_KINDS

# What "put ... at N" puts a figure on ("put the number of strikers at 2,500"), as opposed to "put pressure on".
_ESTIMATES = frozenset({"number", "figure", "toll", "total", "estimate", "cost", "count", "tally", "price", "value",
                        "size", "death", "casualty", "loss", "bill", "damage", "rate"})
_RECIPIENT_VERBS = frozenset({"tell", "ask", "inform", "notify", "advise", "urge", "call", "put", "warn", "assure",
                              "thank", "remind", "congratulate", "order", "encourage", "persuade", "convince"})
# Verbs whose content is a prepositional object ("called for a ban"): pairs of lemma and preposition.
_PREP_CUES = frozenset({
    ("call", "for"), ("ask", "about"), ("speak", "of"), ("speak", "about"), ("talk", "about"), ("complain", "about"),
    ("warn", "against"), ("warn", "about"), ("warn", "of"), ("point", "to"), ("accuse", "of"), ("advocate", "for"),
    ("argue", "for"), ("argue", "against"), ("push", "for"), ("press", "for"), ("rally", "for"), ("testify", "about"),
    ("comment", "on"), ("insist", "on"), ("worry", "about"), ("boast", "about"), ("joke", "about"), ("write", "about"),
    ("tweet", "about"), ("speak", "out"), ("apologize", "for"), ("apologise", "for"), ("criticize", "for"),
    ("rail", "against"), ("lash", "out"), ("refer", "to"), ("vote", "for"), ("vote", "against"), ("focus", "on"),
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




# Lemmas the parser gets wrong for cue words ("hopes" -> "hop", "rated" -> "rat"): lemma, word stem.
_MISLEMMAS = {"hop": ("hope", "hope"), "rat": ("rate", "rate")}


def lemma(t: Token) -> str:
    lem = t.lemma.lower()
    fix = _MISLEMMAS.get(lem)
    return fix[0] if fix and t.text.lower().startswith(fix[1]) else lem


@lru_cache(maxsize=1)
def lexicon() -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
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
class Found:
    content: tuple[int, int]  # characters
    speaker_tok: int | None
    cue: tuple[int, int] | None
    cue_tok: int | None
    pattern: str
    kind: StatementKind | None = None


class Sentence:
    """The attribution rules over one sentence of the parse."""

    def __init__(self, ledger: Ledger, parse: Parse, first: int, last: int) -> None:
        self.led, self.p, self.first, self.last = ledger, parse, first, last
        self.toks = parse.tokens
        self.cues, self.channels, self.attitudes = lexicon()
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
        return t.pos in {"VERB", "AUX"} and self.cues.get(lemma(t), "evidential") != "evidential"

    def find(self) -> list[Found]:
        out: list[Found] = []
        for t in self.toks[self.first : self.last]:
            if self.is_cue(t):
                f = self._verb_cue(t)  # 1. and 2.
                if f:
                    out.append(f)
            elif t.pos in {"VERB", "AUX"} and self.cues.get(lemma(t)) == "evidential":
                f = self._evidential(t)  # 3. an impression without a source
                if f:
                    out.append(f)
            elif t.dep == "acomp" and t.lemma.lower() in self.attitudes:
                f = self._attitude(t)  # 3.
                if f:
                    out.append(f)
            elif t.pos == "NOUN":
                f = noun_cue(self, t)  # 1. a noun cue
                if f:
                    out.append(f)
            elif t.text.lower() == "according":
                f = self._according(t)  # 4.
                if f:
                    out.append(f)
        return out

    # 1. / 2. --------------------------------------------------------------------------------
    def _verb_cue(self, t: Token) -> Found | None:
        cue = (t.start, t.end)
        prt = self.child(t.i, "prt") or (self.child(t.i, "prep") if t.lemma == "call" else None)
        if prt is not None and prt.i == t.i + 1:
            cue = (t.start, prt.end)
        named = self._naming(t, cue)
        if named is not None:
            return named
        comp = self.child(t.i, "ccomp")
        if comp is not None and comp.i != t.i:
            lo, hi = self.content(comp.i)
            if comp.i < t.i:  # 1. "A, but B, another source said": all that precedes the cue's clause
                lo, hi = self.first, self._clause_start(t)
            else:
                lo = self._lead_time(lo, hi)
                if hi == self.subtree(comp.i)[1]:
                    hi = self._tail(hi)
            lo = self._skip_mark(lo)
            return Found(self.chars(lo, hi), self.speaker_of(t), cue, t.i, "cue-ccomp")
        fronted = self._fronted(t)
        if fronted is not None:
            return Found(self.chars(*fronted), self.speaker_of(t), cue, t.i, "cue-final")
        if t.lemma == "put":
            obj, at = self.child(t.i, "dobj") or self.child(t.i, "ccomp"), self.child(t.i, "prep")
            if obj is not None and at is not None and at.text.lower() == "at" and obj.lemma.lower() in _ESTIMATES:
                return Found(
                    self.chars(self.subtree(obj.i)[0], self.subtree(at.i)[1]), self.speaker_of(t), cue, t.i, "cue-put"
                )
        xcomp = self.child(t.i, "xcomp")
        obj = self.child(prt.i, "pobj") if prt is not None else self.child(t.i, "dobj")
        if obj is None and prt is not None:
            obj = self.child(t.i, "dobj")
        if xcomp is not None and obj is not None:
            return Found(
                self.chars(self.subtree(obj.i)[0], self._tail(self.subtree(xcomp.i)[1])),
                self.speaker_of(t),
                cue,
                t.i,
                "cue-xcomp",
            )
        if (xcomp is not None and obj is None and xcomp.i > t.i and self._infinitive(xcomp) and not self._passive(t)
                and self.cues.get(lemma(t)) in {"intent", "belief"}):
            lo, hi = self.content(xcomp.i)  # 1. an intention or position: "vowed to form ...", "wants to ..."
            return Found(self.chars(lo, hi), self.speaker_of(t), cue, t.i, "cue-infinitive")
        for prep in self.kids.get(t.i, []):  # 1. a prepositional object: "called for ...", "warned against ..."
            obj = self.child(prep.i, "pobj", "pcomp") if prep.dep == "prep" and prep.i > t.i else None
            if obj is not None and (t.lemma.lower(), prep.text.lower()) in _PREP_CUES:
                lo, hi = self.subtree(obj.i)
                dobj = self.child(t.i, "dobj")
                if dobj is not None and dobj.i < prep.i:  # "accused the GOP of stoking ..."
                    lo = self.subtree(dobj.i)[0]
                return Found(self.chars(lo, hi), self.speaker_of(t), (t.start, prep.end), t.i, "cue-prep")
        dobj = self.child(t.i, "dobj")
        speech = self.cues.get(lemma(t)) in {"speech", "intent", "stance"} and lemma(t) not in _RECIPIENT_VERBS
        if dobj is not None and speech and dobj.pos != "PRON" and xcomp is None:
            lo, hi = self.content(dobj.i)  # 1. a noun phrase as content: "acknowledged the reality of ..."
            for p in self.kids.get(t.i, []):  # ... with what it is called or blamed for: "described X as Y"
                if p.dep == "prep" and p.i == hi and (p.text.lower() in {"as", "for"} or p.text.lower() == "to"
                                                      and lemma(t) in {"compare", "liken"}):
                    hi = self.content(p.i)[1]
            return Found(self.chars(lo, hi), self.speaker_of(t), cue, t.i, "cue-dobj")
        agent = self.child(t.i, "agent")
        if agent is not None and self.child(agent.i, "pobj") is not None:  # 2.
            subj = self._passive_subject(t)
            if subj is not None:
                lo, hi = self.subtree(subj.i)
                return Found(
                    self.chars(lo, hi),
                    self.child(agent.i, "pobj").i,  # type: ignore[union-attr]
                    cue,
                    t.i,
                    "cue-passive",
                )
        return None

    def _naming(self, t: Token, cue: tuple[int, int]) -> Found | None:
        """ "called Trump's plan a disaster": the object and what it is called are the content."""
        if t.lemma.lower() not in {"call", "label", "brand", "dub", "name", "deem"} or cue[1] > t.end:
            return None  # "calling on X to ...", "called for ...": not naming
        obj = self.child(t.i, "dobj")
        comp = self.child(t.i, "oprd", "ccomp", "xcomp", "attr")
        if obj is None or comp is None or comp.i < obj.i:
            return None
        lo, hi = self.subtree(obj.i)[0], self.subtree(comp.i)[1]
        return Found(self.chars(lo, hi), self.speaker_of(t), cue, t.i, "cue-naming")

    def _tail(self, hi: int) -> int:
        """Extend a complement to the sentence end when only dangling words follow (no new subject or cue)."""
        rest = self.toks[hi : self.last]
        if any(t.dep in {"nsubj", "nsubjpass"} and t.head < hi or self.is_cue(t) and self.child(t.i, "nsubj")
               or t.text.lower() == "according" or self._channel_phrase(t) for t in rest):
            return hi
        end = self.last
        while end > hi and self.toks[end - 1].pos == "PUNCT":
            end -= 1
        return end

    def _channel_phrase(self, t: Token) -> bool:
        """ "in an interview with CNN", "in a statement": where it was said, not what."""
        obj = self.child(t.i, "pobj") if t.dep == "prep" and t.text.lower() in {"in", "on", "during"} else None
        return obj is not None and obj.lemma.lower() in self.channels

    def _lead_time(self, lo: int, hi: int) -> int:
        """ "said on Friday he met ...": a time phrase between the cue and its clause belongs to the cue."""
        k = lo
        if k < hi and self.toks[k].pos == "ADP" and self.toks[k].text.lower() in {"on", "in", "at", "during"}:
            k += 1
        j = k
        while j < hi and (self.toks[j].ent_type in {"DATE", "TIME"} or j > k and self.toks[j].pos == "DET"):
            j += 1
        return j if k < j < hi and self.toks[j].ent_type not in {"DATE", "TIME"} else lo

    def content(self, i: int) -> tuple[int, int]:
        """The subtree of ``i`` without a trailing clause that is not part of what is reported: a second cue
        of the same source ("..., arguing that ...", "... and warned against ..."), a participle
        ("..., focusing on ...") or a non-restrictive relative clause ("..., which makes him ...")."""
        lo, hi = self.subtree(i)
        for x in self.toks[lo + 2 : hi]:
            prev = self.toks[x.i - 1]
            if prev.text not in {",", "”", '"'} and prev.dep != "cc":
                continue
            second_cue = x.dep in {"conj", "advcl"} and self.is_cue(x) and self.child(x.i, "nsubj") is None
            participle = x.dep == "advcl" and x.tag == "VBG" and prev.text == ","
            relative = x.dep == "relcl" or (x.tag in {"WDT", "WP"} and self.toks[x.head].dep == "relcl"
                                            and prev.text == ",")
            channel = prev.text != "and" and self._channel_phrase(x)  # ", in an interview with CNN"
            if not (second_cue or participle or relative or channel):
                continue
            cut = x.i
            while cut > lo and (self.toks[cut - 1].pos == "PUNCT" or self.toks[cut - 1].dep == "cc"):
                cut -= 1
            return lo, cut
        return lo, hi

    def _infinitive(self, v: Token) -> bool:
        return any(c.dep == "aux" and c.text.lower() == "to" and c.i < v.i for c in self.kids.get(v.i, []))

    def _passive(self, t: Token) -> bool:
        return any(c.dep in {"auxpass", "nsubjpass"} for c in self.kids.get(t.i, []))

    def _clause_start(self, t: Token) -> int:
        """The first token of the cue's own clause: its subject, or the adverbs and auxiliaries just before it."""
        subj = self.child(t.i, "nsubj", "nsubjpass")
        if subj is not None and subj.i < t.i:
            return self.subtree(subj.i)[0]
        left = t.i
        while left - 1 > self.first and self.toks[left - 1].head == t.i and self.toks[left - 1].dep in {
                "aux", "auxpass", "neg", "advmod"}:
            left -= 1
        return left

    def _fronted(self, t: Token) -> tuple[int, int] | None:
        """ "A, but B, another source said." / "But A, he said, B.": the cue's clause closes or interrupts a
        sentence whose words around it are the content (a parenthetical or conjoined cue with a subject)."""
        subj = self.child(t.i, "nsubj")
        if subj is None or subj.i > t.i or t.dep not in {"conj", "parataxis", "ROOT"}:
            return None
        left = self._clause_start(t)
        if left - self.first < 3 or self.toks[left - 1].text not in {",", "—", "–", "―"} and t.dep != "parataxis":
            return None  # no content before the cue, or no comma marking it off
        if t.dep == "ROOT" or any(c.dep in {"dobj", "xcomp", "ccomp"} and c.i > t.i for c in self.kids.get(t.i, [])):
            return None  # a cue with its own content after it is read by the other rules
        end = self.subtree(t.i)[1] if t.dep != "parataxis" else self.last
        if t.dep != "parataxis" and any(not (x.pos == "PUNCT" or x.head == t.i or x.dep in {"pobj", "det", "amod",
                                            "compound", "poss", "nummod"}) for x in self.toks[end:self.last]):
            return None
        if t.dep == "conj" and self.toks[t.head].i > t.i:
            return None
        hi = left if t.dep != "parataxis" else self.last
        return self._trim_tokens(self.first, hi)

    def _skip_mark(self, lo: int) -> int:
        """Skip leading punctuation and the complementiser "that", except "that “..." and "that, if ...":
        there the content starts with "that" (it belongs to a partly quoted or interrupted clause)."""
        while lo < self.last:
            t = self.toks[lo]
            before_punct = lo + 1 < self.last and self.toks[lo + 1].pos == "PUNCT"
            that = t.dep == "mark" and t.text.lower() == "that" and not before_punct
            if not (that or t.pos == "PUNCT" and t.text not in _OPEN):
                break
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
    def _evidential(self, t: Token) -> Found | None:
        """ "The campaign appeared paralyzed", "Enthusiasm seems to have plummeted": the whole clause is an
        impression reported without a source; "it seems (that|like) X" is X."""
        comp = self.child(t.i, "xcomp", "acomp", "oprd", "attr", "ccomp")
        if comp is None or comp.i < t.i:
            return None  # "appeared on stage", "appeared at the rally": not an impression
        subj = self.child(t.i, "nsubj", "expl")
        if subj is None or subj.i > t.i:
            return None
        if subj.text.lower() == "it" or subj.dep == "expl":
            lo, hi = self.subtree(comp.i)
        else:
            lo, hi = self.subtree(subj.i)[0], self.subtree(comp.i)[1]
        while lo < hi and (self.toks[lo].dep == "mark" or self.toks[lo].pos == "PUNCT"):
            lo += 1
        if subj.tag in {"WDT", "WP"}:
            return None  # "..., which seemed odd": the antecedent is not in the clause
        return Found(self.chars(lo, hi), None, (t.start, t.end), t.i, "evidential", "indirect")

    def _attitude(self, t: Token) -> Found | None:
        cop = self.toks[t.head]
        subj = self.child(cop.i, "nsubj")
        if subj is None or subj.pos not in {"PROPN", "NOUN", "PRON"} or self._is_thing(subj):
            return None
        lo, hi = self.subtree(t.i)
        return Found(self.chars(lo, hi), subj.i, None, None, "attitude")

    def _is_thing(self, subj: Token) -> bool:
        if subj.pos == "PRON":
            return PRONOUN_KINDS.get(subj.text.lower(), "none") == "none"
        return actor_at(self.led, subj.start, subj.end) is None and subj.lemma.lower() not in _ORG_NOUNS

    # 4. ------------------------------------------------------------------------------------
    def _according(self, t: Token) -> Found | None:
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
        return Found(self.chars(*content), src.i, cue, t.i, "according-to", "indirect")

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
                return subj.i  # a relative pronoun ("which put ...") is resolved to its antecedent by the Resolver
            if t.head == t.i or t.dep not in {"advcl", "conj", "xcomp", "pcomp", "prep", "ccomp"}:
                return None
            t = self.toks[t.head]
            if t.dep == "prep" or t.pos == "ADP":  # "before calling": step over the preposition
                continue
        return None


def governing_cue(s: Sentence, f: Found) -> int | None:
    """For a cue without its own subject ("adding", "calling on"): the cue it depends on."""
    if f.cue_tok is None:
        return None
    t = s.toks[f.cue_tok]
    while t.head != t.i and t.dep in {"advcl", "conj", "xcomp", "pcomp", "prep"}:
        t = s.toks[t.head]
        if s.is_cue(t):
            return t.i
    return None
