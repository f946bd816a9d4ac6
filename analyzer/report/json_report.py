"""The JSON report: the stable ``kubesnap/report/v1`` contract (docs/report-format.md)."""

from __future__ import annotations

import json
from typing import Any

from analyzer import __version__
from analyzer.findings import Finding
from analyzer.report.model import Report

SCHEMA = "kubesnap/report/v1"


def finding_json(finding: Finding) -> dict[str, Any]:
    loc = finding.location
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "object": finding.object.to_json(),
        "message": finding.message,
        "location": {"file": loc.file, "line": loc.line} if loc else None,
        "related": [r.to_json() for r in finding.related],
        "hint": finding.hint,
    }


def as_dict(report: Report) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "tool": {"name": "kubesnap", "version": __version__},
        "inputs": {
            "files": report.files,
            "documents": report.documents,
            "objects": report.objects,
            "skipped": [{"file": s.file, "line": s.line, "reason": s.reason} for s in report.skipped],
        },
        "summary": {**report.counts(), "suppressed": report.suppressed},
        "findings": [finding_json(f) for f in report.findings],
        "coverage": [
            {"rule": c.rule, "kind": c.missing_kind, "namespace": c.namespace, "objects": c.objects}
            for c in report.coverage
        ],
    }


def render(report: Report, color: bool = False) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"
