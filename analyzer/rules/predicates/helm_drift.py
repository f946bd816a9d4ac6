"""helm-drift: a live object differs from the form the counted revision of its Helm release
rendered, in the fields that matter for the graph (:mod:`analyzer.model.drift`). The hit is an
error when a selector or pod template labels differ (the set of selected pods changes), else
the rule's severity; replicas are not compared when an autoscaler scales the object (or may:
the snapshot holds no HorizontalPodAutoscaler at all).

Used by: helm-release-drift. Facts: ``differences`` (``selector is app=x, release web rev 3
rendered app.kubernetes.io/name=x``; several joined by ``; ``), ``release``, ``revision``.
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.graph import EdgeKind, SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.drift import changes_selection, differences
from analyzer.model.helm_releases import HelmRelease
from analyzer.model.objects import as_dict
from analyzer.model.workloads import TEMPLATE_PATHS
from analyzer.rules.finding import Severity
from analyzer.rules.kinds import Kinds
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define

DEPLOYED = "deployed"
HPA = ("autoscaling", "HorizontalPodAutoscaler")


class Params(PredicateParams):
    pass


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    release = graph.release_of(subject)
    if release is None or release.status != DEPLOYED:
        return
    rendered = graph.rendered(subject)
    if rendered is None:
        return
    scaled = _autoscaled(subject, graph, release)
    found = differences(subject, rendered, scaled=scaled)
    if not found:
        return
    yield Hit(
        {
            "differences": "; ".join(d.describe(release.name, release.revision) for d in found),
            "release": release.name,
            "revision": str(release.revision),
        },
        related=(release.record,),
        severity=Severity.ERROR if changes_selection(found) else None,
    )


def _autoscaled(subject: K8sObject, graph: SnapshotGraph, release: HelmRelease) -> bool:
    """May an autoscaler own ``subject``'s replicas? Yes when an HPA of the snapshot or of the
    release's manifest scales it, and when the snapshot holds no HPA at all to tell (a
    ``kubectl cluster-info dump`` holds none): replicas are then not compared."""
    if graph.sources(subject, EdgeKind.SCALES):
        return True
    if not graph.covers(*HPA):
        return True
    return any(_scales(o, subject) for o in release.objects)


def _scales(hpa: K8sObject, subject: K8sObject) -> bool:
    if (hpa.ref.group, hpa.ref.kind) != HPA or hpa.namespace != subject.namespace:
        return False
    target = as_dict(hpa.spec.get("scaleTargetRef"))
    return target.get("kind") == subject.kind and target.get("name") == subject.name


PREDICATE = define(
    "helm-drift",
    Params,
    evaluate,
    kinds=Kinds.of([("", "Service"), ("", "Pod"), *(k for k in TEMPLATE_PATHS if k != ("", "PodTemplate"))]),
    facts=("differences", "release", "revision"),
)
