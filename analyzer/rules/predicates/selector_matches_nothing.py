"""selector-matches-nothing: a Service, PodDisruptionBudget or NetworkPolicy whose selector
matches no Pod and no pod template of its namespace.

Used by: service-selector-matches-nothing, pdb-selects-nothing, networkpolicy-selects-nothing.

An empty selector means what Kubernetes says for the kind (see ``model.selectors``): a Service
without selector has manual endpoints and is never reported; an empty NetworkPolicy or
policy/v1 PDB selector selects every pod. When the pods could be made at run time by the
controller of a custom resource of the input (``analyzer.rules.operators``), the hit is info.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from pydantic import Field

from analyzer.graph import EDGE_SOURCES, EdgeKind, SnapshotGraph
from analyzer.model import K8sObject, ObjectRef
from analyzer.model.selectors import Selector, label_diff, object_selector, similar_value
from analyzer.model.workloads import PodTemplate
from analyzer.rules.finding import Severity
from analyzer.rules.kinds import Kinds
from analyzer.rules.operators import selector_origin
from analyzer.rules.predicates.base import Gap, Hit, Outcome, PredicateParams, define


class Params(PredicateParams):
    explain_closest: bool = Field(True, description="Name the closest workload and the label difference.")
    report_empty: bool = Field(
        True,
        description="Report a selector that is empty where the kind reads empty as nothing "
        "(false for Services: no selector means endpoints are managed by hand).",
    )


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    selector = object_selector((subject.ref.group, subject.kind), subject.ref.api_version, subject.spec)
    if selector is None or selector.selects_all:
        return
    if selector.is_empty and not params.report_empty:
        return
    if not graph.covers_pods(subject.namespace):
        yield Gap("workloads", subject.namespace)
        return
    if graph.selected(subject):
        return
    origin = selector_origin(graph, selector, subject.namespace, subject)
    if origin is not None:
        owner = () if origin.resource is None else (origin.resource.ref,)
        yield Hit(
            {"selector": selector.describe(), "closest": f"; {origin.describe()}"}, owner, Severity.INFO
        )
        return
    closest, related = "", tuple[ObjectRef, ...]()
    if params.explain_closest:
        candidate = _closest(graph, selector, subject)
        if candidate is not None:
            diff = "; ".join(label_diff(selector, candidate.labels))
            whose = "whose labels are" if candidate.is_pod else "whose pods carry"
            closest = f"; closest: {candidate.owner.kind} {candidate.owner.name}, {whose} {diff}"
            related = (candidate.owner.ref,)
    yield Hit({"selector": selector.describe(), "closest": closest}, related)


def _closest(graph: SnapshotGraph, selector: Selector, subject: K8sObject) -> PodTemplate | None:
    """The root workload of the namespace whose labels come nearest the selector; among equals,
    the one whose name is nearest the subject's, then the first by name."""
    wanted = selector.equalities()
    top, nearest = 0, list[PodTemplate]()
    for tpl in graph.templates_in(subject.namespace, roots_only=True):
        values = tpl.labels.values()
        score = 0
        for key, value in wanted.items():
            if tpl.labels.get(key) == value:
                score += 4
            elif value in values:
                score += 3
            elif any(similar_value(v, value) for v in values):
                score += 2
            elif key in tpl.labels:
                score += 1
        if score > top:
            top, nearest = score, [tpl]
        elif score == top and score > 0:
            nearest.append(tpl)
    # The names are compared among the best by labels only (difflib is slow, and a namespace
    # may hold hundreds of workloads).
    ranked = (
        (-difflib.SequenceMatcher(None, subject.name, t.owner.name).ratio(), t.owner.name, t) for t in nearest
    )
    return min(ranked, key=lambda r: r[:2], default=(0.0, "", None))[2]


PREDICATE = define(
    "selector-matches-nothing",
    Params,
    evaluate,
    kinds=Kinds.of(EDGE_SOURCES[EdgeKind.SELECTS]),
    facts=("selector", "closest"),
)
