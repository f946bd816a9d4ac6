"""pdb-blocks-eviction: a PodDisruptionBudget that allows no voluntary disruption even when every
pod it selects is healthy, so every eviction (a node drain, a cluster upgrade) is refused.

Used by: pdb-blocks-eviction.

As the disruption controller counts: the pods expected are the replicas of the workloads whose
pods the budget selects; the pods that must stay healthy are ``minAvailable`` (a percentage of
the expected pods, rounded up) or the expected pods minus ``maxUnavailable`` (a percentage
rounded up). Evictions are allowed while more pods are healthy than must stay so: when as many
must stay healthy as are expected, none ever is. ``maxUnavailable: 0`` (or ``0%``) blocks for any
number of replicas.

In a live dump the budget's ``status`` says it: ``desiredHealthy >= expectedPods`` (with pods
expected) is the same judgement with the controller's own counts (the autoscaled replica count
included); ``disruptionsAllowed: 0`` alone is not used, since unhealthy pods also give it (that
is the workload's finding). Without a status, the replicas are read from the selected workloads:
``spec.replicas`` (1 when unset), or the ``minReplicas`` of an autoscaler that scales it (the
count it idles at); a Pod without a controller counts one. A budget that selects a DaemonSet,
Job or CronJob, whose pod count is not in its spec, or selects nothing (``pdb-selects-nothing``)
is not judged.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from analyzer.graph import EdgeKind, SnapshotGraph
from analyzer.model import K8sObject
from analyzer.rules.kinds import Kinds
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define

SCALED = frozenset({"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"})


class Params(PredicateParams):
    pass


def int_or_percent(value: object) -> tuple[int, bool] | None:
    """An IntOrString: (number, is a percentage), or None when it is neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value, False
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%") and text[:-1].isdigit():
            return int(text[:-1]), True
        if text.isdigit():  # the API server refuses it; a template may render it so
            return int(text), False
    return None


def desired_healthy(spec: dict[str, object], expected: int) -> tuple[int, str] | None:
    """How many of ``expected`` pods must stay healthy, and the field that says so."""
    if "maxUnavailable" in spec:
        found = int_or_percent(spec["maxUnavailable"])
        if found is None:
            return None
        number, percent = found
        unavailable = math.ceil(number * expected / 100) if percent else number
        return max(expected - unavailable, 0), f"maxUnavailable {spec['maxUnavailable']}"
    if "minAvailable" in spec:
        found = int_or_percent(spec["minAvailable"])
        if found is None:
            return None
        number, percent = found
        return (
            math.ceil(number * expected / 100) if percent else number
        ), f"minAvailable {spec['minAvailable']}"
    return None


def _replicas(graph: SnapshotGraph, workload: K8sObject) -> tuple[int, str] | None:
    """The replicas a workload runs when idle, and how they are known; None when not in its spec."""
    if workload.kind == "Pod":
        return 1, f"Pod {workload.name}: 1"
    if workload.kind not in SCALED:
        return None
    for hpa in graph.sources(workload, EdgeKind.SCALES):
        low = hpa.spec.get("minReplicas", 1)
        if isinstance(low, int) and not isinstance(low, bool):
            return low, f"{workload.kind} {workload.name}: {low}, its autoscaler's minReplicas"
    replicas = workload.spec.get("replicas", 1)
    if not isinstance(replicas, int) or isinstance(replicas, bool):
        return None
    return replicas, f"{workload.kind} {workload.name}: {replicas}"


def _roots(graph: SnapshotGraph, pdb: K8sObject) -> list[K8sObject]:
    roots: dict[tuple[str, str, str | None, str], K8sObject] = {}
    for obj in graph.selected(pdb):
        root = graph.root_of(obj)
        roots.setdefault(root.ref.key, root)
    return sorted(roots.values(), key=lambda o: (o.kind, o.name))


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    spec = subject.spec
    roots = _roots(graph, subject)
    status = subject.status
    expected, healthy = status.get("expectedPods"), status.get("desiredHealthy")
    if isinstance(expected, int) and isinstance(healthy, int) and "disruptionsAllowed" in status:
        if expected <= 0 or healthy < expected:
            return
        rule = desired_healthy(spec, expected)
        field = rule[1] if rule else "its budget"
        names = ", ".join(f"{r.kind} {r.name}" for r in roots)
        pods = f"{expected} expected pod(s)" + (f" ({names})" if names else "")
        facts = {"budget": field, "pods": pods, "needed": str(healthy)}
        yield Hit(facts, tuple(r.ref for r in roots))
        return
    if not roots:
        return
    counted = [_replicas(graph, r) for r in roots]
    if any(c is None for c in counted):
        return
    known = [c for c in counted if c is not None]
    total = sum(n for n, _ in known)
    rule = desired_healthy(spec, total)
    if total <= 0 or rule is None or rule[0] < total:
        return
    pods = f"{total} replica(s) (" + ", ".join(what for _, what in known) + ")"
    yield Hit({"budget": rule[1], "pods": pods, "needed": str(rule[0])}, tuple(r.ref for r in roots))


PREDICATE = define(
    "pdb-blocks-eviction",
    Params,
    evaluate,
    kinds=Kinds.of([("policy", "PodDisruptionBudget")]),
    facts=("budget", "pods", "needed"),
)
