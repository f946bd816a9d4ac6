"""What every predicate is: Params, declared FACTS, and ``evaluate`` yielding Hits and Gaps."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict

from analyzer.findings import Severity
from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject, ObjectRef


class PredicateParams(BaseModel):
    """Base of every predicate's parameters: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True, slots=True)
class Hit:
    """The subject is in the bad state. ``facts`` fill the message placeholders."""

    facts: Mapping[str, str] = field(default_factory=dict)
    related: tuple[ObjectRef, ...] = ()
    severity: Severity | None = None
    """Overrides the rule's severity for this hit (e.g. a softer case of the same state)."""


@dataclass(frozen=True, slots=True)
class Gap:
    """The subject could not be checked: the snapshot holds no ``kind`` in ``namespace``."""

    kind: str
    namespace: str | None


Outcome = Hit | Gap


class Predicate(Protocol):
    """A predicate module: ``Params`` model, ``FACTS`` it provides, and ``evaluate``."""

    @property
    def Params(self) -> type[PredicateParams]: ...  # noqa: N802 - the module's class

    @property
    def FACTS(self) -> frozenset[str]: ...  # noqa: N802 - a module constant

    def evaluate(self, subject: K8sObject, graph: SnapshotGraph, params: Any) -> Iterator[Outcome]: ...
