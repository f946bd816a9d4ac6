"""Snapshot: every object of a run, indexed by identity, kind and labels, with its coverage."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from analyzer.load.types import LoadResult, RawObject
from analyzer.model.helm_releases import HelmRelease, build_releases
from analyzer.model.objects import K8sObject, as_dict
from analyzer.model.refs import CLUSTER_SCOPED, ObjectKey, ObjectRef, api_group
from analyzer.model.selectors import Selector
from analyzer.model.workloads import PodTemplate, pod_template

KindKey = tuple[str, str]
"""(API group, kind)."""
AbsentController = tuple[str, str, str, tuple[object, ...]]
"""The API group, kind and name of an object's controller that the snapshot lacks, and what
tells the objects it made apart from others (namespace, uid, the object's own group and kind,
its template revision)."""
REVISION_LABELS = ("pod-template-hash", "controller-revision-hash")
"""The labels by which a controller tells its pods' template revisions apart (ReplicaSet;
StatefulSet, DaemonSet)."""


class LabelIndex:
    """Pods and pod templates by namespace and label, so a selector never scans every pod."""

    def __init__(self, templates: Iterable[PodTemplate]) -> None:
        self.templates: list[PodTemplate] = list(templates)
        self._by_pair: dict[tuple[str | None, str, str], list[int]] = defaultdict(list)
        self._by_key: dict[tuple[str | None, str], list[int]] = defaultdict(list)
        self._by_ns: dict[str | None, list[int]] = defaultdict(list)
        for i, tpl in enumerate(self.templates):
            ns = tpl.owner.namespace
            self._by_ns[ns].append(i)
            for key, value in tpl.labels.items():
                self._by_pair[(ns, key, value)].append(i)
                self._by_key[(ns, key)].append(i)
            for key, values in tpl.generated.items():
                self._by_key[(ns, key)].append(i)
                for value in values:
                    self._by_pair[(ns, key, value)].append(i)

    def namespaces(self) -> set[str | None]:
        return set(self._by_ns)

    def in_namespace(self, namespace: str | None) -> list[PodTemplate]:
        return [self.templates[i] for i in self._by_ns.get(namespace, ())]

    def select(self, selector: Selector, namespace: str | None) -> list[PodTemplate]:
        """Pods and templates of ``namespace`` that ``selector`` matches, in snapshot order."""
        if selector.selects_none:
            return []
        candidates: list[int] | None = None
        for req in selector.requirements:
            if req.operator == "In":
                found: list[int] = []
                for value in req.values:
                    found.extend(self._by_pair.get((namespace, req.key, value), ()))
            elif req.operator == "Exists":
                found = list(self._by_key.get((namespace, req.key), ()))
            else:
                continue
            if candidates is None or len(found) < len(candidates):
                candidates = found
        if candidates is None:
            candidates = list(self._by_ns.get(namespace, ()))
        chosen = sorted(set(candidates))
        picked = (self.templates[i] for i in chosen)
        return [t for t in picked if selector.matches_template(t.labels, t.generated)]


class Snapshot:
    """The objects of one run. Built once by :func:`build_snapshot`; read-only afterwards."""

    def __init__(
        self,
        objects: list[K8sObject],
        logs: dict[tuple[str, str], str],
        releases: list[HelmRelease] | None = None,
    ) -> None:
        self.objects = objects
        self.logs = logs
        self.releases: list[HelmRelease] = releases or []
        """Every Helm release revision decoded from the dump's records (by namespace, name, revision)."""
        self.by_key: dict[ObjectKey, list[K8sObject]] = defaultdict(list)
        self.by_kind: dict[KindKey, list[K8sObject]] = defaultdict(list)
        self._kind_namespaces: dict[KindKey, set[str | None]] = defaultdict(set)
        for obj in objects:
            self.by_key[obj.ref.key].append(obj)
            kind = (obj.ref.group, obj.ref.kind)
            self.by_kind[kind].append(obj)
            self._kind_namespaces[kind].add(obj.ref.namespace)
        self.templates = [t for t in (pod_template(o) for o in objects) if t is not None]
        self._template_of = {id(t.owner): t for t in self.templates}
        self._controllers: dict[int, tuple[dict[str, Any] | None, K8sObject | None]] = {}
        self._absent: dict[int, AbsentController | None] = {}
        self.labels = LabelIndex(self.templates)

    def log_tail(self, pod: K8sObject) -> str | None:
        """The end of the pod's log, when a cluster-info dump folder held it (evidence)."""
        if pod.kind != "Pod" or pod.namespace is None:
            return None
        return self.logs.get((pod.namespace, pod.name))

    def get(self, key: ObjectKey) -> K8sObject | None:
        """The first object with this identity (duplicates are a finding of their own)."""
        found = self.by_key.get(key)
        return found[0] if found else None

    def of_kind(self, group: str, kind: str) -> list[K8sObject]:
        return self.by_kind.get((group, kind), [])

    def covers(self, group: str, kind: str, namespace: str | None = None) -> bool:
        """Could the snapshot hold a ``kind`` object in ``namespace``? (It holds at least one.)"""
        namespaces = self._kind_namespaces.get((group, kind))
        if not namespaces:
            return False
        return namespace is None or namespace in namespaces

    def covers_pods(self, namespace: str | None) -> bool:
        """Does the snapshot hold any pod or pod template in ``namespace``?"""
        return namespace in self.labels.namespaces()

    def template_of(self, obj: K8sObject) -> PodTemplate | None:
        """The pod template of a Pod or workload (built once, with the snapshot)."""
        return self._template_of.get(id(obj))

    def controller_of(self, obj: K8sObject) -> K8sObject | None:
        """The controlling owner of ``obj`` when that owner is in the snapshot (found once)."""
        return self._owner(obj)[1]

    def absent_controller(self, obj: K8sObject) -> AbsentController | None:
        """``obj``'s controller when the snapshot lacks it (a dump of Pods alone: their
        ReplicaSets); None when it holds it or ``obj`` has none (found once)."""
        key = id(obj)
        if key not in self._absent:
            self._absent[key] = self._find_absent(obj)
        return self._absent[key]

    def _owner(self, obj: K8sObject) -> tuple[dict[str, Any] | None, K8sObject | None]:
        """``obj``'s controller reference and the object it names in the snapshot, if any: read
        once per object (the rules ask for every Pod's controller, several times)."""
        key = id(obj)
        found = self._controllers.get(key)
        if found is None:
            owner = obj.controller_reference()
            found = self._controllers[key] = (owner, None if owner is None else self._named(obj, owner))
        return found

    def _find_absent(self, obj: K8sObject) -> AbsentController | None:
        owner, present = self._owner(obj)
        if owner is None or present is not None:
            return None
        name = owner.get("name")
        if not isinstance(name, str) or not name:
            return None
        labels = obj.labels
        apart = (
            obj.namespace,
            str(owner.get("uid", "")),
            obj.ref.group,
            obj.ref.kind,
            *(labels.get(label) for label in REVISION_LABELS),
        )
        return api_group(str(owner.get("apiVersion", ""))), str(owner.get("kind", "")), name, apart

    def _named(self, obj: K8sObject, owner: dict[str, Any]) -> K8sObject | None:
        key = (
            api_group(str(owner.get("apiVersion", ""))),
            str(owner.get("kind", "")),
            obj.namespace,
            str(owner.get("name", "")),
        )
        return self.get(key)


def build_snapshot(loaded: LoadResult, default_namespace: str = "default") -> Snapshot:
    """Give every loaded object its identity and index the lot."""
    scopes = _crd_scopes(loaded.objects)
    objects = [_to_object(raw, scopes, default_namespace) for raw in loaded.objects]
    records = [(raw.release, obj) for raw, obj in zip(loaded.objects, objects, strict=True) if raw.release]
    releases = build_releases(records, lambda raw, namespace: _to_object(raw, scopes, namespace))
    return Snapshot(objects, dict(loaded.logs), releases)


def _crd_scopes(raws: list[RawObject]) -> dict[KindKey, bool]:
    """(group, kind) -> namespaced?, from the CustomResourceDefinitions of the snapshot."""
    scopes: dict[KindKey, bool] = {}
    for raw in raws:
        if raw.data.get("kind") != "CustomResourceDefinition":
            continue
        spec = as_dict(raw.data.get("spec"))
        kind = as_dict(spec.get("names")).get("kind")
        if isinstance(kind, str):
            scopes[(str(spec.get("group", "")), kind)] = spec.get("scope") != "Cluster"
    return scopes


def _to_object(raw: RawObject, scopes: dict[KindKey, bool], default_namespace: str) -> K8sObject:
    data = raw.data
    api_version, kind = str(data["apiVersion"]), str(data["kind"])
    meta = as_dict(data.get("metadata"))
    group = api_group(api_version)
    namespaced = scopes.get((group, kind), (group, kind) not in CLUSTER_SCOPED)
    namespace: str | None = None
    if namespaced:
        given = meta.get("namespace")
        namespace = str(given) if given else default_namespace
    ref = ObjectRef(api_version, kind, namespace, str(meta["name"]))
    return K8sObject(ref, data, raw.location, raw.helm_source)
