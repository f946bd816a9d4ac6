"""One piece of a YAML stream (the text between two ``---`` lines) read by PyYAML, and what a
List laid out as kubectl writes it keeps when it breaks inside its items: every other item,
those before a cut and those after a damaged one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from analyzer.load.lines import BREAK_CHARS, breaks, content_line
from analyzer.load.parsers import rapidyaml
from analyzer.load.parsers.parsed import ParsedDoc, ParseFailure
from analyzer.load.parsers.pyyaml import Broken, parse_chunk


def parse_piece(
    piece: str, offset: int, fast: bool = False, skip_before: int = 0
) -> Iterator[ParsedDoc | ParseFailure]:
    """The documents of one piece of a stream, parsed by PyYAML on its own (the parts of a
    broken List are read by the fast path when ``fast``). Documents whose node starts before
    character ``skip_before`` of the piece are not yielded: the whole stream gave them already."""
    read = False
    done: list[tuple[int, int]] = []
    for item in parse_chunk(piece, offset, done):
        if isinstance(item, Broken):
            salvaged = None if read else _salvage_list(piece, offset, item, fast)
            if salvaged is not None:
                yield from salvaged
            else:
                yield ParseFailure(failure_line(piece, offset, item), item.reason)
        else:
            read = True
            if done[-1][0] >= skip_before:
                yield item


def failure_line(piece: str, offset: int, broken: Broken) -> int:
    """Where PyYAML says, but at most the piece's last line (the end of the stream is after
    it); without a mark, the line where the piece's content starts."""
    line = broken.line if broken.line is not None else offset + 1 + (content_line(piece) or 0)
    return min(line, offset + 1 + breaks(piece.rstrip(BREAK_CHARS)))


def parse_one(chunk: str, offset: int) -> ParsedDoc | ParseFailure:
    """PyYAML's reading of a chunk that should hold one document (value None when it does not,
    or when it fails: the fast path then leaves the whole document to PyYAML, which reads
    what a broken List keeps)."""
    docs = list(parse_piece(chunk, offset))
    if len(docs) == 1 and isinstance(docs[0], ParsedDoc):
        return docs[0]
    return ParsedDoc(None, offset + 1, None, offset + 1, offset + 1)


_ITEMS = re.compile(r"^items:[ \t]*\r?\n(?=- )", re.M)


_BOUNDARY = re.compile(r"^(?:-|[A-Za-z_][\w.-]*:)(?:[ \t\r\n]|\Z)", re.M)
"""Where a part of a List laid out as kubectl writes it starts: an item (``- `` at the first
column) or a key of the List after its items (``kind: List``, ``metadata:``; a damaged line at
the first column is neither)."""


_PREFIX = "items:\n"


def _salvage_list(
    piece: str, offset: int, broken: Broken, fast: bool
) -> list[ParsedDoc | ParseFailure] | None:
    """A List laid out as kubectl writes it (``items:`` then ``- `` at the first column) that
    breaks inside its items (a killed ``kubectl``, a damaged disk, a hand edit): the List of
    every item that reads, and a failure for each part that does not; None when the List's
    head (the text before its first item) is what breaks, or when no item is kept.

    The text is read in parts cut at the items and at the List's keys after them: the part up
    to the one holding the error, then the part from the next one on (its items behind an
    ``items:`` line of its own, one line up), and so on after each error. The part holding an
    error is the one where the broken construct starts (an unclosed quote or bracket:
    PyYAML's context) or else where the error is; an error found at the very start of a part
    belongs to the part before it. The text before that part must read: when it does not, its
    own error is the first one (an unclosed quote reported far after it) and is taken instead.
    """
    items = _ITEMS.search(piece)
    if items is None or broken.index is None:
        return None
    first_item = items.end()
    if broken.index <= first_item:
        return None
    parts: list[tuple[ParsedDoc, bool]] = []  # each part read, and whether its items are the List's
    failures: list[ParseFailure] = []
    extra: list[ParsedDoc | ParseFailure] = []
    lo, error = 0, broken  # the text from lo on breaks with error
    while True:
        begin = lo if lo else first_item
        start, after = _broken_part(piece, begin, error)
        if start is None:  # before the first item: the List's head breaks
            return None
        if start > lo:
            kept = _read_part(piece, lo, start, offset, fast)
            if isinstance(kept, Broken):  # an earlier error: that one comes first
                error = kept
                continue
            part = _list_part(kept)
            if part is None:
                if not lo:
                    return None
                failures.append(ParseFailure(_part_line(piece, offset, lo, None, error), error.reason))
                break
            parts.append((part, lo > 0 and piece.startswith("-", lo)))
        failures.append(ParseFailure(_part_line(piece, offset, start, after, error), error.reason))
        if after is None:
            break
        rest = _read_part(piece, after, len(piece), offset, fast)
        lo = after
        if isinstance(rest, Broken):
            error = rest
            continue
        if rest is not None:
            part = _list_part(rest)
            if part is not None:
                parts.append((part, piece.startswith("-", after)))
                extra = rest[1]  # documents after the List in the piece (after NEL, say)
            else:  # not the rest of a List (a scalar, a failure): as read
                extra = [rest[0], *rest[1]]
        break
    merged = _merged(parts)
    if merged is None:
        return None
    return [merged, *failures, *extra]


def _list_part(
    read: tuple[ParsedDoc | ParseFailure, list[ParsedDoc | ParseFailure]] | Broken | None,
) -> ParsedDoc | None:
    """The document read of a part of a List, when it is a mapping."""
    if isinstance(read, tuple) and isinstance(read[0], ParsedDoc) and isinstance(read[0].value, dict):
        return read[0]
    return None


def _broken_part(piece: str, begin: int, error: Broken) -> tuple[int | None, int | None]:
    """Where the part holding ``error`` starts (at ``begin`` or after: None when before), and
    where the next part starts (None: at the end of the text)."""
    assert error.index is not None
    at = error.index
    if error.context is not None and begin < error.context < at:
        at = error.context  # the broken construct starts there
    if at < begin:
        return None, None
    # A character refused is in the part where it is; a token the parser did not expect at a
    # part's start (``- `` after an unclosed construct) ends the part before it.
    start = _last_boundary(piece, begin, at + 1 if error.reader else at)
    found = _BOUNDARY.search(piece, max(at, start + 1))
    return start, found.start() if found else None


def _last_boundary(piece: str, begin: int, at: int) -> int:
    """The last start of a part in ``piece[begin:at]`` (``begin`` is one: the answer when
    there is no other)."""
    pos = at
    while pos > begin:
        line = piece.rfind("\n", begin - 1, pos - 1) + 1
        if line < begin:
            break
        if _BOUNDARY.match(piece, line):
            return line
        pos = line
    return begin


def _read_part(
    piece: str, lo: int, hi: int, offset: int, fast: bool
) -> tuple[ParsedDoc | ParseFailure, list[ParsedDoc | ParseFailure]] | Broken | None:
    """``piece[lo:hi]`` read alone, behind an ``items:`` line when it starts with an item: its
    first document and what follows it, or the error that breaks it first (its positions in
    ``piece``), or None when it holds nothing."""
    head = _PREFIX if lo and piece.startswith("-", lo) else ""
    text = head + piece[lo:hi]
    first = offset + breaks(piece, 0, lo) - (1 if head else 0)
    if fast and len(text) >= rapidyaml.FAST_FROM and "\x00" not in text:  # the fast path refuses NUL
        doc = rapidyaml.parse_document(text, first, parse_one)
        if isinstance(doc, ParsedDoc):
            return doc, []
    found: list[ParsedDoc | ParseFailure] = []
    for item in parse_chunk(text, first, []):
        if isinstance(item, Broken):
            if not found:
                shift = lo - len(head)
                return replace(
                    item,
                    index=None if item.index is None else max(item.index + shift, lo),
                    context=None if item.context is None else item.context + shift,
                )
            item = ParseFailure(failure_line(text, first, item), item.reason)
        found.append(item)
    return (found[0], found[1:]) if found else None


def _part_line(piece: str, offset: int, start: int, after: int | None, error: Broken) -> int:
    """The line of the failure of the part ``piece[start:after]``: PyYAML's, within the part
    (an error found at the next part's start is on the part's last line; one found far after
    an unclosed quote, where the quote opens)."""
    first = offset + 1 + breaks(piece, 0, start)
    last = first + breaks(piece[start:after].rstrip(BREAK_CHARS))
    line = error.line if error.line is not None else first
    if line > last and error.context is not None and start <= error.context < (after or len(piece)):
        return offset + 1 + breaks(piece, 0, error.context)
    return max(first, min(line, last))


def _merged(parts: list[tuple[ParsedDoc, bool]]) -> ParsedDoc | None:
    """One List of the parts read: the first one's keys, with the items of all (None when
    there is none)."""
    if not parts:
        return None
    head = parts[0][0]
    value = dict(head.value)
    items = value.get("items")
    if not isinstance(items, list | None):
        return None
    kept = list(items or [])
    lines = list(head.item_lines or [])
    for part, listed in parts[1:]:
        for key, item in part.value.items():
            if key == "items" and listed:
                kept.extend(item or [])
                lines.extend(part.item_lines or [])
            else:
                value[key] = item
    if not kept:
        return None
    value["items"] = kept
    return ParsedDoc(value, head.line, lines, head.start_line, parts[-1][0].end_line)
