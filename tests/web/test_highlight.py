"""The marked-up article text: flat, escaped, every item findable, gaps kept."""

from __future__ import annotations

import re
from typing import Any

import pytest

from claimscope.web.highlight import highlight, speaker_colours

TEXT = "Caption here. / Photo: X\nThe mayor said 40 <b>boats</b> sank on Monday.\n#tag"


def doc(**layers: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"text": TEXT, "segments": [], "statements": [], "quantities": [], "times": [], "flags": []}
    return {**base, **layers}


def seg(kind: str, start: int, end: int, parent: int | None = None) -> dict[str, Any]:
    return {"kind": kind, "start": start, "end": end, "parent": parent, "role": None}


def stmt(sid: str, needle: str, speaker: str | None, who: str, cue: str) -> dict[str, Any]:
    s, w, c = TEXT.index(needle), TEXT.index(who), TEXT.index(cue)
    return {"id": sid, "start": s, "end": s + len(needle), "speaker": speaker, "speaker_text": who,
            "speaker_start": w, "speaker_end": w + len(who), "cue_start": c, "cue_end": c + len(cue)}


def plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


BODY = TEXT.index("The mayor")
SEGS = [seg("caption", 0, BODY - 1), seg("body", BODY, TEXT.index("#tag") - 1), seg("tags", TEXT.index("#tag"),
                                                                                     len(TEXT))]


def test_blocks_cover_the_text_in_order() -> None:
    blocks = highlight(doc(segments=SEGS))
    assert [b.kind for b in blocks] == ["caption", "gap", "body", "gap", "tags"]
    assert "".join(plain(b.html) for b in blocks) == TEXT


def test_markup_is_escaped_and_never_nested() -> None:
    st = stmt("s1", "40 <b>boats</b> sank", "a1", "The mayor", "said")
    q = {"id": "q1", "start": TEXT.index("40"), "end": TEXT.index("40") + 2}
    body = highlight(doc(segments=SEGS, statements=[st], quantities=[q]))[2].html
    assert "<b>" not in body and "&lt;b&gt;" in body
    assert not re.search(r"<span[^>]*>[^<]*<span", body)
    assert 'class="st sp0 fig" data-items="s1 q1"' in body


@pytest.mark.parametrize(("speakers", "slots"), [
    (["a1", "a2", "a1"], {"a1": 0, "a2": 1}),
    ([None, "a1"], {"The mayor": 0, "a1": 1}),
    ([], {}),
])
def test_each_speaker_gets_its_own_colour(speakers: list[str | None], slots: dict[str, int]) -> None:
    sts = [stmt(f"s{i}", "sank", sp, "The mayor", "said") for i, sp in enumerate(speakers)]
    assert speaker_colours(doc(statements=sts)) == slots


@pytest.mark.parametrize("bad", [(5, 5), (500, 600), (-3, 0)])
def test_empty_or_out_of_range_spans_mark_nothing(bad: tuple[int, int]) -> None:
    q = {"id": "q9", "start": bad[0], "end": bad[1]}
    assert "q9" not in "".join(b.html for b in highlight(doc(segments=SEGS, quantities=[q])))


def test_flags_go_to_the_block_they_start_in() -> None:
    flag = {"id": "f1", "kind": "tag_line", "start": TEXT.index("#tag"), "end": len(TEXT), "reason": "hashtags"}
    blocks = highlight(doc(segments=SEGS, flags=[flag]))
    assert [b.kind for b in blocks if b.flags] == ["tags"]


def test_no_segments_is_one_body_block() -> None:
    blocks = highlight(doc())
    assert [b.kind for b in blocks] == ["body"] and plain(blocks[0].html) == TEXT


def test_hundreds_of_overlapping_spans_stay_well_formed() -> None:
    text = "word " * 2000
    figs = [{"id": f"q{i}", "start": i * 5, "end": i * 5 + 4} for i in range(0, 2000, 2)]
    sts = [{"id": f"s{i}", "start": i * 50, "end": i * 50 + 120, "speaker": f"a{i % 15}"} for i in range(150)]
    blocks = highlight({"text": text, "segments": [], "statements": sts, "quantities": figs})
    html = blocks[0].html
    assert plain(html) == text
    assert html.count("<span") == html.count("</span>")
    assert all(f'"q{i}' in html or f" q{i}" in html for i in range(0, 2000, 2))


@pytest.mark.parametrize(("kind", "blank"), [("gap", True), ("body", False)])
def test_white_space_between_segments_is_marked_blank(kind: str, blank: bool) -> None:
    blocks = highlight(doc(segments=SEGS))
    assert any(b.kind == kind and b.blank is blank for b in blocks)
