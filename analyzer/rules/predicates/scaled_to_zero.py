"""scaled-to-zero: a Deployment, StatefulSet or ReplicaSet that no other object of the snapshot
controls, with ``spec.replicas: 0``; the Services that select only it (or other workloads at 0)
therefore have no endpoints.

Example: Deployment ``konqer-api`` at ``replicas: 0``, selected by Service ``konqer-api``, gives
``services="; Service konqer-api therefore has no endpoints, on purpose"``.

Used by: workload-scaled-to-zero. A ReplicaSet at 0 with a controlling owner is an old revision
of a Deployment (normal, even when the snapshot lacks the Deployment) and never reported;
``replicas`` omitted means 1.
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.rules.kinds import Kinds
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define

KINDS = Kinds.of(
    [
        ("apps", "Deployment"),
        ("apps", "StatefulSet"),
        ("apps", "ReplicaSet"),
        ("extensions", "Deployment"),
        ("extensions", "ReplicaSet"),
    ]
)


class Params(PredicateParams):
    pass


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    if not at_zero(subject) or graph.controller_of(subject) is not None or _revision(subject):
        return
    services = sorted((s for s in graph.selected_by(subject) if _only_zero(s, graph)), key=lambda s: s.name)
    names = ", ".join(s.name for s in services)
    if len(services) == 1:
        text = f"; Service {names} therefore has no endpoints, on purpose"
    else:
        text = f"; Services {names} therefore have no endpoints, on purpose" if services else ""
    yield Hit({"services": text}, related=tuple(s.ref for s in services))


def _revision(obj: K8sObject) -> bool:
    """A ReplicaSet with a controlling owner (its Deployment, even one the snapshot lacks)."""
    return obj.kind == "ReplicaSet" and any(o.get("controller") is True for o in obj.owner_references())


def _only_zero(selector: K8sObject, graph: SnapshotGraph) -> bool:
    """A Service whose every selected pod or workload belongs to a workload at zero."""
    if selector.kind != "Service" or selector.ref.group != "":
        return False
    return all(at_zero(graph.root_of(o)) for o in graph.selected(selector))


def at_zero(obj: K8sObject) -> bool:
    """``spec.replicas`` is the number 0 (omitted is 1; a string or a boolean is no number)."""
    replicas = obj.spec.get("replicas")
    return obj.kind in ("Deployment", "StatefulSet", "ReplicaSet") and type(replicas) is int and replicas == 0


PREDICATE = define("scaled-to-zero", Params, evaluate, kinds=KINDS, facts=("services",))
