"""helm-orphan: an object claims a Helm release (``meta.helm.sh/release-name`` and
``-namespace``) whose record the snapshot does not hold, or whose counted revision's manifest
does not list it. Not judged: objects with an owner (a ReplicaSet inherits its Deployment's
annotations), hooks (``helm.sh/hook``: not part of the manifest), objects Helm keeps on purpose
(``helm.sh/resource-policy: keep``). "No record" needs coverage: the snapshot holds release
records or Secrets in the release's namespace, else a Gap; a record that is there but did not
decode is not "no record".

Used by: helm-orphan-object. Facts: ``release`` (``monitoring/prometheus``), ``problem``.
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.helm_releases import claims_release, counted
from analyzer.rules.kinds import ANY_KIND
from analyzer.rules.predicates.base import Gap, Hit, Outcome, PredicateParams, define

HOOK = "helm.sh/hook"
RESOURCE_POLICY = "helm.sh/resource-policy"
RECORD_PREFIX = "sh.helm.release.v1."


class Params(PredicateParams):
    pass


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    claim = claims_release(subject)
    if claim is None or subject.owner_references():
        return
    annotations = subject.annotations
    if HOOK in annotations or annotations.get(RESOURCE_POLICY) == "keep":
        return
    namespace, name = claim
    history = graph.release_history(namespace, name)
    if not history:
        if _undecoded_record(graph, namespace, name):
            return
        if not any(r.namespace == namespace for r in graph.releases()) and not graph.covers(
            "", "Secret", namespace
        ):
            yield Gap("Secret", namespace)
            return
        yield Hit({"release": f"{namespace}/{name}", "problem": "the dump holds no release record of it"})
        return
    release = counted(history)[-1]
    if any(o.ref.key == subject.ref.key for o in release.objects):
        return
    yield Hit(
        {
            "release": f"{namespace}/{name}",
            "problem": f"its rev {release.revision} manifest does not list it",
        },
        related=(release.record,),
    )


def _undecoded_record(graph: SnapshotGraph, namespace: str, name: str) -> bool:
    """Does the snapshot hold a record of the release (a Secret or ConfigMap by its name) that
    did not decode (corrupt)? Then its absence from the releases says nothing."""
    prefix = f"{RECORD_PREFIX}{name}.v"
    return any(
        o.name.startswith(prefix)
        for kind in ("Secret", "ConfigMap")
        for o in graph.of_kind("", kind, namespace)
    )


PREDICATE = define(
    "helm-orphan",
    Params,
    evaluate,
    kinds=ANY_KIND,
    facts=("release", "problem"),
)
