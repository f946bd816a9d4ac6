"""hpa-min-over-max: a HorizontalPodAutoscaler whose ``minReplicas`` (1 when unset) exceeds its
``maxReplicas``: the API server refuses it.

Used by: hpa-min-over-max. Bounds that are not integers (a template that rendered a string)
are not judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.rules.kinds import Kinds
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define


class Params(PredicateParams):
    pass


def _integer(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    low, high = _integer(subject.spec.get("minReplicas", 1)), _integer(subject.spec.get("maxReplicas"))
    if low is not None and high is not None and low > high:
        yield Hit({"min": str(low), "max": str(high)}, path="spec.minReplicas")


PREDICATE = define(
    "hpa-min-over-max",
    Params,
    evaluate,
    kinds=Kinds.of([("autoscaling", "HorizontalPodAutoscaler")]),
    facts=("min", "max"),
)
