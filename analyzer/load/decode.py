"""Bytes -> text, the way kubectl output actually arrives: UTF-8, or UTF-16/32 with a byte order
mark (PowerShell's ``>`` writes UTF-16). A file with a NUL byte is binary, not a manifest."""

from __future__ import annotations

import codecs

# UTF-32 first: its little-endian mark starts with UTF-16's.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def encoding_of(data: bytes) -> tuple[str, int]:
    """The encoding of text starting with ``data``, and the length of its byte order mark."""
    for bom, name in BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return "utf-8", 0


def decode(data: bytes) -> tuple[str, None] | tuple[None, str]:
    """``(text, None)``, or ``(None, reason)`` when the bytes are not text. Offsets in reasons
    count bytes from the start of the file."""
    encoding, skip = encoding_of(data)
    if encoding == "utf-8":
        nul = data.find(b"\x00", skip)
        if nul >= 0:
            return None, f"binary file (NUL byte at offset {nul})"
    try:
        text = data[skip:].decode(encoding)
    except UnicodeDecodeError as exc:
        return None, f"not valid {encoding.upper()} at byte {skip + exc.start}"
    nul = text.find("\x00")
    if nul >= 0:
        return None, f"binary file (NUL byte at offset {skip + len(text[:nul].encode(encoding))})"
    return text, None
