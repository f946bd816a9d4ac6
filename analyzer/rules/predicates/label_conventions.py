"""mixed-label-conventions: a selector written in one label convention while its application's
pods (or, for a ServiceMonitor, Services) carry only the other convention's keys for the same
concept, so that the selector misses them.

Used by: mixed-label-conventions.

Example: Service ``monitoring/prometheus-server`` selects ``app=prometheus,component=server``;
the pod template of Deployment ``prometheus-server`` (same release, or same name stem) carries
``app.kubernetes.io/name`` and ``app.kubernetes.io/component`` but neither ``app`` nor
``component``: a hit naming both sides.

The conventions and the grouping into applications are in ``analyzer.model.labels``. Silent when
the selector selects at least one of the application's targets (whatever its keys), when the
targets carry the selector's own key for a concept (both conventions set: the values differ,
which is not a matter of convention), and across applications. Targets: the root pod templates
of the subject's namespace (Service, PDB, NetworkPolicy) or of the monitor's namespaces
(PodMonitor); the Services of those namespaces (ServiceMonitor).

How it coexists with ``*-selects-nothing``: those say the selector matches nothing; this one says
why, when the why is the convention. Its hits name no ``because_of`` (in particular not the
subject itself), so the selector rules may list it in their ``explained_by`` without a cycle.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from analyzer.graph import EDGE_SOURCES, EdgeKind, SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.labels import (
    Application,
    Convention,
    application_of,
    concept_of,
    convention_of,
    maker_name,
    other,
)
from analyzer.model.selectors import object_selector
from analyzer.rules.kinds import Kinds
from analyzer.rules.operators import selector_origin
from analyzer.rules.predicates.base import Gap, Hit, Outcome, PredicateParams, define

MONITORING_GROUP = "monitoring.coreos.com"


class Params(PredicateParams):
    pass


@dataclass(frozen=True, slots=True)
class Target:
    """What a selector should select: a pod template's owner, or a Service, with the labels the
    selector is matched against."""

    owner: K8sObject
    labels: Mapping[str, str]
    application: Application
    generated: Mapping[str, frozenset[str]] = field(default_factory=dict)


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    selector = object_selector((subject.ref.group, subject.kind), subject.ref.api_version, subject.spec)
    if selector is None or selector.is_empty or selector.error is not None:
        return
    keys = list(dict.fromkeys(r.key for r in selector.requirements if concept_of(r.key) is not None))
    if not keys:
        return
    mine = application_of(subject.name, subject.labels, subject.annotations)
    own, gap = _own(subject, graph, mine)
    if gap is not None:
        yield gap
        return
    if not own or any(selector.matches_template(t.labels, t.generated) for t in own):
        return
    if any(
        selector_origin(graph, selector, ns, subject) is not None for ns in {t.owner.namespace for t in own}
    ):
        return  # pods an operator makes at run time: the selectors' own rules say so (info)
    missed = _missed(keys, own)
    if not missed:
        return
    carriers = _nearest(
        sorted(
            {id(t.owner): t for _, _, ts in missed for t in ts}.values(),
            key=lambda t: (t.owner.kind, t.owner.name),
        ),
        mine,
        selector.equalities(),
    )
    facts = {
        "selects": _by_convention([(k, convention_of(k)) for k, _, _ in missed], "labels"),
        "carriers": _describe(carriers, services=subject.kind == "ServiceMonitor"),
        "carried": _by_convention(
            [
                (k, convention_of(k))
                for _, carried, _ in missed
                for k in carried
                if any(k in t.labels for t in carriers)
            ],
            "keys",
            article=True,
        ),
        "application": (mine if mine.release is not None else carriers[0].application).describe(),
    }
    yield Hit(facts, tuple(t.owner.ref for t in carriers[:5]))


def _missed(keys: list[str], own: list[Target]) -> list[tuple[str, list[str], list[Target]]]:
    """For each key of the selector that no target carries: the other convention's keys for its
    concept that targets carry instead, and those targets (keys with no such counterpart are
    left out: not a matter of convention)."""
    missed = []
    for key in keys:
        if any(key in t.labels for t in own):
            continue
        concept, convention = concept_of(key), convention_of(key)
        if concept is None or convention is None:
            continue
        counterparts = concept.keys(other(convention))
        carriers = [t for t in own if any(k in t.labels for k in counterparts)]
        if carriers:
            carried = [k for k in counterparts if any(k in t.labels for t in carriers)]
            missed.append((key, carried, carriers))
    return missed


def _nearest(carriers: list[Target], mine: Application, wanted: dict[str, str]) -> list[Target]:
    """The carriers to name: those of the subject's name stem; else those carrying a selector
    value under the other convention's key (``app=jaeger`` -> ``app.kubernetes.io/name=jaeger``);
    else all of them."""
    same_stem = [t for t in carriers if t.application.stem == mine.stem]
    if same_stem:
        return same_stem
    values = set(wanted.values())
    same_value = [
        t for t in carriers if any(concept_of(k) is not None and v in values for k, v in t.labels.items())
    ]
    return same_value or carriers


@dataclass(frozen=True, slots=True)
class _Applications:
    """The targets of one namespace by release and by name stem, built once per graph."""

    by_release: dict[str, list[Target]]
    by_stem: dict[str, list[Target]]

    def of(self, mine: Application) -> list[Target]:
        """The targets ``mine.same_as`` accepts (the rule of ``analyzer.model.labels``)."""
        same_stem = self.by_stem.get(mine.stem, [])
        if mine.release is None:
            return list(same_stem)
        return self.by_release.get(mine.release, []) + [t for t in same_stem if t.application.release is None]


_CACHE: WeakKeyDictionary[SnapshotGraph, dict[tuple[bool, str | None], _Applications]] = WeakKeyDictionary()


def _own(subject: K8sObject, graph: SnapshotGraph, mine: Application) -> tuple[list[Target], Gap | None]:
    """The targets of the subject's application in the namespaces it selects in, or the gap."""
    services = subject.kind == "ServiceMonitor"
    monitor = subject.ref.group == MONITORING_GROUP
    namespaces = graph.monitor_namespaces(subject) if monitor else [subject.namespace]
    own: list[Target] = []
    for ns in namespaces:
        covered = graph.covers("", "Service", ns) if services else graph.covers_pods(ns)
        if not covered:
            return [], Gap("Service" if services else "workloads", ns)
        known = _CACHE.setdefault(graph, {})
        index = known.get((services, ns))
        if index is None:
            index = known[(services, ns)] = _index(graph, ns, services)
        own.extend(index.of(mine))
    return own, None


def _index(graph: SnapshotGraph, namespace: str | None, services: bool) -> _Applications:
    targets: list[Target] = []
    if services:
        for svc in graph.of_kind("", "Service", namespace):
            targets.append(Target(svc, svc.labels, application_of(svc.name, svc.labels, svc.annotations)))
    else:
        for tpl in graph.templates_in(namespace, roots_only=True):
            owner = tpl.owner
            labels = {**tpl.labels, **owner.labels}
            made = owner.kind in ("Pod", "ReplicaSet") and owner.ref.group in ("", "apps")
            name = maker_name(owner.name, labels) if made else owner.name
            targets.append(
                Target(owner, tpl.labels, application_of(name, labels, owner.annotations), tpl.generated)
            )
    by_release: dict[str, list[Target]] = {}
    by_stem: dict[str, list[Target]] = {}
    for target in targets:
        if target.application.release is not None:
            by_release.setdefault(target.application.release, []).append(target)
        by_stem.setdefault(target.application.stem, []).append(target)
    return _Applications(by_release, by_stem)


def _by_convention(keys: list[tuple[str, Convention | None]], noun: str, article: bool = False) -> str:
    """``legacy labels app, component``, ``legacy label app`` / ``the recommended
    app.kubernetes.io/name``; keys of
    both conventions in two groups joined by ``and``."""
    parts = []
    for convention in ("legacy", "recommended"):
        names = list(dict.fromkeys(k for k, c in keys if c == convention))
        if not names:
            continue
        if article:
            parts.append(f"the {convention} {', '.join(names)}")
        else:
            parts.append(f"{convention} {noun if len(names) > 1 else noun[:-1]} {', '.join(names)}")
    return " and ".join(parts)


def _describe(carriers: list[Target], services: bool, limit: int = 3) -> str:
    """``the pods of Deployment a``, ``the pods of Deployment a, StatefulSet b``; ``Service a
    carries``, ``Pod a, Pod b carry`` (Pods and Services are named themselves)."""
    named = [f"{t.owner.kind} {t.owner.name}" for t in carriers[:limit]]
    if len(carriers) > limit:
        named.append(f"{len(carriers) - limit} more")
    joined = ", ".join(named)
    if services or all(t.owner.kind == "Pod" for t in carriers):
        return f"{joined} carries" if len(carriers) == 1 else f"{joined} carry"
    return f"the pods of {joined} carry"


PREDICATE = define(
    "mixed-label-conventions",
    Params,
    evaluate,
    kinds=Kinds.of((*(EDGE_SOURCES[EdgeKind.SELECTS] or ()), *(EDGE_SOURCES[EdgeKind.MONITORS] or ()))),
    facts=("selects", "carriers", "carried", "application"),
)
