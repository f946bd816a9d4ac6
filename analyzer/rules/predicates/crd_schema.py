"""crd-schema: a custom resource against the CRD of the input that declares its kind, as the API
server would judge it on create: the structural schema of the version it names
(``check: schema``, :mod:`analyzer.model.structural`; a version the CRD does not serve; unknown
fields, which the server prunes, as warnings) or the CRD's ``x-kubernetes-validations`` rules
(``check: rules``, :mod:`analyzer.rules.crd.validations`).

Every kind is a subject; an object whose kind no CRD of the input declares is skipped at once.
Each resource is judged once per run for both rules (:class:`_Judge`, kept per graph), each CRD
version compiled once."""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.structural import validate
from analyzer.rules.crd import validations
from analyzer.rules.crd.definitions import Definitions, Unserved, Version
from analyzer.rules.finding import Severity
from analyzer.rules.kinds import ANY_KIND
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, Unjudged, define

MAX_HITS = 10
"""Findings per resource and rule; the last one says how many more problems there are."""


class Params(PredicateParams):
    check: Literal["schema", "rules"] = Field(
        description="schema: the structural schema of the version named; rules: the CRD's "
        "x-kubernetes-validations (CEL)."
    )


@dataclass(frozen=True, slots=True)
class _Verdict:
    schema: tuple[Outcome, ...]
    rules: tuple[Outcome, ...]


class _Judge:
    """One run's CRDs and the verdict on each resource, computed once for both rules."""

    def __init__(self, graph: SnapshotGraph) -> None:
        self.definitions = Definitions(graph)
        self.verdicts: dict[int, tuple[K8sObject, _Verdict]] = {}

    def verdict(self, obj: K8sObject) -> _Verdict | None:
        kept = self.verdicts.get(id(obj))
        if kept is not None and kept[0] is obj:
            return kept[1]
        version = self.definitions.version_of(obj)
        if version is None:
            return None
        verdict = _judge(obj, version)
        self.verdicts[id(obj)] = (obj, verdict)
        return verdict


_JUDGES: weakref.WeakKeyDictionary[SnapshotGraph, _Judge] = weakref.WeakKeyDictionary()


def _facts(version: Version | Unserved, field: str, problem: str) -> dict[str, str]:
    name = version.name if isinstance(version, Version) else version.version
    return {"crd": version.crd.name, "version": name, "field": field or "the object", "problem": problem}


def _judge(obj: K8sObject, version: Version | Unserved) -> _Verdict:
    related = (version.crd.ref,)
    if isinstance(version, Unserved):
        served = ", ".join(version.served) or "none"
        why = "is not served" if version.listed else "is not one of its versions"
        problem = f"version {version.version} {why} (served: {served}); the API server refuses the object"
        return _Verdict((Hit(_facts(version, "apiVersion", problem), related, path="apiVersion"),), ())
    schema = version.schema
    if schema is None:
        return _Verdict((), ())
    result = validate(schema, obj.raw, skip_status=version.status_subresource)
    found: list[Outcome] = []
    violations = result.violations
    extra = result.more + max(0, len(violations) - MAX_HITS)
    for i, violation in enumerate(violations[:MAX_HITS]):
        problem = violation.message
        if extra and i == min(len(violations), MAX_HITS) - 1:
            problem += f" (and {extra} more problem(s))"
        found.append(
            Hit(
                _facts(version, violation.path, problem),
                related,
                severity=Severity.WARNING if violation.unknown else None,
                path=violation.path or None,
            )
        )
    found += [
        Unjudged(f"CRD {version.crd.name} ({version.name}): {p}; that constraint is not checked")
        for p in schema.problems
    ]
    outcome = validations.evaluate(result.sites, version.crd.name)
    rules: list[Outcome] = []
    for failure in outcome.failures[:MAX_HITS]:
        problem = failure.message + (f" (reason: {failure.reason})" if failure.reason else "")
        rules.append(Hit(_facts(version, failure.path, problem), related, path=failure.path or None))
    rules += [Unjudged(p) for p in outcome.problems]
    if outcome.transitions:
        rules.append(
            Unjudged(
                f"CRD {version.crd.name}: its transition rules (oldSelf) are not evaluated: they judge an "
                "update against the stored object, and each object is judged as created"
            )
        )
    return _Verdict(tuple(found), tuple(rules))


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    judge = _JUDGES.get(graph)
    if judge is None:
        judge = _JUDGES[graph] = _Judge(graph)
    verdict = judge.verdict(subject)
    if verdict is not None:
        yield from verdict.schema if params.check == "schema" else verdict.rules


PREDICATE = define(
    "crd-schema", Params, evaluate, kinds=ANY_KIND, facts=("crd", "version", "field", "problem")
)
