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
    for rule in rules:
        if rule.spec.status == "deprecated":
            continue
        explained_by = tuple(rule.spec.explained_by)
        for subject in subjects(rule, graph, firsts):
            missing = _missing_requirement(rule, graph, subject)
            if missing is not None:
                gaps[(rule.id, missing, subject.namespace)] += 1
                continue
            for outcome in rule.predicate.evaluate(subject, graph, rule.params):
                if isinstance(outcome, Gap):
                    gaps[(rule.id, outcome.kind, outcome.namespace)] += 1
                elif isinstance(outcome, Unjudged):
                    key = (rule.id, subject.namespace, outcome.reason)
                    failures[key] += 1
                    first = first_failed.get(key)
                    if first is None or _ref_order(subject.ref) < _ref_order(first):
                        first_failed[key] = subject.ref
                else:
                    values = _object_values(subject) | dict(outcome.facts)
                    result.findings.append(
                        Finding(
                            rule=rule.id,
                            severity=outcome.severity or rule.spec.severity,
                            object=subject.ref,
                            message=render(rule.spec.message, values),
                            location=_at(subject, outcome.path),
                            related=outcome.related,
                            hint=render(rule.spec.hint, values) or None,
                            evidence=outcome.evidence,
                            because_of=outcome.because_of,
                            layer=rule.spec.layer,
                            explained_by=explained_by,
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
        chosen = [o for o in chosen if not _judged_through(rule, graph, o)]
    return chosen


def _judged_through(rule: Rule, graph: SnapshotGraph, obj: K8sObject) -> bool:
    """Is ``obj`` controlled, directly or up its chain of controllers, by an object of the
    snapshot that ``rule`` judges too (a Pod of a ReplicaSet of a Deployment)?"""
    seen: set[int] = set()
    controller = graph.controller_of(obj)
    while controller is not None and id(controller) not in seen:
        group, kind = controller.ref.group, controller.ref.kind
        if any(kind_matches(p, group, kind) for p in rule.spec.applies_to):
            return True
        seen.add(id(controller))
        controller = graph.controller_of(controller)
    return False


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
