"""What a parse backend hands to the document stage: a parsed document with the line numbers
the loader needs, or a failure with the line where it happened."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ParsedDoc:
    value: Any
    line: int
    """1-based line of the document's first key (its first line when it is not a mapping)."""
    item_lines: list[int] | None
    """For a mapping with an ``items`` sequence (a List) or a top-level sequence: each element's
    first-key line, in order."""
    start_line: int
    """1-based line where the document's content starts (comments before it excluded)."""
    end_line: int
    """1-based line where the document's content ends."""


@dataclass(frozen=True, slots=True)
class ParseFailure:
    line: int | None
    reason: str
    truncated: bool = False
    """The text ends inside the document: no other reading of it can succeed."""
