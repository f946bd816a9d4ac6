"""duplicate-identity: two or more documents define the same object (API group, kind,
namespace, name); ``kubectl apply`` would keep only the last one.

Used by: duplicate-object. Reported once, on the first copy, naming every place.
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.rules.kinds import ANY_KIND
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define


class Params(PredicateParams):
    pass


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    copies = graph.copies(subject)
    if len(copies) < 2 or copies[0] is not subject:
        return
    places = ", ".join(f"{c.location.file}:{c.location.line or '?'}" for c in copies)
    yield Hit({"copies": str(len(copies)), "places": places})


PREDICATE = define("duplicate-identity", Params, evaluate, kinds=ANY_KIND, facts=("copies", "places"))
