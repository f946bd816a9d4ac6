"""HorizontalPodAutoscalers and PodDisruptionBudgets."""

from __future__ import annotations

from collections.abc import Mapping

from kubefactory.meta import Obj


def cpu_autoscaler(
    metadata: Obj,
    *,
    deployment: str,
    min_replicas: int,
    max_replicas: int,
    replicas: int,
    utilisation: int,
    conditions: list[Obj] | None = None,
    last_scale: str | None = None,
) -> Obj:
    """An ``autoscaling/v2`` HorizontalPodAutoscaler of Deployment ``deployment`` aiming at 70 %
    of the pods' CPU request, at ``replicas`` pods using ``utilisation`` % of it; ``last_scale``:
    when it last changed the Deployment's replicas."""
    status: Obj = {} if conditions is None else {"conditions": conditions}
    status.update(
        currentMetrics=[
            {
                "resource": {
                    "current": {"averageUtilization": utilisation, "averageValue": f"{utilisation}m"},
                    "name": "cpu",
                },
                "type": "Resource",
            }
        ],
        currentReplicas=replicas,
        desiredReplicas=replicas,
    )
    if last_scale:
        status["lastScaleTime"] = last_scale
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": metadata,
        "spec": {
            "maxReplicas": max_replicas,
            "metrics": [
                {
                    "resource": {"name": "cpu", "target": {"averageUtilization": 70, "type": "Utilization"}},
                    "type": "Resource",
                }
            ],
            "minReplicas": min_replicas,
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": deployment},
        },
        "status": status,
    }


def disruption_budget(metadata: Obj, *, selector: Mapping[str, str], min_available: int, pods: int) -> Obj:
    """A PodDisruptionBudget keeping ``min_available`` of the ``pods`` it selects (all healthy)."""
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": metadata,
        "spec": {"minAvailable": min_available, "selector": {"matchLabels": dict(selector)}},
        "status": {
            "currentHealthy": pods,
            "desiredHealthy": min_available,
            "disruptionsAllowed": pods - min_available,
            "expectedPods": pods,
            "observedGeneration": 1,
        },
    }


def autoscaler_conditions(since: str, *, too_few: bool = False) -> list[Obj]:
    """The conditions of a HorizontalPodAutoscaler working as it should since ``since``;
    ``too_few``: held at its ``minReplicas`` (it would go lower: ``ScalingLimited`` True)."""
    limited = (
        ("True", "TooFewReplicas", "the desired replica count is less than the minimum replica count")
        if too_few
        else ("False", "DesiredWithinRange", "the desired count is within the acceptable range")
    )
    return [
        {
            "lastTransitionTime": since,
            "message": "recommended size matches current size",
            "reason": "ReadyForNewScale",
            "status": "True",
            "type": "AbleToScale",
        },
        {
            "lastTransitionTime": since,
            "message": "the HPA was able to successfully calculate a replica count from cpu resource "
            "utilization (percentage of request)",
            "reason": "ValidMetricFound",
            "status": "True",
            "type": "ScalingActive",
        },
        {
            "lastTransitionTime": since,
            "message": limited[2],
            "reason": limited[1],
            "status": limited[0],
            "type": "ScalingLimited",
        },
    ]
