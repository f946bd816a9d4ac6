"""The JSON report: the stable ``kubesnap/report/v1`` contract (docs/report-format.md), built as
the typed dictionaries of :mod:`analyzer.report.schema` declare it (mypy checks every key)."""

from __future__ import annotations

import json
from typing import Final

from analyzer import __version__
from analyzer.findings import Finding, fingerprint
from analyzer.load.types import Location
from analyzer.model import ObjectRef
from analyzer.report import schema
from analyzer.report.model import DEFAULT_OPTIONS, RenderOptions, Report

SCHEMA: Final = "kubesnap/report/v1"


def as_dict(report: Report) -> schema.ReportV1:
    """The report as the contract declares it, fields in its order."""
    counts = report.counts()
    return {
        "schema": SCHEMA,
        "tool": {"name": "kubesnap", "version": __version__},
        "inputs": {
            "files": report.files,
            "documents": report.documents,
            "objects": report.objects,
            "skipped": [{"file": s.file, "line": s.line, "reason": s.reason} for s in report.skipped],
        },
        "summary": {
            "error": counts["error"],
            "warning": counts["warning"],
            "info": counts["info"],
            "suppressed": report.suppressed,
        },
        "findings": [finding_json(f) for f in report.findings],
        "coverage": [
            {"rule": c.rule, "kind": c.missing_kind, "namespace": c.namespace, "objects": c.objects}
            for c in report.coverage
        ],
        "root_causes": [
            {"fingerprint": r.fingerprint, "explains": [fingerprint(f) for f in r.explains]}
            for r in report.root_causes
        ],
    }


def finding_json(finding: Finding) -> schema.Finding:
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "object": _ref(finding.object),
        "message": finding.message,
        "location": _location(finding.location),
        "template": _location(finding.template),
        "related": [_ref(r) for r in finding.related],
        "hint": finding.hint,
        "fingerprint": fingerprint(finding),
        "evidence": [
            {"kind": e.kind, "text": e.text, "object": None if e.object is None else _ref(e.object)}
            for e in finding.evidence
        ],
        "causes": list(finding.causes),
    }


def _ref(ref: ObjectRef) -> schema.ObjectRef:
    return {"apiVersion": ref.api_version, "kind": ref.kind, "namespace": ref.namespace, "name": ref.name}


def _location(location: Location | None) -> schema.Location | None:
    return None if location is None else {"file": location.file, "line": location.line}


def render(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"
