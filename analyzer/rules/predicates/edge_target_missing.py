"""edge-target-missing: an object names another object (by an edge of the given kind) that is
not in the snapshot, although the snapshot holds that kind in that namespace.

Used by: hpa-target-missing (edge ``scales``). A target whose name is derived from a custom
resource's name is info (``target`` says which and why): its controller probably creates it at
run time (``analyzer.rules.operators``).
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from analyzer.graph import EDGE_SOURCES, EdgeKind, SnapshotGraph
from analyzer.model import K8sObject
from analyzer.rules.finding import Severity
from analyzer.rules.kinds import Kinds
from analyzer.rules.operators import name_origin
from analyzer.rules.predicates.base import Gap, Hit, Outcome, PredicateParams, define


class Params(PredicateParams):
    edge: EdgeKind = Field(description="Which edge family to follow, e.g. scales.")


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    for edge in graph.edges_from(subject, params.edge):
        if not edge.missing:
            continue
        target = edge.target
        if not graph.covers(target.group, target.kind, target.namespace):
            yield Gap(target.kind, target.namespace)
            continue
        facts = {"target": target.display(), "target_kind": target.kind, "target_name": target.name}
        origin = name_origin(graph, target.name, target.namespace, subject)
        if origin is not None:
            related = (target,) if origin.resource is None else (target, origin.resource.ref)
            yield Hit(
                {**facts, "target": f"{target.display()} ({origin.describe()})"}, related, Severity.INFO
            )
            continue
        yield Hit(facts, (target,))


def judged_kinds(params: Params) -> Kinds:
    """The kinds edges of ``params.edge`` leave from."""
    return Kinds.of(EDGE_SOURCES[params.edge])


PREDICATE = define(
    "edge-target-missing",
    Params,
    evaluate,
    kinds=judged_kinds,
    facts=("target", "target_kind", "target_name"),
)
