"""namespace-isolation: a namespace whose workloads' pods no NetworkPolicy selects (they accept
connections from every pod of the cluster).

Used by: namespace-without-networkpolicy.

One finding per namespace, listing the workloads: on its Namespace object, or, when the
snapshot holds none (a render installed with ``-n``), on the first of those workloads by kind
and name. Workloads are the tops of owner chains (a Deployment, not its ReplicaSets and Pods);
a pod on the host network (NetworkPolicy does not govern it), a finished Pod and a bare
PodTemplate are not counted.

Coverage: a render or a folder of manifests is the application's desired state, so its
policies would be in it: judged. A live dump (``dumps.is_dump``) is judged when it holds some
NetworkPolicy; without any, it probably did not list them (``kubectl get all`` and
``kubectl cluster-info dump`` do not): a coverage note instead, unless the rule's param
``policies_listed`` says the dump listed them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from pydantic import Field

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.network_policies import host_network
from analyzer.rules.kinds import POD_SPEC_KINDS, Kinds
from analyzer.rules.predicates.base import Gap, Hit, Outcome, PredicateParams, define
from analyzer.rules.predicates.dumps import is_dump

NETWORK_POLICY = ("networking.k8s.io", "NetworkPolicy")
NAMED = 5


class Params(PredicateParams):
    policies_listed: bool = Field(
        False,
        description="The dump listed NetworkPolicies although it holds none (kubectl get "
        "networkpolicies -A found nothing): judge its namespaces instead of a coverage note.",
    )


@dataclass(frozen=True, slots=True)
class Isolation:
    workloads: int
    """The namespace's workloads (tops of owner chains, pods NetworkPolicies govern)."""
    open: tuple[K8sObject, ...]
    """Those whose pods no NetworkPolicy selects, by kind and name."""


_CACHE: WeakKeyDictionary[SnapshotGraph, dict[str | None, Isolation]] = WeakKeyDictionary()


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    if subject.kind == "Namespace":
        namespace: str | None = subject.name
    else:
        namespace = subject.namespace
        if graph.get(("", "Namespace", None, namespace or "")) is not None:
            return  # judged on the Namespace
    found = isolation(graph, namespace)
    if not found.open or (subject.kind != "Namespace" and found.open[0] is not subject):
        return
    if not params.policies_listed and not graph.covers(*NETWORK_POLICY) and is_dump(graph):
        yield Gap("NetworkPolicy", namespace)
        return
    names = [f"{o.kind} {o.name}" for o in found.open]
    shown = ", ".join(names[:NAMED]) + (f" and {len(names) - NAMED} more" if len(names) > NAMED else "")
    count = len(found.open)
    if count == found.workloads:
        which = {1: f"its workload ({shown})", 2: f"both its workloads ({shown})"}.get(
            count, f"all {count} of its workloads ({shown})"
        )
    else:
        which = f"{count} of its {found.workloads} workloads ({shown})"
    yield Hit({"namespace": namespace or "", "workloads": which}, tuple(o.ref for o in found.open))


def isolation(graph: SnapshotGraph, namespace: str | None) -> Isolation:
    """The namespace's workloads and those no NetworkPolicy selects (computed once per graph)."""
    cache = _CACHE.setdefault(graph, {})
    found = cache.get(namespace)
    if found is None:
        counted = [
            t.owner
            for t in graph.templates_in(namespace, roots_only=True)
            if graph.get(t.owner.ref.key) is t.owner  # a second copy is the first one's (duplicate-object)
            and t.owner.kind != "PodTemplate"
            and not host_network(t.spec)
            and not _finished(t.owner)
        ]
        open_ = [o for o in counted if not any(p.kind == "NetworkPolicy" for p in graph.selected_by(o))]
        open_.sort(key=lambda o: (o.kind, o.name))
        found = cache[namespace] = Isolation(len(counted), tuple(open_))
    return found


def _finished(obj: K8sObject) -> bool:
    return obj.kind == "Pod" and obj.status.get("phase") in ("Succeeded", "Failed")


PREDICATE = define(
    "namespace-isolation",
    Params,
    evaluate,
    kinds=Kinds.of([("", "Namespace"), *(POD_SPEC_KINDS.keys or ())]),
    facts=("namespace", "workloads"),
)
