"""HTML pages to an ``Article``: main text and metadata through trafilatura (dates through htmldate).

Requires: a decoded HTML page. Provides: ``looks_like_html`` and ``article_from_html``.

The analysed text is built as:
  1. the page title as the first line, when trafilatura finds one (``Article.title`` is set too, so the
     segmenter marks that line as the headline); a first text line repeating the title is dropped
  2. the main-text paragraphs, one per line, in trafilatura's order (comments excluded: not reporting)
  3. images: the ``<figcaption>`` of the image's ``<figure>`` (else its alt text) stands in for the image,
     kept only when it carries a photo credit, the mark by which the segmenter recognises a caption;
     other text on the image's line is always kept
  4. nothing left but the title (no letter or digit outside it) -> ``EmptyInputError``

Known limits: a caption without a credit is dropped; a page whose article text is built by JavaScript
has no main text; dates come only from the page's metadata and URL (htmldate without free-text search,
so a copyright year is never taken for the publication date).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from claimscope.errors import EmptyInputError, InputError
from claimscope.model import Article
from claimscope.stages.segment import is_caption

__all__ = ["Config", "looks_like_html", "article_from_html"]


@dataclass(frozen=True, slots=True)
class Config:
    min_extracted_chars: int = 40  # trafilatura's default (250) flattens short pages into one line
    include_tables: bool = True


_SNIFF = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
                    r"<(?:!doctype\s+html|html|head|body|article|main|section|div|p)\b", re.I | re.S)
_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]*)[^)]*\)")


def looks_like_html(text: str) -> bool:
    return bool(_SNIFF.match(text[:4096]))


def article_from_html(page: str, where: str, *, published: dt.date | None = None, doc_id: str | None = None,
                      url: str | None = None, source: str | None = None, config: Config = Config()) -> Article:
    doc = _extract(page, where, url, config)
    title = _clean(doc.get("title"))
    lines = [title] if title else []
    captions = _figcaptions(page)
    for raw in (doc.get("text") or "").splitlines():
        line = _image_line(raw.strip(), captions)
        if line and not (title and len(lines) == 1 and line.strip(" #") == title):
            lines.append(line)
    if not any(ch.isalnum() for line in lines[int(bool(title)):] for ch in line):
        raise EmptyInputError(f"{where}: expected an article page, found no main text in the HTML (a listing, "
                              "an empty or script-built page?); save the article's text and pass it as a .txt file")
    text = "\n".join(lines) + "\n"
    page_url = url or _clean(doc.get("url"))
    return Article(id=doc_id or Article.make_id(text, page_url), text=text,
                   published=published or _date(doc.get("date")), title=title, url=page_url, source=source,
                   author=_clean(doc.get("author")), site=_clean(doc.get("sitename")), input_format="html")


def _extract(page: str, where: str, url: str | None, config: Config) -> dict[str, Any]:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(page, url=url, include_images=True, include_comments=False,
                                          include_tables=config.include_tables, with_metadata=True,
                                          config=_trafilatura_config(config.min_extracted_chars))
    except Exception as exc:  # the parser is third-party code fed untrusted markup: any failure is bad input
        raise InputError(f"{where}: expected an HTML page, the parser failed ({type(exc).__name__}); "
                         "check the file is a complete web page") from exc
    if doc is None:
        raise EmptyInputError(f"{where}: expected an article page, found no extractable main text in the HTML; "
                              "save the article's text and pass it as a .txt file")
    return dict(doc.as_dict()) if hasattr(doc, "as_dict") else dict(doc)


@lru_cache(maxsize=4)
def _trafilatura_config(min_chars: int) -> Any:
    from trafilatura.settings import use_config

    cfg = use_config()
    cfg.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(min_chars))
    cfg.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # signal-based timeouts break in worker threads
    cfg.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")  # no dates guessed from free text
    return cfg


def _image_line(line: str, captions: dict[str, str]) -> str:
    """A line with ``![alt](src)`` images: the rest of the line, and a credited caption for each image."""
    if "![" not in line:
        return line
    kept = []
    for m in _IMAGE.finditer(line):
        caption = captions.get(m.group(2)) or m.group(1).strip()
        if caption and is_caption(caption) and caption not in line[m.end():]:
            kept.append(caption)
    rest = _IMAGE.sub(" ", line).strip(" -")
    return " ".join(kept + ([" ".join(rest.split())] if rest else []))


def _figcaptions(page: str) -> dict[str, str]:
    """Image source -> the caption text of its ``<figure>``."""
    if "figcaption" not in page:
        return {}
    import lxml.html  # type: ignore[import-untyped]  # a trafilatura dependency, without type stubs

    try:
        tree = lxml.html.document_fromstring(page)
    except (ValueError, lxml.etree.ParserError):
        return {}
    out: dict[str, str] = {}
    for fig in tree.iter("figure"):
        caption = " ".join(" ".join(c.text_content().split()) for c in fig.iter("figcaption")).strip()
        for img in fig.iter("img"):
            if caption and img.get("src"):
                out[img.get("src", "")] = caption
    return out


def _clean(value: object) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
