"""GraphBuilder: the only code that adds to the graph's store (:class:`GraphStore`)."""

from __future__ import annotations

from typing import Any

from analyzer.graph.edges import EdgeKind
from analyzer.graph.store import GraphStore
from analyzer.model import K8sObject, ObjectRef, Snapshot


class GraphBuilder:
    """Adds typed edges; a target absent from the snapshot becomes a node without an object."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.graph = GraphStore()
        # Later definitions of an object already defined (by identity: found once, not per edge).
        self._copies = {id(obj) for obj in snapshot.objects if snapshot.get(obj.ref.key) is not obj}
        for obj in snapshot.objects:
            if obj.ref.key not in self.graph:
                self.graph.add_node(obj.ref.key, obj.ref, obj)

    def link(self, source: K8sObject, target: K8sObject, kind: EdgeKind, **attrs: Any) -> None:
        if self._is_copy(source):
            return
        self.graph.add_edge(source.ref.key, target.ref.key, kind, attrs)

    def link_ref(self, source: K8sObject, target: ObjectRef, kind: EdgeKind, **attrs: Any) -> None:
        """Edge to ``target`` by reference; creates a missing node when the snapshot lacks it."""
        self.link_refs(source, kind, [(target, attrs)])

    def link_refs(
        self, source: K8sObject, kind: EdgeKind, edges: list[tuple[ObjectRef, dict[str, Any]]]
    ) -> None:
        """:meth:`link_ref` for several targets of one source, each with its attributes
        (a mapping that several edges may share: attributes are only read)."""
        if self._is_copy(source):
            return
        key = source.ref.key
        for target, attrs in edges:
            if target.key not in self.graph:
                found = self.snapshot.get(target.key)
                self.graph.add_node(target.key, target if found is None else found.ref, found)
            self.graph.add_edge(key, target.key, kind, attrs)

    def _is_copy(self, source: K8sObject) -> bool:
        """A second definition of an object adds no edges: the node is the first one's."""
        return id(source) in self._copies
