"""Owner references: ``Pod --owned-by--> ReplicaSet --owned-by--> Deployment``.

Example: a Pod whose ``metadata.ownerReferences`` holds
``{apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9f, controller: true}`` gets an edge to
ReplicaSet ``<its namespace>/web-7d9f``; a missing owner becomes a missing node.
"""

from __future__ import annotations

from analyzer.graph.build import GraphBuilder
from analyzer.graph.edges import EdgeKind
from analyzer.model import KindKey, ObjectRef

SOURCES: dict[EdgeKind, tuple[KindKey, ...] | None] = {EdgeKind.OWNED_BY: None}  # any kind


def build(builder: GraphBuilder) -> None:
    for obj in builder.snapshot.objects:
        for owner in obj.owner_references():
            kind, name = owner.get("kind"), owner.get("name")
            if not isinstance(kind, str) or not isinstance(name, str):
                continue
            target = ObjectRef(str(owner.get("apiVersion", "")), kind, obj.namespace, name)
            builder.link_ref(obj, target, EdgeKind.OWNED_BY, controller=owner.get("controller") is True)
