"""Stage 5: findings, severities, suppression and the summary."""

from __future__ import annotations

from analyzer.findings.finding import CoverageNote, Finding, Severity

__all__ = ["CoverageNote", "Finding", "Severity"]
