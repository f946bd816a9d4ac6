"""Stage 3: the graph of objects and their relations, queried through :class:`SnapshotGraph`."""

from __future__ import annotations

from analyzer.graph.build import GraphBuilder
from analyzer.graph.builders import monitoring, owners, references, routing, scaling, selection
from analyzer.graph.edges import EdgeKind
from analyzer.graph.query import Edge, SnapshotGraph
from analyzer.model import Snapshot

# One pass per edge family, in this order.
BUILDERS = (owners, selection, references, routing, scaling, monitoring)


def build_graph(snapshot: Snapshot) -> SnapshotGraph:
    builder = GraphBuilder(snapshot)
    for family in BUILDERS:
        family.build(builder)
    return SnapshotGraph(snapshot, builder.graph)


__all__ = ["Edge", "EdgeKind", "SnapshotGraph", "build_graph"]
