"""Line numbers, in one place for every parser.

* :class:`LineCounter`: offsets to 1-based lines without a table of every line. The newlines
  between two offsets asked in order are counted once (the C ``count`` of ``str`` or
  ``bytes``), so a text is scanned about once however many offsets are asked; an offset asked
  backwards takes back the newlines in between.
* :func:`breaks`: the line breaks PyYAML counts (YAML 1.1 has more than LF).
* :func:`has_content`, :func:`content_line`, :func:`content_span`: where a document's content
  is, past blank lines, comments, ``---`` separators, directives and ``...`` markers.
"""

from __future__ import annotations

import re
from typing import AnyStr, Generic


class LineCounter(Generic[AnyStr]):
    """1-based line of an offset in ``text`` (``str`` or ``bytes``), whose first line is line
    ``first`` of the file; cheapest when offsets only grow."""

    __slots__ = ("_line", "_newline", "_pos", "_text")

    def __init__(self, text: AnyStr, first: int = 1) -> None:
        self._text: AnyStr = text
        # "\n" or b"\n": the empty slice gives the newline the text's own type
        self._newline: AnyStr = text[:0] + ("\n" if isinstance(text, str) else b"\n")
        self._pos = 0
        self._line = first

    def line(self, offset: int) -> int:
        if offset < self._pos:
            self._line -= self._text.count(self._newline, offset, self._pos)
        else:
            self._line += self._text.count(self._newline, self._pos, offset)
        self._pos = offset
        return self._line

    def rebase(self, text: AnyStr, dropped: int) -> None:
        """Go on in ``text``: the old text without its first ``dropped`` characters, and more."""
        self._line = self.line(dropped)
        self._text = text
        self._pos = 0


BREAK_CHARS = "\n\r\x85\u2028\u2029"
"""Every character that ends a line to PyYAML (YAML 1.1)."""


def breaks(text: str, start: int = 0, end: int | None = None) -> int:
    """The line breaks PyYAML counts in ``text[start:end]``: LF, CRLF, and YAML 1.1's lone CR,
    NEL, LS and PS."""
    end = len(text) if end is None else end
    return (
        text.count("\n", start, end)
        + text.count("\r", start, end)
        - text.count("\r\n", start, end)
        + text.count("\x85", start, end)
        + text.count("\u2028", start, end)
        + text.count("\u2029", start, end)
    )


_CONTENT = re.compile(r"^(?!---[ \t\r]*(?:#[^\n]*)?$)[ \t]*[^ \t\r\n#]", re.M)
"""A line with more than blanks, a comment or a bare ``---`` separator."""
_LINES = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


def has_content(piece: str) -> bool:
    """Whether a piece of a stream (cut at its ``---`` lines) holds more than blank lines,
    comments and separators."""
    return _CONTENT.search(piece) is not None


def content_line(piece: str) -> int | None:
    """Index of the piece's first line with more than separators, directives, comments and
    blanks (lines as YAML 1.1 counts them); None when there is none."""
    for index, raw in enumerate(_LINES.split(piece)):
        line = raw.strip()
        if line.startswith("---") and (len(line) == 3 or line[3].isspace()):
            line = line[3:].strip()
        if line and not line.startswith(("#", "%")) and line != "...":
            return index
    return None


def content_span(piece: str) -> tuple[int, int]:
    """The first and last lines (1-based, LF lines) of a piece holding more than blanks,
    comments and ``---``."""
    first = _CONTENT.search(piece)
    start = piece.count("\n", 0, first.start()) + 1 if first else 1
    end = piece.count("\n", 0, len(piece.rstrip(" \t\n\r\x0b\x0c"))) + 1
    return start, max(start, end)
