"""integrity: what on the page is not reporting, or not backed by the report.

Requires: segments, parse, actors, statements, quantities (works from segments + parse alone when the
other layers are empty). Provides: flags.

The article body (headline, caption and body segments) is the reference. Every other sentence is
measured against it with a *support score* (stages/support.py): the weighted share of its content units
(lemma stems of nouns, verbs, adjectives and proper nouns; name tokens of entities; numbers) that the
reference contains. Names and numbers weigh double, because an unsupported name or figure is a new fact.

The cascade, per article (each step adds flags; none hides another):
  1. ``tag_line``: every ``tags`` segment; the reason says how many tags are words of the headline,
     caption or first body sentence (a tag strip derived from the top of the story).
  2. ``appendix_not_grounded``: per ``appendix`` segment (the segmenter proposes every closing block
     shaped like appended material; this step decides), evidence from: structure (after the credit line;
     Q&A turns or a header line); persons who speak in it or whom its header presents and who appear
     nowhere in the body (the outlet's own staff, "X, business correspondent", are a byline); persons it
     quotes who appear nowhere in the body, when what it says besides naming them is generic; its content
     sentences (modal speculation included) that are *ungrounded*: generic (no name or figure, and at most
     half of their common words in the body: commentary that fits any story) or, when declarative,
     unsupported by the body; leftover chatbot text (resources/leftover.txt) and chatbot phrasing
     (resources/integrity_phrases.txt). It flags only with a sign of generated filler: an unknown speaker
     or quoted expert, leftover chatbot text, or mostly generic sentences (reporting continued below a
     story adds names and figures; a story's own closing section reuses its words). Guard: a page that
     is a transcript from its first lines has no story to be appended to.
  3. ``contradicts_article``: an appended sentence (or, when the statements layer ran and found
     statements, a body sentence outside every statement) is aligned with its most similar body
     sentences by shared content stems; the fillers of the same relation must agree: a place attached
     by the same preposition to the same head word ("line in Ukraine" / "lines in Russia"), a number
     counting the same noun for the same verb and subject. A different place only counts when the
     claim's place fills another role in the aligned body sentence (a swap), so that a more specific
     place is not a contradiction; pairing prepositions ("between", "than", "with") and copulas are
     no slots. Figures are compared only for appended sentences, near-restatements without a
     different date: body sentences often give different figures for different things. Learned
     (sentences of a flagged appendix, when the ``grounding`` extra is installed): a sentence whose
     grounding probability (stages/grounding.py) is under the model's threshold, whose most similar
     body sentence tells the same event (embedding similarity >= ``Config.learned_align_min``), and
     which moves a name or figure of the article out of that account, or negates it.
  4. ``unsupported``: sentences of a flagged appendix that are declarative, without a modal hedge,
     not already flagged as contradictions, that bring a name or figure the body lacks, with a support
     score under ``Config.support_min``, and (when the encoder is installed) a grounding probability
     under the model's threshold: the learned score vetoes paraphrased restatements, it adds no flag
     of this kind; questions, headers and pleasantries are never flagged. Without the encoder the
     stage records an ``info`` diagnostic. The encoder is loaded (once) only for a page with a flagged
     appendix.
  5. ``unattributed_claim``: only when the statements layer is non-empty (otherwise nothing can be said
     to be unattributed): body sentences with a figure (``unattributed.bare_figures``: amounts, percentages, counts in
     digits or with a scale word; not "one of", not a figure credited to a source) or an unsourced hedge
     ("reportedly", "it is believed") that lie in no statement's content and carry no attribution cue;
     at most ``Config.unattributed_max``.

Known limits: lexical support (support.py) cannot see paraphrase or negation, and the learned score
sees them only through a sentence encoder trained for similarity, not entailment; places are compared as
strings, with no gazetteer (a city against its country is only safe because of the swap requirement);
the body is trusted as the reference, so a page whose body is itself generated is not caught here.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from claimscope.model import Diagnostic, Flag, FlagKind, Ledger, Parse, Segment, Sentence, Span
from claimscope.pipeline import Stage
from claimscope.stages import grounding as gr
from claimscope.stages import unattributed
from claimscope.stages.segment import TURN, is_header_line, leftover
from claimscope.stages.support import (
    REFERENCE_KINDS,
    Reference,
    SentenceInfo,
    analyse_all,
    contradiction,
    grounding,
    reference,
    sentence_kind,
    support,
)

EXTRACTOR = "integrity.rules.v2"  # v2: the learned grounding of appended sentences (stages/grounding.py)
GENERIC_SPEAKERS = frozenset({"q", "a", "question", "answer", "interviewer", "host", "moderator", "reporter",
                              "journalist", "editor", "anchor", "narrator"})
TITLES = frozenset({"dr", "mr", "mrs", "ms", "miss", "prof", "professor", "sir", "dame", "gen", "general",
                    "col", "colonel", "rev", "president", "minister", "senator", "sen", "rep", "judge"})


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
    learned: bool = True  # score the sentences of flagged appendices with stages/grounding.py (encoder extra)
    learned_align_min: float = 0.6  # similarity from which the best body sentence tells the same event


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
    unknown: tuple[str, ...]  # persons who speak in it or whom its header presents, appearing nowhere in the body
    cited: tuple[str, ...]  # persons it quotes ("Dr. X, an analyst, said ...") who appear nowhere in the body
    content: int  # sentences with something to say (``is_content``)
    unsupported: int  # declarative unhedged sentences the body does not support (``grounding`` < ``support_min``)
    generic: int  # content sentences that add no name or figure and whose other words the body mostly lacks
    ungrounded: int  # content sentences that are generic or unsupported
    concrete: int  # content sentences with a figure or a name the body lacks
    known_voice: bool  # a line is labelled with the name of someone the body names ("Bush: ...")
    mean_support: float
    leftover: tuple[str, ...]  # leftover chatbot text (resources/leftover.txt)
    chatbot: tuple[str, ...]  # chatbot phrasing (resources/integrity_phrases.txt), weaker: journalists use some

    def share(self) -> float:
        return self.ungrounded / self.content if self.content else 0.0

    def score(self) -> float:
        s = 0.2 + 0.1 * self.after_credit + 0.1 * (self.turns > 0 or self.header)
        s += 0.3 * bool(self.unknown or self.cited or self.leftover) + 0.4 * self.share()
        return min(1.0, s + min(0.2, 0.1 * len(self.chatbot + self.leftover)))

    def generated(self) -> bool:
        """A sign of generated filler: an unknown speaker, leftover chatbot text, or mostly generic sentences
        (real reporting continued below a story adds names and figures; filler adds neither)."""
        # and concrete sentences (a figure, or a name the body lacks) are few: a list of poll figures or a
        # transcript the story quotes is concrete, filler at most restates one fact with a swapped figure
        mostly_generic = self.content > 0 and self.generic * 2 >= self.content and self.concrete * 3 < self.content
        # a conversation with someone the story introduces is an interview, however general its answers
        return bool(self.unknown or self.cited or self.leftover) or (mostly_generic and not self.known_voice)

    def reason(self) -> str:
        what = "Q&A" if self.turns else "material"
        parts = [f"{what} appended after the {'credit line' if self.after_credit else 'article body'}"]
        parts += [f"'{name}' appears nowhere in the article" for name in self.unknown]
        parts += [f"quotes '{name}', who appears nowhere in the article" for name in self.cited]
        if self.content:
            parts.append(f"{self.ungrounded} of its {self.content} sentences have no support in the body "
                         f"(mean support {self.mean_support:.2f}; {self.generic} generic: no name or figure, "
                         "words the article does not use)")
        if self.answers:
            parts.append(f"{self.answers} answers")
        if self.leftover or self.chatbot:
            parts.append("chatbot phrasing: " + ", ".join(f"'{c}'" for c in self.leftover + self.chatbot))
        return "; ".join(parts)


def appendix_flags(ledger: Ledger, parse: Parse, ref: Reference, infos: dict[int, SentenceInfo],
                   config: Config) -> list[Flag]:
    segs = ledger.segments or ()
    out = []
    for k, seg in enumerate(segs):
        if seg.kind != "appendix" or seg.parent is not None:
            continue
        ev = appendix_evidence(ledger, parse, ref, infos, k, config)
        share = ev.share()
        enough = share >= config.unsupported_share_alone or bool(ev.leftover) or (
            bool(ev.unknown or ev.cited) and (share >= config.unsupported_share_with_person or not ev.content))
        if ev.score() >= config.appendix_min and enough and ev.generated():
            out.append(_flag(ledger, "appendix_not_grounded", seg.span.start, seg.span.end, ev.reason(), ev.score()))
    return out


def appendix_evidence(ledger: Ledger, parse: Parse, ref: Reference, infos: dict[int, SentenceInfo], k: int,
                      config: Config) -> AppendixEvidence:
    segs = ledger.segments or ()
    seg = segs[k]
    turns = [s for s in segs if s.kind == "turn" and s.parent == k]
    before = [s for s in segs[:k] if s.parent is None and s.kind not in ("tags", "boilerplate")]
    # content: every sentence with something to say (modal speculation included, questions and courtesies not);
    # factual: the declarative, unhedged ones, which can be checked against the body
    content = [i for i in infos.values()
               if seg.span.contains(_span(ledger, i.sentence)) and is_content(ledger, i, config)]
    factual = [i for i in content if not i.modal]
    scores = {i.sentence.i: grounding(i, ref, config) for i in factual}
    generic = [is_generic(ledger.text, i, ref, config) for i in content]
    chat = phrases()["chatbot"]
    left = leftover(seg.span.text)
    hits = tuple(h for h in dict.fromkeys(m.group(0) for m in chat.finditer(seg.span.text)) if h not in left)
    unknown = unknown_persons(ledger, parse, seg, turns, ref)
    cited = cited_persons(ledger, parse, seg, ref, unknown)
    # a quoted expert is evidence of filler only when what the block says besides naming them is mostly generic
    rest = [g for i, g in zip(content, generic, strict=True) if not any(
        c in ledger.text[i.sentence.start:i.sentence.end] for c in cited)]
    cited = cited if rest and sum(rest) * 2 >= len(rest) else ()
    ungrounded = [g or scores.get(i.sentence.i, 1.0) < config.support_min
                  for i, g in zip(content, generic, strict=True)]
    return AppendixEvidence(
        after_credit=bool(before) and before[-1].kind == "credit",
        turns=len(turns),
        answers=sum(t.role == "answer" for t in turns),
        header=is_header_line(seg.span.text.split("\n", 1)[0]),
        unknown=unknown,
        cited=cited,
        content=len(content),
        unsupported=sum(s < config.support_min for s in scores.values()),
        generic=sum(generic),
        ungrounded=sum(ungrounded),
        known_voice=known_voice(seg, ref),
        concrete=sum(any(w > 1.0 and (k.startswith("#") or not ref.has(k)) for k, w in i.units.items())
                     for i in content),
        mean_support=sum(scores.values()) / len(scores) if scores else 1.0,
        leftover=left,
        chatbot=hits,
    )


def is_generic(text: str, info: SentenceInfo, ref: Reference, config: Config) -> bool:
    """A sentence that brings no name or figure the body lacks, and most of whose other content words the body
    does not use: commentary that could follow any story ("This development underscores the importance of
    careful planning"). A restatement of the body reuses its words; new reporting brings names and figures."""
    marker = re.match(r"\W*(\d{1,2})[.)]\s", text[info.sentence.start:info.sentence.end])
    item = f"#{float(marker.group(1)):g}" if marker else ""  # a list item's number is not a figure
    if any(w > 1.0 and not ref.has(k) and k != item for k, w in info.units.items()):
        return False
    common = [k for k, w in info.units.items() if w <= 1.0]
    return len(common) >= 2 and sum(ref.has(k) for k in common) / len(common) <= config.support_min


def known_voice(seg: Segment, ref: Reference) -> bool:
    """Whether a line of ``seg`` opens with a speaker label naming someone the body names (titles aside)."""
    for line in seg.span.text.split("\n"):
        m = TURN.match(line)
        name = m.group("name") if m else ""
        words = [w.lower() for w in re.findall(r"[\w-]+", name) if w.lower() not in TITLES]
        if words and name.lower() not in GENERIC_SPEAKERS and all(w in ref.words for w in words):
            return True
    return False


def cited_persons(ledger: Ledger, parse: Parse, seg: Segment, ref: Reference,
                  known: tuple[str, ...]) -> tuple[str, ...]:
    """Experts quoted in ``seg`` whose names the body lacks: a PERSON in a sentence with an attribution cue,
    with an academic title or presented as an expert, analyst or specialist."""
    out: dict[str, str] = {}
    for e in parse.entities:
        if e.label != "PERSON" or not seg.span.contains(e.span):
            continue
        sent = parse.sentence_of(e.span.start)
        line = ledger.text[sent.start:sent.end] if sent is not None else ""
        title = re.search(r"\b(?:Dr|Prof|Professor)\.?\s*$", ledger.text[max(0, e.span.start - 12):e.span.start])
        if not phrases()["cue"].search(line) or not (title or phrases()["expert"].search(line)):
            continue  # only a quoted *expert*: reporting continued below a story quotes new people too
        names = [w for w in re.findall(r"[\w-]+", e.span.text.replace("’s", "")) if w.lower() not in TITLES]
        if names and not any(n.lower() in ref.words for n in names) and e.span.text not in known:
            out.setdefault(names[-1].lower(), e.span.text)
    return tuple(out.values())


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


def is_content(ledger: Ledger, info: SentenceInfo, config: Config) -> bool:
    """A sentence with something to say: a closed clause with a verb (not a link title or a label), not a
    question, not a courtesy, with enough content units; modal speculation included."""
    line = ledger.text[info.sentence.start:info.sentence.end]
    return info.verb and not info.question and not phrases()["pleasantry"].search(line) \
        and len(info.units) >= config.min_units


def is_factual(ledger: Ledger, info: SentenceInfo, config: Config) -> bool:
    """A declarative sentence with enough content, not a courtesy; modal speculation is not a fact."""
    s = info.sentence
    line = ledger.text[s.start:s.end]
    if info.question or phrases()["pleasantry"].search(line) or len(info.units) < config.min_units:
        return False
    return info.verb and not info.modal


def _span(ledger: Ledger, s: Sentence) -> Span:
    return ledger.span(s.start, s.end)


# --- the stage -----------------------------------------------------------------------------------------


def integrity(ledger: Ledger, config: Config = Config()) -> Ledger:
    parse = ledger.parse
    if parse is None or ledger.segments is None:
        return dataclasses.replace(ledger, flags=())
    free = unattributed.sentences(ledger, parse, phrases()["cue"])
    infos = analyse_all(parse)
    ref = reference(ledger, infos)
    # guard: a page that is a transcript from its first lines has no story for anything to be appended to
    appended = "appendix" if story_told(ledger, ref, config) else None
    claims = {i: info for i, info in infos.items() if sentence_kind(ledger, info.sentence) == appended or i in free}
    flags = tag_flags(ledger)  # 1.
    flagged = appendix_flags(ledger, parse, ref, claims, config) if appended else []  # 2.
    within = [f.span for f in flagged]
    assessed, diags = assess(ledger, parse, ref, claims, within, config)
    contradicting = contradiction_flags(ledger, ref, claims, free, config, assessed)  # 3.
    flags += flagged + contradicting
    said = {f.span.start for f in contradicting}  # a contradiction says more than "unsupported"
    flags += unsupported_flags(ledger, ref, {i: c for i, c in claims.items() if c.sentence.start not in said},
                               within, config, assessed)  # 4.
    flags += unattributed_flags(ledger, parse, free, config)  # 5.
    flags.sort(key=lambda f: (f.span.start, f.span.end, f.kind))
    return dataclasses.replace(ledger, flags=tuple(flags), diagnostics=ledger.diagnostics + diags)


def assess(ledger: Ledger, parse: Parse, ref: Reference, claims: dict[int, SentenceInfo], within: list[Span],
           config: Config) -> tuple[dict[int, gr.Assessment], tuple[Diagnostic, ...]]:
    """The learned grounding of the factual sentences of flagged appendices (``within``); nothing (and no
    cost) when there are none. Without the encoder extra: nothing, and a diagnostic saying so (steps 3 and 4
    then use the lexical rules alone)."""
    todo = [i for i in claims.values()
            if any(w.contains(_span(ledger, i.sentence)) for w in within) and is_factual(ledger, i, config)]
    if not todo or not config.learned:
        return {}, ()
    enc, name = gr.encoder()
    if enc is None:
        return {}, (Diagnostic("integrity", f"lexical grounding only: {name}", None, "info"),)
    scorer = gr.Scorer(gr.prepare(ledger.text, parse, ref, enc), enc, name)
    found = scorer.assess([(i, ledger.text[i.sentence.start:i.sentence.end]) for i in todo], parse, config)
    return {i.sentence.i: a for i, a in zip(todo, found, strict=True)}, ()


def story_told(ledger: Ledger, ref: Reference, config: Config) -> bool:
    """Whether the body tells a story of its own: enough sentences outside Q&A turn lines."""
    text = ledger.text
    prose = 0
    for info in ref.sentences:
        s = info.sentence
        line_end = text.find("\n", s.start)
        line = text[text.rfind("\n", 0, s.start) + 1:line_end if line_end >= 0 else len(text)]
        prose += sentence_kind(ledger, s) == "body" and not TURN.match(line)
    return prose >= config.story_min_sentences


def contradiction_flags(ledger: Ledger, ref: Reference, claims: dict[int, SentenceInfo], free: frozenset[int],
                        config: Config, assessed: dict[int, gr.Assessment]) -> list[Flag]:
    """A slot an aligned body sentence fills differently; or (learned) a claim aligned with a body sentence
    that tells the same event, whose grounding is low and which moves a name or figure of the article
    out of that sentence's account, or negates it."""
    out = []
    threshold = gr.weights().threshold
    text = ledger.text
    for i, claim in claims.items():
        s, a = claim.sentence, assessed.get(i)
        hit = contradiction(claim, ref, config, own=i in free) if claim.slots else None
        if hit is not None:
            body, mine, theirs = hit
            b = body.sentence
            reason = (f"says '{mine.phrase}' where the article says '{theirs.phrase}': "
                      f"“{text[s.start:s.end]}” vs the article's “{text[b.start:b.end]}”")
            out.append(_flag(ledger, "contradicts_article", s.start, s.end, reason,
                             0.7 if a is None else max(0.5, 1.0 - a.probability)))
        elif a is not None and a.best is not None and a.probability < threshold \
                and a.similarity >= config.learned_align_min and (a.moved or a.negation):
            b = a.best.sentence
            what = [f"'{w}' where the article's account of it has none" for w in a.moved]
            what += ["a negation the article's account lacks (or the reverse)"] if a.negation else []
            reason = (f"says {'; '.join(what)} (grounding {a.probability:.2f}, similarity {a.similarity:.2f}): "
                      f"“{text[s.start:s.end]}” vs the article's “{text[b.start:b.end]}”")
            out.append(_flag(ledger, "contradicts_article", s.start, s.end, reason, 1.0 - a.probability))
    return out


def unsupported_flags(ledger: Ledger, ref: Reference, claims: dict[int, SentenceInfo], within: list[Span],
                      config: Config, assessed: dict[int, gr.Assessment]) -> list[Flag]:
    """Factual sentences of the flagged appendices (``within``) with a lexical support under
    ``Config.support_min`` that bring a name or figure the body lacks (generic commentary is no checkable
    fact), and, when the learned grounding ran, whose grounding probability is also under the model's
    threshold: the model vetoes restatements the lexical measure misses (paraphrase), it adds no flag."""
    out = []
    threshold = gr.weights().threshold
    for info in claims.values():
        span = _span(ledger, info.sentence)
        if not any(w.contains(span) for w in within) or not is_factual(ledger, info, config):
            continue
        s = info.sentence
        missing = [info.surface[k] for k, w in info.units.items() if w > 1.0 and not ref.has(k)]
        score = support(info, ref)
        if score >= config.support_min or not missing:  # generic commentary without a new name or figure
            continue
        reason = f"appended sentence with support {score:.2f} in the body; not in the article: {', '.join(missing)}"
        a = assessed.get(s.i)
        if a is not None:
            if a.probability >= threshold:
                continue
            near = a.best.sentence if a.best is not None else None
            reason += f"; grounding {a.probability:.2f}" + ("" if near is None else
                                                            f", closest in the article ({a.similarity:.2f}): "
                                                            f"“{ledger.text[near.start:near.end]}”")
            score = a.probability
        out.append(_flag(ledger, "unsupported", s.start, s.end, reason, 1.0 - score))
    return out


# --- 5. unattributed claims (stages/unattributed.py finds them) -----------------------------------------


def unattributed_flags(ledger: Ledger, parse: Parse, free: frozenset[int], config: Config) -> list[Flag]:
    found = unattributed.claims(ledger, parse, free, phrases()["hedge"])
    return [_flag(ledger, "unattributed_claim", s.start, s.end, why, sc)
            for sc, s, why in found[: config.unattributed_max]]


STAGE = Stage(
    "integrity",
    frozenset({"segments", "parse", "actors", "statements", "quantities"}),
    frozenset({"flags"}),
    EXTRACTOR,
    integrity,
)
