"""Events -> the object each one reports on.

Example: a v1 Event with ``involvedObject: {apiVersion: v1, kind: Pod, namespace: shop, name:
api-1, uid: u1}`` gets ``Event --regarding(uid=u1)--> Pod/shop/api-1``; an Event about a Pod
that is gone points at a missing node (forensics wants those too).
"""

from __future__ import annotations

from analyzer.graph.build import GraphBuilder
from analyzer.graph.edges import EdgeKind
from analyzer.model import KindKey
from analyzer.model.events import EVENT_KINDS, read_event

SOURCES: dict[EdgeKind, tuple[KindKey, ...] | None] = {EdgeKind.REGARDING: EVENT_KINDS}


def build(builder: GraphBuilder) -> None:
    for kind in EVENT_KINDS:
        for event in builder.snapshot.of_kind(*kind):
            info = read_event(event)
            if info is not None and info.regarding is not None:
                builder.link_ref(event, info.regarding, EdgeKind.REGARDING, uid=info.uid)
