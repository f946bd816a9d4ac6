"""hpa-not-scaling: a HorizontalPodAutoscaler whose ``AbleToScale`` or ``ScalingActive`` condition
is False, with reason and message; because of its scale target (a finding there explains it) and,
when that target is missing, of the autoscaler itself (its hpa-target-missing finding).

Used by: hpa-not-scaling. Conditions come from ``status.conditions`` (autoscaling/v2) or, for an
autoscaling/v1 object, from the JSON of the ``autoscaling.alpha.kubernetes.io/conditions``
annotation. ``ScalingLimited`` is not a failure (the autoscaler works and hit its bounds), nor is
``ScalingActive=False`` with reason ``ScalingDisabled`` (the target was scaled to zero on purpose).

Example: an HPA of Deployment ``api`` with ``ScalingActive=False`` (FailedGetResourceMetric: the
HPA was unable to compute the replica count: failed to get cpu utilization) gives facts
``target="Deployment api"``, ``conditions="ScalingActive=False (FailedGetResourceMetric: the HPA
was unable to compute the replica count: failed to get cpu utilization)"``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from analyzer.graph import EdgeKind, SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.status import Condition, conditions, conditions_in
from analyzer.rules.kinds import Kinds
from analyzer.rules.predicates import evidence
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define

V1_CONDITIONS = "autoscaling.alpha.kubernetes.io/conditions"
CHECKED = ("AbleToScale", "ScalingActive")
DELIBERATE = frozenset({"ScalingDisabled"})
"""Reasons of a False condition that say the autoscaler was switched off on purpose."""
HPA_EVENTS = (
    "FailedGetScale",
    "FailedGetResourceMetric",
    "FailedGetPodsMetric",
    "FailedGetObjectMetric",
    "FailedGetExternalMetric",
    "FailedGetContainerResourceMetric",
    "FailedComputeMetricsReplicas",
    "FailedRescale",
    "FailedUpdateStatus",
    "InvalidSelector",
    "AmbiguousSelector",
    "SelectorRequired",
    "InvalidMetricSourceType",
)


class Params(PredicateParams):
    pass


def hpa_conditions(hpa: K8sObject) -> dict[str, Condition]:
    """``status.conditions``, else those of the autoscaling/v1 annotation (JSON; unreadable JSON
    gives none)."""
    found = conditions(hpa)
    if found:
        return found
    text = hpa.annotations.get(V1_CONDITIONS)
    if not text:
        return {}
    try:
        return conditions_in(json.loads(text))
    except (ValueError, RecursionError):
        return {}


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    found = hpa_conditions(subject)
    failing = [
        found[kind]
        for kind in CHECKED
        if kind in found and found[kind].status == "False" and found[kind].reason not in DELIBERATE
    ]
    if not failing:
        return
    edges = list(graph.edges_from(subject, EdgeKind.SCALES))
    targets = [edge.target for edge in edges]
    # A missing target is reported on the autoscaler itself (hpa-target-missing): that explains it.
    causes = [*targets, subject.ref] if any(edge.missing for edge in edges) else targets
    target = f"{targets[0].kind} {targets[0].name}" if targets else "its scale target"
    said = "; ".join(_describe(c) for c in failing)
    yield Hit(
        {"target": target, "conditions": said},
        related=tuple(targets),
        evidence=tuple(evidence.condition(c) for c in failing) + evidence.events(graph, subject, HPA_EVENTS),
        because_of=tuple(causes),
    )


def _describe(condition: Condition) -> str:
    said = ": ".join(p for p in (condition.reason, evidence.trim(condition.message)) if p)
    return f"{condition.type}=False" + (f" ({said})" if said else "")


PREDICATE = define(
    "hpa-not-scaling",
    Params,
    evaluate,
    kinds=Kinds.of([("autoscaling", "HorizontalPodAutoscaler")]),
    facts=("target", "conditions"),
)
