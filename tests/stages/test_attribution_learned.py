"""The opt-in learned attribution: features and gold tags, train -> save -> load -> predict on a tiny
hand-written set, the CLI, bad model directories, and the default pipeline unchanged without a model."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from claimscope.cli import main
from claimscope.errors import InputError, ModelFileError
from claimscope.learn.features import BEGIN, FEATURES, INSIDE, LAYERS, OUT, sequences
from claimscope.model import Article, Ledger
from claimscope.pipeline import default_pipeline, default_stages
from claimscope.stages import attribution

# Hand-written articles in the project's own words; spans are found by the quoted pieces below.
_ARTICLES = [
    ("The harbour authority said that the north pier will reopen in May.",
     "the north pier will reopen in May", "said", "The harbour authority"),
    ("Nurses at the clinic warned that the vaccine supply would run out by Friday.",
     "the vaccine supply would run out by Friday", "warned", "Nurses at the clinic"),
    ("The mayor insisted that the ferry fares will not rise this year.",
     "the ferry fares will not rise this year", "insisted", "The mayor"),
    ("Local fishermen believe the new quota is unfair to small boats.",
     "the new quota is unfair to small boats", "believe", "Local fishermen"),
    ("According to the port's records, three ships docked on Sunday.",
     "three ships docked on Sunday", "According to", "the port's records"),
    ("The council announced that the market square will be closed for repairs.",
     "the market square will be closed for repairs", "announced", "The council"),
]


def _record(k: int, text: str, content: str, cue: str, source: str) -> dict[str, Any]:
    def span(piece: str) -> list[int]:
        lo = text.index(piece)
        return [lo, lo + len(piece)]

    return {"doc_id": f"a{k}", "text": text,
            "quotes": [{"content_span": span(content), "cue_span": span(cue), "speaker_span": span(source)}]}


@pytest.fixture
def training_file(tmp_path: Path) -> Path:
    path = tmp_path / "train.jsonl"
    path.write_text("".join(json.dumps(_record(k, *a)) + "\n" for k, a in enumerate(_ARTICLES)), encoding="utf-8")
    return path


@pytest.fixture
def torch_installed() -> None:
    pytest.importorskip("torch", reason="the learn extra (torch) is not installed")


def test_default_pipeline_is_the_rules_alone(parsed: Callable[..., Ledger]) -> None:
    stage = {s.name: s for s in default_stages()}["attribution"]
    assert stage.extractor == attribution.EXTRACTOR
    text = "The harbour authority said that the north pier will reopen in May."
    led = default_pipeline().run(Article(Article.make_id(text), text))
    assert [st.extractor for st in led.statements or ()] == [attribution.EXTRACTOR]
    assert dict(led.extractors)["attribution"] == attribution.EXTRACTOR != "attribution.learned.v1"


@pytest.mark.parametrize(
    ("text", "content", "cue", "source"),
    [
        ("The mayor said that the pier will reopen.", "the pier will reopen", "said", "The mayor"),
        ("“The pier will reopen soon,” the mayor said.", "The pier will reopen soon", "said", "the mayor"),
    ],
)
def test_gold_tags_mark_content_cue_and_source(parsed: Callable[..., Ledger], text: str, content: str, cue: str,
                                               source: str) -> None:
    led = parsed(text, upto="attribution")
    rec = _record(0, text, content, cue, source)
    (seq,) = sequences(led, rec["quotes"])
    assert seq.tags is not None and len(seq.tags) == len(LAYERS)
    assert all(len(f) == len(FEATURES) for f in seq.features)
    words = [led.parse.tokens[i].text for i in seq.tokens]  # type: ignore[union-attr]
    for layer, piece in enumerate((content, cue, source)):
        tags = seq.tags[layer]
        marked = [w for w, t in zip(words, tags, strict=True) if t != OUT]
        assert " ".join(marked) == piece
        assert [t for t in tags if t != OUT] == [BEGIN] + [INSIDE] * (len(marked) - 1)


def test_without_gold_there_are_no_tags(parsed: Callable[..., Ledger]) -> None:
    led = parsed("The pier reopened on Monday. Fishermen were pleased.", upto="attribution")
    seqs = sequences(led)
    assert seqs and all(s.tags is None for s in seqs)
    rule_feature = FEATURES.index("rule")
    assert {f[rule_feature] for s in seqs for f in s.features} == {"O"}  # no rule statement, nothing marked


def test_train_save_load_predict(torch_installed: None, training_file: Path, tmp_path: Path) -> None:
    from claimscope.learn.data import train_attribution, training_sequences
    from claimscope.learn.tagger import Tagger, TrainConfig, train

    seqs = training_sequences(training_file)
    assert len(seqs) == len(_ARTICLES)
    trained = train(seqs, TrainConfig(epochs=60, threads=1, min_count=1, dropout=0.0, lr=1e-2))
    trained.save(tmp_path / "model")
    loaded = Tagger.load(tmp_path / "model")
    assert loaded.tag(seqs) == trained.tag(seqs)  # the saved weights are the trained ones
    # The tiny set is learned: its content, cue and source tokens come back tagged.
    for seq, tags in zip(seqs, loaded.tag(seqs), strict=True):
        assert seq.tags is not None
        for layer in range(len(LAYERS)):
            gold = [t != OUT for t in seq.tags[layer]]
            got = [t != OUT for t in tags[layer]]
            assert sum(g == p for g, p in zip(gold, got, strict=True)) >= 0.9 * len(gold)
    # The library's one-call path writes a model the pipeline uses only when asked.
    out = tmp_path / "cli-model"
    n = train_attribution(training_file, out, epochs=2, threads=1)
    assert n == len(_ARTICLES) and (out / "tagger.pt").is_file() and (out / "tagger.json").is_file()
    text = "The harbour authority said that the south pier will reopen in June."
    led = default_pipeline(attribution_model=str(out)).run(Article(Article.make_id(text), text))
    assert dict(led.extractors)["attribution"] == "attribution.learned.v1"
    assert default_pipeline(attribution_model=str(out)).config_hash != default_pipeline().config_hash


def test_cli_train_then_analyze(torch_installed: None, training_file: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "model"
    res = runner.invoke(main, ["train-attribution", str(training_file), "--out", str(out), "--epochs", "1",
                               "--threads", "1"])
    assert res.exit_code == 0, res.output
    assert "model written to" in res.output
    article = tmp_path / "a.txt"
    article.write_text("The council said that the square will reopen in spring.", encoding="utf-8")
    res = runner.invoke(main, ["analyze", str(article), "--json", "--attribution-model", str(out)])
    assert res.exit_code == 0, res.output
    assert "statements" in json.loads(res.output.splitlines()[-1])


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "no readable tagger.json"),
        ({"tagger.json": "not json"}, "no readable tagger.json"),
        ({"tagger.json": json.dumps({"format": "something.else"})}, "another version"),
    ],
)
def test_a_bad_model_directory_is_one_error(torch_installed: None, tmp_path: Path, files: dict[str, str],
                                            message: str) -> None:
    for name, body in files.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    with pytest.raises(ModelFileError, match=message):
        default_pipeline(attribution_model=str(tmp_path))
    article = tmp_path / "a.txt"
    article.write_text("The council said that the square will reopen.", encoding="utf-8")
    res = CliRunner().invoke(main, ["analyze", str(article), "--attribution-model", str(tmp_path)])
    assert res.exit_code == 1 and res.output.startswith("Error: ") and "Traceback" not in res.output


@pytest.mark.parametrize(
    "line",
    ['{"doc_id": "x"}', '{"text": "abc", "quotes": [{"content_span": [0, 99]}]}', "not json"],
)
def test_a_bad_training_line_names_file_and_line(tmp_path: Path, line: str) -> None:
    from claimscope.learn.data import read

    path = tmp_path / "bad.jsonl"
    path.write_text('{"doc_id": "ok", "text": "Fine.", "quotes": []}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl:2: not a training record"):
        list(read(path))
