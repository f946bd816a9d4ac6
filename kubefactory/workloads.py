"""The controllers of pods: Deployments and their ReplicaSets, StatefulSets, DaemonSets."""

from __future__ import annotations

from collections.abc import Mapping

from kubefactory.config import claim_spec
from kubefactory.meta import Obj


def deployment(
    metadata: Obj, *, replicas: int, selector: Mapping[str, str], template: Obj, status: Obj
) -> Obj:
    """A Deployment rolling out 25 % at a time; ``selector``: its ``matchLabels`` (copied)."""
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": metadata,
        "spec": {
            "progressDeadlineSeconds": 600,
            "replicas": replicas,
            "revisionHistoryLimit": 10,
            "selector": {"matchLabels": dict(selector)},
            "strategy": {
                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
                "type": "RollingUpdate",
            },
            "template": template,
        },
        "status": status,
    }


def min_available(replicas: int) -> int:
    """The pods a Deployment rolling out 25 % at a time needs available: ``replicas`` less
    ``maxUnavailable`` (25 %, rounded down)."""
    return replicas - replicas // 4


def deployment_conditions(
    replicaset: str, *, available: bool, created: str, settled: str, deadline: str | None = None
) -> list[Obj]:
    """``Available`` (whether :func:`min_available` pods are: a Deployment at 0 replicas is) and
    ``Progressing`` (ReplicaSet ``replicaset`` rolled out) of a Deployment rolled out from
    ``created`` to ``settled``; ``deadline``: when its rollout of ``replicaset`` passed its
    ``progressDeadlineSeconds`` instead (``Progressing`` False, ``ProgressDeadlineExceeded``)."""
    progressing: Obj = {
        "lastTransitionTime": created,
        "lastUpdateTime": settled,
        "message": f'ReplicaSet "{replicaset}" has successfully progressed.',
        "reason": "NewReplicaSetAvailable",
        "status": "True",
        "type": "Progressing",
    }
    if deadline is not None:
        progressing = {
            "lastTransitionTime": deadline,
            "lastUpdateTime": deadline,
            "message": f'ReplicaSet "{replicaset}" has timed out progressing.',
            "reason": "ProgressDeadlineExceeded",
            "status": "False",
            "type": "Progressing",
        }
    return [
        {
            "lastTransitionTime": settled,
            "lastUpdateTime": settled,
            "message": "Deployment has minimum availability."
            if available
            else "Deployment does not have minimum availability.",
            "reason": "MinimumReplicasAvailable" if available else "MinimumReplicasUnavailable",
            "status": str(available),
            "type": "Available",
        },
        progressing,
    ]


def deployment_status(
    conditions: list[Obj], *, replicas: int, updated: int, ready: int, generation: int = 1
) -> Obj:
    """``replicas``: the pods of all its ReplicaSets, ``updated`` those of the current one,
    ``ready`` those ready (and available); the counts only when it has pods, each only when not 0."""
    status: Obj = {"conditions": conditions, "observedGeneration": generation}
    if replicas:
        status.update(replicas=replicas, updatedReplicas=updated)
        if ready:
            status.update(availableReplicas=ready, readyReplicas=ready)
        if ready < replicas:
            status["unavailableReplicas"] = replicas - ready
    return status


def replicaset_annotations(replicas: int, revision: int) -> dict[str, str]:
    """What a Deployment of ``replicas`` pods notes on its ReplicaSet of ``revision`` (surge 25 %)."""
    return {
        "deployment.kubernetes.io/desired-replicas": str(replicas),
        "deployment.kubernetes.io/max-replicas": str(replicas + max(1, (replicas + 3) // 4)),
        "deployment.kubernetes.io/revision": str(revision),
    }


def replicaset(
    metadata: Obj, *, replicas: int, selector: Mapping[str, str], template: Obj, ready: int
) -> Obj:
    """A Deployment's ReplicaSet with ``replicas`` pods, ``ready`` of them ready."""
    status: Obj = {"fullyLabeledReplicas": replicas} if replicas else {}
    status.update(observedGeneration=1, replicas=replicas)
    if ready:
        status.update(availableReplicas=ready, readyReplicas=ready)
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": metadata,
        "spec": {"replicas": replicas, "selector": {"matchLabels": dict(selector)}, "template": template},
        "status": status,
    }


def claim_template(name: str, size: str, storage_class: str, *, null_timestamp: bool = True) -> Obj:
    """A StatefulSet's volume claim template (``creationTimestamp: null`` as for pod templates)."""
    metadata: Obj = {"creationTimestamp": None} if null_timestamp else {}
    metadata["name"] = name
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": metadata,
        "spec": claim_spec(size, storage_class),
        "status": {"phase": "Pending"},
    }


def statefulset(
    metadata: Obj,
    *,
    replicas: int,
    selector: Mapping[str, str],
    service: str | None,
    template: Obj,
    claims: list[Obj],
    revision: str,
    ready: int,
) -> Obj:
    """A StatefulSet governed by Service ``service``, at ``revision``, ``ready`` pods ready;
    ``claims``: its volume claim templates (none: left out)."""
    spec: Obj = {
        "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
        "podManagementPolicy": "OrderedReady",
        "replicas": replicas,
        "revisionHistoryLimit": 10,
        "selector": {"matchLabels": dict(selector)},
        "serviceName": service,
        "template": template,
        "updateStrategy": {"rollingUpdate": {"partition": 0}, "type": "RollingUpdate"},
    }
    if claims:
        spec["volumeClaimTemplates"] = claims
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": metadata,
        "spec": spec,
        "status": {
            "availableReplicas": ready,
            "collisionCount": 0,
            "currentReplicas": replicas,
            "currentRevision": revision,
            "observedGeneration": 1,
            "readyReplicas": ready,
            "replicas": replicas,
            "updateRevision": revision,
            "updatedReplicas": replicas,
        },
    }


def daemonset(
    metadata: Obj, *, selector: Mapping[str, str], template: Obj, desired: int, scheduled: int, ready: int
) -> Obj:
    """A DaemonSet that should run ``desired`` pods, ``scheduled`` of them placed, ``ready`` ready."""
    status: Obj = {
        "currentNumberScheduled": scheduled,
        "desiredNumberScheduled": desired,
        "numberAvailable": ready,
        "numberMisscheduled": 0,
        "numberReady": ready,
        "observedGeneration": 1,
        "updatedNumberScheduled": desired,
    }
    if ready < desired:
        status["numberUnavailable"] = desired - ready
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": metadata,
        "spec": {
            "revisionHistoryLimit": 10,
            "selector": {"matchLabels": dict(selector)},
            "template": template,
            "updateStrategy": {
                "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1},
                "type": "RollingUpdate",
            },
        },
        "status": status,
    }
