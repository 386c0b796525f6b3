"""Noun cues: "Trump's claim that ...", "his call for a ban", "she has reservations about the deal".

Helpers of the attribution rules (not a stage). A noun of resources/cue_nouns.tsv carries an
attribution when it has one of the complements listed for it: a that-clause, an infinitive or a
prepositional object. The speaker is, in order: (1) the noun's possessor ("his call"); (2) a name
compounded before it ("the Times report that"); (3) the subject of the verb that has the noun as its
object or predicate ("she has reservations about", "he is a staunch opponent of"). Without a speaker
the noun is narration ("the claim that ... was false"), and nothing is found.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from claimscope.model import Token

if TYPE_CHECKING:
    from claimscope.stages.attribution_rules import Found, Sentence


@lru_cache(maxsize=1)
def noun_cues() -> dict[str, frozenset[str]]:
    raw = resources.files("claimscope.resources").joinpath("cue_nouns.tsv").read_text("utf-8")
    out: dict[str, frozenset[str]] = {}
    for line in raw.splitlines():
        if line.strip() and not line.startswith("#"):
            noun, comps = line.split("\t")
            out[noun.strip()] = frozenset(c.strip() for c in comps.split(","))
    return out


def noun_cue(s: Sentence, t: Token) -> Found | None:
    from claimscope.stages.attribution_rules import Found

    comps = noun_cues().get(t.lemma.lower())
    if comps is None or t.pos != "NOUN":
        return None
    found = _complement(s, t, comps)
    if found is None:
        return None
    content, cue_end = found
    speaker = _speaker(s, t)
    if speaker is None:
        return None
    return Found(s.chars(*content), speaker, (t.start, cue_end), t.i, "cue-noun")


def _complement(s: Sentence, t: Token, comps: frozenset[str]) -> tuple[tuple[int, int], int] | None:
    """The content tokens and the end of the cue (the noun, or the noun and its preposition)."""
    for c in s.kids.get(t.i, []):
        if c.i < t.i:
            continue
        if c.dep in {"acl", "ccomp"} and c.pos in {"VERB", "AUX"}:
            marks = {k.text.lower() for k in s.kids.get(c.i, []) if k.dep in {"mark", "aux"} and k.i < c.i}
            if "that" in comps and "that" in marks or "inf" in comps and "to" in marks:
                return s.content(c.i), t.end
        if c.dep == "prep" and c.text.lower() in comps:
            obj = s.child(c.i, "pobj", "pcomp")
            if obj is not None:
                return s.content(obj.i), c.end
    return None


def _speaker(s: Sentence, t: Token) -> int | None:
    poss = s.child(t.i, "poss")
    if poss is not None:  # 1.
        return poss.i
    name = next((c for c in s.kids.get(t.i, []) if c.dep == "compound" and c.pos == "PROPN" and c.i < t.i), None)
    if name is not None:  # 2.
        return name.i
    if t.dep in {"dobj", "attr"} and t.head != t.i:  # 3.
        return s.speaker_of(s.toks[t.head])
    return None
