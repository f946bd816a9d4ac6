"""What the API server would say of each custom resource of a run on create, computed once per
resource for both CRD rules (:class:`Judge`, one per graph): the structural schema of the CRD
version it names (:mod:`analyzer.model.structural`) and the CRD's CEL rules (:mod:`.validations`),
as Hits and Unjudged outcomes for the predicate ``crd-schema``."""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.structural import validate
from analyzer.rules.crd.definitions import Definitions, Unserved, Version
from analyzer.rules.finding import Severity
from analyzer.rules.predicates.base import Hit, Outcome, Unjudged

MAX_HITS = 10
"""Findings per resource and rule; the last one says how many more problems there are."""


@dataclass(frozen=True, slots=True)
class Verdict:
    schema: tuple[Outcome, ...]
    rules: tuple[Outcome, ...]


class Judge:
    """One run's CRDs and the verdict on each resource, computed once for both rules."""

    def __init__(self, graph: SnapshotGraph) -> None:
        self.definitions = Definitions(graph)
        self.verdicts: dict[K8sObject, Verdict] = {}
        """By object identity (K8sObject has no equality of its own)."""

    def verdict(self, obj: K8sObject) -> Verdict | None:
        """None when no CRD of the input declares ``obj``'s kind."""
        verdict = self.verdicts.get(obj)
        if verdict is None:
            version = self.definitions.version_of(obj)
            if version is None:
                return None
            verdict = self.verdicts[obj] = _judge(obj, version)
        return verdict


def _facts(version: Version | Unserved, field: str, problem: str) -> dict[str, str]:
    name = version.name if isinstance(version, Version) else version.version
    return {"crd": version.crd.name, "version": name, "field": field or "the object", "problem": problem}


def _judge(obj: K8sObject, version: Version | Unserved) -> Verdict:
    related = (version.crd.ref,)
    if isinstance(version, Unserved):
        served = ", ".join(version.served) or "none"
        why = "is not served" if version.listed else "is not one of its versions"
        problem = f"version {version.version} {why} (served: {served}); the API server refuses the object"
        return Verdict((Hit(_facts(version, "apiVersion", problem), related, path="apiVersion"),), ())
    schema = version.schema
    if schema is None:
        return Verdict((), ())
    result = validate(schema, obj.raw, skip_status=version.status_subresource, prune=version.prune)
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
    if not result.sites or result.wrong_type:  # the API server runs no rule on a mistyped object
        return Verdict(tuple(found), ())
    from analyzer.rules.crd import validations  # the CEL engine, only for a CRD with rules (start-up)

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
    return Verdict(tuple(found), tuple(rules))
