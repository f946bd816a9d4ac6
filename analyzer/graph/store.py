"""GraphStore: where the object graph is kept, a small typed multi-digraph of our own.

Nodes are object identities (:data:`ObjectKey`), each with its ref and its object (None for a
target the input lacks); edges are ``(other key, kind, attributes)`` in out- and in-adjacency
lists, in the order they were added. That is all GraphBuilder writes and SnapshotGraph reads.

Why not networkx: every kubesnap run, the pre-commit hook's included, paid about 0.12 s to
import networkx (it imports all its algorithms) to keep a dict of lists, and its ``add_edge``
was about a third of the graph's build time on a large dump. networkx stays the library for
graph algorithms (root causes, :mod:`analyzer.findings.causes`) and for the export
(:mod:`analyzer.graph.export`), imported where those run.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from analyzer.graph.edges import EdgeKind
from analyzer.model import K8sObject, ObjectKey, ObjectRef


class StoredNode(NamedTuple):
    ref: ObjectRef
    obj: K8sObject | None
    """None when the input lacks the object (a dangling reference's target)."""


class StoredEdge(NamedTuple):
    other: ObjectKey
    """The target of an out-edge, the source of an in-edge."""
    kind: EdgeKind
    attrs: dict[str, Any]


_new = tuple.__new__


class GraphStore:
    """Nodes by key; edges leaving and arriving at each node, in insertion order."""

    __slots__ = ("_incoming", "_nodes", "_outgoing")

    def __init__(self) -> None:
        self._nodes: dict[ObjectKey, StoredNode] = {}
        self._outgoing: dict[ObjectKey, list[StoredEdge]] = {}
        self._incoming: dict[ObjectKey, list[StoredEdge]] = {}

    def __contains__(self, key: ObjectKey) -> bool:
        return key in self._nodes

    def __len__(self) -> int:
        return len(self._nodes)

    def add_node(self, key: ObjectKey, ref: ObjectRef, obj: K8sObject | None) -> None:
        """Adds the node ``key`` (replacing its ref and object if it is there already)."""
        self._nodes[key] = StoredNode(ref, obj)

    def add_edge(self, source: ObjectKey, target: ObjectKey, kind: EdgeKind, attrs: dict[str, Any]) -> None:
        """Adds an edge between two nodes already added (parallel edges are kept)."""
        if source not in self._nodes or target not in self._nodes:
            raise KeyError(f"edge {source} -> {target}: both ends must be nodes")
        # tuple.__new__ makes the named tuple without its Python-level __new__ (a million edges)
        self._outgoing.setdefault(source, []).append(_new(StoredEdge, (target, kind, attrs)))
        self._incoming.setdefault(target, []).append(_new(StoredEdge, (source, kind, attrs)))

    def node(self, key: ObjectKey) -> StoredNode:
        return self._nodes[key]

    def out_edges(self, key: ObjectKey) -> list[StoredEdge]:
        """The edges leaving ``key``, oldest first (none for an unknown key)."""
        return self._outgoing.get(key, [])

    def in_edges(self, key: ObjectKey) -> list[StoredEdge]:
        """The edges arriving at ``key``, oldest first (none for an unknown key)."""
        return self._incoming.get(key, [])
