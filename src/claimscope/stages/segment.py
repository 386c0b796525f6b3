"""Segment: the page's structure, line by line.

Requires: article. Provides: segments.

Top-level segments cover the text's lines in order: ``headline``, ``caption`` (with its photo credit),
``body`` (consecutive body paragraphs merged into one block), ``credit`` (agency/dateline lines such as
"United Nations / EFE"), ``tags`` (hashtag and keyword strips), ``appendix`` (material appended after
the story: an interview or Q&A, FAQ, "key takeaways") and ``boilerplate`` (share/subscribe/copyright
lines). Inside an appendix or body with a transcript, each Q&A turn is a ``turn`` segment whose span
is the turn's text and whose ``speaker`` is the label ("Dr. Carter").

The cascade, per line (first match wins):
  1. tag line: most words are hashtags, or a "Tags:"/"Keywords:" strip
  2. boilerplate: share/subscribe/copyright/"read more" lines (resources/boilerplate.txt)
  3. caption: a line carrying a photo credit ("/ Photo: AP", "(AP Photo/...)", "Getty Images", "STAFF PHOTO
     BY ..."), a caption lead ("ABOVE:"), "in this file photo", or a one-sentence line placing people in
     the picture ("Smith (left) and ...")
  4. credit: a short line without a sentence, naming an agency or ending "/ AGENCY", or a byline; a date
     stamp alone on its line ("Published: Friday, January 18, 2008 10:28pm"); a staff line ("Staff
     writer", "The Associated Press"); a contact sign-off (an e-mail address alone, "... can be reached at")
     -- a dateline that opens a paragraph ("PARIS (Reuters) - ...") is body
  5. appendix start (``appendix_start``), only once a story has been told (``story_min_words`` body words
     or a sign-off credit): a short header such as "Interview with ...", "Q&A", "FAQ", "Key takeaways"; a
     Q&A turn after a sign-off credit (a mid-story exchange is body); a line of
     leftover chatbot text (resources/leftover.txt: "As an AI language model", "I hope this helps"); a
     closing section shaped like appended material (a "Conclusion"/"What this means" header, or any header
     followed by bullets, turns or questions, shorter than the story and running to the end); a summary
     lead ("In conclusion, ...") in the last lines; a headerless bullet list or Q&A run to the end (not in
     a page with turns of its own); text after an agency sign-off ("United Nations / EFE"), shorter than
     the story -- from there to the end of the text everything but tag lines and boilerplate is appendix.
     The segmenter proposes; the integrity stage decides whether the block is grounded in the story (a
     story's own closing section is, and is not flagged)
  6. headline: the first line when it is the given title, or a short line without final punctuation
     that is followed by body text
  7. body: everything else

Known limits: works on line structure, so a page flattened into one line yields one body segment; a
caption without a credit marker or picture cue is body; a plain paragraph appended without a header,
sign-off, list or turn markers (an "expert" paragraph pasted straight after the last one) is body.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

from claimscope.model import Ledger, Segment, SegmentKind
from claimscope.pipeline import Stage

EXTRACTOR = "segment.rules.v2"
Role = Literal["question", "answer", "header"]


@dataclass(frozen=True, slots=True)
class Config:
    headline_max_words: int = 25
    credit_max_words: int = 8
    header_max_words: int = 12  # an appendix header is a title, not a sentence
    story_min_words: int = 120  # body words before an appendix header can end the story
    tag_share: float = 0.6  # share of words that must be hashtags for a tag line


_AGENCIES = r"(?:AP|AFP|EFE|Reuters|DPA|ANSA|PTI|IANS|UPI|Xinhua|TASS|Yonhap|Kyodo|Bloomberg|ANI|Agencies|Europa Press)"
_PHOTO = re.compile(r"(?:(?:/|\||-|–|—|\()\s*)?\b(?:Photo|Photograph|Image|Picture|Foto|Credit|Photo credit)s?\s*:"
                    r"|\bGetty Images\b|\bShutterstock\b|\bAP Photo\b|\(File photo\)"
                    r"|\((?:staff |file )?photo(?:graph)?s? (?:by|courtesy of)\b[^)]*\)"
                    r"|\bin this (?:[\w,.'’ ]{0,40} )?file (?:photo|image|picture)"
                    r"|\bin this \w+\.? \d{1,2}, \d{4},? (?:file )?photo", re.I)
_PHOTO_LEAD = re.compile(r"^(?:STAFF |FILE )?PHOTO(?:GRAPH)?S? BY\b"
                         r"|^(?:Photo|Image|Picture)s? (?:by|courtesy of)\s+[A-Z]")
_CREDIT = re.compile(rf"^\(?{_AGENCIES}\)?$|/\s*{_AGENCIES}\s*\)?$|^(?:By|Por)\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+)*"
                     rf"|^[—–-]\s*{_AGENCIES}|\({_AGENCIES}\)\s*$|^(?:Reporting|Editing|Writing) by\b", re.I)
_HEADER = re.compile(r"^\W*(?:interview\s+with\b|an?\s+interview\b|q\s*&\s*a\b|q\s+and\s+a\b|faqs?\b|"
                     r"frequently\s+asked\s+questions|key\s+takeaways|takeaways\b|expert\s+(?:commentary|analysis|"
                     r"opinion|insights?))", re.I)
# an agency sign-off closing a wire story: "United Nations / EFE", "(Reuters)", "— AFP" (not a photo credit)
_SIGN_OFF = re.compile(rf"^(?:[A-Z][\w.'’ -]{{0,40}}\s/\s*)?\(?{_AGENCIES}\)?\.?$|^[—–-]\s*{_AGENCIES}$")
_SOFT_HEADER = re.compile(r"^\W*(?:in\s+)?(?:conclusions?\b|final\s+thoughts|summary\b|what\s+(?:this|it)\s+means\b|"
                          r"why\s+(?:this|it)\s+matters\b|key\s+points\b|what\s+you\s+need\s+to\s+know\b)", re.I)
_SUMMARY_LEAD = re.compile(r"^\W*(?:in\s+conclusion|in\s+summary|to\s+conclude|to\s+summari[sz]e)\b", re.I)
_BULLET = re.compile(r"^\s*(?:[-*•–]|\d{1,2}[.)])\s+\S")
_FINAL = (".", "?", "!", ",", ";", "”", '"', "’")
TURN = re.compile(r"^\s*(?:\*\*|__)?(?P<name>Q|A|[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4})\s*:\s*(?:\*\*|__)?"
                  r"\s*(?P<rest>\S.*)$")
_QUESTION_NAMES = {"q", "question", "interviewer", "host", "moderator", "reporter", "journalist"}
_TAG_PREFIX = re.compile(r"^\W*(?:tags|keywords|topics|related topics|filed under|categor(?:y|ies)|posted in)\s*:",
                         re.I)
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_STAMP_WORD = re.compile(rf"^(?:\d{{1,4}}(?:st|nd|rd|th)?|\d{{1,4}}(?:[:./-]\d{{1,4}})+(?:[ap]m)?|{_MONTH}|"
                         r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?|[ap]\.?m\.?|at|on|gmt|utc|[a-z]?[ecmp][sd]t|cet|cest|"
                         r"bst|ist|aest|et|pt)$", re.I)
_STAMP_LEAD = re.compile(r"^(?:first |last )?(?:published|posted|updated|created|edited|modified)\s*(?:on|at)?\s*:?",
                         re.I)
_ROLE = re.compile(r"^(?:[\w.'’-]+\s+){0,4}(?:staff|sports|business|political|senior|chief|foreign|special)?\s*"
                   r"(?:writer|reporter|correspondent|editor)s?$|^staff and agencies$|"
                   r"^(?:by\s+)?(?:the\s+)?(?:associated press|canadian press|press association|agence france-presse)$"
                   r"|(?:writer|reporter|editor|correspondent)\b.{0,80}\bcan be reached\b|can be reached at \S+@|"
                   r"^\S+@\S+\.\w+$|^[A-Z][\w.'’ -]{0,40}:\s*[\d() -]{7,}\s*(?:or\s+\S+@\S+)?$", re.I)
_CAPTION_LEAD = re.compile(r"^(?:ABOVE|BELOW|LEFT|RIGHT|TOP|BOTTOM|INSET|PICTURED)\s*:")
_POSITION = re.compile(r"\s\((?:left|right|center|centre|top|bottom|front|rear|(?:2nd|second|3rd|third) (?:from )?"
                       r"(?:left|right)|l to r|l-r|from left)\)", re.I)


@lru_cache(maxsize=1)
def _boilerplate() -> re.Pattern[str]:
    raw = resources.files("claimscope.resources").joinpath("boilerplate.txt").read_text("utf-8")
    pats = [ln.strip() for ln in raw.splitlines() if ln.strip() and not ln.startswith("#")]
    return re.compile("|".join(f"(?:{p})" for p in pats), re.I)


def _lines(text: str) -> list[tuple[int, int]]:
    """Non-blank lines as (start, end), trailing white space excluded."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.start(), m.end()
        while e > s and text[e - 1].isspace():
            e -= 1
        while s < e and text[s].isspace():
            s += 1
        if e > s:
            out.append((s, e))
    return out


def _words(line: str) -> list[str]:
    return line.split()


def is_tag_line(line: str, config: Config = Config()) -> bool:
    words = _words(line)
    if _TAG_PREFIX.match(line):
        return True
    tags = sum(w.startswith("#") and len(w) > 1 for w in words)
    return bool(words) and tags >= 2 and tags / len(words) >= config.tag_share


def is_caption(line: str) -> bool:
    """A line carrying a photo credit or a photo reference of the caption kind ("in this file photo")."""
    if len(_words(line)) > 80:
        return False
    if _PHOTO.search(line) or _PHOTO_LEAD.match(line) or _CAPTION_LEAD.match(line):
        return True
    # "Smith (left) and Jones ...": a position in the picture, in a one-sentence line
    return bool(_POSITION.search(line)) and len(_words(line)) <= 40 and len(re.findall(r"[.!?](?:\s|$)", line)) <= 1


def is_stamp(line: str) -> bool:
    """A date/time line ("Published: Friday, January 18, 2008 10:28pm") with nothing else on it."""
    core = _STAMP_LEAD.sub("", line.strip(" |-–—*_")).strip(" |:-–—")
    words = [w.strip(",;|()") for w in core.split()]
    words = [w for w in words if w]
    return 0 < len(words) <= 10 and any(c.isdigit() for c in core) and all(_STAMP_WORD.match(w) for w in words)


def is_credit(line: str, config: Config = Config()) -> bool:
    stripped = line.strip(" *_")
    if is_stamp(stripped) or (len(_words(stripped)) <= 25 and _ROLE.search(stripped.strip(" |"))):
        return True
    if len(_words(stripped)) > config.credit_max_words or stripped.endswith((".", "?", "!", "”", '"')):
        return bool(re.fullmatch(rf"\(?{_AGENCIES}\)?\.?", stripped))
    return bool(_CREDIT.search(stripped))


def _classify(line: str, config: Config) -> SegmentKind | None:
    # 1. tag lines before anything else: a hashtag strip is never text
    if is_tag_line(line, config):
        return "tags"
    # 2. boilerplate: share/subscribe/copyright lines are page furniture
    if len(_words(line)) <= 20 and _boilerplate().search(line):
        return "boilerplate"
    # 3. a photo credit marks a caption even when it repeats a body sentence
    if is_caption(line):
        return "caption"
    # 4. short agency / byline lines
    if is_credit(line, config):
        return "credit"
    return None


def segment(ledger: Ledger, config: Config = Config()) -> Ledger:
    text = ledger.text
    lines = _lines(text)
    pre = [_classify(text[s:e], config) for s, e in lines]
    start = appendix_start(text, lines, pre, config)
    kinds: list[SegmentKind] = []
    title = (ledger.article.title or "").strip().lower()
    for k, ((s, e), kind) in enumerate(zip(lines, pre, strict=True)):
        line = text[s:e]
        if kind is None:
            if k >= start:
                kind = "appendix"  # 5.
            elif k == 0 and _is_headline(line, title, lines, config):
                kind = "headline"  # 6.
            else:
                kind = "body"  # 7.
        elif kind == "credit" and k >= start:
            kind = "appendix"
        kinds.append(kind)
    segs = _merge(ledger, lines, kinds)
    segs = _add_turns(ledger, segs)
    return dataclasses.replace(ledger, segments=tuple(segs))


def appendix_start(text: str, lines: list[tuple[int, int]], pre: list[SegmentKind | None], config: Config) -> int:
    """The index of the line where appended material starts (``len(lines)`` when there is none).

    Only once a story has been told (``story_min_words`` body words, or a sign-off credit after body text):
    a header or a Q&A turn after a sign-off (``_starts_appendix``), leftover chatbot text, a summary lead
    ("In conclusion, ...") in the last lines, a tail shaped like appended material (``_appended_tail``), or
    any text after an agency sign-off that is shorter than the story (on 40,000 corpus articles, 3 pages
    have text after such a line: integrity then finds it grounded).
    """
    body_words, ended, signed, turns = 0, False, False, 0
    for k, (s, e) in enumerate(lines):
        line = text[s:e]
        if pre[k] is None and k > 0:
            told = ended or body_words >= config.story_min_words
            if _starts_appendix(line, body_words, ended, config) or (told and (
                    _leftover().search(line) or _appended_tail(text, lines[k:], pre[k:], body_words, turns, config))):
                return k
            if signed and _text_words(text, lines[k:], pre[k:]) < body_words:
                return k  # text after an agency sign-off ("United Nations / EFE"), shorter than the story
            turns += bool(TURN.match(line) or _is_question(line))
        kind = pre[k] or "body"
        body_words += len(_words(line)) if kind == "body" else 0
        # the story has ended when a credit/sign-off line follows body text and no body text follows it
        ended = (ended or (kind == "credit" and body_words > 0)) and kind != "body"
        signed = (signed or (kind == "credit" and body_words > 0 and bool(_SIGN_OFF.match(line.strip(" *_")))))\
            and kind != "body"
    return len(lines)


def _text_words(text: str, lines: list[tuple[int, int]], pre: list[SegmentKind | None]) -> int:
    return sum(len(_words(text[s:e])) for (s, e), kind in zip(lines, pre, strict=True) if kind is None)


def _starts_appendix(line: str, body_words: int, ended: bool, config: Config) -> bool:
    """A short header ("Key takeaways", "Interview with ...") after a story, or a Q&A turn after a sign-off
    (any other header after a sign-off is judged like any closing section: "Email to a friend" after a
    wire credit is page furniture, not appended material).

    A turn in mid-story ("Reporter: ...", a quiz's "Q: ...") is part of the story, so a turn opens an
    appendix only once the story has ended with a credit line; a header must be a header, not a sentence
    that happens to begin "Interview with ...", and must follow a told story (a "Key takeaways" box above
    the story is body, since everything after an appendix header is taken out of the body).
    """
    if _HEADER.match(line) and is_header_line(line, config):
        return ended or body_words >= config.story_min_words
    return ended and bool(TURN.match(line)) and _turn_name_ok(line)


def is_header_line(line: str, config: Config = Config()) -> bool:
    """A title-shaped line: a few words, no sentence-final punctuation (a colon may end it), not a turn, no
    address ("Write to ... at x@y.com")."""
    core = line.strip(" *_#\t")
    words = len(core.split())
    if core.endswith(":") and words > 4:
        return False  # "Some of his highlights include:" leads into the story's own list
    if re.search(r"[:?!]\s+\S", core) and not _HEADER.match(core) or core.endswith(("—", "-", "–")):
        return False  # a label with text ("DOOCY (CO-HOST): Well"), two sentences, a broken-off line
    return (0 < words <= config.header_max_words and core[:1].isupper() and not core.endswith(_FINAL)
            and not TURN.match(line) and not re.search(r"@|://|www\.|\b[a-z]{3,}\.\s", core))


def _appended_tail(text: str, tail: list[tuple[int, int]], pre: list[SegmentKind | None], story_words: int,
                   story_turns: int, config: Config) -> bool:
    """Whether the lines from ``tail[0]`` to the end look appended to a told story:
      a. a header of the appended kind ("Conclusion", "What this means") or any header line, followed by
         a block shorter than the story that is structured (opening with, and mostly, bullets, turns or
         questions); for the appended kind of header, any block shorter than the story;
      b. a summary lead ("In conclusion, ...") opening one of the last two lines;
      c. a headerless list of two or more bullets to the end; a headerless run of two or more Q&A turns, or
         of questions (of four words or more) each followed by an answer, to the end, in a story without
         turns or question lines of its own (a transcript page is not appended to itself), with two
         speakers at most (a cast of three or more is a transcript the story quotes).
    Mid-story sections stay body: the block must run to the end of the page (furniture aside).
    """
    rest = [text[s:e] for (s, e), kind in zip(tail, pre, strict=True) if kind is None]
    first, after = rest[0], rest[1:]
    words = sum(len(_words(x)) for x in after)
    structured = sum(bool(_BULLET.match(x) or TURN.match(x) or _is_question(x)) for x in after)
    if is_header_line(first, config):
        if not after or words >= story_words:
            return False
        starts = bool(_BULLET.match(after[0]) or TURN.match(after[0]) or _is_question(after[0]))
        return bool(_SOFT_HEADER.match(first)) or (starts and structured >= 2 and structured * 2 >= len(after))
    if _SUMMARY_LEAD.match(first) and len(rest) <= 2:
        return True
    if len(rest) >= 2 and all(_BULLET.match(x) for x in rest):
        return True
    if story_turns:
        return False
    turns = [m for m in map(TURN.match, rest) if m]
    speakers = {m.group("name").lower() for m in turns}
    if len(rest) >= 2 and len(turns) == len(rest) and len(speakers) <= 2 and any(_turn_name_ok(x) for x in rest):
        return True  # an interview: a transcript with a cast of three or more is the story's own
    questions = [k for k, x in enumerate(rest) if _is_question(x) and len(x.split()) >= 4]
    return len(questions) >= 2 and questions[0] == 0 and all(  # each question followed by one answer line
       b - a == 2 for a, b in zip(questions, questions[1:], strict=False))


def _is_question(line: str) -> bool:
    core = line.strip(" *_#")
    return core.endswith("?") and len(core.split()) <= 25


@lru_cache(maxsize=1)
def _leftover() -> re.Pattern[str]:
    """Leftover chatbot text (resources/leftover.txt): a line with it is never reporting."""
    raw = resources.files("claimscope.resources").joinpath("leftover.txt").read_text("utf-8")
    pats = [ln.strip() for ln in raw.splitlines() if ln.strip() and not ln.startswith("#")]
    return re.compile("|".join(f"(?:{p})" for p in pats), re.I)


def leftover(text: str) -> tuple[str, ...]:
    """The leftover chatbot phrases in ``text``, in order, each once."""
    return tuple(dict.fromkeys(m.group(0) for m in _leftover().finditer(text)))


def _turn_name_ok(line: str) -> bool:
    m = TURN.match(line)
    if m is None:
        return False
    return line.lstrip().startswith(("**", "__")) or m.group("name").lower() in _QUESTION_NAMES or m.group(
        "name"
    ) in {"Q", "A"}


def _is_headline(line: str, title: str, lines: list[tuple[int, int]], config: Config) -> bool:
    if title and line.strip(" *#").lower() == title:
        return True
    return (len(lines) > 1 and len(_words(line)) <= config.headline_max_words
            and not line.rstrip(" *").endswith((".", ":", ";", ",")))


def _merge(ledger: Ledger, lines: list[tuple[int, int]], kinds: list[SegmentKind]) -> list[Segment]:
    """Consecutive body lines, and all appendix lines, become one segment each; others one per line."""
    segs: list[Segment] = []
    for (s, e), kind in zip(lines, kinds, strict=True):
        if segs and segs[-1].kind == kind and kind in ("body", "appendix"):
            segs[-1] = dataclasses.replace(segs[-1], span=ledger.span(segs[-1].span.start, e))
        else:
            segs.append(Segment(kind, ledger.span(s, e), extractor=EXTRACTOR))
    return segs


def _add_turns(ledger: Ledger, segs: list[Segment]) -> list[Segment]:
    """Q&A turns inside an appendix (or a body that is a transcript: two or more turns)."""
    out = list(segs)
    for k, seg in enumerate(segs):
        if seg.kind not in ("appendix", "body"):
            continue
        found = _turns(ledger, seg, k)
        if seg.kind == "appendix" or len(found) >= 2:
            out.extend(found)
    return out


def _turns(ledger: Ledger, seg: Segment, parent: int) -> list[Segment]:
    """Labelled lines that are turns: a Q/A or interviewer label, a bold label, or -- once an interviewer
    speaks in this block -- a plain name label that recurs ("Ruiz: ..." twice), the interviewee's."""
    text = ledger.text
    cands = []
    for s, e in _lines(text[seg.span.start:seg.span.end]):
        m = TURN.match(text[seg.span.start + s:seg.span.start + e])
        if m:
            cands.append((seg.span.start + s, seg.span.start + e, m))
    ok = [_turn_name_ok(text[s:e]) for s, e, _ in cands]
    names = Counter(m.group("name") for _, _, m in cands)
    found = []
    for (s, e, m), name_ok in zip(cands, ok, strict=True):
        if not (name_ok or (any(ok) and names[m.group("name")] >= 2)):
            continue
        role: Role = "question" if (m.group("name").lower() in _QUESTION_NAMES
                                    or text[s:e].rstrip(" *").endswith("?")) else "answer"
        found.append(Segment("turn", ledger.span(s + m.start("rest"), e),
                             ledger.span(s + m.start("name"), s + m.end("name")), role, parent, EXTRACTOR))
    return found


def turn_of(ledger: Ledger, char: int) -> Segment | None:
    for s in ledger.segments or ():
        if s.kind == "turn" and s.span.start <= char < s.span.end:
            return s
    return None



STAGE = Stage("segment", frozenset({"article"}), frozenset({"segments"}), EXTRACTOR, segment)
