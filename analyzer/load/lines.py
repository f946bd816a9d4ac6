"""Character offsets to line numbers without a table of every line: the newlines between two
offsets asked in increasing order are counted once (the C ``str.count``), so a file is scanned
about once however many offsets are asked."""

from __future__ import annotations


class LineCounter:
    """1-based line of a character offset in ``text``; cheapest when offsets only grow."""

    __slots__ = ("_line", "_pos", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._pos = 0
        self._line = 1

    def line(self, offset: int) -> int:
        if offset < self._pos:  # asked backwards: count again from the start
            self._pos, self._line = 0, 1
        self._line += self._text.count("\n", self._pos, offset)
        self._pos = offset
        return self._line
