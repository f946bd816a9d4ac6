"""pdb-missing: a workload with two or more replicas whose pods a Service selects, and no
PodDisruptionBudget selecting them.

Used by: pdb-missing (opt-in). Judged at the top of the owner chain (a ReplicaSet of a
Deployment of the snapshot is not). The replicas are the ``minReplicas`` of the autoscalers that
scale it (the count it idles at), else ``spec.replicas`` (1 when unset); counts that are not
integers are not judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.graph import EdgeKind, SnapshotGraph
from analyzer.model import K8sObject
from analyzer.rules.kinds import Kinds
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define
from analyzer.rules.predicates.hpa_replicas import SCALABLE


class Params(PredicateParams):
    pass


def replicas(graph: SnapshotGraph, workload: K8sObject) -> int | None:
    """The replicas a workload runs when idle; None when its spec does not say (not an integer)."""
    autoscalers = graph.sources(workload, EdgeKind.SCALES)
    counts = [h.spec.get("minReplicas", 1) for h in autoscalers] or [workload.spec.get("replicas", 1)]
    integers = [n for n in counts if isinstance(n, int) and not isinstance(n, bool)]
    return max(integers) if integers else None


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    if graph.controller_of(subject) is not None:
        return
    selectors = graph.selected_by(subject)
    services = [s.name for s in selectors if s.kind == "Service"]
    if not services or any(p.kind == "PodDisruptionBudget" for p in selectors):
        return
    count = replicas(graph, subject)
    if count is not None and count >= 2:
        yield Hit({"replicas": str(count), "services": ", ".join(services)})


PREDICATE = define(
    "pdb-missing",
    Params,
    evaluate,
    kinds=Kinds.of(SCALABLE),
    facts=("replicas", "services"),
)
