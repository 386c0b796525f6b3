"""A hand-written article for the web tests, and a store built from it through the real pipeline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from claimscope.model import Article
from claimscope.store import open_store

ARTICLE = (
    "Ferry crews on Lake Verin stopped work on Thursday as talks over pay broke down. / Photo: Lakeside Press\n"
    "The Verin Ferry Company said on Friday that 42 crossings had been cancelled and that about 9,000 "
    "passengers were affected.\n"
    "\u201cWe will not sail until the contract is signed,\u201d Tomas Reyna, the crews' union leader, told reporters.\n"
    "Council member Ada Brightwater said the lake towns were losing 120,000 euros a day. "
    "Reyna added that <script>document.title='pwned'</script> was not a negotiating tactic.\n"
    "According to the company, the last strike lasted 11 days in 2019.\n"
    "Lakeside Press\n"
    "#LakeVerin #ferry #strike\n"
    "**Interview with Dr. Ilse Marr, Transport Economist**\n"
    "**Interviewer:** Dr. Marr, reports say 300 crossings were cancelled. Is that right?\n"
    "**Dr. Marr:** The disruption is severe, and it shows how fragile small transport networks are.\n"
)
PUBLISHED = dt.date(2031, 6, 13)
SECOND = (
    "Ferry service on Lake Verin resumed on Monday.\n"
    "The Verin Ferry Company said 35 crossings had been cancelled during the strike, "
    "while Tomas Reyna said the crews had won a new contract.\n"
)


def build_store(path: Path) -> str:
    """Analyse the two articles with the default pipeline into a SQLite store at ``path``; the first's id."""
    from claimscope.pipeline import default_pipeline

    pipeline = default_pipeline()
    first = Article(id=Article.make_id(ARTICLE), text=ARTICLE, published=PUBLISHED, title="Ferry crews strike",
                    site="lakeside.example", source="/in/ferry.txt")
    second = Article(id=Article.make_id(SECOND), text=SECOND, published=dt.date(2031, 6, 20),
                     title="Ferries sail again", site="verin.example", source="/in/ferry2.txt")
    with open_store(path) as store:
        for ledger in pipeline.run_many([first, second]):
            store.put(ledger)
    return first.id
