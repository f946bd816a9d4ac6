"""helm-missing-object: the counted, deployed revision of a Helm release declares an object in
its manifest that the snapshot does not hold. Judged on the release record (the Secret or
ConfigMap ``sh.helm.release.v1.<release>.v<N>``); an object whose kind the snapshot does not
cover in its namespace is a Gap, never a hit; superseded and failed revisions say nothing.

Used by: helm-release-object-missing. Facts: ``release``, ``revision``, ``missing``
(``ConfigMap monitoring/prometheus-rules``), ``template`` (``prometheus/templates/rules.yaml``).
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.helm_releases import HelmRelease, counted
from analyzer.rules.kinds import Kinds
from analyzer.rules.predicates.base import Gap, Hit, Outcome, PredicateParams, define

RECORD_PREFIX = "sh.helm.release.v1."
DEPLOYED = "deployed"


class Params(PredicateParams):
    pass


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    if not subject.name.startswith(RECORD_PREFIX):
        return
    release = _counted_release_of(subject, graph)
    if release is None or release.status != DEPLOYED:
        return
    for declared in release.objects:
        ref = declared.ref
        if graph.get(ref.key) is not None:
            continue
        if not graph.covers(ref.group, ref.kind, ref.namespace):
            yield Gap(ref.kind, ref.namespace)
            continue
        where = f"{ref.namespace}/{ref.name}" if ref.namespace else ref.name
        yield Hit(
            {
                "release": release.name,
                "revision": str(release.revision),
                "missing": f"{ref.kind} {where}",
                "template": declared.helm_source or "unknown",
            },
            related=(ref,),
        )


def _counted_release_of(record: K8sObject, graph: SnapshotGraph) -> HelmRelease | None:
    """The release when ``record`` holds its counted revision, else None (history). Looked up by
    the name in ``sh.helm.release.v1.<name>.v<N>``; by scan when the release JSON names another
    namespace than the record's."""
    name = record.name.removeprefix(RECORD_PREFIX).rpartition(".v")[0]
    history = graph.release_history(record.namespace or "", name)
    if not any(r.record == record.ref for r in history):
        return next((r for r in graph.releases() if r.record == record.ref), None)
    current = counted(history)[-1]
    return current if current.record == record.ref else None


PREDICATE = define(
    "helm-missing-object",
    Params,
    evaluate,
    kinds=Kinds.of([("", "Secret"), ("", "ConfigMap")]),
    facts=("release", "revision", "missing", "template"),
)
