"""The drawing of one root cause for the HTML report: the objects involved as boxes, in columns
by how far down the chain of causes they sit, and arrows between them labelled with the rule
that links them.

Column 0 holds the cause's object (and the objects of the findings alike to it); each finding
the cause explains puts its object one column to the right of the nearest object whose finding
explains it (same column when it is the same object). The objects a finding relates to
(``Finding.related``: the Deployment a Service's selector misses, the ConfigMap a workload
lacks) sit one column right of that finding's object, joined by a dashed arrow. Arrows follow
``Finding.causes`` inside the root cause. Positions depend only on the report: the same report
gives the same drawing. The template draws it (and escapes every name)."""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.findings import Finding, RootCause, fingerprint
from analyzer.model import ObjectKey, ObjectRef

NODE_WIDTH = 210
NODE_HEIGHT = 40
COLUMN_GAP = 220
"""Room between columns for an arrow and its label."""
ROW_GAP = 18
PAD = 8
MAX_NODES = 14
"""Objects drawn; beyond, only counted (a Node down explains every pod on it)."""
NAME_CHARS = 30
LABEL_CHARS = 34
LINE = 12
"""Height of a line of an arrow's label."""


@dataclass(frozen=True, slots=True)
class Box:
    x: int
    y: int
    kind: str
    """First line: the kind (and how many findings of this root cause are on the object)."""
    name: str
    """Second line: namespace/name, shortened to fit."""
    title: str
    """The tooltip: the object in full and the rules of its findings."""
    css: str
    """``root``, ``error``, ``warning``, ``info`` or ``related`` (no finding of this root cause)."""


@dataclass(frozen=True, slots=True)
class Label:
    x: int
    y: int
    text: str
    anchor: str
    """SVG ``text-anchor``: ``start`` or ``end``."""


@dataclass(frozen=True, slots=True)
class Arrow:
    path: str
    labels: tuple[Label, ...]
    """The rules that link the two objects, one a line, beside the arrow's head (arrows into
    one box mostly carry the same rule: their labels coincide instead of crossing)."""
    dashed: bool
    """A relation (``Finding.related``), not a cause."""


@dataclass(frozen=True, slots=True)
class Drawing:
    width: int
    height: int
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]
    hidden: int
    """Objects left out (over :data:`MAX_NODES`)."""


def draw(root: RootCause) -> Drawing:
    members = [root.finding, *root.alike, *root.explains]
    prints = {fingerprint(f): f for f in members}
    column = _columns(root, prints)
    refs: dict[ObjectKey, ObjectRef] = {}
    for finding in members:
        refs.setdefault(finding.object.key, finding.object)
    links: dict[tuple[ObjectKey, ObjectKey], tuple[set[str], bool]] = {}
    for finding in members:
        for cause in finding.causes:
            found = prints.get(cause)
            if found is not None and found.object.key != finding.object.key:
                _link(links, found.object.key, finding.object.key, finding.rule, dashed=False)
    for finding in members:
        for ref in finding.related:
            pair = (finding.object.key, ref.key)
            if ref.key == finding.object.key or (pair not in links and pair[::-1] in links):
                continue  # the same object, or a cause already joins the two
            if ref.key not in column:
                column[ref.key] = column[finding.object.key] + 1
                refs.setdefault(ref.key, ref)
            _link(links, finding.object.key, ref.key, finding.rule, dashed=True)
    shown = list(refs)[:MAX_NODES]
    place = _place(shown, column)
    boxes = tuple(_box(refs[key], place[key], members, root) for key in shown)
    arrows = tuple(
        _arrow(place[a], place[b], sorted(labels), dashed, both_ways=(b, a) in links)
        for (a, b), (labels, dashed) in links.items()
        if a in place and b in place
    )
    columns = max(x for x, _ in place.values()) + 1
    rows = max(y for _, y in place.values()) + 1
    return Drawing(
        width=2 * PAD + columns * NODE_WIDTH + (columns - 1) * COLUMN_GAP,
        height=2 * PAD + rows * NODE_HEIGHT + (rows - 1) * ROW_GAP,
        boxes=boxes,
        arrows=arrows,
        hidden=len(refs) - len(shown),
    )


def _columns(root: RootCause, prints: dict[str, Finding]) -> dict[ObjectKey, int]:
    """Each object's column: 0 for the cause's objects, then one more per change of object along
    the shortest chain of causes (a finding explained by another on the same object stays)."""
    depth = {fingerprint(f): 0 for f in (root.finding, *root.alike)}
    changed = True
    while changed:
        changed = False
        for finding in root.explains:
            me = fingerprint(finding)
            for cause in finding.causes:
                if cause not in depth:
                    continue
                step = 0 if prints[cause].object.key == finding.object.key else 1
                if depth[cause] + step < depth.get(me, len(prints) + 1):
                    depth[me] = depth[cause] + step
                    changed = True
    column: dict[ObjectKey, int] = {}
    for finding in (root.finding, *root.alike, *root.explains):
        level = depth.get(fingerprint(finding), 1)
        key = finding.object.key
        column[key] = min(column.get(key, level), level)
    return column


def _link(
    links: dict[tuple[ObjectKey, ObjectKey], tuple[set[str], bool]],
    source: ObjectKey,
    target: ObjectKey,
    rule: str,
    dashed: bool,
) -> None:
    labels, was_dashed = links.get((source, target), (set(), True))
    labels.add(rule)
    links[(source, target)] = (labels, was_dashed and dashed)


def _place(keys: list[ObjectKey], column: dict[ObjectKey, int]) -> dict[ObjectKey, tuple[int, int]]:
    """(column, row) of each object: rows in the order the objects were met."""
    rows: dict[int, int] = {}
    place = {}
    for key in keys:
        col = column[key]
        place[key] = (col, rows.get(col, 0))
        rows[col] = rows.get(col, 0) + 1
    return place


def _origin(col: int, row: int) -> tuple[int, int]:
    return PAD + col * (NODE_WIDTH + COLUMN_GAP), PAD + row * (NODE_HEIGHT + ROW_GAP)


def _box(ref: ObjectRef, at: tuple[int, int], members: list[Finding], root: RootCause) -> Box:
    on = [f for f in members if f.object.key == ref.key]
    x, y = _origin(*at)
    name = f"{ref.namespace}/{ref.name}" if ref.namespace else ref.name
    rules = sorted({f.rule for f in on})
    title = ref.display() + (f": {', '.join(rules)}" if rules else "")
    if ref.key == root.finding.object.key:
        css = "root"
    elif on:
        css = max((f.severity for f in on), key=lambda s: s.rank).value
    else:
        css = "related"
    kind = ref.kind + (f" · {len(on)} finding(s)" if len(on) > 1 else "")
    return Box(x, y, kind, _short(name, NAME_CHARS), title, css)


def _arrow(
    source: tuple[int, int], target: tuple[int, int], rules: list[str], dashed: bool, both_ways: bool
) -> Arrow:
    """From the side of the source's box facing the target to the target's; an arrow that has
    a twin the other way is drawn a little above (left to right) or below (right to left) it,
    and its labels on that side."""
    sx, sy = _origin(*source)
    tx, ty = _origin(*target)
    forward = source[0] < target[0] or (source[0] == target[0] and source[1] < target[1])
    shift = (-6 if forward else 6) if both_ways else 0
    sy, ty = sy + NODE_HEIGHT // 2 + shift, ty + NODE_HEIGHT // 2 + shift
    texts = [_short(rule, LABEL_CHARS) for rule in rules]
    if source[0] == target[0]:  # same column: a bend out to the right, labels beside it
        x1 = x2 = sx + NODE_WIDTH
        bend = x1 + COLUMN_GAP // 3
        path = f"M{x1} {sy} C{bend} {sy} {bend} {ty} {x2} {ty}"
        middle = (sy + ty) // 2
        labels = tuple(Label(bend + 4, middle + LINE * k, t, "start") for k, t in enumerate(texts))
    elif source[0] < target[0]:  # labels above the arrow, ending at its head
        x1, x2 = sx + NODE_WIDTH, tx
        path = f"M{x1} {sy} L{x2} {ty}"
        labels = tuple(Label(x2 - 12, ty - 5 - LINE * k, t, "end") for k, t in enumerate(reversed(texts)))
    else:  # right to left: labels below the arrow, starting at its head
        x1, x2 = sx, tx + NODE_WIDTH
        path = f"M{x1} {sy} L{x2} {ty}"
        labels = tuple(Label(x2 + 12, ty + 13 + LINE * k, t, "start") for k, t in enumerate(texts))
    return Arrow(path, labels, dashed)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
