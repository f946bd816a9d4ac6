"""SnapshotGraph: the typed, read-only API rules use. Rules never touch the graph's store, nor
the Snapshot behind it: every lookup, coverage question and relation they need is a method here.

Relations take an object of the snapshot or an :class:`ObjectRef` (present or missing: an
Event may be about a Pod that is gone), and give objects, pod templates or :class:`Edge` s.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from itertools import chain

from analyzer.graph.builders.monitoring import monitored_namespaces
from analyzer.graph.edges import Edge, EdgeKind
from analyzer.graph.store import GraphStore, StoredEdge
from analyzer.model import AbsentController, K8sObject, KindKey, ObjectKey, ObjectRef, Snapshot
from analyzer.model.events import EventInfo, read_event
from analyzer.model.helm_releases import HelmRelease, ReleaseIndex, claims_release
from analyzer.model.objects import as_dict, as_list
from analyzer.model.times import newest, times_in
from analyzer.model.versions import NEWEST, KubeVersion, kubelet_version
from analyzer.model.workloads import PodTemplate

Node = K8sObject | ObjectRef

CRD: KindKey = ("apiextensions.k8s.io", "CustomResourceDefinition")


@dataclass(frozen=True, slots=True)
class Definition:
    """A CustomResourceDefinition of the input: the kind it declares, in which API group."""

    name: str
    group: str
    kind: str


def _builtin_group(group: str) -> bool:
    """Groups served by Kubernetes itself: the core group, un-dotted groups (apps, batch,
    policy, autoscaling) and ``*.k8s.io`` (unless a CRD of the input declares them)."""
    return "." not in group or group.endswith(".k8s.io")


class Everywhere(Enum):
    """:meth:`SnapshotGraph.of_kind`'s default: every namespace (None is the cluster scope)."""

    EVERYWHERE = "everywhere"


EVERYWHERE = Everywhere.EVERYWHERE


class SnapshotGraph:
    def __init__(
        self, snapshot: Snapshot, graph: GraphStore, kube_version: KubeVersion | None = None
    ) -> None:
        self.snapshot = snapshot
        """The engine's and the tests' way in; predicates use the methods below only."""
        self._graph = graph
        self._definitions: list[Definition] | None = None
        self._custom: dict[str | None, list[K8sObject]] | None = None
        self._claim_templates: dict[tuple[str | None, str], list[tuple[K8sObject, str]]] | None = None
        self._observed_at: tuple[datetime | None] | None = None
        self._namespaces: frozenset[str] | None = None
        self._slices: dict[tuple[str | None, str], list[K8sObject]] | None = None
        self._by_namespace: dict[KindKey, dict[str | None, list[K8sObject]]] = {}
        self._roots: dict[str | None, list[PodTemplate]] = {}
        self._releases: ReleaseIndex | None = None
        self._kube_version = kube_version
        self._target: tuple[KubeVersion, str] | None = None

    # Objects and coverage ---------------------------------------------------------------------

    def get(self, key: ObjectKey) -> K8sObject | None:
        """The object with this identity (its first definition), or None."""
        return self.snapshot.get(key)

    def kinds(self) -> Iterable[KindKey]:
        """The (group, kind) pairs the snapshot holds, in first-seen order."""
        return self.snapshot.by_kind.keys()

    def of_kind(
        self, group: str, kind: str, namespace: str | Everywhere | None = EVERYWHERE
    ) -> list[K8sObject]:
        """Every object of a kind, in snapshot order: in every namespace, or in ``namespace``
        (None: the cluster-scoped ones, so that a subject's ``namespace`` may be passed as it is)."""
        found = self.snapshot.of_kind(group, kind)
        if namespace is EVERYWHERE:
            return found
        # Indexed by namespace on first use: rules ask per namespace, once per subject.
        index = self._by_namespace.get((group, kind))
        if index is None:
            index = self._by_namespace[(group, kind)] = {}
            for obj in found:
                index.setdefault(obj.namespace, []).append(obj)
        return list(index.get(namespace, ()))

    def copies(self, obj: K8sObject) -> list[K8sObject]:
        """Every definition of ``obj``'s identity, the first one first (usually just ``obj``)."""
        return self.snapshot.by_key.get(obj.ref.key, [])

    def covers(self, group: str, kind: str, namespace: str | None = None) -> bool:
        """Could the snapshot hold a ``kind`` object in ``namespace``? (It holds at least one.)"""
        return self.snapshot.covers(group, kind, namespace)

    def covers_pods(self, namespace: str | None) -> bool:
        """Does the snapshot hold any pod or pod template in ``namespace``?"""
        return self.snapshot.covers_pods(namespace)

    def definitions(self) -> list[Definition]:
        """The CustomResourceDefinitions of the input, in snapshot order."""
        if self._definitions is None:
            self._definitions = []
            for crd in self.snapshot.of_kind(*CRD):
                names = crd.spec.get("names")
                kind = names.get("kind") if isinstance(names, dict) else None
                group = crd.spec.get("group")
                if isinstance(group, str) and isinstance(kind, str):
                    self._definitions.append(Definition(crd.name, group, kind))
        return self._definitions

    def custom_resources(self, namespace: str | None) -> list[K8sObject]:
        """Custom resources of ``namespace`` and cluster-scoped ones, in snapshot order: objects
        of a group a CRD of the input declares, or of a group Kubernetes does not serve itself."""
        if self._custom is None:
            declared = {d.group for d in self.definitions()}
            self._custom = {}
            for (group, kind), objects in self.snapshot.by_kind.items():
                if (group, kind) == CRD or (group not in declared and _builtin_group(group)):
                    continue
                for obj in objects:
                    self._custom.setdefault(obj.namespace, []).append(obj)
        return self._custom.get(namespace, []) + ([] if namespace is None else self._custom.get(None, []))

    # Pod templates and owners -----------------------------------------------------------------

    def template_of(self, obj: K8sObject) -> PodTemplate | None:
        """The pod template of a Pod or workload; None for other kinds."""
        return self.snapshot.template_of(obj)

    def templates_in(self, namespace: str | None, roots_only: bool = False) -> list[PodTemplate]:
        """Pods and pod templates of ``namespace``; with ``roots_only``, only those whose owner
        no other object of the snapshot controls (the Deployment, not its ReplicaSets and Pods)."""
        found = self.snapshot.labels.in_namespace(namespace)
        if not roots_only:
            return found
        roots = self._roots.get(namespace)
        if roots is None:  # asked for each Service that selects nothing: kept per namespace
            roots = self._roots[namespace] = [t for t in found if self.controller_of(t.owner) is None]
        return list(roots)

    def owners(self, obj: Node) -> list[Edge]:
        """``obj``'s owner references as edges (``controller`` set, target possibly missing)."""
        return list(self.edges_from(obj, EdgeKind.OWNED_BY))

    def controller_of(self, obj: K8sObject) -> K8sObject | None:
        """The controlling owner of ``obj`` when that owner is in the snapshot."""
        return self.snapshot.controller_of(obj)

    def absent_controller(self, obj: K8sObject) -> AbsentController | None:
        """The controlling owner of ``obj`` when the snapshot lacks it (see the snapshot's)."""
        return self.snapshot.absent_controller(obj)

    def made_alike(self, objects: Iterable[K8sObject]) -> dict[AbsentController, list[K8sObject]]:
        """The objects of ``objects`` one controller the snapshot lacks made from one template
        revision (a dump of Pods alone: a ReplicaSet's Pods), two or more to a group, each group
        by group, kind, namespace and name (its first stands for the others)."""
        groups: dict[AbsentController, dict[ObjectKey, K8sObject]] = {}
        for obj in objects:
            controller = self.absent_controller(obj)
            if controller is not None:
                groups.setdefault(controller, {}).setdefault(obj.ref.key, obj)
        return {c: _in_order(members) for c, members in groups.items() if len(members) > 1}

    def root_of(self, obj: K8sObject) -> K8sObject:
        """The top of ``obj``'s chain of controllers present in the snapshot (Pod -> Deployment)."""
        seen = {id(obj)}
        while (parent := self.controller_of(obj)) is not None and id(parent) not in seen:
            seen.add(id(parent))
            obj = parent
        return obj

    def owned(self, obj: Node) -> list[K8sObject]:
        """The objects ``obj`` owns directly (a Deployment's ReplicaSets, a ReplicaSet's Pods)."""
        return self.sources(obj, EdgeKind.OWNED_BY)

    # Selection and monitoring -----------------------------------------------------------------

    def selected(self, obj: Node) -> list[K8sObject]:
        """The Pods and pod-template owners a Service, PDB or NetworkPolicy selects."""
        return self.targets(obj, EdgeKind.SELECTS)

    def selected_templates(self, obj: Node) -> list[PodTemplate]:
        """The pod templates of what ``obj`` selects (a Pod is its own template)."""
        return self._templates(self.selected(obj))

    def selected_by(self, obj: Node) -> list[K8sObject]:
        """The Services, PDBs and NetworkPolicies that select ``obj`` (a Pod or workload)."""
        return self.sources(obj, EdgeKind.SELECTS)

    def monitored(self, obj: Node) -> list[K8sObject]:
        """What a ServiceMonitor (Services) or PodMonitor (Pods, pod-template owners) selects."""
        return self.targets(obj, EdgeKind.MONITORS)

    def monitored_templates(self, obj: Node) -> list[PodTemplate]:
        return self._templates(self.monitored(obj))

    def monitor_namespaces(self, monitor: K8sObject) -> list[str | None]:
        """The namespaces a ServiceMonitor or PodMonitor looks in (its ``namespaceSelector``)."""
        return monitored_namespaces(self.snapshot, monitor)

    # References, routes, events ---------------------------------------------------------------

    def references(self, obj: Node) -> list[Edge]:
        """What ``obj`` names (ConfigMaps, Secrets, PVCs, ServiceAccount; a StatefulSet's
        Service), each edge with ``via`` and ``optional``; a target may be missing."""
        return list(self.edges_from(obj, EdgeKind.REFERENCES))

    def referrers(self, obj: Node) -> list[Edge]:
        """The edges naming ``obj`` (``source_obj`` is who names it, ``via`` where)."""
        return list(self.edges_to(obj, EdgeKind.REFERENCES))

    def routes(self, obj: Node) -> list[Edge]:
        """The Service backends of an Ingress or Gateway API route, with ``port`` and ``via``."""
        return list(self.edges_from(obj, EdgeKind.ROUTES_TO))

    def routed_from(self, obj: Node) -> list[Edge]:
        """The Ingress and route backends that send traffic to Service ``obj``."""
        return list(self.edges_to(obj, EdgeKind.ROUTES_TO))

    def events_of(self, obj: Node) -> list[EventInfo]:
        """The Events about ``obj``, oldest first; those recorded for another object of the same
        name (another uid: a Pod deleted and created again) are left out."""
        uid = obj.metadata.get("uid") if isinstance(obj, K8sObject) else None
        found = []
        for event in self.sources(obj, EdgeKind.REGARDING):
            info = read_event(event)
            if info is not None and (info.uid is None or not uid or info.uid == str(uid)):
                found.append(info)
        return sorted(found, key=lambda e: e.last_seen)

    def log_tail(self, pod: K8sObject) -> str | None:
        """The end of a Pod's log, when the dump held it (a cluster-info dump folder)."""
        return self.snapshot.log_tail(pod)

    # Service endpoints and in-cluster names (dependencies) -----------------------------------

    def namespaces(self) -> frozenset[str]:
        """Every namespace the snapshot knows: Namespace objects and where any object lives."""
        if self._namespaces is None:
            found = {o.name for o in self.snapshot.of_kind("", "Namespace")}
            found.update(ns for (_, _, ns, _) in self.snapshot.by_key if ns is not None)
            self._namespaces = frozenset(found)
        return self._namespaces

    def endpoints_of(self, service: K8sObject) -> K8sObject | None:
        """The Endpoints object the endpoints controller publishes for ``service`` (same name)."""
        return self.get(("", "Endpoints", service.namespace, service.name))

    def endpoint_slices_of(self, service: K8sObject) -> list[K8sObject]:
        """The EndpointSlices labelled ``kubernetes.io/service-name: <service>`` in its namespace."""
        if self._slices is None:
            self._slices = {}
            for item in self.snapshot.of_kind("discovery.k8s.io", "EndpointSlice"):
                owner = item.labels.get("kubernetes.io/service-name")
                if owner:
                    self._slices.setdefault((item.namespace, owner), []).append(item)
        return self._slices.get((service.namespace, service.name), [])

    # Nodes, claims and the dump's time (node, pvc, job and autoscaler rules) ----------------------

    def pods_on(self, node: Node) -> list[K8sObject]:
        """The Pods bound to a Node (``spec.nodeName``), in snapshot order."""
        return self.sources(node, EdgeKind.RUNS_ON)

    def claim_templates(self, claim: Node) -> list[tuple[K8sObject, str]]:
        """The StatefulSets whose ``volumeClaimTemplates`` make a claim of this name (template
        ``data`` of StatefulSet ``web`` makes ``data-web-0``, ``data-web-1``...), each with the
        template's name."""
        if self._claim_templates is None:
            self._claim_templates = {}
            for sts in self.snapshot.of_kind("apps", "StatefulSet"):
                for template in as_list(sts.spec.get("volumeClaimTemplates")):
                    name = as_dict(as_dict(template).get("metadata")).get("name")
                    if isinstance(name, str) and name:
                        key = (sts.namespace, f"{name}-{sts.name}")
                        self._claim_templates.setdefault(key, []).append((sts, name))
        ref = claim.ref if isinstance(claim, K8sObject) else claim
        prefix, dash, ordinal = ref.name.rpartition("-")
        if not dash or not ordinal.isdigit():
            return []
        return list(self._claim_templates.get((ref.namespace, prefix), []))

    def observed_at(self) -> datetime | None:
        """When the dump was taken, as far as it says: the newest time any object records
        (Events, conditions, start and schedule times, creationTimestamps), computed once; None
        for manifests that record no time."""
        if self._observed_at is None:
            every = chain.from_iterable(self.snapshot.by_kind.values())
            self._observed_at = (newest(chain.from_iterable(times_in(o.raw) for o in every)),)
        return self._observed_at[0]

    def target_version(self) -> tuple[KubeVersion, str]:
        """The Kubernetes version the run judges against, and where it comes from:
        ``--kube-version`` (``"given"``), else the newest kubelet of the dump's Nodes
        (``"nodes"``), else the newest release kubesnap knows (``"default"``).

        >>> graph.target_version()
        (KubeVersion(major=1, minor=37), 'default')
        """
        if self._target is None:
            if self._kube_version is not None:
                self._target = (self._kube_version, "given")
            else:
                found = kubelet_version(o.raw for o in self.of_kind("", "Node"))
                self._target = (found, "nodes") if found is not None else (NEWEST, "default")
        return self._target

    # Helm releases (decoded from the dump's release records: analyzer.model.helm_releases) --------

    def _release_index(self) -> ReleaseIndex:
        if self._releases is None:
            self._releases = ReleaseIndex(self.snapshot.releases)
        return self._releases

    def releases(self) -> list[HelmRelease]:
        """The revision that counts of each release, by namespace and name: its latest deployed
        one, else its latest (a failed install still shows)."""
        return list(self._release_index().counted)

    def release_history(self, namespace: str, name: str) -> list[HelmRelease]:
        """Every revision of a release the dump holds, oldest first."""
        return list(self._release_index().history.get((namespace, name), ()))

    def release_of(self, obj: Node) -> HelmRelease | None:
        """The counted release whose manifest holds an object of ``obj``'s identity; else the one
        ``obj``'s ``meta.helm.sh/release-name`` / ``-namespace`` annotations name, if present."""
        index = self._release_index()
        found = index.rendering(_key(obj))
        if found is not None:
            return found[0]
        claimed = claims_release(obj) if isinstance(obj, K8sObject) else None
        return index.get(*claimed) if claimed else None

    def rendered(self, obj: Node) -> K8sObject | None:
        """The object of ``obj``'s identity in the manifest of the counted release rendering it."""
        found = self._release_index().rendering(_key(obj))
        return found[1] if found else None

    # Edges in general -------------------------------------------------------------------------

    def edges_from(self, obj: Node, kind: EdgeKind | None = None) -> Iterator[Edge]:
        """Edges leaving ``obj`` (of one kind, or all), in insertion order."""
        key = _key(obj)
        for edge in self._graph.out_edges(key):
            if kind is None or edge.kind is kind:
                yield self._edge(key, edge.other, edge)

    def edges_to(self, obj: Node, kind: EdgeKind | None = None) -> Iterator[Edge]:
        """Edges arriving at ``obj`` (of one kind, or all), in insertion order."""
        key = _key(obj)
        for edge in self._graph.in_edges(key):
            if kind is None or edge.kind is kind:
                yield self._edge(edge.other, key, edge)

    def targets(self, obj: Node, kind: EdgeKind) -> list[K8sObject]:
        """Present objects that ``obj`` points at with ``kind`` edges (deduplicated), in
        :func:`_in_order`."""
        seen: dict[ObjectKey, K8sObject] = {}
        node = self._graph.node
        for edge in self._graph.out_edges(_key(obj)):  # read in the store: no Edge is made
            if edge.kind is kind:
                target = node(edge.other).obj
                if target is not None:
                    seen.setdefault(edge.other, target)
        return _in_order(seen)

    def sources(self, obj: Node, kind: EdgeKind) -> list[K8sObject]:
        """Objects pointing at ``obj`` with ``kind`` edges (deduplicated), in :func:`_in_order`."""
        found: dict[ObjectKey, K8sObject] = {}
        node = self._graph.node
        for edge in self._graph.in_edges(_key(obj)):
            if edge.kind is kind:
                source = node(edge.other).obj
                if source is not None:
                    found.setdefault(edge.other, source)
        return _in_order(found)

    def _templates(self, objects: list[K8sObject]) -> list[PodTemplate]:
        return [t for t in map(self.template_of, objects) if t is not None]

    def _edge(self, source: ObjectKey, target: ObjectKey, edge: StoredEdge) -> Edge:
        src, dst = self._graph.node(source), self._graph.node(target)
        return Edge(edge.kind, src.ref, dst.ref, src.obj, dst.obj, edge.attrs)


def _in_order(objects: dict[ObjectKey, K8sObject]) -> list[K8sObject]:
    """By group, kind, namespace and name, never by input order: what a rule says about the
    objects it is given (the first selected workload, the pods it lists) then stays the same when
    the input is reordered, and so do the findings' fingerprints (baselines, diffs)."""
    if len(objects) < 2:
        return list(objects.values())
    return [objects[k] for k in sorted(objects, key=lambda k: (k[0], k[1], k[2] or "", k[3]))]


def _key(node: Node) -> ObjectKey:
    return node.ref.key if isinstance(node, K8sObject) else node.key
