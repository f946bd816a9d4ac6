"""crd-schema: a custom resource against the CRD of the input that declares its kind, as the API
server would judge it on create: the structural schema of the version it names
(``check: schema``, :mod:`analyzer.model.structural`; a version the CRD does not serve; unknown
fields, which the server prunes, as warnings) or the CRD's ``x-kubernetes-validations`` rules
(``check: rules``, :mod:`analyzer.rules.crd.validations`).

Every kind is a subject; an object whose kind no CRD of the input declares is skipped at once.
Each resource is judged once per run for both rules (:class:`analyzer.rules.crd.judge.Judge`,
kept per graph), each CRD version compiled once. A run without CRDs imports none of it (RE2,
the CEL engine: start-up)."""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.rules.kinds import ANY_KIND
from analyzer.rules.predicates.base import Outcome, PredicateParams, define

if TYPE_CHECKING:
    from analyzer.rules.crd.judge import Judge


class Params(PredicateParams):
    check: Literal["schema", "rules"] = Field(
        description="schema: the structural schema of the version named; rules: the CRD's "
        "x-kubernetes-validations (CEL)."
    )


_JUDGES: weakref.WeakKeyDictionary[SnapshotGraph, Judge | None] = weakref.WeakKeyDictionary()
"""Per graph: its judge, or None when the input holds no CRD."""


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    if graph in _JUDGES:
        judge = _JUDGES[graph]
    else:
        judge = None
        if graph.definitions():
            from analyzer.rules.crd.judge import Judge  # only where the input holds CRDs (start-up)

            judge = Judge(graph)
        _JUDGES[graph] = judge
    verdict = None if judge is None else judge.verdict(subject)
    if verdict is not None:
        yield from verdict.schema if params.check == "schema" else verdict.rules


PREDICATE = define(
    "crd-schema", Params, evaluate, kinds=ANY_KIND, facts=("crd", "version", "field", "problem")
)
