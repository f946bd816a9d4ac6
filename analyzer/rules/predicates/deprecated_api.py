"""deprecated-api: an object written at an apiVersion that Kubernetes deprecated or no longer
serves at the run's target version (``SnapshotGraph.target_version``).

Used by: deprecated-api.

One rule, two severities: error when the target version no longer serves the apiVersion (the
API server refuses the manifest), warning when it still serves it but warns (deprecated). The
table is :mod:`analyzer.model.deprecations`.
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.deprecations import lookup
from analyzer.rules.finding import Severity
from analyzer.rules.kinds import ANY_KIND
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define

SOURCES = {"given": "--kube-version", "nodes": "the dump's Nodes", "default": "the newest release known"}


class Params(PredicateParams):
    pass


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    found = lookup(subject.ref.api_version, subject.kind)
    if found is None:
        return
    target, source = graph.target_version()
    if target < found.deprecated:
        return
    removed = target >= found.removed
    if removed:
        state = f"which Kubernetes {target} no longer serves (removed in {found.removed})"
    else:
        state = (
            f"which Kubernetes {target} still serves but deprecates"
            f" (since {found.deprecated}; removed in {found.removed})"
        )
    if found.replacement is None:
        replacement = "no object replaces it; enforce the Pod Security Standards with Pod Security Admission"
    else:
        replacement = f"use apiVersion {found.replacement}"
    facts = {
        "state": state,
        "replacement": replacement,
        "target": f"{target}, from {SOURCES.get(source, source)}",
    }
    yield Hit(facts, severity=Severity.ERROR if removed else Severity.WARNING, path="apiVersion")


PREDICATE = define(
    "deprecated-api", Params, evaluate, kinds=ANY_KIND, facts=("state", "replacement", "target")
)
