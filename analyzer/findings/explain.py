"""One object explained (``kubesnap explain``): where it is defined, its labels and controllers,
its relations in both directions from the graph (who selects it, what it selects, references,
routes, owners, the node it runs on...), its Events, every finding on it with the findings that
cause it and those it explains, the findings of other objects that name it, and, for a selector
that selects nothing, the near misses: pods and pod templates of its namespace whose labels
fail only one or two of its terms (:func:`analyzer.model.selectors.near_miss`), each with the
labels that differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from analyzer.findings.causes import RootCause
from analyzer.findings.fingerprint import fingerprint
from analyzer.graph import Edge, EdgeKind, SnapshotGraph
from analyzer.load.types import Location
from analyzer.model import K8sObject, ObjectRef
from analyzer.model.selectors import near_miss, object_selector
from analyzer.rules.finding import Finding
from analyzer.rules.predicates.evidence import describe

OUTGOING = {
    EdgeKind.OWNED_BY: "owned by",
    EdgeKind.SELECTS: "selects",
    EdgeKind.REFERENCES: "references",
    EdgeKind.ROUTES_TO: "routes to",
    EdgeKind.SCALES: "scales",
    EdgeKind.MONITORS: "monitors",
    EdgeKind.RUNS_ON: "runs on",
    EdgeKind.REGARDING: "is about",
}
INCOMING = {
    EdgeKind.OWNED_BY: "owns",
    EdgeKind.SELECTS: "selected by",
    EdgeKind.REFERENCES: "referenced by",
    EdgeKind.ROUTES_TO: "routed from",
    EdgeKind.SCALES: "scaled by",
    EdgeKind.MONITORS: "monitored by",
    EdgeKind.RUNS_ON: "runs",
}
"""Events about the object are listed as events, not as relations."""


@dataclass(frozen=True, slots=True)
class Relation:
    name: str
    """``selected by``, ``references``... (the edge kind, read from the explained object)."""
    edge: str
    """The edge kind (``selects``) and direction (``out`` or ``in``) as ``selects/in``."""
    other: ObjectRef
    missing: bool
    """The other object is not in the input (a dangling reference)."""
    detail: str = ""
    """Where the relation is written: ``volume email-templates``, ``port 80``, ``controller``."""


@dataclass(frozen=True, slots=True)
class NearMiss:
    object: ObjectRef
    location: Location
    differences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FindingLinks:
    finding: Finding
    fingerprint: str
    caused_by: tuple[Finding, ...]
    """The findings that explain this one directly."""
    explains: tuple[Finding, ...]
    """The findings this one explains directly."""
    root_of: int
    """When a root cause: how many findings it explains in all, directly or not (else 0)."""


@dataclass(slots=True)
class Explanation:
    ref: ObjectRef
    location: Location | None
    """None when the object is not in the input (only named by others)."""
    template: str | None = None
    """The Helm template it was rendered from."""
    labels: dict[str, str] = field(default_factory=dict)
    controllers: list[ObjectRef] = field(default_factory=list)
    """Its controller, that one's controller, ... (Pod -> ReplicaSet -> Deployment)."""
    relations: list[Relation] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    findings: list[FindingLinks] = field(default_factory=list)
    mentioned_in: list[Finding] = field(default_factory=list)
    """Findings on other objects that name this one among their related objects."""
    selector: str | None = None
    """Its label selector, when it selects by labels."""
    near_misses: list[NearMiss] = field(default_factory=list)
    """Only for a selector that selects nothing."""


def explain(
    graph: SnapshotGraph,
    ref: ObjectRef,
    obj: K8sObject | None,
    findings: Sequence[Finding],
    root_causes: Sequence[RootCause] = (),
) -> Explanation:
    """``ref`` (``obj`` when the input holds it) explained; ``findings`` in report order."""
    node: K8sObject | ObjectRef = obj if obj is not None else ref
    out = Explanation(ref, obj.location if obj is not None else None)
    if obj is not None:
        out.template = obj.helm_source
        out.labels = dict(sorted(obj.labels.items()))
        out.controllers = _controllers(graph, obj)
        out.selector, out.near_misses = _selector(graph, obj)
    out.relations = _relations(graph, node)
    out.events = [f"{e.type or 'Event'} {describe(e)}" for e in graph.events_of(node)]
    by_print = {fingerprint(f): f for f in findings}
    explained = {r.fingerprint: len(r.explains) for r in root_causes}
    for finding in findings:
        if finding.object.key == ref.key:
            key = fingerprint(finding)
            out.findings.append(
                FindingLinks(
                    finding,
                    key,
                    tuple(by_print[c] for c in finding.causes if c in by_print),
                    tuple(f for f in findings if key in f.causes),
                    explained.get(key, 0),
                )
            )
        elif any(r.key == ref.key for r in finding.related):
            out.mentioned_in.append(finding)
    return out


def _controllers(graph: SnapshotGraph, obj: K8sObject) -> list[ObjectRef]:
    chain: list[ObjectRef] = []
    current = graph.controller_of(obj)
    while current is not None and current.ref not in chain and current.ref != obj.ref:
        chain.append(current.ref)
        current = graph.controller_of(current)
    return chain


def _relations(graph: SnapshotGraph, node: K8sObject | ObjectRef) -> list[Relation]:
    found = [
        _relation(OUTGOING[e.kind], f"{e.kind.value}/out", e.target, e.missing, e)
        for e in graph.edges_from(node)
    ]
    for edge in graph.edges_to(node):
        if edge.kind in INCOMING:
            found.append(_relation(INCOMING[edge.kind], f"{edge.kind.value}/in", edge.source, False, edge))
    order = {name: i for i, name in enumerate([*OUTGOING.values(), *INCOMING.values()])}
    unique = {(r.name, r.other.key, r.detail): r for r in found}
    return sorted(
        unique.values(),
        key=lambda r: (order[r.name], r.other.kind, r.other.namespace or "", r.other.name, r.detail),
    )


def _relation(name: str, edge_id: str, other: ObjectRef, missing: bool, edge: Edge) -> Relation:
    details = []
    if edge.via:
        details.append(edge.via)
    if edge.port is not None:
        details.append(f"port {edge.port}")
    if edge.controller:
        details.append("controller")
    if edge.optional:
        details.append("optional")
    return Relation(name, edge_id, other, missing, ", ".join(details))


def _selector(graph: SnapshotGraph, obj: K8sObject) -> tuple[str | None, list[NearMiss]]:
    selector = object_selector((obj.ref.group, obj.kind), obj.ref.api_version, obj.spec)
    if selector is None or selector.selects_all or not selector.requirements:
        return (None if selector is None else selector.describe()), []
    if graph.selected(obj):
        return selector.describe(), []
    misses = []
    for template in graph.templates_in(obj.namespace):
        differences = near_miss(selector, template.labels)
        if differences:
            owner = template.owner
            misses.append(NearMiss(owner.ref, owner.location, tuple(differences)))
    misses.sort(key=lambda m: (len(m.differences), _KIND_ORDER.get(m.object.kind, 9), m.object.name))
    return selector.describe(), misses


_KIND_ORDER = {
    "Deployment": 0,
    "StatefulSet": 0,
    "DaemonSet": 0,
    "Job": 1,
    "CronJob": 0,
    "ReplicaSet": 2,
    "Pod": 3,
}
"""Near misses: workloads before the ReplicaSets and Pods they make."""
