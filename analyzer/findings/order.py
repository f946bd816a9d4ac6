"""The one order of findings in every report: by file and line of the object, then rule, kind,
namespace, name and message (objects without a location last). Stable across runs: it depends
on nothing but the findings."""

from __future__ import annotations

from collections.abc import Iterable

from analyzer.rules.finding import Finding


def order_key(finding: Finding) -> tuple[str, int, str, str, str, str, str]:
    loc = finding.location
    return (
        loc.file if loc else "\uffff",
        (loc.line or 0) if loc else 0,
        finding.rule,
        finding.object.kind,
        finding.object.namespace or "",
        finding.object.name,
        finding.message,
    )


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=order_key)
