"""Finding, Severity and the coverage note: what the rules stage produces (the findings stage
then suppresses, orders and fingerprints them: :mod:`analyzer.findings`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

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


EvidenceKind = Literal["event", "log", "condition", "status"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the dump shows about a finding, quoted: an Event (reason, count, last message), the
    last lines of a container's log, or a status condition. ``text`` is one trimmed line (log
    evidence: a few lines), never a Secret value."""

    kind: EvidenceKind
    text: str
    object: ObjectRef | None = None
    """The object the evidence is about when it is not the finding's own (a Pod of a workload)."""


class Layer(str, Enum):
    """Where a rule's findings sit in a chain of causes (:mod:`analyzer.findings.causes`):
    ``configuration`` (what a manifest says, or a workload's dependency on another Service),
    ``pod`` (one Pod, Node or claim in a bad state) and ``aggregate`` (a workload, Service or
    DaemonSet short of what it wants). An aggregate never explains a pod-layer finding: the pods
    are why the workload is down, not the other way round. ``risk`` (a security or hardening
    finding: a privileged container, a wildcard role) is no link in any chain: it breaks nothing,
    so it explains no failure, and no failure explains it."""

    CONFIGURATION = "configuration"
    POD = "pod"
    AGGREGATE = "aggregate"
    RISK = "risk"


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
    evidence: tuple[Evidence, ...] = ()
    because_of: tuple[ObjectRef, ...] = ()
    """Objects whose own findings may explain this one (a Pod's workload, the Service a
    dependency names); :mod:`analyzer.findings.causes` links them."""
    layer: Layer = Layer.CONFIGURATION
    explained_by: tuple[str, ...] = ()
    """Rules whose finding on the same object explains this one (the rule's ``explained_by``)."""
    spec_of: tuple[ObjectRef, ...] = ()
    """The objects whose pod spec this finding judges, as their controller's template would be
    judged (a ``skip_controlled`` rule): its own object, and the others judged through it (the
    other Pods of a controller the snapshot lacks: :class:`analyzer.rules.evaluate.StandIn`).
    Empty for every other rule. What a spec gets wrong explains the state of a Pod it
    describes (:mod:`analyzer.findings.causes`)."""
    causes: tuple[str, ...] = ()
    """The fingerprints of the findings that explain this one, set by the findings stage
    (:mod:`analyzer.findings.causes`)."""


@dataclass(frozen=True, slots=True, order=True)
class CoverageNote:
    """A rule that could not check some objects: the snapshot lacks a kind there, or (``reason``
    set, ``missing_kind`` empty) a CEL expression failed on them (``subject`` is the first)."""

    rule: str
    missing_kind: str
    namespace: str | None
    objects: int = field(compare=False)
    reason: str = ""
    """Why the objects were not checked when it is not a missing kind (a CEL runtime error)."""
    subject: ObjectRef | None = field(default=None, compare=False)
    """The first object (by kind, namespace, name) the ``reason`` applies to."""

    def describe(self) -> str:
        where = f"namespace {self.namespace}" if self.namespace else "the snapshot"
        if self.reason:
            first = f" (first: {self.subject.display()})" if self.subject is not None else ""
            return f"{self.rule}: {self.objects} object(s) in {where} not checked{first}: {self.reason}"
        return (
            f"{self.rule}: {self.objects} object(s) in {where} not checked: "
            f"the snapshot holds no {self.missing_kind} there"
        )
