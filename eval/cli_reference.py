"""Write docs/cli.md from the commands' own --help texts (checked in CI by tests/test_docs.py).

usage: python eval/cli_reference.py [--check]
"""

from __future__ import annotations

import sys
from pathlib import Path

from claimscope.cli import main

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def render() -> str:
    width = {"terminal_width": 100, "max_content_width": 100}
    ctx = main.make_context("claimscope", [], resilient_parsing=True, **width)  # applies context_settings
    parts = ["# Command-line reference", "",
             "Generated from the commands' `--help` by `python eval/cli_reference.py`; a test checks it is current.",
             "", "```", main.get_help(ctx), "```", ""]
    for name in sorted(main.list_commands(ctx)):
        cmd = main.get_command(ctx, name)
        assert cmd is not None
        sub = cmd.make_context(name, [], parent=ctx, resilient_parsing=True, **width)
        parts += [f"## claimscope {name}", "", "```", cmd.get_help(sub), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    text = render()
    if "--check" in sys.argv:
        current = DOC.read_text(encoding="utf-8") == text
        sys.exit(0 if current else "docs/cli.md is out of date: run eval/cli_reference.py")
    DOC.write_text(text, encoding="utf-8")
