"""The ledger in the terminal: who said what, figures, times, flags (rich tables)."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from claimscope.model import Ledger


def _short(text: str, n: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def ledger_view(led: Ledger) -> Group:
    a = led.article
    head = Text()
    head.append(a.title or a.id, style="bold")
    head.append(f"  published {a.published.isoformat() if a.published else 'unknown (undated)'}")
    if a.url:
        head.append(f"  {a.url}", style="dim")
    parts: list[Panel | Table | Text] = [head]
    parts.append(_segments(led))
    parts.append(_statements(led))
    parts.append(_quantities(led))
    parts.append(_times(led))
    parts.append(_flags(led))
    if led.diagnostics:
        parts.append(Text("\n".join(f"[{d.stage}] {d.level}: {d.message}" for d in led.diagnostics),
                          style="yellow"))
    return Group(*parts)


def _segments(led: Ledger) -> Table:
    t = Table(title="Page structure", title_justify="left", show_lines=False)
    for col in ("segment", "chars", "starts"):
        t.add_column(col)
    for s in led.segments or ():
        if s.kind == "turn":
            continue
        t.add_row(s.kind, f"{s.span.start}-{s.span.end}", _short(s.span.text, 70))
    return t


def _statements(led: Ledger) -> Table:
    t = Table(title="Who said what", title_justify="left")
    for col in ("speaker", "cue", "kind", "content", "when", "channel"):
        t.add_column(col, overflow="fold")
    for s in led.statements or ():
        actor = led.actor(s.speaker)
        who = actor.name if actor else (s.speaker_span.text if s.speaker_span else "(unattributed)")
        t.add_row(who, s.cue.text if s.cue else "", s.kind, _short(s.content.text), s.time or "",
                  s.channel.text if s.channel else "")
    return t


def _quantities(led: Ledger) -> Table:
    t = Table(title="Figures", title_justify="left")
    for col in ("figure", "value", "bound", "counts", "source", "time"):
        t.add_column(col, overflow="fold")
    for q in led.quantities or ():
        actor = led.actor(q.source)
        value = f"{q.value:g}" + (f"–{q.high:g}" if q.high is not None else "") + (f" {q.unit}" if q.unit else "")
        t.add_row(q.span.text, value, q.bound, q.counted or "", actor.name if actor else "(no source)",
                  q.time or "")
    return t


def _times(led: Ledger) -> Table:
    t = Table(title="Times", title_justify="left")
    for col in ("expression", "type", "value"):
        t.add_column(col)
    for tm in led.times or ():
        t.add_row(tm.span.text, tm.type, tm.value or "(unresolved)")
    return t


def _flags(led: Ledger) -> Table:
    t = Table(title="Flags", title_justify="left")
    for col in ("flag", "where", "score", "why"):
        t.add_column(col, overflow="fold")
    for f in led.flags or ():
        t.add_row(Text(f.kind, style="bold red"), _short(f.span.text, 50),
                  "" if f.score is None else f"{f.score:.2f}", f.reason)
    return t


def print_ledger(led: Ledger, console: Console | None = None) -> None:
    if console is None:
        console = Console()
        if not console.is_terminal:  # piped output: wide enough that tables stay readable
            console = Console(width=160)
    console.print(ledger_view(led))
