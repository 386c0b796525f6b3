"""Actors: the people, organisations and places of an article, with their name variants merged.

Requires: parse (and segments, for Q&A turn speakers). Provides: actors.

The cascade:
  1. mentions: named entities (PERSON, ORG, GPE, LOC; NORP is a description, not an actor) and the
     speaker labels of Q&A turns ("Dr. Carter", "Interviewer"); 1b. proper-noun subjects of verbs of
     saying that the entity recogniser missed ("Mayor Ana Ruiz said")
  2. acronyms in parentheses: "Ukrainian military intelligence (GUR)" makes the phrase before the
     parenthesis a mention of the acronym's actor
  3. titles by apposition: "The Secretary General of the UN, António Guterres" (the title is the
     head: an alias and a mention of the person); "Andri Yermak, head of the presidential office"
     (a title kept on the actor); title words before a name ("Ukrainian President Volodymyr Zelensky")
  4. merging: the alias table (resources/aliases.tsv, extendable) first; then persons by surname
     (honorifics and titles stripped, accents folded), organisations and places by normalised name
     or by acronym of a longer name
  5. naming: the table's canonical name, else the longest person name, else the most frequent form

Known limits: no coreference of pronouns here (attribution resolves speaker pronouns); two people
sharing a surname in one article are merged.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from claimscope.errors import InputError
from claimscope.model import Actor, ActorKind, Ledger, Parse, Span
from claimscope.pipeline import Stage

EXTRACTOR = "actors.rules.v1"
_KIND: dict[str, ActorKind] = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place"}
_QUESTIONER = {"q", "question", "interviewer", "host", "moderator", "reporter", "journalist"}


@dataclass(frozen=True, slots=True)
class Config:
    alias_files: tuple[str, ...] = ()  # extra alias tables (same format as resources/aliases.tsv)


@dataclass(slots=True)
class _Mention:
    span: Span
    kind: ActorKind
    is_name: bool = True  # False for titles/descriptions: never chosen as the actor's name
    title: str | None = None
    alias_of: str | None = None  # set when the mention is a title or phrase for another mention


def fold(text: str) -> str:
    """Lower case, accents removed, possessive and leading article dropped, dots removed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace("’", "'")
    text = re.sub(r"'s?$", "", text.strip())
    text = re.sub(r"^the\s+", "", text).replace(".", "")
    return " ".join(text.split())


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    raw = resources.files("claimscope.resources").joinpath("titles.txt").read_text("utf-8")
    return frozenset(ln.strip() for ln in raw.splitlines() if ln.strip() and not ln.startswith("#"))


@dataclass(frozen=True, slots=True)
class AliasTable:
    lookup: dict[str, tuple[str, ActorKind]]  # folded alias -> (canonical name, kind)
    names: dict[str, tuple[str, ...]]  # canonical name -> its aliases as written


def load_aliases(extra: Iterable[str] = ()) -> AliasTable:
    """The bundled alias table and any user tables (later files win)."""
    texts = [resources.files("claimscope.resources").joinpath("aliases.tsv").read_text("utf-8")]
    for p in extra:
        try:
            texts.append(Path(p).read_text("utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{p}: cannot read the alias table ({exc}); expected a UTF-8 TSV file") from exc
    table: dict[str, tuple[str, ActorKind]] = {}
    names: dict[str, tuple[str, ...]] = {}
    for raw in texts:
        for line in raw.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            name, kind, *rest = line.split("\t") + [""]
            if kind not in ("person", "organization", "place", "other"):
                raise InputError(f"alias table line {line!r}: expected NAME<TAB>KIND<TAB>ALIAS|ALIAS with KIND one of "
                                 f"person, organization, place, other")
            written = tuple(a.strip() for a in "|".join(rest).split("|") if a.strip())
            names[name] = written
            for alias in (name, *written):
                table[fold(alias)] = (name, kind)  # type: ignore[assignment]
    return AliasTable(table, names)


def _person_key(text: str) -> str:
    words = [w for w in fold(text).replace("-", " ").split() if w not in _titles()]
    return words[-1] if words else fold(text)


def _acronym(text: str) -> str:
    words = [w for w in re.split(r"[\s-]+", text) if w and w[0].isupper() and w.lower() not in {"of", "the", "and"}]
    return "".join(w[0] for w in words).lower() if len(words) >= 2 else ""


def _mentions(ledger: Ledger, parse: Parse) -> list[_Mention]:
    text = ledger.text
    out: list[_Mention] = []
    for ent in parse.entities:  # 1.
        kind = _KIND.get(ent.label)
        if kind is None:
            continue
        span = _strip_possessive(text, ent.span)
        out.append(_Mention(span, kind))
        out.extend(_parenthesised_phrase(ledger, parse, ent.first, ent.last, kind))  # 2.
        if kind == "person":
            out.extend(_appositive_titles(ledger, parse, ent.first, ent.last))  # 3.
    out.extend(_unrecognised_speakers(ledger, parse))  # 1b.
    for seg in ledger.segments or ():  # 1. turn speakers
        if seg.kind == "turn" and seg.speaker is not None:
            label = seg.speaker.text
            out.append(_Mention(seg.speaker, "other" if label.lower() in _QUESTIONER else "person"))
    return out


@lru_cache(maxsize=1)
def _cue_lemmas() -> frozenset[str]:
    raw = resources.files("claimscope.resources").joinpath("cues.tsv").read_text("utf-8")
    return frozenset(ln.split("\t")[0] for ln in raw.splitlines() if ln.strip() and not ln.startswith("#"))


def _unrecognised_speakers(ledger: Ledger, parse: Parse) -> list[_Mention]:
    """Proper-noun subjects of verbs of saying that the entity recogniser missed ("Mayor Ana Ruiz said")."""
    toks = parse.tokens
    out = []
    for t in toks:
        if t.pos != "PROPN" or t.ent_type or t.dep != "nsubj" or toks[t.head].lemma.lower() not in _cue_lemmas():
            continue
        lo = t.i
        while lo > 0 and toks[lo - 1].head == t.i and toks[lo - 1].dep == "compound" and toks[lo - 1].pos == "PROPN":
            lo -= 1
        while lo < t.i and fold(toks[lo].text) in _titles():
            lo += 1
        out.append(_Mention(ledger.span(toks[lo].start, t.end), "person"))
    return out


def _strip_possessive(text: str, span: Span) -> Span:
    m = re.search(r"['’]s?$", span.text)
    return Span.of(text, span.start, span.end - len(m.group())) if m and len(span.text) > 2 else span


def _parenthesised_phrase(ledger: Ledger, parse: Parse, first: int, last: int, kind: ActorKind) -> list[_Mention]:
    toks = parse.tokens
    if not (first > 0 and last < len(toks) and toks[first - 1].text == "(" and toks[last].text == ")"):
        return []
    if not re.fullmatch(r"[A-Z][A-Z0-9.&-]{1,9}", ledger.text[toks[first].start : toks[last - 1].end]):
        return []
    end = first - 1
    start = end
    while start > 0 and toks[start - 1].sent == toks[first].sent and toks[start - 1].pos in {"ADJ", "NOUN", "PROPN"}:
        start -= 1
    if start == end:
        return []
    span = ledger.span(toks[start].start, toks[end - 1].end)
    acro = ledger.span(toks[first].start, toks[last - 1].end)
    return [_Mention(span, kind, is_name=False, alias_of=acro.text)]


def _appositive_titles(ledger: Ledger, parse: Parse, first: int, last: int) -> list[_Mention]:
    toks = parse.tokens
    head = max(range(first, last), key=lambda i: toks[i].head not in range(first, last))
    name = ledger.span(toks[first].start, toks[last - 1].end)
    out = []
    tok = toks[head]
    if tok.dep == "appos" and toks[tok.head].pos in {"NOUN", "PROPN"} and toks[tok.head].ent_type == "":
        # "The Secretary General of the UN, António Guterres": the title is the head; when the name hangs
        # off the title's last noun ("The director of the museum, Clara Benn"), climb to the first noun
        top = tok.head
        while toks[top].dep == "pobj" and toks[toks[top].head].dep == "prep":
            top = toks[toks[top].head].head
        lo = parse.subtree(top)[0]
        hi = _title_end(parse, top, first)
        if toks[lo].dep == "det":
            lo += 1
        if hi > lo:
            out.append(_Mention(ledger.span(toks[lo].start, toks[hi - 1].end), "person", False, None, name.text))
    for child in parse.children(head):
        if child.dep == "appos" and child.pos == "NOUN":  # "Andri Yermak, head of the presidential office"
            lo, hi = parse.subtree(child.i)
            title = ledger.text[toks[lo].start : toks[hi - 1].end]
            out.append(_Mention(name, "person", True, title))
    pre = [
        toks[i].text
        for i in range(max(0, first - 3), first)
        if toks[i].head in range(first, last) and toks[i].dep == "compound" and toks[i].ent_type != "PERSON"
    ]
    if pre and pre[-1].lower() in _titles():
        out.append(_Mention(name, "person", True, " ".join(pre)))
    return out


def _title_end(parse: Parse, head: int, name_first: int) -> int:
    """End of the title phrase: the head's subtree up to the comma before the name."""
    end = name_first
    while end > head and parse.tokens[end - 1].pos == "PUNCT":
        end -= 1
    return end


class _Clusters:
    """Union of mentions into actors."""

    def __init__(self, table: AliasTable) -> None:
        self.aliases = table.lookup
        self.table_names = table.names
        self.members: dict[str, list[_Mention]] = defaultdict(list)
        self.kind: dict[str, ActorKind] = {}
        self.canonical: dict[str, str] = {}
        self.index: dict[str, str] = {}  # folded name / surname / acronym -> cluster key

    def add(self, m: _Mention) -> None:
        key = self._find(m)
        if key is None:
            key = fold(m.span.text) if m.alias_of is None else fold(m.alias_of)
            self.kind.setdefault(key, m.kind)
        self.members[key].append(m)
        for k in self._keys(m):
            self.index.setdefault(k, key)

    def _keys(self, m: _Mention) -> list[str]:
        folded = fold(m.span.text if m.alias_of is None else m.alias_of)
        keys = [folded, fold(m.span.text)]
        if m.kind == "person":
            keys.append("person:" + _person_key(m.span.text if m.alias_of is None else m.alias_of))
        acro = _acronym(m.span.text)
        if acro:
            keys.append(acro)
        return keys

    def _find(self, m: _Mention) -> str | None:
        target = m.alias_of or m.span.text
        entry = self.aliases.get(fold(target))
        if entry is not None:  # 4. the table first
            self.canonical.setdefault(fold(entry[0]), entry[0])
            self.kind.setdefault(fold(entry[0]), entry[1])
            return self.index.setdefault(fold(entry[0]), fold(entry[0]))
        if m.alias_of is not None:
            return self.index.get(fold(m.alias_of)) or self.index.get("person:" + _person_key(m.alias_of))
        if m.kind == "person":
            return self.index.get("person:" + _person_key(target))
        return self.index.get(fold(target)) or self.index.get(_acronym(target) or "\0")


def actors(ledger: Ledger, config: Config = Config()) -> Ledger:
    parse = ledger.parse
    assert parse is not None
    mentions = _mentions(ledger, parse)
    clusters = _Clusters(load_aliases(config.alias_files))
    # Names before titles and phrases, longer names first, so "António Guterres" founds the cluster.
    for m in sorted(mentions, key=lambda m: (m.alias_of is not None, -len(m.span.text), m.span.start)):
        clusters.add(m)
    built = [_build(ledger, key, ms, clusters) for key, ms in clusters.members.items()]
    built.sort(key=lambda a: a.mentions[0].start if a.mentions else 0)
    return dataclasses.replace(ledger, actors=tuple(_unique_ids(built)))


def _build(ledger: Ledger, key: str, ms: list[_Mention], clusters: _Clusters) -> Actor:
    kind = clusters.kind.get(key, ms[0].kind)
    names = [m.span.text for m in ms if m.is_name]
    name = clusters.canonical.get(key)
    if name is None:
        if kind == "person" and names:
            name = max(names, key=lambda n: (len(n.split()), len(n)))
        else:
            short = [m.alias_of for m in ms if m.alias_of]  # the acronym is the organisation's name
            name = Counter(short or names or [ms[0].span.text]).most_common(1)[0][0]
    aliases = {m.span.text for m in ms} | {m.alias_of for m in ms if m.alias_of} | {name}
    if key in clusters.canonical:  # a table actor also answers to the table's names for it
        aliases |= set(clusters.table_names.get(name, ()))
    aliases_t = tuple(sorted(aliases))
    titles = tuple(dict.fromkeys(m.title for m in ms if m.title))
    spans = tuple(sorted({m.span for m in ms}, key=lambda s: (s.start, s.end)))
    return Actor(_slug(name), name, kind, aliases_t, spans, titles, EXTRACTOR)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-") or "actor"


def _unique_ids(actors_: list[Actor]) -> list[Actor]:
    seen: Counter[str] = Counter()
    out = []
    for a in actors_:
        seen[a.id] += 1
        out.append(a if seen[a.id] == 1 else dataclasses.replace(a, id=f"{a.id}-{seen[a.id]}"))
    return out


def actor_at(ledger: Ledger, start: int, end: int) -> Actor | None:
    """The actor with a mention overlapping characters start:end (the longest overlap wins)."""
    best, score = None, 0
    for a in ledger.actors or ():
        for m in a.mentions:
            ov = min(m.end, end) - max(m.start, start)
            if ov > score:
                best, score = a, ov
    return best


def with_config(config: Config) -> Stage:
    """The actors stage with users' alias tables (same extractor: the table is data, not a new rule)."""
    load_aliases(config.alias_files)  # fail at assembly, with the file named, not on the first article
    digest = hashlib.sha1(b"".join(Path(p).read_bytes() for p in config.alias_files)).hexdigest()[:12]
    return dataclasses.replace(STAGE, fn=lambda ledger: actors(ledger, config), config_key=f"aliases:{digest}")


STAGE = Stage("actors", frozenset({"parse", "segments"}), frozenset({"actors"}), EXTRACTOR, actors)
