"""Run every rule over the graph: pick subjects, check coverage, call the predicate, make Findings
(every one: suppression, ordering and fingerprints are the findings stage's)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from analyzer.graph import SnapshotGraph
from analyzer.load.types import Location
from analyzer.model import K8sObject, KindKey, ObjectRef
from analyzer.model.objects import get_path
from analyzer.rules.catalog import Rule
from analyzer.rules.finding import CoverageNote, Finding
from analyzer.rules.kinds import WORKLOADS, kind_matches
from analyzer.rules.messages import render
from analyzer.rules.predicates import Gap, Unjudged

ADMISSION_GROUP = "admissionregistration.k8s.io"


@dataclass(slots=True)
class Evaluation:
    findings: list[Finding] = field(default_factory=list)
    """In the order of the rules and their subjects: suppression and ordering come after
    (:mod:`analyzer.findings`)."""
    coverage: list[CoverageNote] = field(default_factory=list)


def evaluate(rules: Sequence[Rule], graph: SnapshotGraph, policies: Sequence[K8sObject] = ()) -> Evaluation:
    """The findings of ``rules``, then of the ValidatingAdmissionPolicies bound in the snapshot
    or in ``policies`` (the objects of ``--policies``: :mod:`analyzer.rules.vap`)."""
    result = Evaluation()
    gaps: Counter[tuple[str, str, str | None]] = Counter()
    failures: Counter[tuple[str, str | None, str]] = Counter()
    first_failed: dict[tuple[str, str | None, str], ObjectRef] = {}
    firsts: dict[KindKey, list[K8sObject]] = {}
    selections: dict[tuple[object, ...], tuple[list[K8sObject], dict[int, StandIn]]] = {}
    for rule in rules:
        if rule.spec.status == "deprecated":
            continue
        explained_by = tuple(rule.spec.explained_by)
        selection = _selection(rule)
        if selection not in selections:  # rules that judge the same objects share the choice
            chosen = subjects(rule, graph, firsts)
            stand_ins = judged_once(rule, graph, chosen) if rule.spec.skip_controlled else {}
            if stand_ins:
                chosen = [o for o in chosen if stand_ins.get(id(o)) is not SKIPPED]
            selections[selection] = (chosen, stand_ins)
        chosen, stand_ins = selections[selection]
        judge, requires = rule.predicate.bind(rule.params), bool(rule.spec.requires)
        for subject in chosen:
            group = stand_ins.get(id(subject)) if stand_ins else None
            weight = 1 if group is None else 1 + len(group.others)
            missing = _missing_requirement(rule, graph, subject) if requires else None
            if missing is not None:
                gaps[(rule.id, missing, subject.namespace)] += weight
                continue
            for outcome in judge(subject, graph):
                if isinstance(outcome, Gap):
                    gaps[(rule.id, outcome.kind, outcome.namespace)] += weight
                elif isinstance(outcome, Unjudged):
                    key = (rule.id, subject.namespace, outcome.reason)
                    failures[key] += weight
                    first = first_failed.get(key)
                    if first is None or _ref_order(subject.ref) < _ref_order(first):
                        first_failed[key] = subject.ref
                else:
                    values = _object_values(subject) | dict(outcome.facts)
                    message = render(rule.spec.message, values)
                    result.findings.append(
                        Finding(
                            rule=rule.id,
                            severity=outcome.severity or rule.spec.severity,
                            object=subject.ref,
                            message=message if group is None else group.describe(message, subject),
                            location=_at(subject, outcome.path),
                            related=outcome.related + (() if group is None else group.refs()),
                            hint=render(rule.spec.hint, values) or None,
                            evidence=outcome.evidence,
                            because_of=outcome.because_of,
                            layer=rule.spec.layer,
                            explained_by=explained_by,
                            spec_of=_spec_of(rule, subject, group),
                        )
                    )
    notes = [CoverageNote(r, k, ns, n) for (r, k, ns), n in gaps.items()]
    notes += [
        CoverageNote(r, "", ns, n, why, first_failed[(r, ns, why)]) for (r, ns, why), n in failures.items()
    ]
    if policies or graph.of_kind(ADMISSION_GROUP, "ValidatingAdmissionPolicyBinding"):
        from analyzer.rules.vap import evaluate_policies  # only where a policy is bound (start-up)

        admission = evaluate_policies(graph, policies)
        result.findings += admission.findings
        notes += admission.coverage
    result.coverage = sorted(notes, key=lambda c: (c.rule, c.missing_kind, c.namespace or "", c.reason))
    return result


def _spec_of(rule: Rule, subject: K8sObject, group: StandIn | None) -> tuple[ObjectRef, ...]:
    """:attr:`Finding.spec_of`: set by a rule that judges pod specs (it skips controlled
    objects, their controller's template being judged, and names its kinds: the schema rules,
    on every kind, judge whole objects, their metadata too)."""
    if not rule.spec.skip_controlled or "*" in rule.spec.applies_to:
        return ()
    return (subject.ref,) if group is None else (subject.ref, *group.refs())


def _at(subject: K8sObject, path: str | None) -> Location | None:
    """The subject's location, with the field ``path`` a hit names (its line: the findings stage)."""
    if path is None or subject.location is None:
        return subject.location
    return dataclasses.replace(subject.location, path=path)


def _ref_order(ref: ObjectRef) -> tuple[str, str, str, str]:
    group, kind, namespace, name = ref.key
    return group, kind, namespace or "", name


def subjects(
    rule: Rule, graph: SnapshotGraph, firsts: dict[KindKey, list[K8sObject]] | None = None
) -> list[K8sObject]:
    """The objects a rule looks at: its kinds, its scope, minus ``skip_if`` matches. ``firsts``
    caches, across the rules of one run, each kind's objects without their second copies."""
    scope = rule.spec.scope
    chosen: list[K8sObject] = []
    firsts = {} if firsts is None else firsts
    for group, kind in graph.kinds():
        if not any(kind_matches(p, group, kind) for p in rule.spec.applies_to):
            continue
        found = firsts.get((group, kind))
        if found is None:
            # A second copy is judged once, as the first; duplicate-object names all.
            found = firsts[(group, kind)] = [
                o for o in graph.of_kind(group, kind) if graph.get(o.ref.key) is o
            ]
        if not scope.namespaces and not scope.exclude_namespaces and not rule.spec.skip_if:
            chosen.extend(found)
            continue
        for obj in found:
            ns = obj.namespace
            if scope.namespaces and ns not in scope.namespaces:
                continue
            if ns in scope.exclude_namespaces:
                continue
            if any(get_path(obj.raw, s.field) == s.equals for s in rule.spec.skip_if):
                continue
            chosen.append(obj)
    if rule.spec.skip_controlled:
        judged: dict[KindKey, bool] = {}
        chosen = [o for o in chosen if not _judged_through(rule, graph, o, judged)]
    return chosen


def _selection(rule: Rule) -> tuple[object, ...]:
    """What decides which objects a rule judges (:func:`subjects`, :func:`judged_once`). A rule
    with ``skip_if`` has a choice of its own: its values are any YAML, never compared or written
    out (a shared-alias bomb in one stays unexpanded)."""
    spec = rule.spec
    return (
        tuple(spec.applies_to),
        tuple(spec.scope.namespaces),
        tuple(spec.scope.exclude_namespaces),
        id(rule) if spec.skip_if else None,
        spec.skip_controlled,
    )


def _judged_through(rule: Rule, graph: SnapshotGraph, obj: K8sObject, judged: dict[KindKey, bool]) -> bool:
    """Is ``obj`` controlled, directly or up its chain of controllers, by an object of the
    snapshot that ``rule`` judges too (a Pod of a ReplicaSet of a Deployment)? ``judged``
    caches, by kind, whether the rule judges it."""
    seen: set[int] = set()
    controller = graph.controller_of(obj)
    while controller is not None and id(controller) not in seen:
        kind = (controller.ref.group, controller.ref.kind)
        if kind not in judged:
            judged[kind] = any(kind_matches(p, *kind) for p in rule.spec.applies_to)
        if judged[kind]:
            return True
        seen.add(id(controller))
        controller = graph.controller_of(controller)
    return False


@dataclass(frozen=True, slots=True)
class StandIn:
    """The first (by name) of the objects one absent controller made (from one template
    revision), judged for all of them: ``others``."""

    controller: str
    """``ReplicaSet shop/web-7d4``."""
    others: tuple[K8sObject, ...]

    def refs(self) -> tuple[ObjectRef, ...]:
        return tuple(o.ref for o in self.others)

    def describe(self, message: str, first: K8sObject) -> str:
        names = [o.ref.name for o in self.others]
        shown = ", ".join(names[:SHOWN]) + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")
        kinds = _plural(first.ref.kind)
        return (
            f"{message} [judged once for the {1 + len(names)} {kinds} of {self.controller}, "
            f"which the snapshot lacks; the others: {shown}]"
        )


def _plural(kind: str) -> str:
    return f"{kind}es" if kind.endswith(("s", "x", "ch", "sh")) else f"{kind}s"


SKIPPED = StandIn("", ())
"""Judged through a :class:`StandIn`."""
SHOWN = 3


def judged_once(rule: Rule, graph: SnapshotGraph, chosen: Sequence[K8sObject]) -> dict[int, StandIn]:
    """For a ``skip_controlled`` rule: the objects whose controller the snapshot lacks (a dump of
    Pods alone: their ReplicaSets, Jobs, StatefulSets, DaemonSets), when the rule judges the
    controller's kind, are judged as that controller would be, once: through the first of them
    (by name) for each controller and template revision. By ``id()`` of each object of such a
    group: its :class:`StandIn` for the first, :data:`SKIPPED` for the others."""
    found: dict[int, StandIn] = {}
    for (group, kind, name, _), members in graph.made_alike(chosen).items():
        if not any(kind_matches(p, group, kind) for p in rule.spec.applies_to):
            continue  # the rule does not judge the controller's kind: each object is its own
        first, *others = members
        namespace = f"{first.namespace}/" if first.namespace else ""
        found[id(first)] = StandIn(f"{kind} {namespace}{name}", tuple(others))
        found.update((id(o), SKIPPED) for o in others)
    return found


def _missing_requirement(rule: Rule, graph: SnapshotGraph, subject: K8sObject) -> str | None:
    ns = subject.namespace
    for need in rule.spec.requires:
        if need == WORKLOADS:
            if not graph.covers_pods(ns):
                return need
        elif not any(
            kind_matches(need, group, kind) and graph.covers(group, kind, ns) for group, kind in graph.kinds()
        ):
            return need
    return None


def _object_values(obj: K8sObject) -> dict[str, str]:
    ref = obj.ref
    return {
        "object": ref.display(),
        "object.kind": ref.kind,
        "object.name": ref.name,
        "object.namespace": ref.namespace or "",
        "object.api_version": ref.api_version,
    }
