"""``helm template`` / ``helm get manifest`` output: a ``# Source: <chart>/templates/<file>``
comment before each document names the template it was rendered from. PyYAML drops comments,
so the text is scanned for them and each is matched to a document by line.

A document gets the last Source comment that lies after the previous document's end and before
its own first key. A ``---`` between the comment and the document does not matter: helm writes
``# Source: x`` then ``---`` when a template's output starts with an extra separator.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from analyzer.load.lines import LineCounter

SOURCE = re.compile(r"^# Source: (?P<path>\S.*?)\s*$", re.M)


class SourceComments:
    """The Source comments of one file, by line."""

    def __init__(self, text: str) -> None:
        self._lines: list[int] = []
        self._paths: list[str] = []
        if "# Source:" not in text:
            return
        lines = LineCounter(text)
        for match in SOURCE.finditer(text):
            self._lines.append(lines.line(match.start()))
            self._paths.append(match["path"])

    def __bool__(self) -> bool:
        return bool(self._lines)

    def for_document(self, first_line: int, previous_end: int) -> str | None:
        """The template of the document whose content starts at ``first_line``, when the previous
        document of the file ended at ``previous_end`` (0 for the first document)."""
        i = bisect_left(self._lines, first_line) - 1
        if i < 0 or self._lines[i] <= previous_end:
            return None
        return self._paths[i]
