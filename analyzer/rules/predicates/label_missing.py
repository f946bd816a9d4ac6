"""label-missing: an object lacks a label, or carries it with a value outside the allowed list.

Used by user rules such as "every Deployment carries label team" (see docs/writing-rules.md).
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.rules.kinds import ANY_KIND
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define


class Params(PredicateParams):
    label: str = Field(description="The label key that must be present.")
    values: list[str] = Field([], description="Allowed values; empty means any value.")


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    value = subject.labels.get(params.label)
    allowed = ", ".join(params.values) or "any"
    if value is None:
        yield Hit({"label": params.label, "value": "<absent>", "allowed": allowed})
    elif params.values and value not in params.values:
        yield Hit({"label": params.label, "value": value, "allowed": allowed})


PREDICATE = define("label-missing", Params, evaluate, kinds=ANY_KIND, facts=("label", "value", "allowed"))
