"""``KIND/NAMESPACE/NAME`` (``KIND/NAME`` for a cluster-scoped object, or a name unique across
namespaces) -> the node of the graph it means, as ``explain`` and ``graph --focus`` take it.

The kind is case-insensitive and may be a resource name or kubectl's short name (``svc``,
``deploy``, ``pods``). The node may be missing (a ConfigMap a pod names and the input lacks).
A name that matches nothing is a :class:`KubesnapError` naming the closest ones.
"""

from __future__ import annotations

import difflib

from analyzer.errors import KubesnapError
from analyzer.graph.export import every_node
from analyzer.graph.query import SnapshotGraph
from analyzer.load.layouts.resources import lookup
from analyzer.model import K8sObject, ObjectRef

FORM = "KIND/NAMESPACE/NAME (or KIND/NAME for a cluster-scoped object)"


def find_node(graph: SnapshotGraph, text: str) -> tuple[ObjectRef, K8sObject | None]:
    """The node ``text`` names and its object (None when the input lacks it)."""
    parts = text.split("/")
    if len(parts) not in (2, 3) or not all(parts):
        raise KubesnapError(f"{text!r}: expected {FORM}")
    kind_text, name = parts[0], parts[-1]
    namespace = parts[1] if len(parts) == 3 else None
    nodes = list(every_node(graph).values())
    kinds = _kinds(kind_text, {ref.kind for ref, _ in nodes})
    if not kinds:
        known = sorted({ref.kind for ref, _ in nodes})
        close = difflib.get_close_matches(kind_text, known, n=5, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise KubesnapError(f"{text!r}: no object of kind {kind_text!r}{hint}")
    of_kind = [(ref, obj) for ref, obj in nodes if ref.kind in kinds]
    found = [
        (ref, obj)
        for ref, obj in of_kind
        if ref.name == name and (namespace is None or ref.namespace == namespace)
    ]
    if len(found) > 1:
        found.sort(key=lambda node: (node[1] is None, node[0].namespace or "", node[0].group))
        if namespace is not None or len({ref.namespace for ref, _ in found}) == 1:
            return found[0]  # one object, several API groups: the one the input holds, core first
        names = ", ".join(ref.display() for ref, _ in found)
        raise KubesnapError(f"{text!r} is ambiguous: {names}; name the namespace ({FORM})")
    if found:
        return found[0]
    shown = sorted({ref.display() for ref, _ in of_kind})
    wanted = f"{sorted(kinds)[0]}/{namespace}/{name}" if namespace else f"{sorted(kinds)[0]}/{name}"
    close = difflib.get_close_matches(wanted, shown, n=5, cutoff=0.6)
    if not close:  # the right name in another namespace, or a name of another form
        close = sorted(s for s in shown if s.endswith(f"/{name}"))[:5]
    hint = f"; close: {', '.join(close)}" if close else ""
    raise KubesnapError(f"{text!r}: no such object in the input{hint}")


def _kinds(text: str, present: set[str]) -> set[str]:
    """The kinds of the input that ``text`` names: case-insensitively, or as a resource name."""
    wanted = {kind for kind in present if kind.lower() == text.lower()}
    resource = lookup(text)
    if resource is not None and resource.kind in present:
        wanted.add(resource.kind)
    return wanted
