"""GitLab Code Quality (``--format codeclimate``): the JSON array of issues GitLab reads from an
``artifacts:reports:codequality`` file (a subset of the Code Climate engine format).

Each finding is one issue with the fields GitLab requires (``description``, ``check_name``,
``fingerprint``, ``severity``, ``location.path`` and ``location.lines.begin``) and a few it
shows when present (``categories``, ``content.body`` with the hint). The fingerprint is the
finding's own (it survives moved lines, so GitLab tells new issues from old ones), made unique
within the report when two findings share one. Severities: error -> critical, warning -> minor,
info -> info. A finding without a file (standard input) is kept, at the path ``<stdin>``. Each
input that could not be read (a YAML error, ...) is an issue too, ``check_name`` ``not-read``,
severity minor: what is in it was not checked.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from analyzer.findings import Finding, Severity, fingerprint
from analyzer.load.types import Location, Skipped
from analyzer.report.model import DEFAULT_OPTIONS, RenderOptions, Report
from analyzer.report.where import STDIN, file_of, place

NOT_READ = "not-read"
SEVERITIES = {Severity.ERROR: "critical", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    return json.dumps(issues(report), indent=2, ensure_ascii=False) + "\n"


def issues(report: Report) -> list[dict[str, Any]]:
    seen: set[str] = set()
    out = []
    for finding in report.findings:
        rule = report.rule(finding.rule)
        out.append(_issue(finding, _unique(fingerprint(finding), seen), rule.category if rule else ""))
    for skipped in report.skipped:
        out.append(_not_read(skipped, seen))
    return out


def _not_read(skipped: Skipped, seen: set[str]) -> dict[str, Any]:
    where = place(Location(skipped.file, skipped.line))
    digest = hashlib.sha256(f"not-read\x1f{skipped.file}\x1f{skipped.reason}".encode()).hexdigest()[:16]
    return {
        "type": "issue",
        "check_name": NOT_READ,
        "description": f"{skipped.file}: not read: {skipped.reason}",
        "categories": ["Bug Risk"],
        "severity": "minor",
        "fingerprint": _unique(digest, seen),
        "location": {
            "path": where.path if where else STDIN,
            "lines": {"begin": (where.line if where else None) or 1},
        },
    }


def _issue(finding: Finding, fp: str, category: str) -> dict[str, Any]:
    place = file_of(finding)
    issue: dict[str, Any] = {
        "type": "issue",
        "check_name": finding.rule,
        "description": f"{finding.object.display()}: {finding.message}",
        "categories": ["Bug Risk"],
        "severity": SEVERITIES[finding.severity],
        "fingerprint": fp,
        "location": {
            "path": place.path if place else STDIN,
            "lines": {"begin": (place.line if place else None) or 1},
        },
    }
    body = [finding.hint or "", *(f"{e.kind}: {e.text}" for e in finding.evidence)]
    if category:
        body.append(f"category: {category}")
    issue["content"] = {"body": "\n\n".join(line for line in body if line)}
    return issue


def _unique(fp: str, seen: set[str]) -> str:
    """``fp``, or when the report already has it, a digest of it and its occurrence."""
    candidate, n = fp, 1
    while candidate in seen:
        n += 1
        candidate = hashlib.sha256(f"{fp}#{n}".encode()).hexdigest()[:16]
    seen.add(candidate)
    return candidate
