"""YAML parsing behind one small interface, so a faster backend can be dropped in later.

``parse_yaml(text)`` yields, per document, a :class:`ParsedDoc` (value + the line numbers the
loader needs) or a :class:`ParseFailure`; after a failure it resumes at the next document
separator, so one broken document never hides the others. Semantics are PyYAML's
``safe_load`` (YAML 1.1 booleans, ints, floats, null, anchors, merge keys) with two changes that
match what Kubernetes sees: timestamps stay strings, and the plain scalar ``=`` (which PyYAML
tags ``tag:yaml.org,2002:value`` and cannot construct) is the string ``"="``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import yaml

try:  # libyaml's C parser: about 3x faster than the pure-Python one.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

DOC_SEPARATOR = re.compile(r"^---(?:\s|$)", re.M)


@dataclass(frozen=True, slots=True)
class ParsedDoc:
    value: Any
    line: int | None
    """1-based line of the document's first key (its first line for non-mappings)."""
    item_lines: list[int] | None
    """For a mapping with an ``items`` sequence: each item's first-key line."""
    start_line: int
    """1-based line where the document's content starts (after any comments)."""
    end_line: int


@dataclass(frozen=True, slots=True)
class ParseFailure:
    line: int | None
    reason: str


class KubeLoader(_BaseLoader):
    """PyYAML's safe loader, with Kubernetes' view of timestamps and the ``=`` scalar."""


def _as_string(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


KubeLoader.add_constructor("tag:yaml.org,2002:timestamp", _as_string)
KubeLoader.add_constructor("tag:yaml.org,2002:value", _as_string)


def first_key_line(node: yaml.Node) -> int:
    if isinstance(node, yaml.MappingNode) and node.value:
        return int(node.value[0][0].start_mark.line) + 1
    return int(node.start_mark.line) + 1


def item_lines(node: yaml.Node) -> list[int] | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "items":
            if isinstance(value, yaml.SequenceNode):
                return [first_key_line(item) for item in value.value]
            return None
    return None


def parse_yaml(text: str) -> Iterator[ParsedDoc | ParseFailure]:
    """Parse the whole stream; after a failure, parse the remaining documents one by one."""
    last_end = 0
    for item in _parse_chunk(text, 0):
        if isinstance(item, ParseFailure):
            yield item
            # The failing document is the first piece with content after the last good one;
            # go on with the pieces after it, each on its own.
            pieces = [p for p in _pieces(text) if p[1] > last_end or p[2] > last_end]
            for offset, _, _, piece in _with_content(pieces)[1:]:
                yield from _parse_chunk(piece, offset)
            return
        last_end = item.end_line
        yield item


def _parse_chunk(chunk: str, offset: int) -> Iterator[ParsedDoc | ParseFailure]:
    loader = KubeLoader(chunk)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            items = item_lines(node)
            yield ParsedDoc(
                value=loader.construct_document(node),
                line=first_key_line(node) + offset,
                item_lines=None if items is None else [n + offset for n in items],
                start_line=int(node.start_mark.line) + 1 + offset,
                end_line=int(node.end_mark.line) + 1 + offset,
            )
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = int(mark.line) + 1 + offset if mark is not None else offset + 1
        yield ParseFailure(line, f"invalid YAML: {describe_error(exc)}")
    except RecursionError:
        yield ParseFailure(offset + 1, "document nested too deeply")
    finally:
        loader.dispose()


def _pieces(text: str) -> list[tuple[int, int, int, str]]:
    """The text cut at document separators: (line offset, first line, last line, text)."""
    lines = text.split("\n")
    cuts = [0] + [text.count("\n", 0, m.start()) for m in DOC_SEPARATOR.finditer(text)] + [len(lines)]
    pieces = []
    for begin, end in pairwise(cuts):
        if end > begin:
            pieces.append((begin, begin + 1, end, "\n".join(lines[begin:end])))
    return pieces


def _with_content(pieces: list[tuple[int, int, int, str]]) -> list[tuple[int, int, int, str]]:
    """Pieces holding more than separators, comments and blank lines."""
    return [p for p in pieces if any(_is_content(line) for line in p[3].split("\n"))]


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#") and not DOC_SEPARATOR.match(stripped)


def describe_error(exc: yaml.YAMLError) -> str:
    """The problem and its context, without PyYAML's chunk-relative positions."""
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if not problem:
        return " ".join(str(exc).split())
    return f"{problem} ({context})" if context else str(problem)
