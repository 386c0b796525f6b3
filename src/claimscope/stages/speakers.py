"""Speakers: a speaker mention in one sentence resolved to an actor of the ledger.

Used by the attribution stage (not a stage itself). Names resolve by overlap with an actor's
mentions; pronouns to the latest preceding actor of a compatible kind ("he" a person, "it" an
organisation); descriptions ("the president", "the authority") to the latest actor whose title is
headed by the noun (persons) or whose name has it (organisations, places). Unnamed sources ("a
source", "officials") resolve to nothing: their words are kept, no actor is invented.
"""

from __future__ import annotations

from claimscope.model import Ledger, Parse, Span
from claimscope.stages.actors import actor_at

PRONOUN_KINDS = {
    "he": "person",
    "she": "person",
    "him": "person",
    "her": "person",
    "it": "organization",
    "they": "any",
    "i": "none",
    "we": "none",
    "you": "none",
}


class Resolver:
    """Speaker mentions to actors: names by overlap, pronouns and descriptions by recency."""

    def __init__(self, ledger: Ledger) -> None:
        self.led = ledger
        self.mentions = sorted(
            ((m.start, m.end, a) for a in ledger.actors or () for m in a.mentions), key=lambda x: x[0]
        )

    def resolve(self, parse: Parse, tok: int) -> tuple[str | None, Span]:
        toks = parse.tokens
        t = toks[tok]
        lo, hi = parse.subtree(tok)
        # the speaker's own words: left dependents and the head, cut before appositions and clauses
        first = min(
            [tok]
            + [
                c.i
                for c in parse.children(tok)
                if c.i < tok and c.dep in {"compound", "det", "amod", "poss", "nmod", "case"}
            ]
        )
        span = self.led.span(toks[first].start, t.end)
        if t.tag in {"WDT", "WP"}:  # "the US – which put the number at ...": the pronoun's antecedent speaks
            ante = antecedent(parse, tok)
            return (None if ante is None else self.resolve(parse, ante)[0]), span
        actor = actor_at(self.led, t.start, t.end) or actor_at(self.led, toks[lo].start, toks[hi - 1].end)
        if actor is not None and t.pos != "PRON":
            return actor.id, span
        if t.pos == "PRON":
            return self._recent(t.start, PRONOUN_KINDS.get(t.text.lower(), "none")), span
        return self._by_word(t.lemma.lower(), t.start), span

    def _recent(self, before: int, kind: str) -> str | None:
        if kind == "none":
            return None
        for start, _end, actor in reversed(self.mentions):
            if start < before and (kind == "any" and actor.kind in {"person", "organization"} or actor.kind == kind):
                return actor.id
        return None

    def _by_word(self, noun: str, before: int) -> str | None:
        """A description names the latest actor it fits: "the authority" an organisation whose name has
        the noun, "the president" a person whose title is headed by it."""
        for start, _end, actor in reversed(self.mentions):
            if start >= before:
                continue
            names = " ".join(actor.aliases).lower().replace("'", " ").split()
            heads = {title_head(t) for t in actor.titles + actor.aliases} if actor.kind == "person" else set()
            if noun in heads or (actor.kind != "person" and noun in names):
                return actor.id
        return None


def title_head(title: str) -> str:
    """The noun a title is about: "head of the presidential office" -> head; "department's director" -> director."""
    words = title.lower().split(" of ")[0].split()
    return words[-1] if words else ""


def antecedent(parse: Parse, rel: int) -> int | None:
    """The noun a relative pronoun stands for: what its clause modifies, else the nearest noun before it."""
    toks = parse.tokens
    clause = toks[toks[rel].head]
    if clause.dep == "relcl" and toks[clause.head].pos in {"PROPN", "NOUN"}:
        return clause.head
    sent = parse.sentences[toks[rel].sent]
    return next((i for i in range(rel - 1, sent.first - 1, -1) if toks[i].pos in {"PROPN", "NOUN"}), None)
