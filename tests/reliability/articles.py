"""Small hand-written articles for the crash and concurrency tests: each a few paragraphs with quotations,
attributions and figures, all different (no two share a text)."""

from __future__ import annotations

from pathlib import Path

TOWNS = ["Arlen", "Bexley", "Corran", "Dunmore", "Elsby", "Fenwick", "Garrow", "Hollin", "Ivybridge", "Jarrow"]
TOPICS = [("bridge", "reopen"), ("library", "expand"), ("ferry", "resume")]
PEOPLE = ["Mara Quint", "Oskar Lind", "Petra Vale"]


def article(n: int) -> str:
    town, (thing, verb), person = TOWNS[n % 10], TOPICS[n % 3], PEOPLE[(n // 3) % 3]
    return (f"{town} council approves plan for the {thing}\n\n"
            f"The {town} council voted on Tuesday to {verb} the {thing} by {2025 + n % 4}, "
            f"at a cost of {120 + n * 7} million euros.\n\n"
            f"“We have waited {n + 3} years for this,” said {person}, the council leader. "
            f"“The {thing} matters to {4_000 + n * 250:,} families.”\n\n"
            f"According to the regional office, about {30 + n}% of residents use the {thing} every week. "
            f"Critics said the budget was too high and told reporters they would appeal.\n")


def write_corpus(folder: Path, count: int = 30) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"{n:03d}.txt"
        path.write_text(article(n), encoding="utf-8")
        paths.append(path)
    return paths
