"""YAML parsing behind one function: ``parse_yaml(text)`` yields, per document, a
:class:`ParsedDoc` (value and the line numbers the loader needs) or a :class:`ParseFailure`.

One broken document never hides the others: the text is cut at its ``---`` lines and each piece
is read on its own (:mod:`~analyzer.load.parsers.yaml_pieces`), by
:mod:`~analyzer.load.parsers.rapidyaml` when it can read it exactly, by PyYAML
(:mod:`~analyzer.load.parsers.pyyaml`) otherwise. A stream PyYAML must read whole (directives,
YAML 1.1's own line breaks) is read whole, then piece by piece from where it breaks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from analyzer.load.lines import breaks, content_line, has_content
from analyzer.load.parsers import rapidyaml
from analyzer.load.parsers.parsed import ParsedDoc, ParseFailure
from analyzer.load.parsers.pyyaml import Broken, parse_chunk
from analyzer.load.parsers.yaml_pieces import failure_line, parse_one, parse_piece


def parse_yaml(text: str, fast: bool | None = None) -> Iterator[ParsedDoc | ParseFailure]:
    """Every document of a YAML stream, in order; broken ones as failures with their line.

    The text is cut at its ``---`` lines and each piece read on its own, so one broken
    document never hides the others. With ``fast`` (default: rapidyaml is installed and not
    turned off by ``KUBESNAP_PURE_YAML=1``), each piece that
    :mod:`~analyzer.load.parsers.rapidyaml` can read exactly is read there, the others by PyYAML: both
    ways give the same documents, lines and failures. Streams with directives, or with line
    breaks that only YAML 1.1 counts (NEL, LS, PS, a lone CR), are read by PyYAML whole, and
    after an error piece by piece as the others (lines are PyYAML's: it counts those breaks)."""
    if _whole_stream_only(text):
        yield from _parse_stream(text, rapidyaml.AVAILABLE if fast is None else fast)
        return
    fast = rapidyaml.AVAILABLE if fast is None else fast
    for first, piece in _pieces(text):
        if not has_content(piece):
            continue
        doc = (
            rapidyaml.parse_document(piece, first - 1, parse_one)
            if fast and len(piece) >= rapidyaml.FAST_FROM
            else None
        )
        if doc is None:
            yield from parse_piece(piece, first - 1, fast)
        else:
            yield doc


def _whole_stream_only(text: str) -> bool:
    if text.startswith("%") or "\n%" in text:  # a directive belongs to the next document
        return True
    if text.isascii():
        return "\r" in text and _LONE_CR.search(text) is not None
    return any(brk in text for brk in ("\x85", "\u2028", "\u2029")) or _LONE_CR.search(text) is not None


_LONE_CR = re.compile(r"\r(?!\n)")


def _parse_stream(text: str, fast: bool) -> Iterator[ParsedDoc | ParseFailure]:
    """PyYAML over the whole stream; after an error, the pieces not read, one by one."""
    done: list[tuple[int, int]] = []
    for item in parse_chunk(text, 0, done):
        if isinstance(item, Broken):
            yield from _resume(text, max((end for _, end in done), default=0), item, fast)
            return
        yield item


def _resume(text: str, read_to: int, broken: Broken, fast: bool) -> Iterator[ParsedDoc | ParseFailure]:
    """After the stream broke, every piece from where PyYAML stopped reading (``read_to``, the
    end of the last document read), each read on its own as :func:`parse_yaml` reads pieces.

    PyYAML breaks in the document after the last one read (libyaml checks the characters of
    its input ahead: a reader error may come from a later piece). That document may share its
    piece with documents read (their nodes are not yielded again), and its error may be
    reported at the next piece's ``---``: reading the pieces alone gives each failure its own
    piece, reason and line, as without the directive. When no piece fails alone, the stream's
    error is reported after the piece where it is."""
    failed = False
    for start, first, piece in _stream_pieces(text):
        end = start + len(piece)
        if end <= read_to:
            continue
        skip = max(read_to - start, 0)
        if content_line(piece[skip:]) is not None:
            for item in parse_piece(piece, first - 1, fast, skip):
                failed = failed or isinstance(item, ParseFailure)
                yield item
        if not failed and broken.index is not None and broken.index < end:
            failed = True
            yield ParseFailure(failure_line(text, 0, broken), broken.reason)
    if not failed:
        yield ParseFailure(failure_line(text, 0, broken), broken.reason)


def _stream_pieces(text: str) -> list[tuple[int, int, str]]:
    """The text cut before each ``---`` line (after any line break YAML 1.1 knows) and before
    the directives that precede it (a directive belongs to the next document): (first
    character, 1-based first line as PyYAML counts lines, text)."""
    bounds = [0]
    for match in _SEPARATOR_11.finditer(text, 1):
        bounds.append(_directives_start(text, bounds[-1], match.start()))
    pieces: list[tuple[int, int, str]] = []
    line = 1
    for begin, end in zip(bounds, [*bounds[1:], len(text)], strict=True):
        pieces.append((begin, line, text[begin:end]))
        line += breaks(text, begin, end)
    return pieces


_SEPARATOR_11 = re.compile("(?<=[\n\r\x85\u2028\u2029])---(?=[ \t\r\n\x85\u2028\u2029]|\\Z)")
"""A ``---`` line after any line break YAML 1.1 knows."""


def _directives_start(text: str, begin: int, cut: int) -> int:
    """Where the directives (and the comments and blank lines among them) that end
    ``text[begin:cut]`` start; ``cut`` when there are none."""
    start = pos = cut
    while pos > begin:
        line = text.rfind("\n", begin, pos - 1) + 1
        line = max(line, begin)
        stripped = text[line:pos].strip()
        if text.startswith("%", line):
            start = line
        elif stripped and not stripped.startswith("#"):
            break
        pos = line
    return start


def _pieces(text: str) -> list[tuple[int, str]]:
    """The text cut before each ``---`` line: (1-based first line, text)."""
    cuts = [match.start() + 1 for match in _SEPARATOR.finditer(text)]
    pieces: list[tuple[int, str]] = []
    line = 1
    for begin, end in zip([0, *cuts], [*cuts, len(text)], strict=True):
        pieces.append((line, text[begin:end]))
        line += text.count("\n", begin, end)
    return pieces


_SEPARATOR = re.compile(r"\n---(?=[ \t\r\n]|\Z)")  # a literal first: found at memchr speed
