"""loadbalancer-pending: a ``type: LoadBalancer`` Service of a live dump with no
``status.loadBalancer.ingress``: the cloud (or MetalLB) gave it no address.

Used by: loadbalancer-pending. Live means: the Service has a ``status`` block, or the snapshot
holds Pods with a phase (a render has neither, and is never judged). The Service's warning Events
(``SyncLoadBalancerFailed``, ``AllocationFailed``...) are the evidence.

Example: ``status: {loadBalancer: {}}`` and an Event ``SyncLoadBalancerFailed x12: Error syncing
load balancer: failed to ensure load balancer: quota exceeded`` give one hit quoting it.
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.objects import as_dict, as_list
from analyzer.rules.kinds import Kinds
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define
from analyzer.rules.predicates.evidence import events


class Params(PredicateParams):
    pass


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    if subject.spec.get("type") != "LoadBalancer":
        return
    if not subject.has_status and not any(p.status.get("phase") for p in graph.of_kind("", "Pod")):
        return
    if as_list(as_dict(subject.status.get("loadBalancer")).get("ingress")):
        return
    quoted = events(graph, subject)
    last = f"; last event: {quoted[-1].text}" if quoted else ""
    yield Hit({"events": last}, evidence=quoted)


PREDICATE = define(
    "loadbalancer-pending", Params, evaluate, kinds=Kinds.of([("", "Service")]), facts=("events",)
)
