"""hpa-requests-missing: a HorizontalPodAutoscaler scales on the utilisation of a resource that
containers of its target do not request, so it cannot compute a utilisation at all.

Used by: hpa-target-without-requests.

Utilisation is usage divided by request, summed over the pod's containers: the autoscaler
reports ``missing request for cpu`` and does not scale when one container has none. Which
utilisations an HPA reads: ``metrics[]`` of type ``Resource`` with ``target.type:
Utilization`` (autoscaling/v2; ``targetAverageUtilization`` in v2beta1) and ``ContainerResource``
(one named container only); ``targetCPUUtilizationPercentage`` (autoscaling/v1); and an HPA with
no metric at all scales on 80 % CPU utilisation (both versions' default).

A container requests a resource when ``resources.requests`` names it, when ``resources.limits``
does (the request defaults to the limit) or when a ``LimitRange`` of the namespace gives
containers a ``defaultRequest`` or ``default`` for it. Regular containers only: init containers
are not counted, and sidecars (restartable init containers) are left out of the judgement. A
missing target is ``hpa-target-missing``'s finding; a target without a pod template (a custom
scalable resource) is not judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.graph import EdgeKind, SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.objects import as_dict, as_list
from analyzer.rules.kinds import Kinds
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define

V1_METRICS = "autoscaling.alpha.kubernetes.io/metrics"
DEFAULT_RESOURCE = "cpu"
"""What an autoscaler without metrics scales on (80 % average CPU utilisation)."""


class Params(PredicateParams):
    pass


def utilisations(hpa: K8sObject) -> list[tuple[str, str | None]]:
    """(resource, container or None for all) of each utilisation target the HPA reads."""
    spec = hpa.spec
    if hpa.ref.api_version.endswith("/v1"):
        if "targetCPUUtilizationPercentage" not in spec and V1_METRICS in hpa.annotations:
            return []  # v2 metrics written into a v1 object: not read here
        return [(DEFAULT_RESOURCE, None)]  # targetCPUUtilizationPercentage, or its default
    metrics = [as_dict(m) for m in as_list(spec.get("metrics"))]
    if not metrics:
        return [(DEFAULT_RESOURCE, None)]
    found: list[tuple[str, str | None]] = []
    for metric in metrics:
        kind = metric.get("type")
        if kind == "Resource":
            source, container = as_dict(metric.get("resource")), None
        elif kind == "ContainerResource":
            source = as_dict(metric.get("containerResource"))
            container = source.get("container")
            if not isinstance(container, str):
                continue
        else:
            continue
        name = source.get("name")
        target = as_dict(source.get("target"))
        by_utilisation = target.get("type") == "Utilization" or "targetAverageUtilization" in source
        if isinstance(name, str) and by_utilisation and (name, container) not in found:
            found.append((name, container))
    return found


def _defaulted(graph: SnapshotGraph, namespace: str | None) -> set[str]:
    """Resources a LimitRange of the namespace gives every container a request for."""
    found: set[str] = set()
    for limit_range in graph.of_kind("", "LimitRange", namespace):
        for limit in as_list(limit_range.spec.get("limits")):
            limit = as_dict(limit)
            if limit.get("type", "Container") == "Container":
                found.update(as_dict(limit.get("defaultRequest")))
                found.update(as_dict(limit.get("default")))
    return found


def _requests(container: dict[str, object], resource: str) -> bool:
    resources = as_dict(container.get("resources"))
    return resource in as_dict(resources.get("requests")) or resource in as_dict(resources.get("limits"))


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    wanted = utilisations(subject)
    if not wanted:
        return
    for target in graph.targets(subject, EdgeKind.SCALES):
        template = graph.template_of(target)
        if template is None:
            continue
        defaulted = _defaulted(graph, target.namespace)
        containers = [as_dict(c) for c in as_list(template.spec.get("containers"))]
        problems: list[str] = []
        for resource, only in wanted:
            if resource in defaulted:
                continue
            judged = [c for c in containers if only is None or c.get("name") == only]
            lacking = [str(c.get("name", "?")) for c in judged if not _requests(c, resource)]
            if lacking:
                which = "container {} requests" if len(lacking) == 1 else "containers {} request"
                problems.append(
                    f"{resource} utilisation, but {which.format(', '.join(lacking))} no {resource}"
                )
        if problems:
            facts = {"target": f"{target.kind} {target.name}", "problems": "; on ".join(problems)}
            yield Hit(facts, (target.ref,), because_of=(target.ref,))


PREDICATE = define(
    "hpa-requests-missing",
    Params,
    evaluate,
    kinds=Kinds.of([("autoscaling", "HorizontalPodAutoscaler")]),
    facts=("target", "problems"),
)
