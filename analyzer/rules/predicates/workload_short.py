"""workload-short: a live Deployment, StatefulSet, ReplicaSet or DaemonSet with fewer ready
(available, for a Deployment) replicas than it wants, or a Deployment whose rollout is stuck
(``Progressing=False``, ``ProgressDeadlineExceeded``); it names its Pods that are not ready.

Example: Deployment ``public-api`` with ``replicas: 3``, ``availableReplicas: 2`` and a Pod in
CrashLoopBackOff gives ``counts="2 of 3 available"`` and
``pods="; not ready: public-api-7d9f-x2k (CrashLoopBackOff)"``.

Evidence: a stuck rollout's condition, the Warning Events of the workload and of its current
ReplicaSets (FailedCreate), and the last Warning Event of each Pod named that is still creating
(FailedMount: no pod rule reports such a Pod).

Because of: the Pods named, and (not for a DaemonSet, whose other aggregate finding,
daemonset-incomplete, must not explain it) the workload itself: its own configuration findings
(a missing ConfigMap, an undeclared volume) explain pods that never start and have none.

Used by: workload-unavailable. A ReplicaSet that a Deployment of the snapshot controls is judged
through that Deployment; replicas 0 and objects without ``status`` are never judged. A DaemonSet
is judged on its Pods bound to a node only (unscheduled ones are daemonset-incomplete's), so
not where the snapshot holds no Pods.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.status import STARTING, conditions, count, pod_ready, pod_state, pod_terminal
from analyzer.rules.finding import Evidence, Severity
from analyzer.rules.kinds import Kinds
from analyzer.rules.predicates import evidence
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define

KINDS = Kinds.of(
    (group, kind)
    for group in ("apps", "extensions")
    for kind in ("Deployment", "StatefulSet", "ReplicaSet", "DaemonSet")
    if (group, kind) != ("extensions", "StatefulSet")
)

STUCK = "ProgressDeadlineExceeded"
SETTLED = "NewReplicaSetAvailable"
"""The Progressing reason of a Deployment whose rollout is over."""


class Params(PredicateParams):
    name_pods: int = Field(default=5, ge=1, description="Name at most this many pods that are not ready.")


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    if not subject.has_status or (subject.kind == "ReplicaSet" and graph.controller_of(subject) is not None):
        return
    daemon = subject.kind == "DaemonSet"
    wanted = count(subject.status.get("desiredNumberScheduled"), 0) if daemon else _replicas(subject)
    if not wanted:
        return
    state = conditions(subject) if subject.kind == "Deployment" else {}
    progressing = state.get("Progressing")
    stuck = progressing is not None and progressing.status == "False" and progressing.reason == STUCK
    if daemon:
        if not graph.covers("", "Pod", subject.namespace):
            return
        have, word = count(subject.status.get("numberReady"), 0), "ready"
        failing = [p for p in pods_of(subject, graph) if not_ready(p) and p.spec.get("nodeName")]
        if not failing:
            return
    else:
        word = "available" if subject.kind == "Deployment" else "ready"
        have = count(subject.status.get(f"{word}Replicas"), 0)
        if have >= wanted and not stuck:
            return
        failing = [p for p in pods_of(subject, graph) if not_ready(p)]
    proof: tuple[Evidence, ...] = ()
    if stuck and progressing is not None:
        proof = (Evidence("condition", evidence.trim(f"Progressing=False {STUCK}: {progressing.message}")),)
    for owner in (subject, *(rs for rs in graph.owned(subject) if _wants_pods(rs))):
        proof += evidence.events(graph, owner, other=owner is not subject)
    for pod in failing[: params.name_pods]:
        if pod_state(pod) in STARTING:  # no pod rule speaks for it: its last warning says why
            proof += evidence.events(graph, pod, limit=1, other=True)
    available = state.get("Available")
    rolling = progressing is not None and progressing.status == "True" and progressing.reason != SETTLED
    calm = rolling and available is not None and available.status == "True" and not stuck
    yield Hit(
        {
            "counts": f"{have} of {wanted} {word}",
            "pods": _named(failing, params.name_pods) if failing or have else _none(subject, graph),
            "stuck": f"; rollout stuck ({STUCK})" if stuck else "",
        },
        severity=Severity.WARNING if calm else None,
        evidence=proof,
        because_of=(*(() if daemon else (subject.ref,)), *(p.ref for p in failing)),
    )


def pods_of(workload: K8sObject, graph: SnapshotGraph) -> list[K8sObject]:
    """The Pods a workload owns, a Deployment's through its ReplicaSets (every revision)."""
    found = [o for o in graph.owned(workload) if o.kind == "Pod"]
    if workload.kind == "Deployment":
        for rs in graph.owned(workload):
            if rs.kind == "ReplicaSet":
                found.extend(o for o in graph.owned(rs) if o.kind == "Pod")
    return found


def not_ready(pod: K8sObject) -> bool:
    """A live Pod that should serve and does not: not finished, not being deleted, not Ready."""
    if not pod.has_status or pod_terminal(pod) or pod.metadata.get("deletionTimestamp"):
        return False
    return pod_ready(pod) is not True


def _none(workload: K8sObject, graph: SnapshotGraph) -> str:
    """None ready: say so when the snapshot could hold its pods and holds none."""
    covered = graph.covers("", "Pod", workload.namespace)
    return "; no pod of it exists" if covered and not pods_of(workload, graph) else ""


def _named(failing: list[K8sObject], limit: int) -> str:
    if not failing:
        return ""
    shown = ", ".join(f"{p.name} ({pod_state(p) or 'unknown'})" for p in failing[:limit])
    more = f" and {len(failing) - limit} more" if len(failing) > limit else ""
    return f"; not ready: {shown}{more}"


def _wants_pods(obj: K8sObject) -> bool:
    """A ReplicaSet of the current rollout (an old revision at 0 has nothing to say)."""
    return obj.kind == "ReplicaSet" and bool(_replicas(obj))


def _replicas(obj: K8sObject) -> int | None:
    """``spec.replicas``, 1 when omitted (as the API defaults it), None when not a number."""
    value = obj.spec.get("replicas", 1)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


PREDICATE = define("workload-short", Params, evaluate, kinds=KINDS, facts=("counts", "pods", "stuck"))
