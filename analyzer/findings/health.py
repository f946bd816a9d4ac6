"""The health and capacity summary of a live dump, like the seed audit's tables: per namespace
(pods running, pending, failing; restarts; Services with a ready endpoint; workloads ready) and
per node pool (nodes ready; pods per node against max pods; CPU and memory requests against
allocatable). None for an input without status (a render): no empty table.

Example: a pool ``monitoring`` of 3 Ready nodes with 110 pods allocatable each, running 45 pods
that request 2.5 CPUs of 11.58 allocatable gives ``PoolHealth("monitoring", Ratio(3, 3), 45,
330, ...)``.

Services are judged as ``service-no-ready-endpoints`` judges them (one judgement, two readers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.scheduling import node_view
from analyzer.model.status import condition_is, count, phase, pod_ready, restarts
from analyzer.rules.predicates.endpoints import State, availability
from analyzer.rules.predicates.pod_unschedulable import cluster_of

NO_POOL = "(no pool label)"
WORKLOAD_KINDS = (
    ("apps", "Deployment"),
    ("apps", "StatefulSet"),
    ("apps", "DaemonSet"),
    ("apps", "ReplicaSet"),
)


@dataclass(frozen=True, slots=True)
class Ratio:
    good: int
    total: int


@dataclass(slots=True)
class NamespaceHealth:
    namespace: str
    running: int = 0
    """Pods Running and Ready."""
    pending: int = 0
    failing: int = 0
    """Pods Failed, Unknown, or Running but not Ready."""
    restarts: int = 0
    services: Ratio = Ratio(0, 0)
    """Services with a selector that have a ready endpoint / all of them (ExternalName and
    selector-less Services are left out; a Service scaled to zero on purpose counts as fine)."""
    workloads: Ratio = Ratio(0, 0)
    """Deployments, StatefulSets, DaemonSets and lone ReplicaSets with every replica ready."""


@dataclass(slots=True)
class PoolHealth:
    pool: str
    nodes: Ratio = Ratio(0, 0)
    pods: int = 0
    max_pods: int = 0
    cpu_requests: Fraction = Fraction(0)
    cpu_allocatable: Fraction = Fraction(0)
    memory_requests: Fraction = Fraction(0)
    memory_allocatable: Fraction = Fraction(0)


@dataclass(slots=True)
class Health:
    namespaces: list[NamespaceHealth] = field(default_factory=list)
    pools: list[PoolHealth] = field(default_factory=list)


def health(graph: SnapshotGraph) -> Health | None:
    """The summary of the live objects of ``graph``; None when no Pod or Node has a status."""
    pods = [p for p in graph.of_kind("", "Pod") if p.has_status]
    nodes = [n for n in graph.of_kind("", "Node") if n.has_status]
    if not pods and not nodes:
        return None
    spaces: dict[str, NamespaceHealth] = {}

    def space(name: str | None) -> NamespaceHealth:
        key = name or ""
        return spaces.setdefault(key, NamespaceHealth(key))

    for pod in pods:
        _count_pod(space(pod.namespace), pod)
    for group, kind in WORKLOAD_KINDS:
        for workload in graph.of_kind(group, kind):
            if workload.has_status and graph.controller_of(workload) is None:
                entry = space(workload.namespace)
                ready = _workload_ready(workload)
                entry.workloads = Ratio(entry.workloads.good + ready, entry.workloads.total + 1)
    for service in graph.of_kind("", "Service"):
        if (service.namespace or "") in spaces:
            _count_service(graph, space(service.namespace), service)
    return Health(
        namespaces=[spaces[k] for k in sorted(spaces)],
        pools=_pools(graph, nodes),
    )


def _count_pod(entry: NamespaceHealth, pod: K8sObject) -> None:
    state = phase(pod)
    entry.restarts += restarts(pod)
    if state == "Pending":
        entry.pending += 1
    elif state == "Running" and pod_ready(pod) is not False:
        entry.running += 1
    elif state in ("Running", "Failed", "Unknown"):
        entry.failing += 1


def _count_service(graph: SnapshotGraph, entry: NamespaceHealth, service: K8sObject) -> None:
    judged = availability(graph, service)
    if judged.state is State.UNKNOWN:
        return
    fine = judged.state in (State.READY, State.SCALED_TO_ZERO)
    entry.services = Ratio(entry.services.good + fine, entry.services.total + 1)


def _workload_ready(workload: K8sObject) -> bool:
    status = workload.status
    if workload.kind == "DaemonSet":
        return count(status.get("numberReady")) >= count(status.get("desiredNumberScheduled"))
    wanted = workload.spec.get("replicas", 1)
    wanted = wanted if isinstance(wanted, int) and not isinstance(wanted, bool) else 1
    return count(status.get("readyReplicas")) >= wanted


def _pools(graph: SnapshotGraph, nodes: list[K8sObject]) -> list[PoolHealth]:
    """What each pool's pods request comes from the scheduling rules' cluster: summed once per
    node and run, whichever reads it first."""
    cluster = cluster_of(graph)
    pools: dict[str, PoolHealth] = {}
    for node in nodes:
        view = cluster.by_name.get(node.name) if cluster is not None else None
        view = view or node_view(node)
        name = view.pool or NO_POOL
        pool = pools.setdefault(name, PoolHealth(name))
        ready = condition_is(node, "Ready", "True")
        pool.nodes = Ratio(pool.nodes.good + ready, pool.nodes.total + 1)
        pool.cpu_allocatable += view.allocatable.get("cpu", 0)
        pool.memory_allocatable += view.allocatable.get("memory", 0)
        pool.max_pods += int(view.allocatable.get("pods", 0))
        if cluster is None:
            continue
        requests, bound = cluster.used(view)
        pool.pods += bound
        pool.cpu_requests += requests.get("cpu", 0)
        pool.memory_requests += requests.get("memory", 0)
    return [pools[k] for k in sorted(pools)]
