"""Seconds per analysis stage on a single very long line, after the parse: does the cost grow linearly?

usage: python bench/long_lines.py [CHARS ...] [--run-on]
Each CHARS (default 50,000 100,000 200,000 400,000) builds one line of that many characters from one
repeated sentence (``--run-on``: with no sentence end, so every sentence is as long as the parser's
20,000-character pieces), parses it once (segment + nlp, not timed), then times every later stage on it.
A stage whose time grows faster than the length scans a whole layer per item. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import time

from claimscope.model import Article
from claimscope.pipeline import Pipeline, default_stages

SENTENCE = "The council said that it would meet again on Monday to discuss 7,000 new homes. "
RUN_ON = "the council said that it would meet again on Monday to discuss 7,000 new homes and "


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("chars", nargs="*", type=int, default=[50_000, 100_000, 200_000, 400_000])
    parser.add_argument("--run-on", action="store_true")
    opts = parser.parse_args()
    unit = RUN_ON if opts.run_on else SENTENCE
    stages = default_stages()
    first = [s.name for s in stages].index("nlp") + 1
    for n in opts.chars:
        text = (unit * (n // len(unit) + 1))[:n]
        led = Pipeline(stages[:first]).run(Article(id="long", text=text))
        times = []
        for stage in stages[first:]:
            start = time.perf_counter()
            led = stage.run_one(led)
            times.append((stage.name, time.perf_counter() - start))
        each = ", ".join(f"{name} {s:.1f}" for name, s in times)
        print(f"{n:,} chars: {sum(s for _, s in times):.1f} s after the parse ({each}); "
              f"{len(led.statements or ())} statements, {len(led.quantities or ())} quantities", flush=True)


if __name__ == "__main__":
    main()
