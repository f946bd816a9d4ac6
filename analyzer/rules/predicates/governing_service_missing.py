"""governing-service-missing: a StatefulSet's ``spec.serviceName`` names no Service, or one that
is not headless (``clusterIP: None``), so its pods get no stable DNS names
(``<pod>.<service>.<namespace>.svc``).

Used by: statefulset-service-missing. A missing Service whose name is derived from a custom
resource's name is info (``analyzer.rules.operators``).
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.rules.finding import Severity
from analyzer.rules.kinds import Kinds
from analyzer.rules.operators import name_origin
from analyzer.rules.predicates.base import Gap, Hit, Outcome, PredicateParams, define


class Params(PredicateParams):
    pass


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    for edge in graph.references(subject):
        if edge.via != "serviceName":
            continue
        facts = {"service": edge.target.name}
        if edge.target_obj is None:
            if not graph.covers("", "Service", subject.namespace):
                yield Gap("Service", subject.namespace)
                return
            origin = name_origin(graph, edge.target.name, subject.namespace, subject)
            if origin is not None:
                related = (edge.target,) if origin.resource is None else (edge.target, origin.resource.ref)
                problem = f"no such Service is in the input ({origin.describe()})"
                yield Hit({**facts, "problem": problem}, related, Severity.INFO)
                return
            yield Hit({**facts, "problem": "no such Service exists"}, (edge.target,))
        elif edge.target_obj.spec.get("clusterIP") != "None":
            cluster_ip = edge.target_obj.spec.get("clusterIP") or "allocated"
            yield Hit(
                {**facts, "problem": f"that Service is not headless (clusterIP: {cluster_ip})"},
                (edge.target,),
            )


PREDICATE = define(
    "governing-service-missing",
    Params,
    evaluate,
    kinds=Kinds.of([("apps", "StatefulSet")]),
    facts=("service", "problem"),
)
