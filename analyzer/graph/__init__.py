"""Stage 3: the graph of objects and their relations, queried through :class:`SnapshotGraph`."""

from __future__ import annotations

from analyzer.graph.build import GraphBuilder
from analyzer.graph.builders import (
    events,
    monitoring,
    owners,
    placement,
    references,
    routing,
    scaling,
    selection,
)
from analyzer.graph.edges import Edge, EdgeKind
from analyzer.graph.query import Node, SnapshotGraph
from analyzer.model import KindKey, Snapshot
from analyzer.model.versions import KubeVersion

# One pass per edge family, in this order.
BUILDERS = (owners, selection, references, routing, scaling, placement, monitoring, events)

EDGE_SOURCES: dict[EdgeKind, tuple[KindKey, ...] | None] = {
    **owners.SOURCES,
    **selection.SOURCES,
    **references.SOURCES,
    **routing.SOURCES,
    **scaling.SOURCES,
    **placement.SOURCES,
    **monitoring.SOURCES,
    **events.SOURCES,
}
"""The kinds each edge family leaves from (None: any kind), as its builder declares them."""


def build_graph(snapshot: Snapshot, kube_version: KubeVersion | None = None) -> SnapshotGraph:
    """The graph of ``snapshot``; ``kube_version`` is the run's ``--kube-version``, if given."""
    builder = GraphBuilder(snapshot)
    for family in BUILDERS:
        family.build(builder)
    return SnapshotGraph(snapshot, builder.graph, kube_version)


__all__ = ["EDGE_SOURCES", "Edge", "EdgeKind", "Node", "SnapshotGraph", "build_graph"]
