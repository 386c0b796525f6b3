"""Property tests: on any text, every ledger item points at the characters it claims, ids are unique,
and every speaker or source is an actor of the ledger."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimscope.model import Article
from claimscope.pipeline import default_pipeline
from claimscope.serialize import from_json, to_json

PIECES = [
    "The mayor said on Monday that", " “We will win,” she said.", " more than 7,000 people", " according to the police",
    "\n", "\n\n", " #tag #news", " / Photo: AP", "**Interviewer:** Why?", "\n**Dr. Ng:** Because.", " (UN)",
    " “unbalanced quote", " ”", " '' ", " 3.5bn dollars", " last Friday night", " was confirmed by Oslo", " — ",
    "Reuters", " at least 5 camps", "\x00", "é", "\u2028", "   ", ".", ",", " it", " he told reporters", " 10–12",
]
texts = st.one_of(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map("".join),
    st.text(min_size=1, max_size=300),
)
PIPELINE = default_pipeline()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, dated=st.booleans())
def test_ledger_invariants(text: str, dated: bool) -> None:
    article = Article(Article.make_id(text), text, dt.date(2024, 11, 3) if dated else None)
    led = PIPELINE.run(article)
    for span in led.spans():
        assert span.matches(text), span
    actor_ids = {a.id for a in led.actors or ()}
    assert len(actor_ids) == len(led.actors or ())
    for kind in (led.statements, led.quantities, led.times, led.flags):
        ids = [x.id for x in kind or ()]
        assert len(ids) == len(set(ids))
    assert all(s.speaker is None or s.speaker in actor_ids for s in led.statements or ())
    assert all(q.source is None or q.source in actor_ids for q in led.quantities or ())
    assert not [d for d in led.diagnostics if d.level == "error"], led.diagnostics
    if not dated:
        assert all(t.value is None for t in led.times or () if t.relative)
    assert from_json(to_json(led)) == led.__class__(**{**{f: getattr(led, f) for f in led.__slots__}, "parse": None})
