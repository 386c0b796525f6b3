"""Bytes to text, refusing to guess when a guess could be wrong.

Requires: the raw bytes of one input. Provides: ``decode(data, where, encoding=None) -> str``.

The cascade (first trustworthy answer wins):
  1. an encoding the user named (``--encoding``): strict, an error names the first bad byte
  2. a byte-order mark (UTF-32 before UTF-16, whose mark is a prefix of UTF-32-LE's; UTF-8)
  3. binary refusal: NUL bytes or the magic number of an image, archive, PDF or executable
  4. a declared charset (HTML ``<meta charset>`` / ``http-equiv``, XML declaration), strict; Latin-1
     and ASCII labels read as windows-1252, as browsers do, so smart quotes come out right
  5. strict UTF-8
  6. charset-normalizer: the candidates with the least "chaos"; trusted only when every one of them
     yields the same text, otherwise ``EncodingError`` naming the candidates and a word they disagree on

Known limits: a legacy 8-bit text whose candidate encodings disagree (French in windows-1252 also reads
as windows-1250) is refused rather than guessed; UTF-16 without a byte-order mark reads as binary.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from claimscope.errors import BinaryInputError, EncodingError

__all__ = ["Config", "decode", "check_binary", "declared_charset"]


@dataclass(frozen=True, slots=True)
class Config:
    sniff_bytes: int = 8192  # how far to look for NUL bytes and a declared charset
    chaos_margin: float = 0.02  # candidates within this of the best are "equally plausible"
    max_candidates: int = 6


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC = (
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "gzip-compressed data"), (b"7z\xbc\xaf", "a 7-Zip archive"), (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ", "xz-compressed data"), (b"\x7fELF", "an executable"), (b"RIFF", "a RIFF media file"),
    (b"\x00\x00\x01\x00", "an icon image"), (b"wOFF", "a web font"),
)
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.I,
)
_WEB_ALIASES = {"latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254",
                "utf-16": "utf-8", "utf-16-le": "utf-8", "utf-16-be": "utf-8"}  # WHATWG label rules


def decode(data: bytes, where: str, encoding: str | None = None, config: Config = Config()) -> str:
    """The text of ``data``; ``where`` names the input in error messages."""
    # 1. the user's word is final
    if encoding:
        return _strict(data, _lookup(encoding, where), where, named=True)
    # 2. a byte-order mark is unambiguous
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom):], name, where, named=False)
    # 3. refuse binary data before any text decoder accepts it
    check_binary(data, where, config)
    # 4. the page's own declaration, when it decodes cleanly
    declared = declared_charset(data, config)
    if declared:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass  # a wrong declaration is common on old pages: fall through to the content itself
    # 5. most text today is UTF-8, and strict UTF-8 almost never accepts legacy bytes by accident
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    # 6. a statistical guess, trusted only when unambiguous
    return _guess(data, where, first_bad, config)


def check_binary(data: bytes, where: str, config: Config = Config()) -> None:
    head = data[: config.sniff_bytes]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise BinaryInputError(f"{where}: expected text or HTML, found {what}; give the article's text instead")
    nul = head.find(b"\x00")
    if nul >= 0:
        raise BinaryInputError(
            f"{where}: expected text or HTML, found binary data (a NUL byte at byte {nul}); "
            "if this is UTF-16 text without a byte-order mark, pass --encoding utf-16")


def declared_charset(data: bytes, config: Config = Config()) -> str | None:
    """The charset an HTML/XML head declares, as a Python codec name (web aliases applied)."""
    m = _DECLARED.search(data[: config.sniff_bytes])
    if m is None:
        return None
    label = (m.group(1) or m.group(2)).decode("ascii", "replace")
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _WEB_ALIASES.get(name, name)


def _lookup(encoding: str, where: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise EncodingError(f"{where}: --encoding {encoding!r} is not an encoding Python knows; "
                            "use a name such as utf-8, cp1252, latin-1, shift_jis") from None


def _strict(data: bytes, name: str, where: str, *, named: bool) -> str:
    try:
        return data.decode(name)
    except UnicodeDecodeError as exc:
        how = f"--encoding {name}" if named else f"its {name} byte-order mark"
        raise EncodingError(f"{where}: the bytes are not valid {name} as {how} says (byte {exc.start} is "
                            f"0x{data[exc.start]:02x}); pass the right --encoding") from exc


def _guess(data: bytes, where: str, first_bad: int, config: Config) -> str:
    from charset_normalizer import from_bytes

    results = [m for m in from_bytes(data) if m.encoding not in ("utf_8", "ascii")]
    if not results:
        raise EncodingError(f"{where}: not UTF-8 (byte {first_bad} is 0x{data[first_bad]:02x}) and no other encoding "
                            "fits; pass --encoding (for example --encoding cp1252)")
    best = min(m.chaos for m in results)
    tied = [m for m in results if m.chaos <= best + config.chaos_margin][: config.max_candidates]
    readings: dict[str, str] = {}
    for m in tied:
        readings.setdefault(str(m), m.encoding)
    if len(readings) == 1:
        return next(iter(readings))
    raise EncodingError(f"{where}: not UTF-8 and the legacy encoding is ambiguous ({_disagreement(readings)}); "
                        "pass --encoding")


def _disagreement(readings: dict[str, str]) -> str:
    """'cp1252 reads "élèves", cp1250 reads "élčves"': the first word the candidates read differently."""
    texts = list(readings)
    words = [t.split() for t in texts]
    for column in zip(*words, strict=False):
        if len(set(column)) > 1:
            return ", ".join(f'{readings[t]} reads "{w[:30]}"' for t, w in zip(texts, column, strict=False))
    return "candidates: " + ", ".join(readings.values())
