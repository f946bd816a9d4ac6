"""hpa-replicas-conflict: a workload manifest that sets ``spec.replicas`` while a
HorizontalPodAutoscaler of the snapshot scales it: every apply resets the autoscaler's count.

Used by: hpa-replicas-conflict. Judged on manifests only (objects without a status): in a live
dump every workload carries ``spec.replicas``, the value the autoscaler last set.
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.graph import EdgeKind, SnapshotGraph
from analyzer.model import K8sObject
from analyzer.rules.kinds import Kinds
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define

SCALABLE = [
    ("apps", "Deployment"),
    ("apps", "StatefulSet"),
    ("apps", "ReplicaSet"),
    ("", "ReplicationController"),
]


class Params(PredicateParams):
    pass


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    if subject.has_status or "replicas" not in subject.spec:
        return
    autoscalers = graph.sources(subject, EdgeKind.SCALES)
    if autoscalers:
        facts = {
            "replicas": str(subject.spec["replicas"]),
            "autoscalers": ", ".join(h.name for h in autoscalers),
        }
        yield Hit(facts, tuple(h.ref for h in autoscalers), path="spec.replicas")


PREDICATE = define(
    "hpa-replicas-conflict",
    Params,
    evaluate,
    kinds=Kinds.of(SCALABLE),
    facts=("replicas", "autoscalers"),
)
