"""The ``kubesnap/report/v1`` contract, declared once: typed dictionaries that the JSON renderer
(json_report.py) builds, checked by mypy as it builds them, and from which pydantic makes the
JSON Schema (docs/report-schema.json) and validates reports (the tests check each one they make).

Strict: no field may be missing, added or of another type. Adding a field to the report means
adding it here (``NotRequired``, so that reports of earlier versions still validate), to
docs/report-format.md, and regenerating docs/report-schema.json (:func:`json_schema`).

(Typed dictionaries rather than models: the renderer writes plain dictionaries, as fast as
before, instead of building and dumping one model per finding, which took three times as long.)
"""

from __future__ import annotations

import functools
import json
from typing import Annotated, Any, Literal, NotRequired

from pydantic import ConfigDict, Field, NonNegativeInt, StrictStr, TypeAdapter, with_config

# pydantic reads typing_extensions' TypedDict on every Python version (typing's only from 3.12).
from typing_extensions import TypedDict

_STRICT = ConfigDict(extra="forbid", strict=True)


@with_config(_STRICT)
class Tool(TypedDict):
    name: Literal["kubesnap"]
    version: StrictStr


@with_config(_STRICT)
class Skipped(TypedDict):
    file: StrictStr
    line: NonNegativeInt | None
    reason: StrictStr


@with_config(_STRICT)
class Inputs(TypedDict):
    files: NonNegativeInt
    documents: NonNegativeInt
    objects: NonNegativeInt
    skipped: list[Skipped]


@with_config(_STRICT)
class Summary(TypedDict):
    error: NonNegativeInt
    warning: NonNegativeInt
    info: NonNegativeInt
    suppressed: NonNegativeInt
    baselined: NotRequired[
        Annotated[
            NonNegativeInt,
            Field(
                title="Baselined",
                description="Findings hidden because the baseline file (check --baseline) lists "
                "them: not in findings, not counted per severity, no effect on the exit code. "
                "Added within v1: reports of earlier versions lack it.",
            ),
        ]
    ]


@with_config(_STRICT)
class ObjectRef(TypedDict):
    apiVersion: StrictStr
    kind: StrictStr
    namespace: StrictStr | None
    name: StrictStr


@with_config(_STRICT)
class Location(TypedDict):
    file: StrictStr
    line: NonNegativeInt | None
    path: NotRequired[
        Annotated[
            StrictStr,
            Field(
                description="The field the finding is about, as a path in the object "
                "(spec.template.spec.containers[0].image); line is then the field's own when known."
            ),
        ]
    ]


@with_config(_STRICT)
class Evidence(TypedDict):
    kind: Literal["event", "log", "condition", "status"]
    text: StrictStr
    object: ObjectRef | None


_ADDED = "Added within v1: reports of earlier versions lack it."


@with_config(_STRICT)
class Finding(TypedDict):
    rule: StrictStr
    severity: Literal["error", "warning", "info"]
    object: ObjectRef
    message: StrictStr
    location: Location | None
    template: NotRequired[
        Annotated[
            Location | None,
            Field(
                title="Template",
                description="The Helm template the object was rendered from (its '# Source:' "
                "comment); line is null. Null when the object was not read from a Helm render. "
                "Added within v1: reports of earlier versions lack it.",
            ),
        ]
    ]
    related: list[ObjectRef]
    hint: StrictStr | None
    fingerprint: NotRequired[
        Annotated[
            StrictStr,
            Field(
                title="Fingerprint",
                description="The finding's identity without its location (rule, object, related "
                "objects, message): the same in two runs when lines moved or files were renamed. "
                "Added within v1: reports of earlier versions lack it.",
                pattern="^[0-9a-f]{16}$",
            ),
        ]
    ]
    evidence: NotRequired[
        Annotated[
            list[Evidence],
            Field(
                title="Evidence",
                description="What the dump shows about an observed-state finding, quoted and "
                "trimmed: Events (reason, count, last message), the last lines of a log, status "
                "conditions; object is null when it is the finding's own. " + _ADDED,
            ),
        ]
    ]
    causes: NotRequired[
        Annotated[
            list[Annotated[StrictStr, Field(pattern="^[0-9a-f]{16}$")]],
            Field(
                title="Causes",
                description="Fingerprints of the findings of this report that explain this one "
                "(a Service selecting nothing explains the workload that depends on it). " + _ADDED,
            ),
        ]
    ]


@with_config(_STRICT)
class Suppression(TypedDict):
    """A suppressed finding: which, by what, and why."""

    rule: StrictStr
    object: ObjectRef
    message: StrictStr
    location: Location | None
    fingerprint: Annotated[StrictStr, Field(pattern="^[0-9a-f]{16}$")]
    by: Annotated[
        Literal["annotation", "configuration"],
        Field(
            description="The object's kubesnap.io/ignore annotation, or an ignore entry of the configuration."
        ),
    ]
    reason: Annotated[
        StrictStr | None,
        Field(
            description="The kubesnap.io/ignore-reason annotation beside it, or the ignore entry's "
            "reason; null when none was given (the finding is suppressed all the same)."
        ),
    ]


@with_config(_STRICT)
class Coverage(TypedDict):
    rule: StrictStr
    kind: StrictStr
    namespace: StrictStr | None
    objects: NonNegativeInt
    reason: NotRequired[
        Annotated[
            StrictStr,
            Field(
                title="Reason",
                description="Why the objects were not checked when no kind is missing (kind is then "
                "empty): a CEL rule's runtime error, with the field it happened in. " + _ADDED,
            ),
        ]
    ]
    object: NotRequired[
        Annotated[
            ObjectRef,
            Field(title="First object", description="The first object the reason applies to. " + _ADDED),
        ]
    ]


@with_config(_STRICT)
class RootCause(TypedDict):
    fingerprint: Annotated[StrictStr, Field(pattern="^[0-9a-f]{16}$")]
    explains: list[Annotated[StrictStr, Field(pattern="^[0-9a-f]{16}$")]]
    """The fingerprints of every finding it explains, directly or through others."""
    alike: list[Annotated[StrictStr, Field(pattern="^[0-9a-f]{16}$")]]
    """Findings of the same rule that explain exactly the same ones (one thing to fix)."""


@with_config(_STRICT)
class Count(TypedDict):
    good: NonNegativeInt
    total: NonNegativeInt


@with_config(_STRICT)
class Pods(TypedDict):
    running: NonNegativeInt
    """Running and Ready."""
    pending: NonNegativeInt
    failing: NonNegativeInt
    """Failed, Unknown, or Running but not Ready."""


@with_config(_STRICT)
class NamespaceHealth(TypedDict):
    namespace: StrictStr
    pods: Pods
    restarts: NonNegativeInt
    services: Count
    """Services with a selector: with a ready endpoint (or scaled to zero on purpose) / all."""
    workloads: Count
    """Deployments, StatefulSets, DaemonSets, lone ReplicaSets: with every replica ready / all."""


@with_config(_STRICT)
class Usage(TypedDict):
    requested: NonNegativeInt
    allocatable: NonNegativeInt


@with_config(_STRICT)
class PoolHealth(TypedDict):
    pool: StrictStr
    nodes: Count
    """Ready / all."""
    pods: Usage
    """Pods bound to its nodes (not finished) / the pods its nodes allow."""
    cpu_millicores: Usage
    memory_bytes: Usage


@with_config(_STRICT)
class Health(TypedDict):
    namespaces: list[NamespaceHealth]
    pools: list[PoolHealth]


@with_config(_STRICT)
class Against(TypedDict):
    """``check CHANGED --against DUMP``: the change laid over a live dump."""

    dump: Annotated[list[str], Field(description="The files of the live dump, as read.")]
    pre_existing: Annotated[
        NonNegativeInt,
        Field(
            description="Findings the dump alone already gives and the change does not touch: "
            "counted here, not listed in findings, not counted in summary, no effect on the exit code."
        ),
    ]
    changed: Annotated[NonNegativeInt, Field(description="Objects in the change.")]
    replaced: Annotated[NonNegativeInt, Field(description="Objects of the change replacing a live object.")]
    superseded: Annotated[
        NonNegativeInt,
        Field(
            description="Live pods and ReplicaSets left out of the merged snapshot: controlled by a "
            "workload the change replaced, they go away when it rolls out."
        ),
    ]


@with_config(_STRICT)
class Revision(TypedDict):
    revision: NonNegativeInt
    status: StrictStr


@with_config(_STRICT)
class Release(TypedDict):
    """A Helm release decoded from the dump's release records (never its values)."""

    name: StrictStr
    namespace: StrictStr
    chart: StrictStr
    chart_version: StrictStr
    app_version: StrictStr
    revision: Annotated[
        NonNegativeInt,
        Field(description="The revision that counts: the latest deployed one, else the latest one."),
    ]
    status: Annotated[StrictStr, Field(description="Its status: deployed, failed, pending-install...")]
    objects: Annotated[NonNegativeInt, Field(description="Objects in that revision's manifest.")]
    revisions: Annotated[
        list[Revision], Field(description="Every revision the dump holds, with its status, oldest first.")
    ]


@with_config(_STRICT)
class ReportV1(TypedDict):
    """A whole ``--format json`` report."""

    schema: Literal["kubesnap/report/v1"]
    tool: Tool
    inputs: Inputs
    summary: Summary
    findings: list[Finding]
    coverage: list[Coverage]
    root_causes: NotRequired[
        Annotated[
            list[RootCause],
            Field(
                title="Root causes",
                description="The findings nothing explains that explain others, those that "
                "explain the most first: fix these first. " + _ADDED,
            ),
        ]
    ]
    health: NotRequired[
        Annotated[
            Health | None,
            Field(
                title="Health",
                description="The health and capacity summary of a live dump, per namespace and "
                "per node pool (DOKS, GKE, EKS, AKS, Karpenter pool labels); null for an input "
                "without status. " + _ADDED,
            ),
        ]
    ]
    releases: NotRequired[
        Annotated[
            list[Release],
            Field(
                title="Helm releases",
                description="The Helm releases whose records (sh.helm.release.v1.* Secrets or "
                "ConfigMaps) the input holds, by namespace and name; absent when it holds none. " + _ADDED,
            ),
        ]
    ]

    against: NotRequired[
        Annotated[
            Against,
            Field(
                title="Against",
                description="Present when a change was checked against a live dump "
                "(``kubesnap check CHANGED --against DUMP``): findings then holds only what the "
                "change introduces or touches. " + _ADDED,
            ),
        ]
    ]
    suppressions: NotRequired[
        Annotated[
            list[Suppression],
            Field(
                title="Suppressions",
                description="The findings summary.suppressed counts, in report order, each with "
                "what suppressed it and the reason given. " + _ADDED,
            ),
        ]
    ]


@functools.cache
def _adapter() -> TypeAdapter[ReportV1]:
    """Built on first use (about 7 ms): a run that writes a report never validates one."""
    return TypeAdapter(ReportV1)


def validate(text: str) -> ReportV1:
    """The report in ``text``, or a ``pydantic.ValidationError`` saying what breaks the contract."""
    return _adapter().validate_json(text)


def json_schema() -> str:
    """The JSON Schema of the contract, as docs/report-schema.json holds it."""
    schema: dict[str, Any] = _adapter().json_schema(by_alias=True)
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
