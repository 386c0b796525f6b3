"""A measure's figures over time as an SVG chart drawn on the server (no script, no external library).

Requires: points from ``queries.measure_series`` (``value``, ``high``, ``published``/``time``, ``site``,
``disagree``). Provides: ``series_svg(points) -> Markup``.
Limits: one y axis (mixed units share it); points without any date are placed after the last dated
one; a range is drawn as a vertical bar from ``value`` to ``high``.

Layout:
1. x: the date of each point (the time the figure refers to, else the article's publication date),
   spread over the plot; y: value from 0 (or the smallest value when negative) to the largest.
2. One colour per source, a line through its dated points, a dot per figure; a disagreeing figure
   gets a ring.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

JSON = dict[str, Any]
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")


@dataclass(frozen=True, slots=True)
class Config:
    width: int = 640
    height: int = 260
    margin: int = 44


def point_day(p: JSON) -> dt.date | None:
    for key in ("time", "published"):
        raw = p.get(key)
        if isinstance(raw, str) and len(raw) >= 10:
            try:
                return dt.date.fromisoformat(raw[:10])
            except ValueError:
                continue
    return None


def series_svg(points: list[JSON], config: Config = Config()) -> Markup:
    if not points:
        return Markup("")
    w, h, m = config.width, config.height, config.margin
    days = [point_day(p) for p in points]
    known = sorted(d for d in days if d is not None)
    first, last = (known[0], known[-1]) if known else (dt.date.today(), dt.date.today())
    span = max((last - first).days, 1)
    values = [v for p in points for v in (p["value"], p.get("high")) if v is not None]
    lo, hi = min(0.0, min(values)), max(values)
    hi = hi if hi > lo else lo + 1

    def x(d: dt.date | None) -> float:
        frac = 1.08 if d is None else (d - first).days / span if known and last != first else 0.5
        return m + frac * (w - 2 * m) / 1.1

    def y(v: float) -> float:
        return float(h - m - (v - lo) / (hi - lo) * (h - 2 * m))

    colours = {s: COLOURS[i % len(COLOURS)] for i, s in enumerate(dict.fromkeys(_source(p) for p in points))}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {w} {h}" role="img" '
             f'aria-label="figures over time">', _axes(config, first, last, lo, hi, bool(known))]
    for src, colour in colours.items():
        line = [(x(d), y(p["value"])) for p, d in zip(points, days, strict=True) if _source(p) == src and d]
        if len(line) > 1:
            coords = " ".join(f"{a:.1f},{b:.1f}" for a, b in line)
            parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="1.5"/>')
    for p, d in zip(points, days, strict=True):
        parts.append(_dot(p, x(d), y, colours[_source(p)]))
    parts.append(_legend(colours, config))
    parts.append("</svg>")
    return Markup("".join(parts))


def _source(p: JSON) -> str:
    return str(p.get("site") or p.get("source_text") or p.get("article_id") or "?")


def _dot(p: JSON, cx: float, y: Any, colour: str) -> str:
    label = html.escape(f"{p.get('text')} — {_source(p)}, {p.get('published') or 'undated'}")
    out = f'<g class="pt{" disagree" if p.get("disagree") else ""}"><title>{label}</title>'
    if p.get("high") is not None:
        out += (f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{y(p["value"]):.1f}" y2="{y(p["high"]):.1f}" '
                f'stroke="{colour}" stroke-width="4" stroke-opacity="0.5"/>')
    if p.get("disagree"):
        out += f'<circle cx="{cx:.1f}" cy="{y(p["value"]):.1f}" r="8" fill="none" stroke="#c00" stroke-width="2"/>'
    return out + f'<circle cx="{cx:.1f}" cy="{y(p["value"]):.1f}" r="4" fill="{colour}"/></g>'


def _axes(config: Config, first: dt.date, last: dt.date, lo: float, hi: float, dated: bool) -> str:
    w, h, m = config.width, config.height, config.margin
    out = (f'<line x1="{m}" y1="{h - m}" x2="{w - m}" y2="{h - m}" stroke="#555"/>'
           f'<line x1="{m}" y1="{m}" x2="{m}" y2="{h - m}" stroke="#555"/>'
           f'<text x="{m - 4}" y="{h - m}" text-anchor="end" font-size="11">{_num(lo)}</text>'
           f'<text x="{m - 4}" y="{m + 4}" text-anchor="end" font-size="11">{_num(hi)}</text>')
    if dated:
        out += (f'<text x="{m}" y="{h - m + 16}" font-size="11">{first.isoformat()}</text>'
                f'<text x="{m + (w - 2 * m) / 1.1}" y="{h - m + 16}" text-anchor="end" font-size="11">'
                f'{last.isoformat()}</text>')
    return out


def _legend(colours: dict[str, str], config: Config) -> str:
    out = []
    for i, (src, colour) in enumerate(colours.items()):
        yy = 14 + 14 * i
        out.append(f'<circle cx="{config.width - 150}" cy="{yy - 4}" r="4" fill="{colour}"/>'
                   f'<text x="{config.width - 142}" y="{yy}" font-size="11">{html.escape(src[:24])}</text>')
    return "".join(out)


def _num(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:g}"
