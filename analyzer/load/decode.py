"""Bytes -> text, the way kubectl output actually arrives: UTF-8, or UTF-16/32 with a byte order
mark (PowerShell's ``>`` writes UTF-16).

A NUL byte does not make a file binary by itself: a crashed disk or a copy cut short leaves runs
of NUL bytes inside good text, and the documents around them must still be read (the parsers
then refuse only the document holding the damage). A file is binary when, besides its NUL bytes,
it holds other control characters or bytes that are not text in its encoding (an image, an
archive), or when its NUL bytes are scattered rather than in runs (more runs than lines: UTF-16
without a byte order mark, read as UTF-8)."""

from __future__ import annotations

import codecs
import re

# UTF-32 first: its little-endian mark starts with UTF-16's.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
DAMAGE = "damaged text: NUL bytes (a crashed disk or an interrupted copy?)"
"""The reason given for a document that holds a run of NUL bytes."""

_NUL_RUN = re.compile("\x00+")
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


def encoding_of(data: bytes) -> tuple[str, int]:
    """The encoding of text starting with ``data``, and the length of its byte order mark."""
    for bom, name in BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return "utf-8", 0


def decode(data: bytes) -> tuple[str, None] | tuple[None, str]:
    """``(text, None)``, or ``(None, reason)`` when the bytes are not text. Offsets in reasons
    count bytes from the start of the file. Text damaged by runs of NUL bytes keeps them."""
    encoding, skip = encoding_of(data)
    nul = data.find(b"\x00", skip) if encoding == "utf-8" else -1
    try:
        text = data[skip:].decode(encoding)
    except UnicodeDecodeError as exc:
        if nul >= 0:
            return None, f"binary file (NUL byte at offset {nul})"
        return None, f"not valid {encoding.upper()} at byte {skip + exc.start}"
    first = text.find("\x00")
    if first >= 0 and not damaged_text(text):
        return None, f"binary file (NUL byte at offset {skip + len(text[:first].encode(encoding))})"
    return text, None


def damaged_text(text: str) -> bool:
    """Whether text holding NUL characters is text with damaged regions rather than binary: its
    NUL characters come in runs, fewer than its lines, and nothing else in it is a control
    character (tab, line feed and carriage return aside)."""
    runs = len(_NUL_RUN.findall(text))
    rest = _NUL_RUN.sub("", text)
    return bool(rest.strip()) and runs <= rest.count("\n") + 1 and _CONTROL.search(rest) is None
