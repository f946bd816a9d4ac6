"""YAML parsing behind one function: ``parse_yaml(text)`` yields, per document, a
:class:`ParsedDoc` (value and the line numbers the loader needs) or a :class:`ParseFailure`.

Semantics are PyYAML's ``safe_load`` (YAML 1.1 booleans, ints, floats, null, anchors, merge
keys) with two changes that match what Kubernetes sees: timestamps stay the strings they were
written as, and the plain scalar ``=`` (tagged ``tag:yaml.org,2002:value``, which PyYAML cannot
construct) is the string ``"="``.

One broken document never hides the others: the text is cut at its ``---`` lines and each piece
is read on its own, by :mod:`analyzer.load.fast_yaml` when it can read it exactly, by PyYAML
otherwise (a stream PyYAML must read whole is read piece by piece from where it breaks). A List
laid out as kubectl writes it that breaks inside an item keeps every other item: those before a
cut, and those after a damaged one. Text damaged by NUL bytes (a crashed disk) costs the
document, or the List item, that holds them, with the reason :data:`~analyzer.load.decode.DAMAGE`.
A document whose aliases would add more than :data:`MAX_ALIAS_NODES` nodes (a "billion laughs"),
or that contains itself, is refused before it is constructed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

import yaml

from analyzer.load import fast_yaml
from analyzer.load.decode import DAMAGE
from analyzer.load.parsed import ParsedDoc, ParseFailure

try:  # libyaml's C parser: several times faster than the pure-Python one.
    from yaml import CSafeLoader as _BaseLoader
    from yaml._yaml import CParser

    _C_PARSERS: tuple[type, ...] = (CParser,)
    """Parsers whose reader errors say where in UTF-8 bytes, not in characters."""
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

    _C_PARSERS = ()

MAX_ALIAS_NODES = 1_000_000
"""Most nodes that alias expansion may add to one document."""
# Anchors and aliases can only start a token: without both, the alias check is skipped.
_ANCHOR = re.compile(r"(?:^|[\s\[{,])&[^\s\[\]{},]")
_ALIAS = re.compile(r"(?:^|[\s\[{,])\*[^\s\[\]{},]")


class KubeLoader(_BaseLoader):
    """PyYAML's safe loader, with Kubernetes' view of timestamps and of the ``=`` scalar."""


def _as_string(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


KubeLoader.add_constructor("tag:yaml.org,2002:timestamp", _as_string)
KubeLoader.add_constructor("tag:yaml.org,2002:value", _as_string)


def parse_yaml(text: str, fast: bool | None = None) -> Iterator[ParsedDoc | ParseFailure]:
    """Every document of a YAML stream, in order; broken ones as failures with their line.

    The text is cut at its ``---`` lines and each piece read on its own, so one broken
    document never hides the others. With ``fast`` (default: rapidyaml is installed and not
    turned off by ``KUBESNAP_PURE_YAML=1``), each piece that
    :mod:`analyzer.load.fast_yaml` can read exactly is read there, the others by PyYAML: both
    ways give the same documents, lines and failures. Streams with directives, or with line
    breaks that only YAML 1.1 counts (NEL, LS, PS, a lone CR), are read by PyYAML whole, and
    after an error piece by piece as the others (lines are PyYAML's: it counts those breaks)."""
    if _whole_stream_only(text):
        yield from _parse_stream(text, fast_yaml.AVAILABLE if fast is None else fast)
        return
    fast = fast_yaml.AVAILABLE if fast is None else fast
    for first, piece in _pieces(text):
        if not _CONTENT.search(piece):
            continue
        doc = (
            fast_yaml.parse_document(piece, first - 1, _parse_one)
            if fast and len(piece) >= FAST_FROM
            else None
        )
        if doc is None:
            yield from _parse_piece(piece, first - 1, fast)
        else:
            yield doc


def _whole_stream_only(text: str) -> bool:
    if text.startswith("%") or "\n%" in text:  # a directive belongs to the next document
        return True
    if text.isascii():
        return "\r" in text and _LONE_CR.search(text) is not None
    return any(brk in text for brk in ("\x85", "\u2028", "\u2029")) or _LONE_CR.search(text) is not None


_LONE_CR = re.compile(r"\r(?!\n)")
FAST_FROM = 160
"""Characters from which a document goes to rapidyaml: below, PyYAML reads it faster than the
fast path's fixed cost (about 75 µs a document)."""


def _parse_piece(
    piece: str, offset: int, fast: bool = False, skip_before: int = 0
) -> Iterator[ParsedDoc | ParseFailure]:
    """The documents of one piece of a stream, parsed by PyYAML on its own (the parts of a
    broken List are read by the fast path when ``fast``). Documents whose node starts before
    character ``skip_before`` of the piece are not yielded: the whole stream gave them already."""
    read = False
    done: list[tuple[int, int]] = []
    for item in _parse_chunk(piece, offset, done):
        if isinstance(item, _Broken):
            salvaged = None if read else _salvage_list(piece, offset, item, fast)
            if salvaged is not None:
                yield from salvaged
            else:
                yield ParseFailure(_failure_line(piece, offset, item), item.reason)
        else:
            read = True
            if done[-1][0] >= skip_before:
                yield item


def _failure_line(piece: str, offset: int, broken: _Broken) -> int:
    """Where PyYAML says, but at most the piece's last line (the end of the stream is after
    it); without a mark, the line where the piece's content starts."""
    line = broken.line if broken.line is not None else offset + 1 + (_content_line(piece) or 0)
    return min(line, offset + 1 + _breaks(piece.rstrip(_BREAK_CHARS)))


_BREAK_CHARS = "\n\r\x85\u2028\u2029"


def _breaks(text: str, start: int = 0, end: int | None = None) -> int:
    """The line breaks PyYAML counts in ``text[start:end]``: LF, CRLF, and YAML 1.1's lone CR,
    NEL, LS and PS (only error paths count them all)."""
    end = len(text) if end is None else end
    return (
        text.count("\n", start, end)
        + text.count("\r", start, end)
        - text.count("\r\n", start, end)
        + text.count("\x85", start, end)
        + text.count("\u2028", start, end)
        + text.count("\u2029", start, end)
    )


_ITEMS = re.compile(r"^items:[ \t]*\r?\n(?=- )", re.M)
_BOUNDARY = re.compile(r"^(?:-|[A-Za-z_][\w.-]*:)(?:[ \t\r\n]|\Z)", re.M)
"""Where a part of a List laid out as kubectl writes it starts: an item (``- `` at the first
column) or a key of the List after its items (``kind: List``, ``metadata:``; a damaged line at
the first column is neither)."""
_PREFIX = "items:\n"


def _salvage_list(
    piece: str, offset: int, broken: _Broken, fast: bool
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
            if isinstance(kept, _Broken):  # an earlier error: that one comes first
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
        if isinstance(rest, _Broken):
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
    read: tuple[ParsedDoc | ParseFailure, list[ParsedDoc | ParseFailure]] | _Broken | None,
) -> ParsedDoc | None:
    """The document read of a part of a List, when it is a mapping."""
    if isinstance(read, tuple) and isinstance(read[0], ParsedDoc) and isinstance(read[0].value, dict):
        return read[0]
    return None


def _broken_part(piece: str, begin: int, error: _Broken) -> tuple[int | None, int | None]:
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
) -> tuple[ParsedDoc | ParseFailure, list[ParsedDoc | ParseFailure]] | _Broken | None:
    """``piece[lo:hi]`` read alone, behind an ``items:`` line when it starts with an item: its
    first document and what follows it, or the error that breaks it first (its positions in
    ``piece``), or None when it holds nothing."""
    head = _PREFIX if lo and piece.startswith("-", lo) else ""
    text = head + piece[lo:hi]
    first = offset + _breaks(piece, 0, lo) - (1 if head else 0)
    if fast and len(text) >= FAST_FROM and "\x00" not in text:  # the fast path refuses NUL
        doc = fast_yaml.parse_document(text, first, _parse_one)
        if isinstance(doc, ParsedDoc):
            return doc, []
    found: list[ParsedDoc | ParseFailure] = []
    for item in _parse_chunk(text, first, []):
        if isinstance(item, _Broken):
            if not found:
                shift = lo - len(head)
                return replace(
                    item,
                    index=None if item.index is None else max(item.index + shift, lo),
                    context=None if item.context is None else item.context + shift,
                )
            item = ParseFailure(_failure_line(text, first, item), item.reason)
        found.append(item)
    return (found[0], found[1:]) if found else None


def _part_line(piece: str, offset: int, start: int, after: int | None, error: _Broken) -> int:
    """The line of the failure of the part ``piece[start:after]``: PyYAML's, within the part
    (an error found at the next part's start is on the part's last line; one found far after
    an unclosed quote, where the quote opens)."""
    first = offset + 1 + _breaks(piece, 0, start)
    last = first + _breaks(piece[start:after].rstrip(_BREAK_CHARS))
    line = error.line if error.line is not None else first
    if line > last and error.context is not None and start <= error.context < (after or len(piece)):
        return offset + 1 + _breaks(piece, 0, error.context)
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


def _parse_one(chunk: str, offset: int) -> ParsedDoc | ParseFailure:
    """PyYAML's reading of a chunk that should hold one document (value None when it does not,
    or when it fails: the fast path then leaves the whole document to PyYAML, which reads
    what a broken List keeps)."""
    docs = list(_parse_piece(chunk, offset))
    if len(docs) == 1 and isinstance(docs[0], ParsedDoc):
        return docs[0]
    return ParsedDoc(None, offset + 1, None, offset + 1, offset + 1)


def _parse_stream(text: str, fast: bool) -> Iterator[ParsedDoc | ParseFailure]:
    """PyYAML over the whole stream; after an error, the pieces not read, one by one."""
    done: list[tuple[int, int]] = []
    for item in _parse_chunk(text, 0, done):
        if isinstance(item, _Broken):
            yield from _resume(text, max((end for _, end in done), default=0), item, fast)
            return
        yield item


def _resume(text: str, read_to: int, broken: _Broken, fast: bool) -> Iterator[ParsedDoc | ParseFailure]:
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
        if _content_line(piece[skip:]) is not None:
            for item in _parse_piece(piece, first - 1, fast, skip):
                failed = failed or isinstance(item, ParseFailure)
                yield item
        if not failed and broken.index is not None and broken.index < end:
            failed = True
            yield ParseFailure(_failure_line(text, 0, broken), broken.reason)
    if not failed:
        yield ParseFailure(_failure_line(text, 0, broken), broken.reason)


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
        line += _breaks(text, begin, end)
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


@dataclass(frozen=True, slots=True)
class _Broken(ParseFailure):
    """The stream cannot be read past this error."""

    reader: bool = False
    """A character the reader refuses (libyaml checks characters ahead of the parser)."""
    index: int | None = None
    """The character of the chunk where the error is (None: unknown)."""
    context: int | None = None
    """The character where the construct that breaks starts (an unclosed quote), if PyYAML says."""


def _parse_chunk(chunk: str, offset: int, done: list[tuple[int, int]]) -> Iterator[ParsedDoc | ParseFailure]:
    """The documents of ``chunk`` (whose first line is line ``offset + 1`` of the file) up to
    its end, or up to an error that breaks the stream (the last item then); where the node of
    each document read starts and ends (characters of ``chunk``) is appended to ``done``."""
    loader: KubeLoader | None = None
    try:
        loader = KubeLoader(chunk)
        check_aliases = _ANCHOR.search(chunk) is not None and _ALIAS.search(chunk) is not None
        while loader.check_node():
            node = loader.get_node()
            if node is None:  # pragma: no cover - check_node() said there is one
                break
            done.append((int(node.start_mark.index), int(node.end_mark.index)))
            yield _document(loader, node, chunk, offset, check_aliases)
    except yaml.YAMLError as exc:
        index = _error_index(exc, chunk, loader)
        context = getattr(exc, "context_mark", None)
        yield _Broken(
            _error_line(exc, chunk, offset, index),
            _reason(exc),
            reader=isinstance(exc, yaml.reader.ReaderError),
            index=index,
            context=None if context is None else int(context.index),
        )
    except RecursionError:  # only the pure-Python parser recurses; libyaml stops at depth 1000
        yield _Broken(None, "document nested too deeply")
    finally:
        if loader is not None:
            loader.dispose()


def _document(
    loader: KubeLoader, node: yaml.Node, chunk: str, offset: int, check_aliases: bool
) -> ParsedDoc | ParseFailure:
    """Construct one composed document; a failure here does not break the stream."""
    # Lines first: constructing merge keys (``<<: *base``) rewrites the mappings' key lists.
    line = _first_key_line(node) + offset
    items = _item_lines(node)
    problem = _too_big(node) if check_aliases else None
    if problem:
        return ParseFailure(line, problem)
    try:
        value = loader.construct_document(node)
    except yaml.YAMLError as exc:
        _reset_constructor(loader)
        return ParseFailure(_error_line(exc, chunk, offset) or line, f"invalid YAML: {describe(exc)}")
    except (ValueError, KeyError, TypeError, OverflowError) as exc:
        # e.g. ``!!float abc``: the message would quote the value, which may be a secret.
        _reset_constructor(loader)
        return ParseFailure(line, f"invalid YAML: a value does not fit its tag ({type(exc).__name__})")
    return ParsedDoc(
        value=value,
        line=line,
        item_lines=None if items is None else [n + offset for n in items],
        start_line=int(node.start_mark.line) + 1 + offset,
        end_line=int(node.end_mark.line) + 1 + offset,
    )


def _reset_constructor(loader: KubeLoader) -> None:
    """Forget a half-built document so the next one can be constructed."""
    loader.constructed_objects = {}
    loader.recursive_objects = {}
    loader.state_generators = []
    loader.deep_construct = False


def _first_key_line(node: yaml.Node) -> int:
    if isinstance(node, yaml.MappingNode) and node.value:
        return int(node.value[0][0].start_mark.line) + 1
    return int(node.start_mark.line) + 1


def _item_lines(node: yaml.Node) -> list[int] | None:
    """Each element's first-key line: of the ``items`` of a mapping, or of a top-level sequence."""
    if isinstance(node, yaml.SequenceNode):
        return [_first_key_line(item) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "items":
                return (
                    [_first_key_line(i) for i in value.value]
                    if isinstance(value, yaml.SequenceNode)
                    else None
                )
    return None


def _too_big(root: yaml.Node) -> str | None:
    """Why the document must not be constructed: its aliases add too many nodes, or loop."""
    added = _alias_expansion(root)
    if added is None:
        return "an alias refers to a node that contains it (recursive document)"
    if added > MAX_ALIAS_NODES:
        return "too many aliases (billion-laughs guard)"
    return None


def _alias_expansion(root: yaml.Node) -> int | None:
    """How many nodes the document would have with every alias expanded, minus how many it has
    (None when a node contains itself). One pass over the composed graph, each node once."""
    size: dict[int, int] = {}
    active: set[int] = set()
    distinct = 0
    stack: list[tuple[yaml.Node, list[yaml.Node] | None]] = [(root, None)]
    while stack:
        node, children = stack.pop()
        key = id(node)
        if children is not None:  # second visit: every child is sized
            active.discard(key)
            size[key] = min(1 + sum(size[id(child)] for child in children), _CAP)
            continue
        if key in size:  # an alias to a node already sized
            continue
        if key in active:  # an alias to a node that is still open: a cycle
            return None
        distinct += 1
        if isinstance(node, yaml.ScalarNode):
            size[key] = 1
            continue
        children = (
            [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else node.value
        )
        active.add(key)
        stack.append((node, children))
        stack.extend([(child, None) for child in children])
    return size[id(root)] - distinct


_CAP = 10**15  # sizes are capped so that a deep bomb stays a small integer


def _error_index(exc: yaml.YAMLError, chunk: str, loader: KubeLoader | None) -> int | None:
    """The character of ``chunk`` where the error is, if PyYAML says."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return int(mark.index)
    position = getattr(exc, "position", None)  # ReaderError
    if not isinstance(position, int):
        return None
    if isinstance(loader, _C_PARSERS) and not chunk.isascii():  # libyaml counts UTF-8 bytes
        return len(chunk.encode("utf-8", "surrogatepass")[:position].decode("utf-8", "ignore"))
    return position


def _error_line(exc: yaml.YAMLError, chunk: str, offset: int, index: int | None = None) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return int(mark.line) + 1 + offset
    if index is not None:  # ReaderError: a character index
        return _breaks(chunk, 0, index) + 1 + offset
    return None


def _reason(exc: yaml.YAMLError) -> str:
    """Why a document is skipped: damaged text is said as for JSON, the rest is invalid YAML."""
    described = describe(exc)
    return described if described == DAMAGE else f"invalid YAML: {described}"


def describe(exc: yaml.YAMLError) -> str:
    """The problem and its context, on one line, without positions and without quoting values."""
    if isinstance(exc, yaml.reader.ReaderError):
        if exc.character == 0:  # a run of NULs where the text was: a zeroed block
            return DAMAGE
        if isinstance(exc.character, int):  # the same words from libyaml and pure Python
            return f"unacceptable character #x{exc.character:04x}: control characters are not allowed"
        return str(exc).split("\n", 1)[0]
    problem = str(getattr(exc, "problem", None) or "")
    context = str(getattr(exc, "context", None) or "")
    hint = "a plain value starting with '*' must be quoted"
    if problem.startswith("found undefined alias"):
        # Not the name: the pure-Python parser quotes it, and it may well be part of a secret.
        return f"found undefined alias ({hint})"
    if context == "while scanning an alias":
        return f"{problem} ({context}; {hint})"
    if not problem:
        return "the document cannot be parsed"
    return f"{problem} ({context})" if context else problem


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
_CONTENT = re.compile(r"^(?!---[ \t\r]*(?:#[^\n]*)?$)[ \t]*[^ \t\r\n#]", re.M)


def _is_separator(line: str) -> bool:
    return line.startswith("---") and (len(line) == 3 or line[3].isspace())


_LINES = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


def _content_line(piece: str) -> int | None:
    """Index of the piece's first line with more than separators, directives, comments and
    blanks; None when there is none."""
    for index, raw in enumerate(_LINES.split(piece)):
        line = raw.strip()
        if _is_separator(line):
            line = line[3:].strip()
        if line and not line.startswith(("#", "%")) and line != "...":
            return index
    return None
