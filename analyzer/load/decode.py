"""Bytes -> text, the way kubectl's output actually arrives (BOMs from PowerShell included)."""

from __future__ import annotations

import codecs

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes) -> tuple[str | None, str | None]:
    """(text, None) or (None, reason)."""
    encoding = "utf-8"
    for bom, name in BOMS:
        if data.startswith(bom):
            data, encoding = data[len(bom) :], name
            break
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        return None, f"not valid {encoding.upper()} text (byte {exc.start})"
    nul = text.find("\x00")
    if nul >= 0:
        return None, f"binary file (NUL character at offset {nul})"
    return text, None
