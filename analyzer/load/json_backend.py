"""JSON parsing with the line numbers the loader needs, in one pass of the C decoder.

``json.loads`` gives no positions, so a top-level object is walked by hand: each of its values
is decoded with ``raw_decode`` at a known offset, and the elements of its ``items`` array (a
List) one by one, so every item's first-key line is known without a second parse. A top-level
array is read the same way, like a List's items. Several JSON values one after the other (what
``kubectl get ... -o json`` appended to one file gives) are read as several documents.
"""

from __future__ import annotations

import json
import re
from typing import Any

from analyzer.load.lines import LineCounter
from analyzer.load.parsed import ParsedDoc, ParseFailure

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


def parse_json(text: str) -> list[ParsedDoc | ParseFailure]:
    """Every JSON value of ``text``, in order; parsing stops at the first error."""
    lines = LineCounter(text)
    docs: list[ParsedDoc | ParseFailure] = []
    pos = _skip(text, 0)
    while pos < len(text):
        try:
            doc, end = _document(text, pos, lines)
        except json.JSONDecodeError as exc:
            if _skip(text, exc.pos) == len(text):
                docs.append(
                    ParseFailure(exc.lineno, f"invalid JSON: {exc.msg} (the text ends: truncated?)", True)
                )
            else:
                docs.append(ParseFailure(exc.lineno, f"invalid JSON: {exc.msg}"))
            break
        except RecursionError:
            docs.append(ParseFailure(lines.line(pos), "document nested too deeply"))
            break
        docs.append(doc)
        pos = _skip(text, end)
    return docs


def _document(text: str, pos: int, lines: LineCounter) -> tuple[ParsedDoc, int]:
    """The JSON value at ``pos``, and the offset where it ends."""
    start = lines.line(pos)
    value: Any
    items: list[int] | None
    if text.startswith("{", pos):
        value, line, items, end = _object(text, pos, lines)
    elif text.startswith("[", pos):
        value, items, end = _array(text, pos, lines)
        line = start
    else:
        value, end = _DECODER.raw_decode(text, pos)
        line, items = start, None
    return ParsedDoc(value, line, items, start, lines.line(end)), end


def _skip(text: str, pos: int) -> int:
    match = _SPACE.match(text, pos)
    return match.end() if match else pos


def _object(text: str, pos: int, lines: LineCounter) -> tuple[dict[str, Any], int, list[int] | None, int]:
    """Decode the object at ``pos``: the object, its first-key line, its items' lines, its end."""
    result: dict[str, Any] = {}
    first_key_line = lines.line(pos)
    items: list[int] | None = None
    pos = _skip(text, pos + 1)
    if text.startswith("}", pos):
        return result, first_key_line, None, pos + 1
    first = True
    while True:
        if not text.startswith('"', pos):
            raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, pos)
        if first:
            first_key_line, first = lines.line(pos), False
        key, pos = _DECODER.raw_decode(text, pos)
        pos = _skip(text, pos)
        if not text.startswith(":", pos):
            raise json.JSONDecodeError("Expecting ':' delimiter", text, pos)
        pos = _skip(text, pos + 1)
        if key == "items" and text.startswith("[", pos):
            value, items, pos = _array(text, pos, lines)
        else:
            value, pos = _DECODER.raw_decode(text, pos)
        result[key] = value
        pos = _skip(text, pos)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
            continue
        if text.startswith("}", pos):
            return result, first_key_line, items, pos + 1
        raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)


def _array(text: str, pos: int, lines: LineCounter) -> tuple[list[Any], list[int], int]:
    """Decode the array at ``pos`` element by element: the array, each element's line, its end."""
    values: list[Any] = []
    item_lines: list[int] = []
    pos = _skip(text, pos + 1)
    if text.startswith("]", pos):
        return values, item_lines, pos + 1
    while True:
        value, end = _DECODER.raw_decode(text, pos)
        # An object's first key is the first '"' after its '{' (only blanks lie between).
        item_lines.append(lines.line(text.index('"', pos) if isinstance(value, dict) and value else pos))
        values.append(value)
        pos = _skip(text, end)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
            continue
        if text.startswith("]", pos):
            return values, item_lines, pos + 1
        raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
