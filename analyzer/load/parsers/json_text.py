"""JSON parsing with the line numbers the loader needs, in one pass of the C decoder.

``json.loads`` gives no positions, so a top-level object is walked by hand: each of its values
is decoded with ``raw_decode`` at a known offset, and the elements of its ``items`` array (a
List) one by one, so every item's first-key line is known without a second parse. A top-level
array is read the same way, like a List's items. Several JSON values one after the other (what
``kubectl get ... -o json`` appended to one file gives) are read as several documents.

A large file is read window by window (:func:`parse_json_stream`): the text of a 2.5 GB dump
is never all in memory, only the objects decoded from it.
"""

from __future__ import annotations

import codecs
import functools
import json
import re
from collections.abc import Callable
from typing import Any, Protocol

from analyzer.load.decode import DAMAGE
from analyzer.load.lines import LineCounter
from analyzer.load.parsers.parsed import ParsedDoc, ParseFailure

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")
WINDOW_CHARS = 32 * 1024 * 1024
"""How much text a streamed file is read by."""


class _Text:
    """The text being parsed: all of it, or a window on it that ``more`` extends. Offsets are
    relative to the window; ``line`` gives 1-based lines in the whole text."""

    def __init__(self, text: str, more: Callable[[], str] | None = None) -> None:
        self.text = text
        self._more = more
        self._lines = LineCounter(text)
        self.decoding_from = 0
        self.skipped: list[ParseFailure] = []
        """Array elements that could not be decoded and were stepped over (see _step_over)."""

    def line(self, offset: int) -> int:
        return self._lines.line(offset)

    def extend(self, keep_from: int) -> int | None:
        """Read more, dropping the text before ``keep_from``; its new offset, or None at the end."""
        chunk = self._more() if self._more is not None else ""
        if not chunk:
            self._more = None
            return None
        self.text = self.text[keep_from:] + chunk
        self._lines.rebase(self.text, keep_from)
        return 0

    def decode(self, pos: int) -> tuple[Any, int, int]:
        """The value at ``pos``: (value, its end, the new offset of ``pos``), reading more text
        while the value may go on past the window. When it fails, ``decoding_from`` is where
        the value starts in the window as it is then."""
        while True:
            self.decoding_from = pos
            try:
                value, end = _DECODER.raw_decode(self.text, pos)
            except json.JSONDecodeError as exc:
                if self._more is None or not _may_go_on(exc):
                    raise
            else:
                if end < len(self.text) or self._more is None:  # a number may go on
                    return value, end, pos
            # the value's line from its start (its indentation), unless the text is minified
            line = self.text.rfind("\n", max(0, pos - 4096), pos)
            keep = line + 1 if line >= 0 or pos <= 4096 else pos
            moved = self.extend(keep)
            if moved is not None:
                pos = moved + pos - keep

    def skip(self, pos: int) -> int:
        """Past blanks, reading more text when they reach the window's end."""
        while True:
            match = _SPACE.match(self.text, pos)
            pos = match.end() if match else pos
            if pos < len(self.text):
                return pos
            moved = self.extend(pos)
            if moved is None:
                return pos
            pos = moved

    def at(self, pos: int, char: str) -> bool:
        return self.text.startswith(char, pos)

    def error(self, message: str, pos: int) -> json.JSONDecodeError:
        return json.JSONDecodeError(message, self.text, pos)

    def failure(self, exc: json.JSONDecodeError) -> ParseFailure:
        """The failure of ``exc``, at its line: damaged text when a NUL character is where the
        decoder stopped or in the line before it; truncated when the text ended first."""
        at = min(exc.pos, len(self.text))
        line = self.line(at)
        if "\x00" in self.text[max(0, self.text.rfind("\n", 0, at - 1)) : at + 1]:
            return ParseFailure(line, DAMAGE)
        if exc.msg.startswith("Unterminated string") or self.ended(exc.pos):  # both: the end came first
            return ParseFailure(line, f"invalid JSON: {exc.msg} (the text ends: truncated?)", True)
        return ParseFailure(line, f"invalid JSON: {exc.msg}")

    def ended(self, pos: int) -> bool:
        return self.skip(pos) >= len(self.text)


class _CutError(Exception):
    """A document broken inside an array: the part read before the break (its complete
    elements, and for a List its keys read so far), and the error."""

    def __init__(self, error: json.JSONDecodeError, value: Any, items: list[int], line: int) -> None:
        super().__init__(error.msg)
        self.error, self.value, self.items, self.line = error, value, items, line


def _may_go_on(exc: json.JSONDecodeError) -> bool:
    """Whether the error may only mean that the window ends inside the value."""
    return exc.pos >= len(exc.doc) - 1024 * 1024 or exc.msg.startswith("Unterminated string")


_JSON_START = re.compile(r"\s*[\[{]")


def looks_like_json(name: str, text: str) -> bool:
    """A ``.json`` file, or text that starts like JSON."""
    return name.lower().endswith(".json") or _JSON_START.match(text) is not None


def parse_json(text: str) -> list[ParsedDoc | ParseFailure]:
    """Every JSON value of ``text``, in order; parsing stops at the first error."""
    return _parse(_Text(text))


class Reader(Protocol):
    """What a streamed file is read through: an open binary file, or ranges of one."""

    def read(self, size: int, /) -> bytes: ...


def parse_json_stream(handle: Reader, encoding: str) -> list[ParsedDoc | ParseFailure]:
    """The same, from a file read window by window (``encoding`` chosen by its byte order mark,
    which is already read)."""
    decoder = codecs.getincrementaldecoder(encoding)()

    def more() -> str:
        data = handle.read(WINDOW_CHARS)
        return decoder.decode(data, final=not data)

    return _parse(_Text(more(), more))


def _parse(text: _Text) -> list[ParsedDoc | ParseFailure]:
    docs: list[ParsedDoc | ParseFailure] = []
    pos = text.skip(0)
    while pos < len(text.text):
        try:
            doc, pos = _document(text, pos)
        except _CutError as cut:  # keep what was read: a dump cut short keeps its complete items
            docs.append(ParsedDoc(cut.value, cut.line, cut.items, cut.line, text.line(cut.error.pos)))
            docs.extend(text.skipped)
            docs.append(text.failure(cut.error))
            break
        except json.JSONDecodeError as exc:
            docs.extend(text.skipped)
            docs.append(text.failure(exc))
            break
        except RecursionError:
            docs.append(ParseFailure(text.line(pos), "document nested too deeply"))
            break
        docs.append(doc)
        docs.extend(text.skipped)
        text.skipped.clear()
        pos = text.skip(pos)
    return docs


def _document(text: _Text, pos: int) -> tuple[ParsedDoc, int]:
    """The JSON value at ``pos``, and the offset where it ends."""
    start = text.line(pos)
    value: Any
    items: list[int] | None
    if text.at(pos, "{"):
        value, line, items, end = _object(text, pos)
    elif text.at(pos, "["):
        value, items, end = _array(text, pos)
        line = start
    else:
        value, end, pos = text.decode(pos)
        line, items = start, None
    return ParsedDoc(value, line, items, start, text.line(end)), end


def _object(text: _Text, pos: int) -> tuple[dict[str, Any], int, list[int] | None, int]:
    """Decode the object at ``pos``: the object, its first-key line, its items' lines, its end."""
    result: dict[str, Any] = {}
    first_key_line = text.line(pos)
    items: list[int] | None = None
    pos = text.skip(pos + 1)
    if text.at(pos, "}"):
        return result, first_key_line, None, pos + 1
    first = True
    while True:
        if not text.at(pos, '"'):
            raise text.error("Expecting property name enclosed in double quotes", pos)
        if first:
            first_key_line, first = text.line(pos), False
        key, pos, _ = text.decode(pos)
        pos = text.skip(pos)
        if not text.at(pos, ":"):
            raise text.error("Expecting ':' delimiter", pos)
        pos = text.skip(pos + 1)
        if key == "items" and text.at(pos, "["):
            try:
                value, items, pos = _array(text, pos)
            except _CutError as cut:
                result[key] = cut.value
                raise _CutError(cut.error, result, cut.items, first_key_line) from None
        else:
            value, pos, _ = text.decode(pos)
        result[key] = value
        pos = text.skip(pos)
        if text.at(pos, ","):
            pos = text.skip(pos + 1)
            continue
        if text.at(pos, "}"):
            return result, first_key_line, items, pos + 1
        raise text.error("Expecting ',' delimiter", pos)


def _array(text: _Text, pos: int) -> tuple[list[Any], list[int], int]:
    """Decode the array at ``pos`` element by element: the array, each element's line, its end."""
    values: list[Any] = []
    item_lines: list[int] = []
    pos = text.skip(pos + 1)
    if text.at(pos, "]"):
        return values, item_lines, pos + 1
    unbatched = pos  # a batch failed before here: its elements are decoded one by one
    while True:
        batch = _pretty_batch(text, pos) if pos >= unbatched else None
        if isinstance(batch, int):  # laid out so, but an element of the batch does not decode
            unbatched, batch = batch, None
        if batch is not None:
            found, lines, end = batch
        else:
            try:
                value, end, moved = text.decode(pos)
            except json.JSONDecodeError as exc:
                following = _step_over(text, text.decoding_from, exc)
                if following is None:
                    if values:
                        raise _CutError(exc, values, item_lines, item_lines[0]) from None
                    raise
                text.skipped.append(text.failure(exc))
                pos = unbatched = following
                if text.at(pos, "]"):
                    return values, item_lines, pos + 1
                continue
            if moved != pos:  # the window moved: offsets before it are gone
                pos, unbatched = moved, 0
            found, lines = [value], [_first_key_line(text, pos, value)]
        values.extend(found)
        item_lines.extend(lines)
        pos = text.skip(end)
        if text.at(pos, ","):
            pos = text.skip(pos + 1)
            continue
        if text.at(pos, "]"):
            return values, item_lines, pos + 1
        raise text.error("Expecting ',' delimiter", pos)


def _first_key_line(text: _Text, pos: int, value: Any) -> int:
    """An object's first key is the first '"' after its '{' (only blanks lie between)."""
    return text.line(text.text.index('"', pos) if isinstance(value, dict) and value else pos)


BATCH = 256
"""Objects decoded by one ``json.loads`` call: the decoder shares the key strings within a call,
so a batch of pods costs a quarter less memory than the same pods decoded one by one."""
_COMMA = re.compile(r"[ \t\n\r]*,[ \t\n\r]*")


def _pretty_batch(text: _Text, pos: int) -> tuple[list[Any], list[int], int] | int | None:
    """Up to BATCH objects of a pretty-printed array (``kubectl -o json``, ``json.dumps(indent=)``)
    from ``pos``, cut where a line holds only the closing brace at the first one's indentation;
    None when the text is not laid out so, and the end of the batch when it is but the batch
    does not decode to as many objects (they are then decoded one by one). Exact: the cut is
    checked by the decoder, which must find exactly one object per cut."""
    doc = text.text
    line_start = doc.rfind("\n", 0, pos) + 1
    if not doc.startswith("{", pos) or doc[line_start:pos].strip(" "):
        return None
    closing = _closing(doc[line_start:pos])
    starts: list[int] = []
    lines: list[int] = []
    end = cursor = pos
    while len(starts) < BATCH:
        close = closing.search(doc, cursor)
        if close is None:  # not within this window: decoded on its own, the window then extended
            break
        starts.append(cursor)
        # Its first key's line (as _first_key_line), counted while the text is in the CPU's cache.
        quote = doc.find('"', cursor, close.start())
        lines.append(text.line(quote if quote >= 0 else cursor))
        end = close.end()
        comma = _COMMA.match(doc, end)
        if comma is None or not doc.startswith("{", comma.end()):
            break
        cursor = comma.end()
    if not starts:
        return None
    try:
        found = json.loads("[" + doc[pos:end] + "]")
    except (ValueError, RecursionError):
        return end
    if len(found) != len(starts) or not all(type(item) is dict for item in found):
        return end
    return found, lines, end


@functools.lru_cache(maxsize=16)
def _closing(indent: str) -> re.Pattern[str]:
    """A closing brace at ``indent``, at the start of a line. A pattern: ``re`` finds this literal
    three times faster than ``str.find`` does."""
    return re.compile(re.escape("\n" + indent + "}"))


def _step_over(text: _Text, start: int, exc: json.JSONDecodeError) -> int | None:
    """Where to go on after the element at ``start`` of a pretty-printed array failed to decode
    (damaged text, a syntax error inside one item): the next line holding ``{`` at the element's
    indentation (the next element: deeper content is indented more), or the closing ``]`` at a
    smaller one when it was the last; None when the element is not laid out so, or when nothing
    follows (a dump cut short: the array ends there)."""
    doc = text.text
    line_start = doc.rfind("\n", 0, start) + 1
    indent = doc[line_start:start]
    if not indent or indent.strip(" ") or not doc.startswith("{", start):
        return None
    after = min(max(exc.pos, start + 1), len(doc))
    following = re.compile(f"\n{indent}(?=\\{{)|\n {{0,{len(indent) - 1}}}(?=\\])").search(doc, after)
    return None if following is None else following.end()
