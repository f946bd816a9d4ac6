"""The JSON report: the stable ``kubesnap/report/v1`` contract (docs/report-format.md), built as
the typed dictionaries of :mod:`analyzer.report.schema` declare it (mypy checks every key)."""

from __future__ import annotations

import json
from math import ceil
from typing import Final

from analyzer import __version__
from analyzer.findings import CoverageNote, Finding, Suppression, fingerprint
from analyzer.findings.health import Health, Ratio
from analyzer.load.types import Location
from analyzer.model import ObjectRef
from analyzer.model.quantity import millis
from analyzer.report import schema
from analyzer.report.model import DEFAULT_OPTIONS, Against, ReleaseInfo, RenderOptions, Report

SCHEMA: Final = "kubesnap/report/v1"


def as_dict(report: Report) -> schema.ReportV1:
    """The report as the contract declares it, fields in its order."""
    counts = report.counts()
    out: schema.ReportV1 = {
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
            "baselined": report.baselined,
        },
        "findings": [finding_json(f) for f in report.findings],
        "coverage": [coverage_json(c) for c in report.coverage],
        "root_causes": [
            {
                "fingerprint": r.fingerprint,
                "explains": [fingerprint(f) for f in r.explains],
                "alike": [fingerprint(f) for f in r.alike],
            }
            for r in report.root_causes
        ],
        "health": None if report.health is None else _health(report.health),
    }
    if report.releases:
        out["releases"] = [_release(r) for r in report.releases]
    if report.against is not None:
        out["against"] = _against(report.against)
    out["suppressions"] = [_suppression(s) for s in report.suppressions]
    return out


def _suppression(suppression: Suppression) -> schema.Suppression:
    finding = suppression.finding
    return {
        "rule": finding.rule,
        "object": _ref(finding.object),
        "message": finding.message,
        "location": _location(finding.location),
        "fingerprint": fingerprint(finding),
        "by": suppression.by,
        "reason": suppression.reason,
    }


def _against(against: Against) -> schema.Against:
    return {
        "dump": list(against.dump),
        "pre_existing": against.pre_existing,
        "changed": against.changed,
        "replaced": against.replaced,
        "superseded": against.superseded,
    }


def _release(release: ReleaseInfo) -> schema.Release:
    return {
        "name": release.name,
        "namespace": release.namespace,
        "chart": release.chart,
        "chart_version": release.chart_version,
        "app_version": release.app_version,
        "revision": release.revision,
        "status": release.status,
        "objects": release.objects,
        "revisions": [{"revision": n, "status": status} for n, status in release.revisions],
    }


def _health(health: Health) -> schema.Health:
    return {
        "namespaces": [
            {
                "namespace": n.namespace,
                "pods": {"running": n.running, "pending": n.pending, "failing": n.failing},
                "restarts": n.restarts,
                "services": _count(n.services),
                "workloads": _count(n.workloads),
            }
            for n in health.namespaces
        ],
        "pools": [
            {
                "pool": p.pool,
                "nodes": _count(p.nodes),
                "pods": {"requested": p.pods, "allocatable": p.max_pods},
                "cpu_millicores": _usage(millis(p.cpu_requests), millis(p.cpu_allocatable)),
                "memory_bytes": _usage(ceil(p.memory_requests), ceil(p.memory_allocatable)),
            }
            for p in health.pools
        ],
    }


def _usage(requested: int, allocatable: int) -> schema.Usage:
    return {"requested": max(requested, 0), "allocatable": max(allocatable, 0)}


def _count(ratio: Ratio) -> schema.Count:
    return {"good": ratio.good, "total": ratio.total}


def coverage_json(note: CoverageNote) -> schema.Coverage:
    found: schema.Coverage = {
        "rule": note.rule,
        "kind": note.missing_kind,
        "namespace": note.namespace,
        "objects": note.objects,
    }
    if note.reason:
        found["reason"] = note.reason
    if note.subject is not None:
        found["object"] = _ref(note.subject)
    return found


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
    if location is None:
        return None
    if location.path is None:
        return {"file": location.file, "line": location.line}
    return {"file": location.file, "line": location.line, "path": location.path}


def render(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"
