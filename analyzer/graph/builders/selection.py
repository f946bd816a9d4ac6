"""Label selection: Service, PodDisruptionBudget and NetworkPolicy -> Pods and pod templates.

Example: Service ``shop/cart`` with ``selector: {app: cart}`` gets ``selects`` edges to every
Pod of namespace ``shop`` labelled ``app=cart`` and to every object whose pod template carries
that label (the Deployment, its ReplicaSets). Always within the selector's own namespace.
"""

from __future__ import annotations

from analyzer.graph.build import GraphBuilder
from analyzer.graph.edges import EdgeKind
from analyzer.model import KindKey
from analyzer.model.selectors import object_selector

SELECTING_KINDS: tuple[KindKey, ...] = (
    ("", "Service"),
    ("policy", "PodDisruptionBudget"),
    ("networking.k8s.io", "NetworkPolicy"),
)
SOURCES: dict[EdgeKind, tuple[KindKey, ...] | None] = {EdgeKind.SELECTS: SELECTING_KINDS}


def build(builder: GraphBuilder) -> None:
    snapshot = builder.snapshot
    for kind in SELECTING_KINDS:
        for obj in snapshot.of_kind(*kind):
            selector = object_selector(kind, obj.ref.api_version, obj.spec)
            if selector is None:
                continue
            for template in snapshot.labels.select(selector, obj.namespace):
                builder.link(obj, template.owner, EdgeKind.SELECTS)
