"""Meta tests: every command and stage is documented, and the CLI reference is current."""

from __future__ import annotations

import sys
from pathlib import Path

from claimscope.pipeline import default_stages

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eval import cli_reference  # noqa: E402


def test_cli_reference_is_current() -> None:
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == cli_reference.render(), (
        "docs/cli.md is out of date: run `python eval/cli_reference.py`")


def test_every_stage_is_documented() -> None:
    text = (ROOT / "docs" / "stages.md").read_text(encoding="utf-8")
    for stage in default_stages():
        assert f"## {stage.name}\n" in text, f"docs/stages.md has no section for stage {stage.name!r}"
        assert f"`{stage.extractor}`" in text, f"docs/stages.md does not name extractor {stage.extractor!r}"


def test_every_stage_module_has_a_docstring_with_requires_and_provides() -> None:
    import importlib

    for stage in default_stages():
        module = importlib.import_module(stage.fn.__module__)
        doc = (module.__doc__ or "").lower()
        assert "requires" in doc and "provides" in doc, f"{module.__name__} docstring lacks requires/provides"


def test_readme_opens_with_the_two_commands() -> None:
    head = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## ")[0]
    assert "make demo" in head and "make test" in head
