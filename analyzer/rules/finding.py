"""Finding, Severity and the coverage note: what the rules stage produces (the findings stage
then suppresses, orders and fingerprints them: :mod:`analyzer.findings`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from analyzer.load.types import Location
from analyzer.model import ObjectRef


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """error 3 > warning 2 > info 1."""
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True, slots=True)
class Finding:
    """One broken thing, with the fields of the JSON contract and nothing more."""

    rule: str
    severity: Severity
    object: ObjectRef
    message: str
    location: Location | None
    related: tuple[ObjectRef, ...] = ()
    hint: str | None = None
    template: Location | None = None
    """The Helm template the object was rendered from (its ``# Source:`` comment); ``line``
    is None: a render does not say which line of the template wrote the object."""


@dataclass(frozen=True, slots=True, order=True)
class CoverageNote:
    """A rule that could not check some objects because the snapshot lacks a kind there."""

    rule: str
    missing_kind: str
    namespace: str | None
    objects: int = field(compare=False)

    def describe(self) -> str:
        where = f"namespace {self.namespace}" if self.namespace else "the snapshot"
        return (
            f"{self.rule}: {self.objects} object(s) in {where} not checked: "
            f"the snapshot holds no {self.missing_kind} there"
        )
