"""Helm releases of the snapshot: every revision decoded from the dump's release records, which
one counts, and which objects say they belong to a release.

The revision that counts for a release (namespace, name) is its latest ``deployed`` one; when
none is deployed, its latest, so that a failed first install still shows. Revisions 1
superseded, 2 deployed, 3 failed: revision 2 counts; revisions 1 and 2 failed: revision 2.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain

from analyzer.load.types import HelmRecord, Location, RawObject
from analyzer.model.objects import K8sObject
from analyzer.model.refs import ObjectKey, ObjectRef

RELEASE_NAME = "meta.helm.sh/release-name"
RELEASE_NAMESPACE = "meta.helm.sh/release-namespace"
MANAGED_BY = "app.kubernetes.io/managed-by"
CHART_LABEL = "helm.sh/chart"


@dataclass(frozen=True, slots=True)
class HelmRelease:
    """One revision of a Helm release, as its storage record in the dump says."""

    name: str
    namespace: str
    revision: int
    status: str
    """deployed, superseded, failed, uninstalling, pending-install, ..."""
    chart: str
    """The chart's name."""
    chart_version: str
    app_version: str
    objects: tuple[K8sObject, ...]
    """The rendered manifest's objects, namespace defaulted to the release namespace (cluster-scoped
    kinds none), each with its template (``helm_source``); Secret values redacted."""
    record: ObjectRef
    """The Secret or ConfigMap holding the release."""
    location: Location | None
    """Where that record was read."""

    @property
    def key(self) -> tuple[str, str]:
        """(namespace, name): the release's identity across revisions."""
        return (self.namespace, self.name)


ToObject = Callable[[RawObject, str], K8sObject]
"""A loaded object -> a snapshot object, namespaced in the given namespace when it names none."""


def build_releases(records: Iterable[tuple[HelmRecord, K8sObject]], to_object: ToObject) -> list[HelmRelease]:
    """Every decoded revision, from each record and the object (Secret or ConfigMap) holding it,
    sorted by namespace, name and revision. The release's namespace is the record's when the
    release JSON names none."""
    releases = []
    for record, holder in records:
        namespace = record.namespace or holder.namespace or ""
        releases.append(
            HelmRelease(
                name=record.name,
                namespace=namespace,
                revision=record.revision,
                status=record.status,
                chart=record.chart,
                chart_version=record.chart_version,
                app_version=record.app_version,
                objects=tuple(to_object(raw, namespace) for raw in record.objects),
                record=holder.ref,
                location=holder.location,
            )
        )
    return sorted(releases, key=lambda r: (r.namespace, r.name, r.revision))


def counted(releases: Iterable[HelmRelease]) -> list[HelmRelease]:
    """The revision that counts for each release, by (namespace, name): the latest deployed one,
    else the latest one."""
    by_release: dict[tuple[str, str], list[HelmRelease]] = defaultdict(list)
    for release in releases:
        by_release[release.key].append(release)
    chosen = []
    for key in sorted(by_release):
        revisions = sorted(by_release[key], key=lambda r: r.revision)
        deployed = [r for r in revisions if r.status == "deployed"]
        chosen.append((deployed or revisions)[-1])
    return chosen


def claims_release(obj: K8sObject) -> tuple[str, str] | None:
    """(namespace, name) of the release ``obj``'s ``meta.helm.sh/release-name`` and
    ``-namespace`` annotations name (the object's own namespace when the second is absent)."""
    annotations = obj.annotations
    name = annotations.get(RELEASE_NAME)
    if not name:
        return None
    namespace = annotations.get(RELEASE_NAMESPACE) or obj.namespace
    return (namespace, name) if namespace else None


def helm_managed(obj: K8sObject) -> bool:
    """Does ``obj`` say it belongs to a Helm release (``app.kubernetes.io/managed-by: Helm``, a
    ``helm.sh/chart`` label, or the ``meta.helm.sh/*`` annotations)?"""
    labels = obj.labels
    return labels.get(MANAGED_BY) == "Helm" or CHART_LABEL in labels or claims_release(obj) is not None


class ReleaseIndex:
    """The releases of a snapshot, indexed once: the counted revision of each, the history of
    each, and which counted release renders an object of a given identity."""

    def __init__(self, releases: Iterable[HelmRelease]) -> None:
        self.history: dict[tuple[str, str], list[HelmRelease]] = defaultdict(list)
        for release in sorted(releases, key=lambda r: (r.namespace, r.name, r.revision)):
            self.history[release.key].append(release)
        self.counted = counted(chain.from_iterable(self.history.values()))
        self._by_key = {r.key: r for r in self.counted}
        self._rendering: dict[ObjectKey, tuple[HelmRelease, K8sObject]] = {}
        for release in self.counted:
            for obj in release.objects:
                self._rendering.setdefault(obj.ref.key, (release, obj))

    def get(self, namespace: str, name: str) -> HelmRelease | None:
        """The counted revision of release ``name`` in ``namespace``."""
        return self._by_key.get((namespace, name))

    def rendering(self, key: ObjectKey) -> tuple[HelmRelease, K8sObject] | None:
        """The counted release whose manifest holds an object of identity ``key``, and that object."""
        return self._rendering.get(key)
