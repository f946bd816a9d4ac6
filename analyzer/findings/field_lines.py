"""The line of the field a finding names (``location.path``), instead of its object's first line.

Runs on the findings alone (after suppression and ordering), so it costs nothing when no finding
names a field: each file holding such a finding is read again and composed with PyYAML (node
marks; JSON files too, JSON being YAML), the finding's object found at its line and checked to be
the same object (kind and name: a file changed since it was read, or a Helm template, keeps the
object's line), and the path walked down to its deepest field present (a required field that is
missing: the line of the map that lacks it). Files that are not on disk (standard input, archive
members) or larger than :data:`MAX_BYTES` keep the object's line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from pathlib import Path

import yaml

from analyzer.rules.finding import Finding
from analyzer.rules.openapi.paths import split

MAX_BYTES = 16 << 20
"""Files composed again at most this large (composing is ~1 s per 10 MB)."""

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def with_field_lines(findings: Sequence[Finding]) -> list[Finding]:
    """``findings``, those naming a field of an object read from a file given the field's line."""
    files = {f.location.file for f in findings if f.location and f.location.path and f.location.line}
    if not files:
        return list(findings)
    objects = {file: _objects(file) for file in sorted(files)}
    result = []
    for finding in findings:
        loc = finding.location
        if loc is not None and loc.path and loc.line and loc.file in objects:
            node = objects[loc.file].get(loc.line)
            steps = split(loc.path)
            if node is not None and steps is not None and _is(node, finding.object.kind, finding.object.name):
                at = dataclasses.replace(loc, line=_line(node, steps))
                finding = dataclasses.replace(finding, location=at)
        result.append(finding)
    return result


def _objects(file: str) -> dict[int, yaml.MappingNode]:
    """The objects of ``file`` (documents, List items) by the 1-based line of their first key."""
    path = Path(file)
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return {}
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}
    found: dict[int, yaml.MappingNode] = {}
    for document in _documents(text):
        for node in _with_items(document):
            if isinstance(node, yaml.MappingNode) and node.value:
                found[node.value[0][0].start_mark.line + 1] = node
    return found


def _documents(text: str) -> Iterator[yaml.Node]:
    """The documents of ``text`` up to the first one PyYAML refuses."""
    composed = yaml.compose_all(text, Loader=_Loader)
    while True:
        try:
            document = next(composed)
        except (StopIteration, yaml.YAMLError, ValueError):
            return
        if document is not None:
            yield document


def _with_items(node: yaml.Node) -> Iterator[yaml.Node]:
    """A document's object, a List's items, a JSON array's items."""
    yield node
    items = node if isinstance(node, yaml.SequenceNode) else _child(node, "items")
    if isinstance(items, yaml.SequenceNode):
        yield from items.value


def _child(node: yaml.Node, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key and isinstance(v, yaml.Node):
                return v
    return None


def _is(node: yaml.Node, kind: str, name: str) -> bool:
    """Whether ``node`` is the object of ``kind`` named ``name`` (or naming none: generateName)."""
    found_kind = _child(node, "kind")
    named = _child(_child(node, "metadata") or node, "name")
    same_name = named is None or (isinstance(named, yaml.ScalarNode) and named.value == name)
    return isinstance(found_kind, yaml.ScalarNode) and found_kind.value == kind and same_name


def _line(node: yaml.Node, steps: list[str | int]) -> int:
    """The 1-based line of the deepest field of ``steps`` present under ``node``."""
    first = node.value[0][0] if isinstance(node, yaml.MappingNode) and node.value else node
    line = first.start_mark.line + 1
    for step in steps:
        if isinstance(step, str) and isinstance(node, yaml.MappingNode):
            pair = next(
                (p for p in node.value if isinstance(p[0], yaml.ScalarNode) and p[0].value == step), None
            )
            if pair is None:
                break
            line, node = pair[0].start_mark.line + 1, pair[1]
        elif isinstance(step, int) and isinstance(node, yaml.SequenceNode) and 0 <= step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            break
    return line
