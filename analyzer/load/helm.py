"""``helm template`` output: the ``# Source: <chart>/templates/<file>`` comment before each
document names the template it was rendered from. PyYAML drops comments, so they are found by
a scan of the text and matched to documents by line."""

from __future__ import annotations

import re
from bisect import bisect_left

SOURCE = re.compile(r"^# Source: (?P<path>\S.*?)\s*$", re.M)
SEPARATOR = re.compile(r"^---(?:\s|$)", re.M)


class SourceComments:
    """Maps a document's first content line to the Source comment of its own block."""

    def __init__(self, text: str) -> None:
        self._sources: list[tuple[int, str]] = []
        self._separators: list[int] = []
        if "# Source:" not in text:
            return
        self._sources = [(text.count("\n", 0, m.start()) + 1, m["path"]) for m in SOURCE.finditer(text)]
        self._separators = [text.count("\n", 0, m.start()) + 1 for m in SEPARATOR.finditer(text)]

    def __bool__(self) -> bool:
        return bool(self._sources)

    def for_document(self, start_line: int) -> str | None:
        """The last Source comment before ``start_line`` and after the previous separator."""
        if not self._sources:
            return None
        i = bisect_left(self._sources, (start_line, "")) - 1
        if i < 0:
            return None
        line, path = self._sources[i]
        j = bisect_left(self._separators, start_line) - 1
        if j >= 0 and self._separators[j] > line:
            return None
        return path
