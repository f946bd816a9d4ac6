"""daemonset-incomplete: a DaemonSet scheduled on fewer nodes than it wants, or with Pods the
scheduler could not place; its status counts, its Pending pods and, when the snapshot holds
Nodes, which nodes its spec cannot run on and why.

Used by: daemonset-incomplete. Example: ``scheduled on 26 of 27 desired nodes (27 ready); its pod
prometheus-node-exporter-7gml4 is Pending for node infra-pool-frhxr (pool infra-pool), which has
untolerated taint dedicated=infra:NoSchedule; its spec covers 26 of 27 nodes (1 has untolerated taint
dedicated=infra:NoSchedule (pool infra-pool))``.

Not reported: a DaemonSet whose selector, affinity or tolerations leave nodes out by design while
its status has every wanted pod scheduled; pods bound to a node but failing (workload-unavailable).
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.quantity import describe, pod_requests
from analyzer.model.scheduling import (
    Cluster,
    host_ports,
    judge,
    node_exclusions,
    pinned_node,
    port_exclusion,
    resource_exclusion,
    tolerations_of,
)
from analyzer.model.status import count, phase, pod_terminal
from analyzer.rules.kinds import Kinds
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define
from analyzer.rules.predicates.evidence import events, trim
from analyzer.rules.predicates.pod_unschedulable import cluster_of, scheduler_message

SHOWN_PODS = 3


class Params(PredicateParams):
    pass


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    status = subject.status
    if not status:
        return
    desired, current = (
        count(status.get("desiredNumberScheduled")),
        count(status.get("currentNumberScheduled")),
    )
    pending = [p for p in graph.owned(subject) if _unscheduled(p)]
    if current >= desired and not pending:
        return
    cluster = cluster_of(graph)
    parts = [f"scheduled on {current} of {desired} desired nodes ({count(status.get('numberReady'))} ready)"]
    misplaced = count(status.get("numberMisscheduled"))
    if misplaced:
        parts.append(f"{misplaced} running where it should not")
    for pod in pending[:SHOWN_PODS]:
        parts.append(_pending(pod, cluster))
    if len(pending) > SHOWN_PODS:
        parts.append(f"{len(pending) - SHOWN_PODS} more Pending pods")
    template = graph.template_of(subject)
    if cluster is not None and template is not None:
        verdict = judge(template.spec, cluster, daemonset=True, resources=None)
        covers = f"its spec covers {verdict.hosts} of {verdict.total} nodes"
        reasons = verdict.reasons()
        parts.append(f"{covers} ({', '.join(reasons)})" if reasons else covers)
    evidence = tuple(
        e
        for pod in pending[:SHOWN_PODS]
        for e in events(graph, pod, ("FailedScheduling",), other=True, limit=1)
    )
    refs = tuple(p.ref for p in pending)
    yield Hit({"summary": "; ".join(parts)}, related=refs, evidence=evidence, because_of=refs)


def _unscheduled(pod: K8sObject) -> bool:
    """A Pod Pending without a node (or that the scheduler said it could not place)."""
    if pod.kind != "Pod" or pod_terminal(pod) or phase(pod) != "Pending":
        return False
    return not pod.spec.get("nodeName") or scheduler_message(pod) is not None


def _pending(pod: K8sObject, cluster: Cluster | None) -> str:
    """``its pod x is Pending for node n (pool p), which has untolerated taint ...``."""
    node = pinned_node(pod.spec)
    text = f"its pod {pod.name} is Pending"
    view = cluster.by_name.get(node) if cluster is not None and node else None
    if node:
        text += f" for node {node}" + (f" (pool {view.pool})" if view is not None and view.pool else "")
    if cluster is not None and view is not None:
        reasons = node_exclusions(pod.spec, view, tolerations_of(pod.spec, daemonset=True))
        if reasons:
            return f"{text}, which " + " and ".join(r.phrase(1).removeprefix("1 ") for r in reasons)
        clash = port_exclusion(host_ports(pod.spec), cluster.ports(view))
        if clash is not None:
            return f"{text}, which {clash.phrase(1).removeprefix('1 ')}"
        requests, free = pod_requests(pod.spec), cluster.free(view)
        short = resource_exclusion(requests, free, "free")
        if short is not None:
            names = short.detail.split(", ")
            wanted = describe({k: v for k, v in requests.items() if k in names})
            left = describe({k: free.get(k, Fraction(0)) for k in names})
            return f"{text}, which {short.phrase(1, [f'requests {wanted}, free {left}']).removeprefix('1 ')}"
    said = scheduler_message(pod)
    return f'{text}: the scheduler says "{trim(said, 200)}"' if said else text


PREDICATE = define(
    "daemonset-incomplete",
    Params,
    evaluate,
    kinds=Kinds.of([("apps", "DaemonSet"), ("extensions", "DaemonSet")]),
    facts=("summary",),
)
