"""YAML parsing behind one function: ``parse_yaml(text)`` yields, per document, a
:class:`ParsedDoc` (value and the line numbers the loader needs) or a :class:`ParseFailure`.

Semantics are PyYAML's ``safe_load`` (YAML 1.1 booleans, ints, floats, null, anchors, merge
keys) with two changes that match what Kubernetes sees: timestamps stay the strings they were
written as, and the plain scalar ``=`` (tagged ``tag:yaml.org,2002:value``, which PyYAML cannot
construct) is the string ``"="``.

One broken document never hides the others: the text is cut at its ``---`` lines and each piece
is read on its own, by :mod:`analyzer.load.fast_yaml` when it can read it exactly, by PyYAML
otherwise. A List cut short inside its items keeps the items before the cut. A document whose
aliases would add more than :data:`MAX_ALIAS_NODES` nodes (a "billion laughs"), or that
contains itself, is refused before it is constructed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from analyzer.load import fast_yaml
from analyzer.load.parsed import ParsedDoc, ParseFailure

try:  # libyaml's C parser: several times faster than the pure-Python one.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

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
    breaks that only YAML 1.1 counts (NEL, LS, PS, a lone CR), are read by PyYAML whole."""
    if _whole_stream_only(text):
        yield from _parse_stream(text)
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


def _parse_piece(piece: str, offset: int, fast: bool = False) -> Iterator[ParsedDoc | ParseFailure]:
    """The documents of one piece of a stream, parsed by PyYAML on its own (what a broken List
    keeps is read by the fast path when ``fast``)."""
    last = offset + 1 + piece.count("\n", 0, len(piece.rstrip("\n")))
    read = False
    for item in _parse_chunk(piece, offset, []):
        if isinstance(item, _Broken):  # without a mark: the line where the piece's content starts
            line = item.line if item.line is not None else offset + 1 + (_content_line(piece) or 0)
            line = min(line, last)  # the end of the text: its last line
            salvaged = None if read else _items_before(piece, offset, line, fast)
            if salvaged is not None:
                yield salvaged
            yield ParseFailure(line, item.reason)
        else:
            read = True
            yield item


_ITEMS = re.compile(r"^items:[ \t]*\n(?=- )", re.M)


def _items_before(piece: str, offset: int, line: int, fast: bool) -> ParsedDoc | None:
    """A List laid out as kubectl writes it (``items:`` then ``- `` at the first column) that
    breaks inside its items (a killed ``kubectl``, a full disk): the List of the items that end
    before the item holding the error, or None."""
    items = _ITEMS.search(piece)
    if items is None:
        return None
    at = 0
    for _ in range(line - offset - 1):  # the error line's first character
        at = piece.find("\n", at) + 1
        if at == 0:
            return None
    cut = piece.rfind("\n- ", items.end() - 1, at)
    if cut < items.end() - 1:
        return None
    kept = piece[: cut + 1]
    found: ParsedDoc | ParseFailure | None = (
        fast_yaml.parse_document(kept, offset, _parse_one) if fast else None
    )
    if found is None:
        docs = list(_parse_chunk(kept, offset, []))
        found = docs[0] if len(docs) == 1 else None
    if (
        isinstance(found, ParsedDoc)
        and isinstance(found.value, dict)
        and isinstance(found.value.get("items"), list)
    ):
        return found
    return None


def _parse_one(chunk: str, offset: int) -> ParsedDoc | ParseFailure:
    """PyYAML's reading of a chunk that should hold one document (value None when it does not)."""
    docs = list(_parse_piece(chunk, offset))
    if len(docs) == 1:
        return docs[0]
    return ParsedDoc(None, offset + 1, None, offset + 1, offset + 1)


def _parse_stream(text: str) -> Iterator[ParsedDoc | ParseFailure]:
    """PyYAML over the whole stream; after an error, the remaining pieces one by one."""
    done: list[int] = []
    for item in _parse_chunk(text, 0, done):
        if isinstance(item, _Broken):
            yield from _resume(text, done, item)
            return
        yield item


def _resume(text: str, done: list[int], broken: _Broken) -> Iterator[ParsedDoc | ParseFailure]:
    """After the stream broke: the pieces not yet read, each parsed on its own.

    The broken document is the first piece with content after the last document read, except
    after a reader error (a forbidden character), which libyaml reports before reading anything:
    then every remaining piece is parsed again, and the bad one fails on its own.
    """
    pieces = _pieces(text)
    last_done = bisect_right([first for first, _ in pieces], max(done)) - 1 if done else -1
    todo = [(first, piece) for first, piece in pieces[last_done + 1 :] if _content_line(piece) is not None]
    if not broken.reader:
        line = broken.line
        if line is None and todo:  # no mark: the line where the broken document starts
            line = todo[0][0] + (_content_line(todo[0][1]) or 0)
        yield ParseFailure(line, broken.reason)
        todo = todo[1:]
    for first, piece in todo:
        yield from _parse_piece(piece, first - 1)


@dataclass(frozen=True, slots=True)
class _Broken(ParseFailure):
    """The stream cannot be read past this error."""

    reader: bool = False
    """A character the reader refuses: libyaml says so before reading any document."""


def _parse_chunk(chunk: str, offset: int, done: list[int]) -> Iterator[ParsedDoc | ParseFailure]:
    """The documents of ``chunk`` (whose first line is line ``offset + 1`` of the file) up to
    its end, or up to an error that breaks the stream (the last item then); the start line of
    each document read is appended to ``done``."""
    loader: KubeLoader | None = None
    try:
        loader = KubeLoader(chunk)
        check_aliases = _ANCHOR.search(chunk) is not None and _ALIAS.search(chunk) is not None
        while loader.check_node():
            node = loader.get_node()
            if node is None:  # pragma: no cover - check_node() said there is one
                break
            start = int(node.start_mark.line) + 1 + offset
            done.append(start)
            yield _document(loader, node, chunk, offset, check_aliases)
    except yaml.reader.ReaderError as exc:
        yield _Broken(_error_line(exc, chunk, offset), f"invalid YAML: {describe(exc)}", reader=True)
    except yaml.YAMLError as exc:
        yield _Broken(_error_line(exc, chunk, offset), f"invalid YAML: {describe(exc)}")
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


def _error_line(exc: yaml.YAMLError, chunk: str, offset: int) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return int(mark.line) + 1 + offset
    position = getattr(exc, "position", None)  # ReaderError: a character index
    if isinstance(position, int):
        return chunk.count("\n", 0, position) + 1 + offset
    return None


def describe(exc: yaml.YAMLError) -> str:
    """The problem and its context, on one line, without positions and without quoting values."""
    if isinstance(exc, yaml.reader.ReaderError):
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


def _content_line(piece: str) -> int | None:
    """Index of the piece's first line with more than separators, directives, comments and
    blanks; None when there is none."""
    for index, raw in enumerate(piece.split("\n")):
        line = raw.strip()
        if _is_separator(line):
            line = line[3:].strip()
        if line and not line.startswith(("#", "%")) and line != "...":
            return index
    return None
