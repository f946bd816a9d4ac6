"""edge-target-missing: an object names another object (by an edge of the given kind) that is
not in the snapshot, although the snapshot holds that kind in that namespace.

Used by: hpa-target-missing (edge ``scales``).
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from analyzer.graph import EDGE_SOURCES, EdgeKind, SnapshotGraph
from analyzer.model import K8sObject
from analyzer.rules.kinds import Kinds
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
