"""support: how far the article body backs a sentence, and where a sentence disagrees with it.

For the integrity stage (its appendix, contradiction and unsupported steps) and eval/grounding.py. Works
on ``model.Parse`` alone (plus the segments, to tell the reference from the rest); not a stage itself.

Computed:
  - per sentence (``analyse``): its *content units*, lemma stems of nouns, verbs, adjectives and proper
    nouns, the name tokens of entities and the values of numbers, each weighted (names and numbers
    double, because an unsupported name or figure is a new fact); its *slots*, a place attached by a
    preposition to a head word ("line in Ukraine") or a number counting a noun for a verb ("7,000
    soldiers … deployed"); whether it is a question, modal, a closed clause with a verb;
  - the *reference* (``reference``): the units, words and slots of every headline, caption and body
    sentence, with an index unit -> sentences;
  - ``support``: the weighted share of a sentence's units the reference contains; ``grounding``: that
    share discounted per name or number the reference lacks, halved on a contradiction;
  - ``align``: the body sentences sharing most of a claim's content stems; ``contradiction``: the first
    slot of a claim that an aligned body sentence fills differently (a place only when it is swapped
    into another role, a figure outside the bounds "more than", "about", "up to" set).

Known limits: lexical, so paraphrase, synonyms and negation are invisible; the stemmer is a crude suffix
stripper ("deployment" meets "deployed", but irregular forms do not meet); places are compared as
strings with no gazetteer; a figure's value is its first number times any scale word in its text; slots
depend on the parser's attachments, which fail on long coordinations.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from claimscope.model import Entity, Ledger, Parse, Sentence, Token

REFERENCE_KINDS = frozenset({"headline", "caption", "body"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
NUMBER_LABELS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY"})
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
_STOP = frozenset({"be", "have", "do", "say", "make", "get", "go", "take", "come", "see", "know", "think",
                   "also", "such", "many", "much", "more", "most", "other", "new", "own", "same", "very", "well",
                   "one", "thing", "way", "lot", "kind", "today", "yesterday", "time", "year", "day", "week"})
_SUFFIXES = ("ational", "ations", "ation", "ments", "ment", "ions", "ion", "ness", "ities", "ity", "ing", "ers",
             "ed", "es", "ate", "al", "ly", "er", "s")
_MODALS = frozenset({"could", "may", "might", "should", "would", "must", "can", "will"})
_BOUND_WORDS = re.compile(r"\b(?:more than|over|at least|above|upwards of|up to|at most|less than|fewer than|"
                          r"under|about|around|nearly|almost|roughly|some|approximately)\b", re.I)
_PAIRING = frozenset({"between", "with", "than", "among", "like", "including", "except", "versus", "vs", "v",
                      "against"})
_UNITS = frozenset({"percent", "per", "cent", "m", "bn", "k", "euro", "dollar", "pound", "yen", "yuan", "rupee",
                    "franc", "time", "year", "month", "week", "day", "hour", "minute", "second", "point", "%"})
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "hundred": 1e2}


class Thresholds(Protocol):
    """The thresholds read here; ``integrity.Config`` provides them (and documents each)."""

    @property
    def align_min(self) -> float: ...
    @property
    def align_shared_min(self) -> int: ...
    @property
    def align_top(self) -> int: ...
    @property
    def align_key_max(self) -> int: ...
    @property
    def number_align_min(self) -> float: ...
    @property
    def number_tolerance(self) -> float: ...
    @property
    def missing_name_factor(self) -> float: ...


# --- words and figures ---------------------------------------------------------------------------------


def stem(word: str) -> str:
    """A crude suffix stripper, enough to meet 'deployment' with 'deployed' and 'lines' with 'line'."""
    w = word.lower().replace("’", "'")
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            return w[: -len(suf)]
    return w


def number_value(text: str) -> float | None:
    """The value of a figure such as '7,000', 'more than 7,000', '1.5 million'; None when not numeric."""
    m = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    if m is None:
        return None
    value = float(m.group().replace(",", ""))
    for word, factor in _SCALE.items():
        if re.search(rf"\b{word}\b", text, re.I):
            value *= factor
    return value


def _norm_place(text: str) -> str:
    t = re.sub(r"^(?:the)\s+", "", text.lower().replace("’", "'"))
    return re.sub(r"'s$", "", t).strip()


# --- sentence analysis ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Slot:
    key: tuple[str, str]  # (head stem, preposition) for a place; (counted noun stem, "#") for a number
    filler: str  # normalised place, or the figure's text
    value: float | None = None
    phrase: str = ""  # the words as written: "lines in Russia", "7,000 soldiers"
    agent: str = ""  # for a figure: the stem of its verb's subject, when that is not the counted noun


@dataclass(frozen=True, slots=True)
class SentenceInfo:
    sentence: Sentence
    units: dict[str, float]  # unit key -> weight
    surface: dict[str, str]  # unit key -> a word as written
    slots: tuple[Slot, ...]
    roles: frozenset[str]  # normalised names that are objects of a preposition (a role in the sentence)
    dates: frozenset[str]  # lower-cased DATE entities: figures of different dates are not compared
    question: bool
    modal: bool
    verb: bool  # a closed clause with a verb at its root: not a header or a label


@dataclass(frozen=True, slots=True)
class Reference:
    """What the article body contains: unit keys and slots (counted), words, and an index unit -> sentences."""

    units: Counter[str]
    words: frozenset[str]
    slots: Counter[tuple[tuple[str, str], str]]
    sentences: tuple[SentenceInfo, ...]
    index: dict[str, list[int]]

    def has(self, key: str, own: SentenceInfo | None = None) -> bool:
        """Whether the body holds ``key`` (outside ``own``, when the claim is itself a body sentence)."""
        return self.units[key] - (own is not None and key in own.units) > 0

    def numbers(self, own: SentenceInfo | None = None) -> list[float]:
        return [float(k[1:]) for k in self.units if k.startswith("#") and self.has(k, own)]


def analyse_all(parse: Parse) -> dict[int, SentenceInfo]:
    """Every sentence's units and slots, in one pass over the entities."""
    ents: dict[int, list[Entity]] = {}
    for e in parse.entities:
        ents.setdefault(parse.tokens[e.first].sent, []).append(e)
    return {s.i: analyse(parse, s, ents.get(s.i, [])) for s in parse.sentences}


def analyse(parse: Parse, sentence: Sentence, ents: list[Entity]) -> SentenceInfo:
    toks = parse.tokens[sentence.first:sentence.last]
    units: dict[str, float] = {}
    surface: dict[str, str] = {}
    for t in toks:
        if t.pos in CONTENT_POS and t.ent_type not in NUMBER_LABELS and t.lemma.lower() not in _STOP \
                and t.text.isalpha():
            key = stem(t.text if t.pos == "PROPN" else t.lemma)  # one key however the parser tagged the word
            units[key], surface[key] = (2.0 if t.pos == "PROPN" else 1.0), t.text
    for e in ents:
        if e.label in NUMBER_LABELS and (v := number_value(e.span.text)) is not None:
            units[f"#{v:g}"], surface[f"#{v:g}"] = 2.0, e.span.text
        elif e.label in NAME_LABELS:
            for w in re.findall(r"[\w-]+", e.span.text):
                if w[:1].isupper() and w.lower() not in ("the", "a", "an"):
                    units[stem(w)], surface[stem(w)] = 2.0, w
    root = next((t for t in toks if t.is_root), None)
    modal = root is not None and any(c.lemma.lower() in _MODALS for c in parse.children(root.i) if c.dep == "aux")
    last = next((t.text for t in reversed(toks) if t.text.strip("”\"’'*_) ")), "")
    roles = frozenset(_norm_place(e.span.text) for e in ents if _has_role(parse, e))
    dates = frozenset(e.span.text.lower() for e in ents if e.label == "DATE")
    closed = bool(re.search(r"[.!?][”\"’')\]*_]*$", _tail(parse, sentence)))
    verb = root is not None and root.pos in ("VERB", "AUX") and closed
    slots = tuple(_slots(parse, toks, ents))
    return SentenceInfo(sentence, units, surface, slots, roles, dates, last == "?", modal, verb)


def _has_role(parse: Parse, e: Entity) -> bool:
    """The entity is the object of a preposition that does not just locate another name ("Edgware in London")."""
    for k in range(e.first, e.last):
        tok = parse.tokens[k]
        if tok.dep == "pobj" and tok.head != tok.i:
            anchor = parse.tokens[parse.tokens[tok.head].head]
            return not (anchor.ent_type or anchor.pos == "PROPN")
    return False


def _tail(parse: Parse, sentence: Sentence) -> str:
    """The sentence's last three tokens, enough to see its final punctuation through closing quotes."""
    return "".join(t.text for t in parse.tokens[max(sentence.first, sentence.last - 3):sentence.last])


def _slots(parse: Parse, toks: Iterable[Token], ents: list[Entity]) -> Iterable[Slot]:
    ent_of = {i: e for e in ents for i in range(e.first, e.last)}
    for t in toks:
        ent = ent_of.get(t.i)
        if ent is None or t.head == t.i:
            continue
        head = parse.tokens[t.head]
        prep = _place_prep(parse, t) if ent.label in PLACE_LABELS else None
        if prep is not None:
            anchor = parse.tokens[prep.head]  # "deployed on the front line in Ukraine": line -in-> Ukraine
            yield Slot((stem(anchor.lemma), prep.lemma.lower()), _norm_place(ent.span.text), None,
                       f"{anchor.text} {prep.text} {ent.span.text}")
        elif ent.label in NUMBER_LABELS and t.dep == "nummod" and head.pos == "NOUN" and not head.ent_type \
                and head.lemma.lower() not in _UNITS:
            value, verb = number_value(ent.span.text), _governing_verb(parse, head)
            # a count of the same thing by the same event: "40 people were rescued" / "400 people were rescued"
            if value is not None and verb is not None:
                subj = next((c for c in parse.children(verb.i) if c.dep == "nsubj" and c.i != head.i), None)
                yield Slot((stem(head.lemma), "#" + stem(verb.lemma)), ent.span.text, value,
                           f"{ent.span.text} {head.text} … {verb.text}", stem(subj.lemma) if subj else "")


def _place_prep(parse: Parse, t: Token) -> Token | None:
    """The preposition whose object ``t`` is, through coordination ("in Texas, Arkansas and Maine", "for the
    U.S. and for Canada"); None for pairing prepositions and copulas, which relate rather than place."""
    toks = parse.tokens
    while t.dep == "conj" and t.head != t.i:
        t = toks[t.head]
    if t.dep != "pobj" or t.head == t.i:
        return None
    prep = toks[t.head]
    while prep.dep == "conj" and toks[prep.head].dep == "prep" and prep.head != prep.i:
        prep = toks[prep.head]
    if prep.dep not in ("prep", "agent", "dative") or prep.head == prep.i:
        return None
    if prep.lemma.lower() in _PAIRING or toks[prep.head].lemma.lower() in _PAIRING | {"be", "have"}:
        return None
    return prep


def _governing_verb(parse: Parse, tok: Token) -> Token | None:
    """The nearest verb above ``tok`` in the parse (None past the root)."""
    seen = 0
    while tok.head != tok.i and seen < 8:
        tok, seen = parse.tokens[tok.head], seen + 1
        if tok.pos == "VERB":
            return tok
    return None


def reference(ledger: Ledger, infos: dict[int, SentenceInfo]) -> Reference:
    """The body as reference: every sentence of a headline, caption or body segment."""
    body = tuple(i for i in infos.values() if sentence_kind(ledger, i.sentence) in REFERENCE_KINDS)
    units: Counter[str] = Counter(k for i in body for k in i.units)
    words = frozenset(w.lower() for i in body
                      for w in re.findall(r"[\w-]+", ledger.text[i.sentence.start:i.sentence.end]))
    slots: Counter[tuple[tuple[str, str], str]] = Counter((s.key, s.filler) for i in body for s in i.slots)
    index: dict[str, list[int]] = {}
    for n, info in enumerate(body):
        for k in info.units:
            index.setdefault(k, []).append(n)
    return Reference(units, words, slots, body, index)


def support(info: SentenceInfo, ref: Reference, own: bool = False) -> float:
    """Weighted share of the sentence's units found in the reference (1.0 for a sentence without units);
    ``own``: the sentence is part of the reference and must not support itself."""
    total = sum(info.units.values())
    if not total:
        return 1.0
    found = sum(w for k, w in info.units.items() if ref.has(k, info if own else None))
    return found / total


def grounding(info: SentenceInfo, ref: Reference, config: Thresholds) -> float:
    """``support`` discounted by ``missing_name_factor`` for each name or number the body lacks,
    halved when the sentence contradicts the body: the per-sentence score of appended material."""
    missing = sum(1 for k, w in info.units.items() if w > 1.0 and not ref.has(k))
    score = support(info, ref) * config.missing_name_factor ** missing
    return score / 2 if info.slots and contradiction(info, ref, config) is not None else score


def sentence_kind(ledger: Ledger, sentence: Sentence) -> str:
    """The kind of the segment holding ``sentence``; a Q&A turn counts as the segment it belongs to."""
    segs = ledger.segments or ()
    if not 0 <= sentence.segment < len(segs):
        return ""
    seg = segs[sentence.segment]
    if seg.kind == "turn" and seg.parent is not None:
        return segs[seg.parent].kind
    return seg.kind

# --- alignment and contradictions ----------------------------------------------------------------------


def contradiction(claim: SentenceInfo, ref: Reference, config: Thresholds,
                  own: bool = False) -> tuple[SentenceInfo, Slot, Slot] | None:
    """The first slot of ``claim`` that an aligned body sentence fills differently, with that sentence;
    ``own``: the claim is itself a body sentence (it is left out of the reference)."""
    aligned = align(claim, ref, config)
    mine = Counter((s.key, s.filler) for s in claim.slots) if own else Counter()
    for slot in claim.slots:
        if slot.value is None and ref.slots[(slot.key, slot.filler)] - mine[(slot.key, slot.filler)] > 0:
            continue  # the body says the same thing somewhere
        if slot.value is not None and (own or any(_same_number(slot.value, v, "") for v in ref.numbers())):
            continue  # body sentences often give different figures of different things: only appended ones count
        for share, body in aligned:
            if slot.value is not None and (share < config.number_align_min or (
                    claim.dates and body.dates and not claim.dates & body.dates)):
                continue  # different figures for the same noun are common: only a near-restatement is compared
            other = next((b for b in body.slots if b.key == slot.key and _differs(slot, b, body, config)), None)
            if other is not None:
                return body, slot, other
    return None


def align(claim: SentenceInfo, ref: Reference, config: Thresholds) -> list[tuple[float, SentenceInfo]]:
    """The body sentences most similar to ``claim``, with the share of the claim's stems each shares."""
    keys = set(claim.units)
    if not keys:
        return []
    # keys in very many sentences say nothing about which event is meant, and would make this quadratic
    shared_by: Counter[int] = Counter(n for k in keys for n in ref.index.get(k, ())
                                      if len(ref.index[k]) <= config.align_key_max)
    scored = []
    for n, shared in shared_by.items():
        body = ref.sentences[n]
        if body.sentence.i == claim.sentence.i:
            continue
        if shared >= config.align_shared_min and shared / len(keys) >= config.align_min:
            scored.append((shared, body.sentence.i, body))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [(shared / len(keys), b) for shared, _, b in scored[: config.align_top]]


def _differs(claim: Slot, body: Slot, body_info: SentenceInfo, config: Thresholds) -> bool:
    if claim.value is None or body.value is None:
        if claim.value is not None or body.value is not None:
            return False
        nested = claim.filler in body.filler or body.filler in claim.filler
        # a swap: the claim's place fills another role in the body sentence (whatever label NER gave it),
        # not one with the same preposition (a coordination the parser attached elsewhere)
        same_prep = {b.filler for b in body_info.slots if b.key[1] == claim.key[1]}
        return not nested and claim.filler in body_info.roles and claim.filler not in same_prep
    if claim.agent and body.agent and claim.agent != body.agent:
        return False  # produced by someone else: another count
    return not _same_number(claim.value, body.value, body.filler, config.number_tolerance)


def _same_number(claim: float, body: float, body_text: str, tolerance: float = 0.0) -> bool:
    m = _BOUND_WORDS.search(body_text)
    word = m.group(0).lower() if m else ""
    if word in ("more than", "over", "at least", "above", "upwards of"):
        return claim >= body
    if word in ("up to", "at most", "less than", "fewer than", "under"):
        return claim <= body
    if word:
        return abs(claim - body) <= max(tolerance, 0.15) * max(abs(body), 1.0)
    return abs(claim - body) <= tolerance * max(abs(body), 1.0)
