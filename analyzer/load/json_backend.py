"""JSON parsing with the line numbers the loader needs, in one pass of the C decoder.

``json.loads`` gives no positions, so the top-level object is walked by hand: each of its
values is decoded with ``raw_decode`` at a known offset, and the elements of its ``items``
array (a ``kind: List``) one by one, so every item's first-key line is known. A top-level array
is treated like a List's items.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from typing import Any

from analyzer.load.yaml_backend import ParsedDoc, ParseFailure

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


class _Lines:
    """Offsets -> 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect_right(self.starts, offset)


def parse_json(text: str) -> list[ParsedDoc | ParseFailure]:
    lines = _Lines(text)
    try:
        pos = _skip(text, 0)
        value: Any
        if text.startswith("{", pos):
            value, line, items, end = _object(text, pos, lines)
        elif text.startswith("[", pos):
            value, items, end = _array(text, pos, lines)
            line = lines.line(pos)
        else:
            value, end = _DECODER.raw_decode(text, pos)
            line, items = lines.line(pos), None
        if _skip(text, end) != len(text):
            return [ParseFailure(lines.line(_skip(text, end)), "invalid JSON: extra data after the document")]
    except json.JSONDecodeError as exc:
        return [ParseFailure(exc.lineno, f"invalid JSON: {exc.msg}")]
    except RecursionError:
        return [ParseFailure(1, "document nested too deeply")]
    return [ParsedDoc(value, line, items, lines.line(pos), lines.line(end))]


def _skip(text: str, pos: int) -> int:
    match = _SPACE.match(text, pos)
    return match.end() if match else pos


def _object(text: str, pos: int, lines: _Lines) -> tuple[dict[str, Any], int, list[int] | None, int]:
    """Decode the object at ``pos``; return it, its first-key line, item lines, end offset."""
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


def _array(text: str, pos: int, lines: _Lines) -> tuple[list[Any], list[int], int]:
    """Decode the array at ``pos`` element by element; return it, each element's line, end."""
    values: list[Any] = []
    item_lines: list[int] = []
    pos = _skip(text, pos + 1)
    if text.startswith("]", pos):
        return values, item_lines, pos + 1
    while True:
        value, end = _DECODER.raw_decode(text, pos)
        if isinstance(value, dict) and value:
            key_pos = text.index('"', pos)
            item_lines.append(lines.line(key_pos))
        else:
            item_lines.append(lines.line(pos))
        values.append(value)
        pos = _skip(text, end)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
            continue
        if text.startswith("]", pos):
            return values, item_lines, pos + 1
        raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
