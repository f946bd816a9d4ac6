"""Counts per severity, and the --fail-on decision."""

from __future__ import annotations

from collections.abc import Iterable

from analyzer.rules.finding import Finding, Severity

FAIL_ON_CHOICES = ("error", "warning", "info", "never")


def count(findings: Iterable[Finding]) -> dict[str, int]:
    counts = {s.value: 0 for s in Severity}
    for finding in findings:
        counts[finding.severity.value] += 1
    return counts


def fails(findings: Iterable[Finding], fail_on: str) -> bool:
    """True when a finding is at or above ``fail_on`` (never: always False)."""
    if fail_on == "never":
        return False
    threshold = Severity(fail_on).rank
    return any(f.severity.rank >= threshold for f in findings)
