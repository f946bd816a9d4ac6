"""Stage 5, after the rules: what is done with their findings before a report shows them.

    suppress.py     the ``kubesnap.io/ignore`` annotation and the configuration's ignores
    baseline.py     the findings a baseline file accepts (``check --baseline``)
    order.py        the one order of findings in every report
    fingerprint.py  an identity that survives moved lines and renamed files (baselines, diffs)
    causes.py       which findings explain which; the root causes
    summary.py      counts per severity, and the --fail-on decision

:func:`finish` runs them in that order. A finding dropped is counted, never silently lost.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from analyzer.findings.baseline import hide
from analyzer.findings.causes import RootCause, link
from analyzer.findings.fingerprint import fingerprint
from analyzer.findings.order import ordered
from analyzer.findings.suppress import Ignore, Suppression, split, suppress
from analyzer.graph import SnapshotGraph
from analyzer.rules.finding import CoverageNote, Finding, Severity


@dataclass(frozen=True, slots=True)
class Findings:
    kept: list[Finding]
    """In report order."""
    suppressed: int
    """Dropped by an annotation or an ignore of the configuration."""
    root_causes: list[RootCause]
    """The findings that explain others, those that explain the most first."""
    suppressions: list[Suppression] = field(default_factory=list)
    """The suppressed findings, each with what dropped it and why, in report order."""
    baselined: int = 0
    """Hidden by the baseline (``check --baseline``)."""


def finish(
    findings: Sequence[Finding],
    graph: SnapshotGraph,
    ignores: Sequence[Ignore] = (),
    baseline: Counter[str] | None = None,
) -> Findings:
    """The findings of a run, suppressed, less those the baseline accepts, and ordered, as every
    report shows them. Suppression comes first: a suppressed finding uses no baseline entry."""
    in_order = ordered(findings)
    kept, dropped = split(in_order, graph, ignores)
    kept, baselined = hide(kept, baseline) if baseline else (kept, 0)
    linked, roots = link(kept)
    return Findings(linked, len(dropped), roots, dropped, baselined)


__all__ = [
    "CoverageNote",
    "Finding",
    "Findings",
    "Ignore",
    "RootCause",
    "Severity",
    "Suppression",
    "fingerprint",
    "finish",
    "link",
    "ordered",
    "suppress",
]
