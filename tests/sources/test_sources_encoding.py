from __future__ import annotations

import codecs

import pytest

from claimscope.errors import BinaryInputError, EncodingError
from claimscope.sources import decode

TEXT = "The minister said “we will not back down” – and the café closed at 5 o’clock.\n"


@pytest.mark.parametrize(("data", "expected"), [
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), TEXT),
    (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), TEXT),
    (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), TEXT),
    (codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), TEXT),
    (TEXT.encode("utf-8"), TEXT),
    (b"plain ascii only\n", "plain ascii only\n"),
])
def test_bom_and_utf8(data: bytes, expected: str) -> None:
    assert decode(data, "in.txt") == expected


@pytest.mark.parametrize(("declaration", "encoding", "text"), [
    ('<meta charset="windows-1252">', "cp1252", TEXT),
    ('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">', "cp1252", TEXT),
    ('<?xml version="1.0" encoding="iso-8859-1"?>', "cp1252", TEXT),
    ("<meta charset='iso-8859-15'>", "iso-8859-15", "The fare rose to 3 € in Zürich.\n"),
    ("<meta charset='koi8-r'>", "koi8-r", "Президент заявил, что экономика растёт.\n"),
])
def test_declared_charset_is_used(declaration: str, encoding: str, text: str) -> None:
    page = f"<html><head>{declaration}</head><body><p>{text}</p></body></html>"
    assert decode(page.encode(encoding), "page.html") == page


def test_latin1_declaration_reads_smart_quotes_as_windows_1252() -> None:
    page = '<meta charset="latin-1"><p>“Yes,” she said — twice.</p>'
    assert "“Yes,” she said — twice." in decode(page.encode("cp1252"), "page.html")


def test_wrong_declaration_falls_back_to_the_content() -> None:
    page = f'<meta charset="iso-8859-1"><p>{TEXT}</p>'
    assert decode(page.encode("utf-8"), "page.html") == page


@pytest.mark.parametrize("text", [
    TEXT,  # English with typographic quotes and one accented word
    "Müller sagte am Montag, die Straße nach Köln sei wegen des Unfalls gesperrt worden.\n",
])
def test_undeclared_legacy_text_decodes_right(text: str) -> None:
    assert decode(text.encode("cp1252"), "in.txt") == text


def test_ambiguous_legacy_text_is_refused_with_advice() -> None:
    text = "Le président a déclaré que les élèves sont allés à l'école après la fête de l'été.\n"
    with pytest.raises(EncodingError, match=r"in\.txt: .*--encoding"):
        assert decode(text.encode("cp1252"), "in.txt") == text


@pytest.mark.parametrize(("encoding", "text"), [
    ("cp1252", TEXT), ("latin-1", "Café déjà vu\n"), ("utf-16", TEXT), ("cp1251", "Президент заявил\n"),
])
def test_named_encoding_wins(encoding: str, text: str) -> None:
    assert decode(text.encode(encoding), "in.txt", encoding) == text


@pytest.mark.parametrize(("data", "encoding", "message"), [
    ("Café".encode("cp1252"), "utf-8", r"in\.txt: the bytes are not valid utf-8 as --encoding utf-8 says"),
    (b"text", "no-such-codec", r"in\.txt: --encoding 'no-such-codec' is not an encoding"),
])
def test_named_encoding_errors(data: bytes, encoding: str, message: str) -> None:
    with pytest.raises(EncodingError, match=message):
        decode(data, "in.txt", encoding)


@pytest.mark.parametrize(("data", "found"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00", "a PNG image"),
    (b"PK\x03\x04rest", "a ZIP archive"),
    (b"%PDF-1.7\n", "a PDF document"),
    (b"abc\x00def", "binary data"),
])
def test_binary_is_refused(data: bytes, found: str) -> None:
    with pytest.raises(BinaryInputError, match=f"in.bin: expected text or HTML, found {found}"):
        decode(data, "in.bin")
