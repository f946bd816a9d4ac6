"""SnapshotGraph: the typed, read-only API rules use. Rules never touch networkx."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from analyzer.graph.edges import EdgeKind
from analyzer.model import K8sObject, ObjectRef, Snapshot


@dataclass(frozen=True, slots=True)
class Edge:
    """One edge as rules see it. ``target_obj`` is None when the target is missing."""

    kind: EdgeKind
    source: ObjectRef
    target: ObjectRef
    target_obj: K8sObject | None
    attrs: dict[str, Any]

    @property
    def missing(self) -> bool:
        return self.target_obj is None


class SnapshotGraph:
    def __init__(self, snapshot: Snapshot, graph: Any) -> None:
        self.snapshot = snapshot
        self._graph = graph

    def edges_from(self, obj: K8sObject, kind: EdgeKind | None = None) -> Iterator[Edge]:
        """Edges leaving ``obj`` (of one kind, or all), in insertion order."""
        key = obj.ref.key
        if key not in self._graph:
            return
        for _, target, data in self._graph.out_edges(key, data=True):
            if kind is None or data["kind"] is kind:
                yield self._edge(obj.ref, target, data)

    def edges_to(self, obj: K8sObject, kind: EdgeKind | None = None) -> Iterator[Edge]:
        key = obj.ref.key
        if key not in self._graph:
            return
        for source, _, data in self._graph.in_edges(key, data=True):
            if kind is None or data["kind"] is kind:
                node = self._graph.nodes[source]
                yield Edge(data["kind"], node["ref"], obj.ref, obj, _attrs(data))

    def targets(self, obj: K8sObject, kind: EdgeKind) -> list[K8sObject]:
        """Present objects that ``obj`` points at with ``kind`` edges (deduplicated)."""
        seen: dict[tuple[Any, ...], K8sObject] = {}
        for edge in self.edges_from(obj, kind):
            if edge.target_obj is not None:
                seen.setdefault(edge.target.key, edge.target_obj)
        return list(seen.values())

    def sources(self, obj: K8sObject, kind: EdgeKind) -> list[K8sObject]:
        found: dict[tuple[Any, ...], K8sObject] = {}
        for edge in self.edges_to(obj, kind):
            src = self.snapshot.get(edge.source.key)
            if src is not None:
                found.setdefault(edge.source.key, src)
        return list(found.values())

    def missing_nodes(self) -> list[ObjectRef]:
        return [d["ref"] for _, d in self._graph.nodes(data=True) if d["missing"]]

    def stats(self) -> tuple[int, int]:
        return self._graph.number_of_nodes(), self._graph.number_of_edges()

    def _edge(self, source: ObjectRef, target: Any, data: dict[str, Any]) -> Edge:
        node = self._graph.nodes[target]
        return Edge(data["kind"], source, node["ref"], node["obj"], _attrs(data))


def _attrs(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "kind"}
