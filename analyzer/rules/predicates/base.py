"""What every predicate is: a typed ``Params`` model, the kinds it can judge, the facts its hits
give the message placeholders, and ``evaluate`` yielding Hits and Gaps, reading the snapshot only
through the graph's query API (:class:`SnapshotGraph`).

A predicate module ends with one :func:`define`::

    class Params(PredicateParams):
        label: str = Field(description="The label key that must be present.")

    def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]: ...

    PREDICATE = define("label-missing", Params, evaluate, kinds=ANY_KIND, facts=("label", "value"))

``kinds`` and ``facts`` may instead be functions of the params: they are resolved per rule
instance (``edge-target-missing`` judges the kinds its ``edge`` leaves from; a predicate whose
rule writes its own expressions provides the facts that rule declares).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject, ObjectRef
from analyzer.rules.finding import Evidence, Severity
from analyzer.rules.kinds import Kinds


class PredicateParams(BaseModel):
    """Base of every predicate's parameters: unknown keys are errors, values are typed."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True, slots=True)
class Hit:
    """The subject is in the bad state. ``facts`` fill the message placeholders: exactly the
    facts the rule instance declares (``Rule.facts``)."""

    facts: Mapping[str, str] = field(default_factory=dict)
    related: tuple[ObjectRef, ...] = ()
    severity: Severity | None = None
    """Overrides the rule's severity for this hit (e.g. a softer case of the same state)."""
    evidence: tuple[Evidence, ...] = ()
    """Events, log lines, conditions that show the state (quoted, trimmed)."""
    because_of: tuple[ObjectRef, ...] = ()
    """Objects whose findings may explain this hit (see :class:`analyzer.rules.finding.Layer`)."""
    path: str | None = None
    """The field of the subject the hit is about, as a JSON path in the object
    (``spec.template.spec.containers[0].imagePullPolicy``): the finding's ``location.path``."""


@dataclass(frozen=True, slots=True)
class Gap:
    """The subject could not be checked: the snapshot holds no ``kind`` in ``namespace``."""

    kind: str
    namespace: str | None


@dataclass(frozen=True, slots=True)
class Unjudged:
    """The subject could not be judged: ``reason`` says why (a CEL rule's runtime error, with
    the field it happened in). It becomes a coverage note; the rule goes on."""

    reason: str


Outcome = Hit | Gap | Unjudged

P = TypeVar("P", bound=PredicateParams)
Check = Callable[[K8sObject, SnapshotGraph, P], Iterator[Outcome]]
Judge = Callable[[K8sObject, SnapshotGraph], Iterator[Outcome]]
"""A predicate bound to one rule instance's params: what the evaluator calls per subject."""


@dataclass(frozen=True, slots=True)
class Predicate:
    """A predicate as the engine and the catalogue see it; made by :func:`define`, whose typing
    ties ``params``, ``evaluate`` and the per-instance functions to one ``Params`` model."""

    name: str
    params: type[PredicateParams]
    kinds_for: Callable[[PredicateParams], Kinds]
    """The kinds a rule with these params may apply to."""
    facts_for: Callable[[PredicateParams], frozenset[str]]
    """The facts every hit of a rule with these params provides."""
    evaluate: Check[PredicateParams]
    bind: Callable[[PredicateParams], Judge]
    """``evaluate`` with one rule instance's params, checked (and prepared) once, not per
    subject: a large dump has a million subject judgements."""


def define(
    name: str,
    params: type[P],
    evaluate: Check[P],
    *,
    kinds: Kinds | Callable[[P], Kinds],
    facts: Iterable[str] | Callable[[P], Iterable[str]],
    bind: Callable[[P], Judge] | None = None,
) -> Predicate:
    """``bind``: how to bind params once (default: ``evaluate`` with them as its third argument)."""

    def narrow(value: PredicateParams) -> P:
        if not isinstance(value, params):
            raise TypeError(f"predicate {name!r} takes {params.__name__}, not {type(value).__name__}")
        return value

    def kinds_for(value: PredicateParams) -> Kinds:
        return kinds(narrow(value)) if callable(kinds) else kinds

    fixed: frozenset[str] = frozenset() if callable(facts) else frozenset(facts)

    def facts_for(value: PredicateParams) -> frozenset[str]:
        return frozenset(facts(narrow(value))) if callable(facts) else fixed

    def run(subject: K8sObject, graph: SnapshotGraph, value: PredicateParams) -> Iterator[Outcome]:
        return evaluate(subject, graph, narrow(value))

    def bound(value: PredicateParams) -> Judge:
        narrowed = narrow(value)
        if bind is not None:
            return bind(narrowed)
        return lambda subject, graph: evaluate(subject, graph, narrowed)

    return Predicate(name, params, kinds_for, facts_for, run, bound)
