"""A CEL rule as the engine sees every rule: a predicate instance named ``cel`` with a params
model made from the rule's ``params``. Nothing here imports the CEL engine: a built-in CEL rule
is compiled on its first evaluation (:func:`deferred_predicate`), so a run whose kinds no CEL
rule judges, or whose profile leaves them off, never loads the engine (start-up: the pre-commit
hook). A rule of the user's own is compiled at load (:func:`analyzer.rules.cel.rule.cel_predicate`),
where its errors are reported with file, field and line:column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import Field, create_model

from analyzer.errors import KubesnapError
from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.rules.kinds import ANY_KIND
from analyzer.rules.predicates.base import Judge, Outcome, Predicate, PredicateParams, define
from analyzer.rules.schema import CEL_PREDICATE, RuleSpec

PARAM_NAME = r"^[A-Za-z][A-Za-z0-9_]*$"

RuleJudge = Callable[[K8sObject, SnapshotGraph, dict[str, Any]], Iterator[Outcome]]
"""A compiled rule's judgement of one subject, with the rule's params as plain values."""


def params_model(where: str, spec: RuleSpec) -> type[PredicateParams]:
    """A params model for this rule: its params, by name, their values the defaults (so that
    ``.kubesnap.yaml`` may override them and refuse unknown names)."""
    fields: dict[str, Any] = {}
    for name, value in spec.params.items():
        if not isinstance(name, str) or not _param_name(name):
            raise KubesnapError(
                f"{where}: field 'params': {name!r} is not a param name (letters, digits, _; "
                "starting with a letter, not model_)"
            )
        fields[name] = (Any, Field(default=value))
    model: type[PredicateParams] = create_model(f"CelParams_{spec.id}", __base__=PredicateParams, **fields)
    return model


def _param_name(name: str) -> bool:
    return re.fullmatch(PARAM_NAME, name) is not None and not name.startswith("model_")


def predicate_of(spec: RuleSpec, params_type: type[PredicateParams], judge: RuleJudge) -> Predicate:
    """The predicate that judges each subject with ``judge`` and the rule's params as a dict."""
    last: list[tuple[PredicateParams, dict[str, Any]]] = []
    """The params last dumped, and their dump: a run judges every subject with one (frozen)
    instance; keeping only the last one, a process that runs many configurations keeps none of
    the earlier ones (built-in rules live for the process)."""

    def evaluate(subject: K8sObject, graph: SnapshotGraph, params: PredicateParams) -> Iterator[Outcome]:
        if not last or last[0][0] is not params:
            last[:] = [(params, params.model_dump())]
        return judge(subject, graph, last[0][1])

    def bind(params: PredicateParams) -> Judge:
        dumped = params.model_dump()
        return lambda subject, graph: judge(subject, graph, dumped)

    return define(CEL_PREDICATE, params_type, evaluate, kinds=ANY_KIND, facts=("message",), bind=bind)


def deferred_predicate(where: str, spec: RuleSpec) -> tuple[Predicate, PredicateParams]:
    """A built-in CEL rule (its expressions are compiled by the tests): compiled on first use."""
    compiled: list[RuleJudge] = []

    def judge(subject: K8sObject, graph: SnapshotGraph, params: dict[str, Any]) -> Iterator[Outcome]:
        if not compiled:
            from analyzer.rules.cel.rule import compile_rule  # the engine, when a CEL rule runs

            compiled.append(compile_rule(where, spec, lazy=True).judge)
        return compiled[0](subject, graph, params)

    params_type = params_model(where, spec)
    return predicate_of(spec, params_type, judge), params_type()
