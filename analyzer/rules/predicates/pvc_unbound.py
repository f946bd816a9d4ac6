"""pvc-unbound: a PersistentVolumeClaim whose ``status.phase`` is Pending or Lost, with its storage
class, requested size and access modes, and who waits for it: the Pods and workloads that name it
(``graph.referrers``) and the StatefulSets whose ``volumeClaimTemplates`` make it.

Used by: pvc-unbound. A Pending claim of a StorageClass with ``volumeBindingMode:
WaitForFirstConsumer`` that no running or pending Pod uses yet waits on purpose: not a hit (only
known when the snapshot holds that StorageClass). A claim without ``status`` is not judged.

Example: claim ``data-db-0`` Pending, class ``fast``, 10Gi, ReadWriteOnce, made by StatefulSet
``db`` and named by Pod ``db-0`` gives facts ``phase="Pending"``, ``details="storage class fast,
10Gi, ReadWriteOnce"``, ``waiting="Pod db-0 and StatefulSet db (volumeClaimTemplate data) wait
for it"``, with its ProvisioningFailed and FailedBinding Events as evidence (and the first waiting
Pod's latest FailedScheduling or FailedMount Event).
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject, ObjectRef
from analyzer.model.objects import as_dict, as_list
from analyzer.model.status import phase, pod_terminal
from analyzer.rules.kinds import Kinds
from analyzer.rules.predicates import evidence
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define

UNBOUND = ("Pending", "Lost")
CLAIM_EVENTS = ("ProvisioningFailed", "FailedBinding", "ClaimLost", "ClaimMisbound")
POD_EVENTS = ("FailedScheduling", "FailedMount", "FailedAttachVolume")
"""Events of the first waiting Pod quoted too (``pod has unbound immediate PersistentVolumeClaims``)."""
BETA_CLASS = "volume.beta.kubernetes.io/storage-class"
NAMED = 4
"""Waiting objects named in the message; the others are counted."""


class Params(PredicateParams):
    pass


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    state = phase(subject)
    if state not in UNBOUND:
        return
    pods, workloads = _users(subject, graph)
    waiting_pods = [p for p in pods if not pod_terminal(p)]
    class_name = _class_name(subject)
    if state == "Pending" and not waiting_pods and _waits_for_consumer(graph, class_name):
        return
    makers = graph.claim_templates(subject)
    named = [f"Pod {p.name}" for p in waiting_pods]
    named += [f"{w.kind} {w.name}" for w in workloads]
    named += [f"StatefulSet {sts.name} (volumeClaimTemplate {tpl})" for sts, tpl in makers]
    yield Hit(
        {
            "phase": state,
            "details": _details(subject, graph, class_name) + _lost_volume(subject, state),
            "waiting": _waiting(named),
        },
        related=tuple(dict.fromkeys([*(p.ref for p in waiting_pods), *(w.ref for w in workloads)]))
        + tuple(dict.fromkeys(sts.ref for sts, _ in makers)),
        evidence=evidence.events(graph, subject, CLAIM_EVENTS)
        + (evidence.events(graph, waiting_pods[0], POD_EVENTS, limit=1, other=True) if waiting_pods else ()),
    )


def _users(claim: K8sObject, graph: SnapshotGraph) -> tuple[list[K8sObject], list[K8sObject]]:
    """The Pods naming the claim, and the root workloads naming it (not their ReplicaSets)."""
    pods: list[K8sObject] = []
    workloads: dict[ObjectRef, K8sObject] = {}
    for edge in graph.referrers(claim):
        user = edge.source_obj
        if user is None:
            continue
        if user.kind == "Pod" and user.ref.group == "":
            pods.append(user)
        else:
            root = graph.root_of(user)
            workloads.setdefault(root.ref, root)
    return list({p.ref: p for p in pods}.values()), list(workloads.values())


def _class_name(claim: K8sObject) -> str | None:
    """``spec.storageClassName`` (or the beta annotation); None when neither is written."""
    name = claim.spec.get("storageClassName")
    if name is None:
        name = claim.annotations.get(BETA_CLASS)
    return None if name is None else str(name)


def _waits_for_consumer(graph: SnapshotGraph, class_name: str | None) -> bool:
    if not class_name:
        return False
    found = graph.get(("storage.k8s.io", "StorageClass", None, class_name))
    return found is not None and found.raw.get("volumeBindingMode") == "WaitForFirstConsumer"


def _details(claim: K8sObject, graph: SnapshotGraph, class_name: str | None) -> str:
    if class_name is None:
        where = "the default class"
    elif class_name == "":
        where = 'no storage class ("": only pre-provisioned volumes without a class)'
    else:
        where = f"storage class {class_name}"
        known = graph.covers("storage.k8s.io", "StorageClass")
        if known and graph.get(("storage.k8s.io", "StorageClass", None, class_name)) is None:
            where += " (not in the snapshot)"
    size = as_dict(as_dict(claim.spec.get("resources")).get("requests")).get("storage")
    modes = [str(m) for m in as_list(claim.spec.get("accessModes")) if isinstance(m, str)]
    parts = [where, str(size) if size is not None else "no size requested"]
    parts.append("/".join(modes) if modes else "no access mode")
    return ", ".join(parts)


def _lost_volume(claim: K8sObject, state: str) -> str:
    volume = claim.spec.get("volumeName")
    if state == "Lost" and isinstance(volume, str) and volume:
        return f"; its PersistentVolume {volume} is gone"
    return ""


def _waiting(named: list[str]) -> str:
    if not named:
        return "no pod of the snapshot uses it"
    shown = named[:NAMED]
    more = len(named) - len(shown)
    listed = ", ".join(shown[:-1]) + (" and " if len(shown) > 1 else "") + shown[-1]
    if more:
        listed = ", ".join(shown) + f" and {more} more"
    verb = "waits" if len(named) == 1 else "wait"
    return f"{listed} {verb} for it"


PREDICATE = define(
    "pvc-unbound",
    Params,
    evaluate,
    kinds=Kinds.of([("", "PersistentVolumeClaim")]),
    facts=("phase", "details", "waiting"),
)
