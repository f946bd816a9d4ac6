"""HorizontalPodAutoscaler -> its ``scaleTargetRef``.

Example: an HPA with ``scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}``
gets ``HPA --scales--> Deployment/<ns>/api``.
"""

from __future__ import annotations

from analyzer.graph.build import GraphBuilder
from analyzer.graph.edges import EdgeKind
from analyzer.model import KindKey, ObjectRef
from analyzer.model.objects import as_dict

SOURCES: dict[EdgeKind, tuple[KindKey, ...] | None] = {
    EdgeKind.SCALES: (("autoscaling", "HorizontalPodAutoscaler"),),
}

# apiVersion assumed for a scaleTargetRef that gives none.
DEFAULT_API_VERSION = {
    "Deployment": "apps/v1",
    "StatefulSet": "apps/v1",
    "ReplicaSet": "apps/v1",
    "ReplicationController": "v1",
}


def build(builder: GraphBuilder) -> None:
    snapshot = builder.snapshot
    for hpa in snapshot.of_kind("autoscaling", "HorizontalPodAutoscaler"):
        target = as_dict(hpa.spec.get("scaleTargetRef"))
        kind, name = target.get("kind"), target.get("name")
        if not isinstance(kind, str) or not isinstance(name, str):
            continue
        api_version = str(target.get("apiVersion") or DEFAULT_API_VERSION.get(kind, "v1"))
        ref = ObjectRef(api_version, kind, hpa.namespace, name)
        builder.link_ref(hpa, ref, EdgeKind.SCALES)
