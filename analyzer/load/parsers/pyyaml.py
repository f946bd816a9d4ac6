"""PyYAML on one chunk of text: each document with the line numbers the loader needs, or the
error that breaks the chunk.

Semantics are PyYAML's ``safe_load`` (YAML 1.1 booleans, ints, floats, null, anchors, merge
keys) with two changes that match what Kubernetes sees: timestamps stay the strings they were
written as, and the plain scalar ``=`` (tagged ``tag:yaml.org,2002:value``, which PyYAML cannot
construct) is the string ``"="``. A document whose aliases would add more than
:data:`MAX_ALIAS_NODES` nodes (a "billion laughs"), or that contains itself, is refused before
it is constructed. Text damaged by NUL bytes (a crashed disk) fails with the reason
:data:`~analyzer.load.decode.DAMAGE`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from analyzer.load.decode import DAMAGE
from analyzer.load.lines import breaks
from analyzer.load.parsers.parsed import ParsedDoc, ParseFailure

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


@dataclass(frozen=True, slots=True)
class Broken(ParseFailure):
    """The stream cannot be read past this error."""

    reader: bool = False
    """A character the reader refuses (libyaml checks characters ahead of the parser)."""
    index: int | None = None
    """The character of the chunk where the error is (None: unknown)."""
    context: int | None = None
    """The character where the construct that breaks starts (an unclosed quote), if PyYAML says."""


def parse_chunk(chunk: str, offset: int, done: list[tuple[int, int]]) -> Iterator[ParsedDoc | ParseFailure]:
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
        yield Broken(
            _error_line(exc, chunk, offset, index),
            _reason(exc),
            reader=isinstance(exc, yaml.reader.ReaderError),
            index=index,
            context=None if context is None else int(context.index),
        )
    except RecursionError:  # only the pure-Python parser recurses; libyaml stops at depth 1000
        yield Broken(None, "document nested too deeply")
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
        return breaks(chunk, 0, index) + 1 + offset
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
