"""The ``kubesnap/report/v1`` contract as a schema: every JSON report must validate against it
(the tests check each one they make), and docs/report-schema.json is generated from it.

Strict: no field may be missing, added or of another type. Adding a field to the report means
adding it here, and to docs/report-format.md.
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, StrictStr


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Tool(_Strict):
    name: Literal["kubesnap"]
    version: StrictStr


class Skipped(_Strict):
    file: StrictStr
    line: NonNegativeInt | None
    reason: StrictStr


class Inputs(_Strict):
    files: NonNegativeInt
    documents: NonNegativeInt
    objects: NonNegativeInt
    skipped: list[Skipped]


class Summary(_Strict):
    error: NonNegativeInt
    warning: NonNegativeInt
    info: NonNegativeInt
    suppressed: NonNegativeInt


class ObjectRef(_Strict):
    apiVersion: StrictStr  # noqa: N815 - the Kubernetes spelling
    kind: StrictStr
    namespace: StrictStr | None
    name: StrictStr


class Location(_Strict):
    file: StrictStr
    line: NonNegativeInt | None


class Finding(_Strict):
    rule: StrictStr
    severity: Literal["error", "warning", "info"]
    object: ObjectRef
    message: StrictStr
    location: Location | None
    related: list[ObjectRef]
    hint: StrictStr | None


class Coverage(_Strict):
    rule: StrictStr
    kind: StrictStr
    namespace: StrictStr | None
    objects: NonNegativeInt


class ReportV1(_Strict):
    """A whole ``--format json`` report."""

    version: Literal["kubesnap/report/v1"] = Field(alias="schema")  # BaseModel owns .schema
    tool: Tool
    inputs: Inputs
    summary: Summary
    findings: list[Finding]
    coverage: list[Coverage]


def validate(text: str) -> ReportV1:
    """The report in ``text``, or a ``pydantic.ValidationError`` saying what breaks the contract."""
    return ReportV1.model_validate_json(text)


def json_schema() -> str:
    """The JSON Schema of the contract, as docs/report-schema.json holds it."""
    return json.dumps(ReportV1.model_json_schema(by_alias=True), indent=2, sort_keys=True) + "\n"
