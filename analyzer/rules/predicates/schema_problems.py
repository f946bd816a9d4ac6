"""schema: an object of a built-in kind against the OpenAPI schema of the run's target
Kubernetes version (:mod:`analyzer.rules.openapi`): ``problem: invalid`` reports what the API
server would refuse (wrong types, values outside an enum, int-or-strings and quantities in the
wrong form, required fields missing), ``problem: unknown-field`` what it would drop.

Judged at the top of the owner chain: an object whose controller is in the snapshot (a live
ReplicaSet, its Pods) is the controller's copy of a template already judged. The API version is
the one the object's ``metadata.selfLink`` names when it has one (older servers), else its
``apiVersion``. Custom resources
(a group a CRD of the input declares) are the CRD rules'. An apiVersion/kind the target version
does not serve and no CRD of the input declares cannot be checked: a coverage note of
``schema-invalid`` (``schema-unknown-kind: ...``), not a finding.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal
from weakref import WeakKeyDictionary

from pydantic import Field

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.rules.kinds import ANY_KIND
from analyzer.rules.openapi import Check, KindSchemas, Problem, schemas_for, validate
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, Unjudged, define


class Params(PredicateParams):
    problem: Literal["invalid", "unknown-field"] = Field(
        description="invalid: values the API server refuses; unknown-field: fields it drops."
    )


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    api_version = _served_by(subject) or subject.raw.get("apiVersion")
    if not isinstance(api_version, str) or graph.controller_of(subject) is not None:
        return
    group, kind = subject.ref.key[0], subject.ref.key[1]
    if any(d.group == group and d.kind == kind for d in graph.definitions()):
        return
    run = _run(graph)
    schemas = run.schemas
    check = schemas.check(api_version, kind)
    if check is None:
        if params.problem == "invalid":
            yield Unjudged(
                f"schema-unknown-kind: {api_version} {kind} is served neither by Kubernetes "
                f"{schemas.version} nor by a CRD of the input"
            )
        return
    wanted = "invalid" if params.problem == "invalid" else "unknown"
    for problem in run.problems(subject, check):
        if problem.kind == wanted:
            yield Hit({"problem": problem.text, "version": str(schemas.version)}, path=problem.path)


@dataclass(slots=True)
class _Run:
    """What one graph's run keeps: its target version's schemas (asked once: the graph computes
    the target from its Nodes) and each judged object's problems (the two rules walk it once)."""

    schemas: KindSchemas
    found: dict[int, list[Problem]] = field(default_factory=dict)

    def problems(self, subject: K8sObject, check: Check) -> list[Problem]:
        key = id(subject)  # the graph holds its objects: an id is not reused while it lives
        problems = self.found.get(key)
        if problems is None:
            quote = subject.kind != "Secret"
            problems = self.found[key] = validate(subject.raw, check, str(self.schemas.version), quote)
        return problems


_RUNS: WeakKeyDictionary[SnapshotGraph, _Run] = WeakKeyDictionary()


def _run(graph: SnapshotGraph) -> _Run:
    run = _RUNS.get(graph)
    if run is None:
        run = _RUNS[graph] = _Run(schemas_for(graph.target_version()[0]))
    return run


def _served_by(subject: K8sObject) -> str | None:
    """The API version a (pre-1.20) server's ``metadata.selfLink`` says served the object: an
    object written bare takes its apiVersion from its file's path, and OpenShift serves a
    ClusterRoleBinding of its own (``authorization.openshift.io/v1``) beside RBAC's."""
    link = subject.metadata.get("selfLink")
    if not isinstance(link, str):
        return None
    parts = link.split("/")
    if link.startswith("/api/") and len(parts) > 2:
        return parts[2]
    if link.startswith("/apis/") and len(parts) > 3:
        return f"{parts[2]}/{parts[3]}"
    return None


PREDICATE = define("schema", Params, evaluate, kinds=ANY_KIND, facts=("problem", "version"))
