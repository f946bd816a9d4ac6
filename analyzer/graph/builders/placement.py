"""Pod -> the Node it runs on (``spec.nodeName``).

Example: a Pod with ``spec.nodeName: n1`` gets ``Pod --runs-on--> Node/n1`` (a missing node
when the snapshot holds no such Node). ``SnapshotGraph.pods_on(node)`` reads these edges back.
"""

from __future__ import annotations

from analyzer.graph.build import GraphBuilder
from analyzer.graph.edges import EdgeKind
from analyzer.model import KindKey, ObjectRef

SOURCES: dict[EdgeKind, tuple[KindKey, ...] | None] = {EdgeKind.RUNS_ON: (("", "Pod"),)}


def build(builder: GraphBuilder) -> None:
    for pod in builder.snapshot.of_kind("", "Pod"):
        node = pod.spec.get("nodeName")
        if isinstance(node, str) and node:
            builder.link_ref(pod, ObjectRef("v1", "Node", None, node), EdgeKind.RUNS_ON)
