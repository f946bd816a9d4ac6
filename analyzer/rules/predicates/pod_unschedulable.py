"""pod-unschedulable: a Pod the scheduler could not place (Pending, ``PodScheduled=False``: its
message and FailedScheduling Events quoted, and when the snapshot holds Nodes, which constraint
excludes how many of them), or, from the spec alone when the snapshot holds Nodes, a Pod not yet
bound or the pod template of a root workload that no node can host.

Used by: pod-unschedulable. Example: ``Pod prometheus-node-exporter-7gml4 cannot be scheduled:
Pending; the scheduler says "0/27 nodes are available: ..."; from its spec 0 of 27 nodes can host
it: 26 do not match node affinity (metadata.name In [infra-pool-frhxr]), 1 has untolerated taint
dedicated=infra:NoSchedule (pool infra-pool)``.

DaemonSets are daemonset-incomplete's. Resources: an unbound Pod, or the template of a workload
without status (about to be applied), against each node's free capacity; the template of a
running workload against allocatable alone (its Pending pods say the rest).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from weakref import WeakKeyDictionary

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject, ObjectRef
from analyzer.model.scheduling import Cluster, build_cluster, judge
from analyzer.model.status import conditions, phase
from analyzer.rules.finding import Evidence
from analyzer.rules.kinds import POD_SPEC_KINDS
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define
from analyzer.rules.predicates.evidence import events, trim

_CLUSTERS: WeakKeyDictionary[SnapshotGraph, Cluster | None] = WeakKeyDictionary()


def cluster_of(graph: SnapshotGraph) -> Cluster | None:
    """The snapshot's nodes as a :class:`Cluster`, read once per run; None without Nodes."""
    if graph not in _CLUSTERS:
        nodes = [n for n in graph.of_kind("", "Node") if graph.get(n.ref.key) is n]
        held: SnapshotGraph = weakref.proxy(graph)  # the Cluster is the key's value: not its owner

        def pods_on(name: str) -> list[K8sObject]:
            return held.pods_on(ObjectRef("v1", "Node", None, name))

        _CLUSTERS[graph] = build_cluster(nodes, pods_on) if nodes else None
    return _CLUSTERS[graph]


def controlled_by_daemonset(graph: SnapshotGraph, pod: K8sObject) -> bool:
    """A DaemonSet's pod, by its controller reference (present in the snapshot or not)."""
    return any(e.controller and e.target.kind == "DaemonSet" for e in graph.owners(pod))


def scheduler_message(pod: K8sObject) -> str | None:
    """The message of ``PodScheduled=False`` without its ``preemption:`` tail; None when the
    condition does not say the pod is unscheduled."""
    found = conditions(pod).get("PodScheduled")
    if found is None or found.status != "False":
        return None
    text = found.message.split(" preemption:")[0].strip()
    return text or found.reason or "not scheduled"


class Params(PredicateParams):
    pass


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    if subject.kind == "DaemonSet":
        return
    if subject.kind == "Pod" and subject.ref.group == "":
        yield from _pod(subject, graph)
    else:
        yield from _template(subject, graph)


def _pod(pod: K8sObject, graph: SnapshotGraph) -> Iterator[Outcome]:
    state = phase(pod)
    if state not in ("", "Pending") or pod.metadata.get("deletionTimestamp"):
        return
    said = scheduler_message(pod) if state == "Pending" else None
    if said is None and pod.spec.get("nodeName"):
        return
    cluster = cluster_of(graph)
    daemonset = controlled_by_daemonset(graph, pod)
    if said is not None:
        summary = f'Pending; the scheduler says "{trim(said, 300)}"'
        if cluster is not None:
            summary += f"; from its spec {judge(pod.spec, cluster, daemonset=daemonset).summary()}"
        condition = conditions(pod)["PodScheduled"]
        evidence = (
            Evidence("condition", trim(f"PodScheduled=False {condition.reason}: {condition.message}")),
            *events(graph, pod, ("FailedScheduling",)),
        )
        yield _hit(pod, graph, summary, evidence)
        return
    if cluster is None:
        return
    verdict = judge(pod.spec, cluster, daemonset=daemonset, first_host_only=True)
    if verdict.hosts == 0:
        yield _hit(pod, graph, f"not bound to a node, and {verdict.summary()}", ())


def _template(owner: K8sObject, graph: SnapshotGraph) -> Iterator[Outcome]:
    template = graph.template_of(owner)
    if template is None or graph.controller_of(owner) is not None or _idle(owner) or _runs(owner):
        return
    cluster = cluster_of(graph)
    if cluster is None:
        return
    resources = "allocatable" if owner.has_status else "free"
    verdict = judge(template.spec, cluster, resources=resources, first_host_only=True)
    if verdict.hosts == 0:
        yield _hit(owner, graph, f"its pod template fits no node: {verdict.summary()}", ())


def _idle(owner: K8sObject) -> bool:
    """Scaled to zero or suspended: no pod is wanted (workload-scaled-to-zero's)."""
    replicas = owner.spec.get("replicas")
    if isinstance(replicas, int) and not isinstance(replicas, bool) and replicas == 0:
        return True
    return owner.spec.get("suspend") is True


RUNNING = ("readyReplicas", "availableReplicas", "active", "succeeded", "lastSuccessfulTime")


def _runs(owner: K8sObject) -> bool:
    """The status shows a pod of it ready, running or done: some node hosts it, maybe one the
    snapshot does not hold (a partial dump); its template is not judged."""
    for key in RUNNING:
        value = owner.status.get(key)
        if (isinstance(value, int) and not isinstance(value, bool) and value > 0) or isinstance(value, str):
            return True
    return False


def _hit(subject: K8sObject, graph: SnapshotGraph, summary: str, evidence: tuple[Evidence, ...]) -> Hit:
    needs = [e.target for e in graph.references(subject) if e.target.kind == "PersistentVolumeClaim"]
    root = graph.root_of(subject)
    because = ([root.ref] if root is not subject else []) + list(dict.fromkeys(needs))
    return Hit({"summary": summary}, evidence=evidence, because_of=tuple(because))


PREDICATE = define("pod-unschedulable", Params, evaluate, kinds=POD_SPEC_KINDS, facts=("summary",))
