"""Text fingerprints for finding copies of one story: wire credits, word shingles, MinHash, LSH bands.

Requires: an article's text and title. Provides: ``fingerprint`` (a ``Fingerprint``: the wire credit,
the normalised title, the hash of the normalised body, the shingle sequence, the MinHash signature and
its LSH band keys), ``compare`` (containment and the longest common passage of two shingle sequences).
Limits: word shingles of ``Config.shingle`` words after folding case and accents, so copies that were
translated or reworded sentence by sentence are not found; the MinHash is multiply-shift hashing of
64-bit shingle hashes, good enough to propose candidates, never to decide (``compare`` decides).

Normalisation, in order:
1. wire credits are taken off and kept: a dateline credit ("MADRID (EFE) -", "(Reuters) -"), a
   trailing credit ("/ EFE", "-- AP"), and credit lines ("Reporting by ...", "Copyright ... Associated
   Press", "... contributed to this report");
2. the rest is folded (lower case, accents removed) and cut into words (letters and digits);
3. titles lose an outlet suffix (" - Reuters", " | Fox News") before folding.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

WIRES = ("AP", "AFP", "EFE", "Reuters", "dpa", "UPI", "ANSA", "PTI", "IANS", "Xinhua", "Bloomberg", "PA",
         "Associated Press", "Agence France-Presse", "Europa Press", "Kyodo", "Yonhap", "TASS", "CNN")
_WIRE = "|".join(re.escape(w) for w in sorted(WIRES, key=len, reverse=True))
_LEAD = re.compile(rf"^\s*(?:[A-Z][\w .,'’/-]{{0,60}}?)?\(\s*({_WIRE})\s*\)\s*(?:[-–—:.]+\s*)?")
_TRAIL = re.compile(rf"\s*(?:(?:[/–—]|--|-)\s*({_WIRE})|\(\s*({_WIRE})\s*\))\s*\.?\s*$")
_CREDIT_LINE = re.compile(
    rf"^\s*(?:\(?(?:reporting|writing|editing|additional reporting) by\b.*|copyright\b.*|©.*"
    rf"|.*\bcontributed to this report\.?\s*|.*\b(?:{_WIRE})\b.{{0,30}}\ball rights reserved\.?)\s*$", re.I)
_OUTLET_SUFFIX = re.compile(r"\s+[-|–—]\s+[^-|–—]{2,40}$")
_WORD = re.compile(r"\w+", re.UNICODE)
_MASK64 = (1 << 64) - 1


@dataclass(frozen=True, slots=True)
class Config:
    shingle: int = 5  # words per shingle
    permutations: int = 64  # MinHash signature length
    rows: int = 2  # signature values per LSH band (64 / 2 = 32 bands: Jaccard 0.3 is proposed 95% of the time)
    seed: int = 20240601


@dataclass(frozen=True, slots=True)
class Fingerprint:
    credit: str | None  # the wire credit taken off the text ("AP", "EFE"), if any
    title_key: str  # folded title without an outlet suffix ("" when there is none)
    body_hash: str  # hash of the normalised body: equal for exact copies under different credits
    shingles: tuple[int, ...]  # 64-bit hashes of the word shingles, in text order
    signature: tuple[int, ...]
    bands: tuple[str, ...]  # LSH band keys; two articles sharing one are candidate copies


@dataclass(frozen=True, slots=True)
class Overlap:
    containment: float  # shared shingles / shingles of the shorter text
    passage: int  # words in the longest passage the two texts share


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def strip_credits(text: str) -> tuple[str, str | None]:
    """The text without its wire credits (1.), and the first credit found."""
    credit = None
    kept = []
    for line in text.splitlines():
        if _CREDIT_LINE.match(line):
            continue
        m = _LEAD.match(line)
        if m and m.end() < len(line):
            credit = credit or m.group(1)
            line = line[m.end():]
        t = _TRAIL.search(line)
        if t:
            credit = credit or t.group(1) or t.group(2)
            line = line[:t.start()]
        kept.append(line)
    return "\n".join(kept), credit


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))  # 2.


def title_key(title: str | None) -> str:
    if not title:
        return ""
    return " ".join(words(_OUTLET_SUFFIX.sub("", title.strip())))  # 3.


def shingle_hashes(ws: list[str], size: int) -> tuple[int, ...]:
    if len(ws) < size:
        return ()
    return tuple(int.from_bytes(hashlib.blake2b(" ".join(ws[i:i + size]).encode(), digest_size=8).digest(), "big")
                 for i in range(len(ws) - size + 1))


def _params(config: Config) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(config.seed)
    a = rng.integers(1, 2**63, size=config.permutations, dtype=np.uint64) | np.uint64(1)  # odd multipliers
    b = rng.integers(0, 2**63, size=config.permutations, dtype=np.uint64)
    return a, b


def minhash(shingles: tuple[int, ...], config: Config) -> tuple[int, ...]:
    """One minimum per permutation x -> (a*x + b) mod 2^64 (multiply-shift); empty for a text without shingles."""
    if not shingles:
        return ()
    a, b = _params(config)
    x = np.array(sorted(set(shingles)), dtype=np.uint64)
    hashed = a[:, None] * x[None, :] + b[:, None]  # wraps modulo 2^64, as intended
    return tuple(int(v) for v in hashed.min(axis=1))


def band_keys(signature: tuple[int, ...], config: Config) -> tuple[str, ...]:
    keys = []
    for i in range(0, len(signature) - config.rows + 1, config.rows):
        chunk = ",".join(str(v) for v in signature[i:i + config.rows])
        keys.append(f"{i // config.rows}:{hashlib.blake2b(chunk.encode(), digest_size=8).hexdigest()}")
    return tuple(keys)


def fingerprint(text: str, title: str | None = None, config: Config = Config()) -> Fingerprint:
    body, credit = strip_credits(text)
    ws = words(body)
    shingles = shingle_hashes(ws, config.shingle)
    signature = minhash(shingles, config)
    return Fingerprint(credit, title_key(title), hashlib.sha256(" ".join(ws).encode()).hexdigest()[:24], shingles,
                       signature, band_keys(signature, config))


def compare(a: tuple[int, ...], b: tuple[int, ...], shingle: int = 5) -> Overlap:
    """Containment and longest common passage (in words) of two shingle sequences."""
    if not a or not b:
        return Overlap(0.0, 0)
    short, other = (a, set(b)) if len(set(a)) <= len(set(b)) else (b, set(a))
    shared = len(set(short) & other)
    run = best = 0
    for h in short:
        run = run + 1 if h in other else 0
        best = max(best, run)
    return Overlap(shared / len(set(short)), best + shingle - 1 if best else 0)
