"""ingress-class-missing: an Ingress naming an IngressClass (``spec.ingressClassName``, else the
deprecated ``kubernetes.io/ingress.class`` annotation; the API server refuses both at once)
that the snapshot does not hold, where the snapshot holds IngressClasses.

Used by: ingress-class-missing. A snapshot without any IngressClass (a render, a chart) says
nothing of the cluster's classes: not judged, silently. An Ingress without a class is served by
the default class, if any: not judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.rules.kinds import Kinds
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define

ANNOTATION = "kubernetes.io/ingress.class"
GROUP = "networking.k8s.io"


class Params(PredicateParams):
    pass


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    classes = sorted(c.name for c in graph.of_kind(GROUP, "IngressClass"))
    if not classes:
        return
    if "ingressClassName" in subject.spec:
        name, field, path = subject.spec["ingressClassName"], "spec.ingressClassName", "spec.ingressClassName"
    else:
        name, field = subject.annotations.get(ANNOTATION), f"annotation {ANNOTATION}"
        path = f"metadata.annotations['{ANNOTATION}']"
    if not isinstance(name, str) or not name or name in classes:
        return
    yield Hit({"class": name, "field": field, "classes": ", ".join(classes)}, path=path)


PREDICATE = define(
    "ingress-class-missing",
    Params,
    evaluate,
    kinds=Kinds.of([(GROUP, "Ingress"), ("extensions", "Ingress")]),
    facts=("class", "field", "classes"),
)
