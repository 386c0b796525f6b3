"""integrity: what on the page is not reporting, or not backed by the report.

Requires: segments, parse, actors, statements, quantities (works from segments + parse alone when the
other layers are empty). Provides: flags.

The article body (headline, caption and body segments) is the reference. Every other sentence is
measured against it with a *support score*: the weighted share of its content units (lemma stems of
nouns, verbs, adjectives and proper nouns; name tokens of entities; numbers) that the reference
contains. Names and numbers weigh double, because an unsupported name or figure is a new fact.

The cascade, per article (each step adds flags; none hides another):
  1. ``tag_line``: every ``tags`` segment; the reason says how many tags are words of the headline,
     caption or first body sentence (a tag strip derived from the top of the story).
  2. ``appendix_not_grounded``: per ``appendix`` segment, a score combining structure (appended after
     the story or its credit line; Q&A turns or a header), persons who speak in it or whom its header
     line presents and who appear nowhere in the body (the outlet's own staff, "X, business
     correspondent", are a byline), the share of its factual sentences the body does not support, and
     leftover chatbot phrasing (resources/integrity_phrases.txt). It flags only with a sign of
     generated filler: an unknown speaker, chatbot phrasing, or unsupported sentences that add no
     name or figure either (reporting continued below a story adds names and figures). Guard: a page
     that is a transcript from its first lines has no story to be appended to.
  3. ``contradicts_article``: an appended sentence (or, when the statements layer ran and found
     statements, a body sentence outside every statement) is aligned with its most similar body
     sentences by shared content stems; the fillers of the same relation must agree: a place attached
     by the same preposition to the same head word ("line in Ukraine" / "lines in Russia"), a number
     counting the same noun for the same verb and subject. A different place only counts when the
     claim's place fills another role in the aligned body sentence (a swap), so that a more specific
     place is not a contradiction; pairing prepositions ("between", "than", "with") and copulas are
     no slots. Figures are compared only for appended sentences, near-restatements without a
     different date: body sentences often give different figures for different things.
  4. ``unsupported``: sentences of a flagged appendix that are declarative, without a modal hedge, and
     bring a name or figure the body lacks, with a support score under ``Config.support_min``;
     questions, headers and pleasantries are never flagged.
  5. ``unattributed_claim``: only when the statements layer is non-empty (otherwise nothing can be said
     to be unattributed): body sentences with a figure or an unsourced hedge ("reportedly") that lie
     in no statement's content and carry no attribution cue; at most ``Config.unattributed_max``.

Known limits: lexical support cannot see paraphrase or negation; places are compared as strings, with
no gazetteer (a city against its country is only safe because of the swap requirement); the body is
trusted as the reference, so a page whose body is itself generated is not caught here.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from claimscope.model import Entity, Flag, FlagKind, Ledger, Parse, Segment, Sentence, Span, Token
from claimscope.pipeline import Stage
from claimscope.stages.segment import TURN

EXTRACTOR = "integrity.rules.v1"
REFERENCE_KINDS = frozenset({"headline", "caption", "body"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
NUMBER_LABELS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY"})
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
GENERIC_SPEAKERS = frozenset({"q", "a", "question", "answer", "interviewer", "host", "moderator", "reporter",
                              "journalist", "editor", "anchor", "narrator"})
TITLES = frozenset({"dr", "mr", "mrs", "ms", "miss", "prof", "professor", "sir", "dame", "gen", "general",
                    "col", "colonel", "rev", "president", "minister", "senator", "sen", "rep", "judge"})
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


@dataclass(frozen=True, slots=True)
class Config:
    support_min: float = 0.5  # under this weighted share of units found in the body, a sentence is unsupported
    appendix_min: float = 0.6  # appendix score from which appendix_not_grounded is flagged
    unsupported_share_alone: float = 0.6  # share of unsupported factual sentences that flags without a person
    unsupported_share_with_person: float = 0.3  # ... and with a person who appears nowhere in the body
    number_align_min: float = 0.5  # ... for comparing figures, a higher share (a near-restatement)
    align_min: float = 0.3  # share of a claim's content stems a body sentence must share to be aligned
    align_shared_min: int = 3  # ... and at least this many stems
    align_top: int = 3  # body sentences a claim is compared with
    align_key_max: int = 50  # a stem found in more body sentences than this is not used to align
    min_units: int = 3  # fewer content units: too little to judge
    unattributed_max: int = 3  # at most this many unattributed_claim flags per article
    missing_name_factor: float = 0.7  # grounding discount per name or number the body lacks
    number_tolerance: float = 0.15  # "about N" accepts this relative difference
    story_min_sentences: int = 2  # body sentences outside Q&A turns needed before anything counts as appended


# --- resources and small text helpers ------------------------------------------------------------------


@lru_cache(maxsize=1)
def phrases() -> dict[str, re.Pattern[str]]:
    """The sections of resources/integrity_phrases.txt, each compiled into one pattern."""
    raw = resources.files("claimscope.resources").joinpath("integrity_phrases.txt").read_text("utf-8")
    sections: dict[str, list[str]] = {}
    current = ""
    for line in raw.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            continue
        sections.setdefault(current, []).append(line)
    return {k: re.compile("|".join(f"(?:{p})" for p in v), re.I) for k, v in sections.items()}


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
    body = tuple(i for i in infos.values() if _kind(ledger, i.sentence) in REFERENCE_KINDS)
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


def grounding(info: SentenceInfo, ref: Reference, config: Config) -> float:
    """``support`` discounted by ``Config.missing_name_factor`` for each name or number the body lacks,
    halved when the sentence contradicts the body: the per-sentence score of appended material."""
    missing = sum(1 for k, w in info.units.items() if w > 1.0 and not ref.has(k))
    score = support(info, ref) * config.missing_name_factor ** missing
    return score / 2 if info.slots and contradiction(info, ref, config) is not None else score


def _kind(ledger: Ledger, sentence: Sentence) -> str:
    segs = ledger.segments or ()
    if not 0 <= sentence.segment < len(segs):
        return ""
    seg = segs[sentence.segment]
    if seg.kind == "turn" and seg.parent is not None:
        return segs[seg.parent].kind
    return seg.kind


def _flag(ledger: Ledger, kind: FlagKind, start: int, end: int, reason: str, score: float) -> Flag:
    return Flag(ledger.item_id("flag", start, end), kind, ledger.span(start, end), reason,
                round(min(1.0, max(0.0, score)), 3), EXTRACTOR)


# --- 1. tag lines --------------------------------------------------------------------------------------


def tag_flags(ledger: Ledger) -> list[Flag]:
    sources = _top_vocabulary(ledger)
    out = []
    for seg in ledger.segments or ():
        if seg.kind != "tags":
            continue
        tags = [t.lstrip("#") for t in re.findall(r"#?[\w-]+", seg.span.text) if t.lstrip("#")]
        hashtags = sum(w.startswith("#") for w in seg.span.text.split())
        words = [w for t in tags for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", t)] or tags
        used = [name for name, vocab in sources if any(w.lower() in vocab for w in words)]
        from_top = sum(any(w.lower() in vocab for _, vocab in sources) for w in words)
        reason = f"tag line: {hashtags} hashtags" if hashtags else f"tag line: {len(tags)} keywords"
        if words and from_top:
            reason += f", {from_top} of {len(words)} words from the {' / '.join(used)}"
        out.append(_flag(ledger, "tag_line", seg.span.start, seg.span.end, reason + "; not text", 1.0))
    return out


def _top_vocabulary(ledger: Ledger) -> list[tuple[str, set[str]]]:
    """The words of the headline, the caption and the first body sentence, by where they come from."""
    segs = ledger.segments or ()
    sources: list[tuple[str, set[str]]] = [
        (s.kind, set(re.findall(r"\w+", s.span.text.lower()))) for s in segs if s.kind in ("headline", "caption")]
    body = next((s for s in segs if s.kind == "body"), None)
    if body is not None:
        first = re.split(r"(?<=[.!?])\s", body.span.text, maxsplit=1)[0]
        sources.append(("first sentence", set(re.findall(r"\w+", first.lower()))))
    return sources


# --- 2. appendices -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AppendixEvidence:
    after_credit: bool
    turns: int
    answers: int
    header: bool
    unknown: tuple[str, ...]  # persons appearing nowhere in the body
    factual: int
    unsupported: int
    generic: int  # unsupported sentences that add no name or figure either: commentary, filler
    mean_support: float
    chatbot: tuple[str, ...]

    def score(self) -> float:
        share = self.unsupported / self.factual if self.factual else 0.0
        s = 0.2 + 0.1 * self.after_credit + 0.1 * (self.turns > 0 or self.header)
        s += 0.3 * bool(self.unknown) + 0.3 * share + min(0.2, 0.1 * len(self.chatbot))
        return min(1.0, s)

    def reason(self) -> str:
        what = "Q&A" if self.turns else "material"
        parts = [f"{what} appended after the {'credit line' if self.after_credit else 'article body'}"]
        parts += [f"'{name}' appears nowhere in the article" for name in self.unknown]
        if self.factual:
            parts.append(f"{self.unsupported} of its {self.factual} factual sentences have no support in the body "
                         f"(mean support {self.mean_support:.2f}; {self.generic} add no name or figure either)")
        if self.answers:
            parts.append(f"{self.answers} answers")
        if self.chatbot:
            parts.append("chatbot phrasing: " + ", ".join(f"'{c}'" for c in self.chatbot))
        return "; ".join(parts)


def appendix_flags(ledger: Ledger, parse: Parse, ref: Reference, infos: dict[int, SentenceInfo],
                   config: Config) -> list[Flag]:
    segs = ledger.segments or ()
    out = []
    for k, seg in enumerate(segs):
        if seg.kind != "appendix" or seg.parent is not None:
            continue
        ev = appendix_evidence(ledger, parse, ref, infos, k, config)
        share = ev.unsupported / ev.factual if ev.factual else 0.0
        # real reporting continued below the story adds names and figures; generated filler adds neither
        generated = bool(ev.unknown or ev.chatbot) or (ev.factual > 0 and ev.generic / ev.factual >= 0.5)
        enough = share >= config.unsupported_share_alone or (
            bool(ev.unknown) and (share >= config.unsupported_share_with_person or not ev.factual))
        if ev.score() >= config.appendix_min and enough and generated:
            out.append(_flag(ledger, "appendix_not_grounded", seg.span.start, seg.span.end, ev.reason(), ev.score()))
    return out


def appendix_evidence(ledger: Ledger, parse: Parse, ref: Reference, infos: dict[int, SentenceInfo], k: int,
                      config: Config) -> AppendixEvidence:
    segs = ledger.segments or ()
    seg = segs[k]
    turns = [s for s in segs if s.kind == "turn" and s.parent == k]
    before = [s for s in segs[:k] if s.parent is None and s.kind not in ("tags", "boilerplate")]
    factual = [i for i in infos.values()
               if seg.span.contains(_span(ledger, i.sentence)) and is_factual(ledger, i, config)]
    scores = [grounding(i, ref, config) for i in factual]
    generic = sum(s < config.support_min and not any(w > 1.0 and not ref.has(k) for k, w in i.units.items())
                  for i, s in zip(factual, scores, strict=True))
    chat = phrases()["chatbot"]
    hits = tuple(dict.fromkeys(m.group(0) for m in chat.finditer(seg.span.text)))
    return AppendixEvidence(
        after_credit=bool(before) and before[-1].kind == "credit",
        turns=len(turns),
        answers=sum(t.role == "answer" for t in turns),
        header=bool(re.match(r"^\W*(?:interview|q\s*&\s*a|faq|key takeaways|expert)", seg.span.text, re.I)),
        unknown=unknown_persons(ledger, parse, seg, turns, ref),
        factual=len(factual),
        unsupported=sum(s < config.support_min for s in scores),
        generic=generic,
        mean_support=sum(scores) / len(scores) if scores else 1.0,
        chatbot=hits,
    )


def unknown_persons(ledger: Ledger, parse: Parse, seg: Segment, turns: list[Segment],
                    ref: Reference) -> tuple[str, ...]:
    """Persons speaking in ``seg`` (turn speakers) or presented by its header line, none of whose name tokens
    (titles aside) occur in the body, nor among the aliases of an actor the body mentions ("the mayor"
    resolved to Laura Bianchi). Persons merely named in running text are reporting, not evidence; a
    header presenting the outlet's own staff ("Analysis: X, business correspondent") is a byline."""
    text = ledger.text
    nl = text.find("\n", seg.span.start, seg.span.end)
    header = ledger.span(seg.span.start, nl if nl >= 0 else seg.span.end)
    if len(header.text.split()) > 15 or header.text.rstrip(" *_").endswith((".", "!", "?", "”", '"')):
        header = ledger.span(seg.span.start, seg.span.start)  # a paragraph, not a header line
    known = set(ref.words)
    for actor in ledger.actors or ():
        if any((seg_ := ledger.segment_at(m.start)) is not None and seg_.kind in REFERENCE_KINDS
               for m in actor.mentions):
            known |= {w.lower() for alias in (actor.name, *actor.aliases) for w in re.findall(r"[\w-]+", alias)}
    mentions = [t.speaker.text for t in turns if t.speaker is not None]
    for e in parse.entities:
        if e.label == "PERSON" and header.contains(e.span) and not phrases()["newsroom"].search(header.text):
            title = re.search(r"\b(?:Dr|Mr|Mrs|Ms|Prof|Professor)\.?\s*$", text[max(0, e.span.start - 12):e.span.start])
            mentions.append((title.group(0) if title else "") + e.span.text)
    found: dict[str, str] = {}
    for m in mentions:
        names = [w for w in re.findall(r"[\w-]+", m.replace("’s", "")) if w.lower() not in TITLES]
        if not names or m.strip().lower() in GENERIC_SPEAKERS or any(n.lower() in known for n in names):
            continue
        key = names[-1].lower()
        if len(m) > len(found.get(key, "")):
            found[key] = m.strip()
    return tuple(found.values())


def is_factual(ledger: Ledger, info: SentenceInfo, config: Config) -> bool:
    """A declarative sentence with enough content, not a courtesy; modal speculation is not a fact."""
    s = info.sentence
    line = ledger.text[s.start:s.end]
    if info.question or phrases()["pleasantry"].search(line) or len(info.units) < config.min_units:
        return False
    return info.verb and not info.modal


def _span(ledger: Ledger, s: Sentence) -> Span:
    return ledger.span(s.start, s.end)


# --- 3. contradictions ---------------------------------------------------------------------------------


def contradiction(claim: SentenceInfo, ref: Reference, config: Config,
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


def align(claim: SentenceInfo, ref: Reference, config: Config) -> list[tuple[float, SentenceInfo]]:
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


def _differs(claim: Slot, body: Slot, body_info: SentenceInfo, config: Config) -> bool:
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


# --- the stage -----------------------------------------------------------------------------------------


def integrity(ledger: Ledger, config: Config = Config()) -> Ledger:
    parse = ledger.parse
    if parse is None or ledger.segments is None:
        return dataclasses.replace(ledger, flags=())
    free = unattributed_sentences(ledger, parse)
    infos = analyse_all(parse)
    ref = reference(ledger, infos)
    # guard: a page that is a transcript from its first lines has no story for anything to be appended to
    appended = "appendix" if story_told(ledger, ref, config) else None
    claims = {i: info for i, info in infos.items() if _kind(ledger, info.sentence) == appended or i in free}
    flags = tag_flags(ledger)  # 1.
    flagged = appendix_flags(ledger, parse, ref, claims, config) if appended else []  # 2.
    flags += flagged + contradiction_flags(ledger, ref, claims, free, config)  # 3.
    flags += unsupported_flags(ledger, ref, claims, [f.span for f in flagged], config)  # 4.
    flags += unattributed_flags(ledger, parse, free, config)  # 5.
    flags.sort(key=lambda f: (f.span.start, f.span.end, f.kind))
    return dataclasses.replace(ledger, flags=tuple(flags))


def story_told(ledger: Ledger, ref: Reference, config: Config) -> bool:
    """Whether the body tells a story of its own: enough sentences outside Q&A turn lines."""
    text = ledger.text
    prose = 0
    for info in ref.sentences:
        s = info.sentence
        line_end = text.find("\n", s.start)
        line = text[text.rfind("\n", 0, s.start) + 1:line_end if line_end >= 0 else len(text)]
        prose += _kind(ledger, s) == "body" and not TURN.match(line)
    return prose >= config.story_min_sentences


def contradiction_flags(ledger: Ledger, ref: Reference, claims: dict[int, SentenceInfo], free: frozenset[int],
                        config: Config) -> list[Flag]:
    out = []
    for i, claim in claims.items():
        if not claim.slots:
            continue
        hit = contradiction(claim, ref, config, own=i in free)
        if hit is None:
            continue
        body, mine, theirs = hit
        s, b = claim.sentence, body.sentence
        reason = (f"says '{mine.phrase}' where the article says '{theirs.phrase}': "
                  f"“{ledger.text[s.start:s.end]}” vs the article's “{ledger.text[b.start:b.end]}”")
        out.append(_flag(ledger, "contradicts_article", s.start, s.end, reason, 0.7))
    return out


def unsupported_flags(ledger: Ledger, ref: Reference, claims: dict[int, SentenceInfo], within: list[Span],
                      config: Config) -> list[Flag]:
    """Sentences of the flagged appendices (``within``) that bring a name or figure the body lacks."""
    out = []
    for info in claims.values():
        span = _span(ledger, info.sentence)
        if not any(w.contains(span) for w in within) or not is_factual(ledger, info, config):
            continue
        missing = [info.surface[k] for k, w in info.units.items() if w > 1.0 and not ref.has(k)]
        score = support(info, ref)
        if score < config.support_min and missing:  # generic commentary without a new name or figure is no fact
            s = info.sentence
            reason = f"appended sentence with support {score:.2f} in the body; not in the article: {', '.join(missing)}"
            out.append(_flag(ledger, "unsupported", s.start, s.end, reason, 1.0 - score))
    return out


# --- 5. unattributed claims ----------------------------------------------------------------------------


def unattributed_sentences(ledger: Ledger, parse: Parse) -> frozenset[int]:
    """Body sentences outside every statement's content, when there are statements to be outside of."""
    if not ledger.statements:
        return frozenset()
    contents = [st.content for st in ledger.statements]
    out = set()
    for s in parse.sentences:
        span = _span(ledger, s)
        # a cue word guards against a statement the attribution stage missed
        if _kind(ledger, s) == "body" and not any(c.overlaps(span) for c in contents) \
                and not phrases()["cue"].search(span.text):
            out.add(s.i)
    return frozenset(out)


def unattributed_flags(ledger: Ledger, parse: Parse, free: frozenset[int], config: Config) -> list[Flag]:
    figures_in: dict[int, list[str]] = {}
    for e in parse.entities:
        if e.label in NUMBER_LABELS:
            figures_in.setdefault(parse.tokens[e.first].sent, []).append(e.span.text)
    for q in ledger.quantities or ():
        sent = parse.sentence_of(q.span.start) if free else None
        if sent is not None and q.span.text not in figures_in.get(sent.i, []):
            figures_in.setdefault(sent.i, []).append(q.span.text)
    found = []
    for s in parse.sentences:
        if s.i not in free:
            continue
        span = _span(ledger, s)
        hedge = phrases()["hedge"].search(span.text)
        figures = figures_in.get(s.i, [])
        if hedge:
            found.append((0.6, s, f"unsourced hedge '{hedge.group(0)}' and no statement credits this sentence"))
        elif figures:
            found.append((0.5, s, f"figure{'s' if len(figures) > 1 else ''} {', '.join(figures)} given with no source"))
    found.sort(key=lambda x: (-x[0], x[1].i))
    return [_flag(ledger, "unattributed_claim", s.start, s.end, why, sc)
            for sc, s, why in found[: config.unattributed_max]]


STAGE = Stage(
    "integrity",
    frozenset({"segments", "parse", "actors", "statements", "quantities"}),
    frozenset({"flags"}),
    EXTRACTOR,
    integrity,
)
