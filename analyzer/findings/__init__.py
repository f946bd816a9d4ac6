"""Stage 5, after the rules: what is done with their findings before a report shows them.

    suppress.py     the ``kubesnap.io/ignore`` annotation and the configuration's ignores
    order.py        the one order of findings in every report
    fingerprint.py  an identity that survives moved lines and renamed files (baselines, diffs)
    causes.py       which findings explain which; the root causes
    summary.py      counts per severity, and the --fail-on decision

:func:`finish` runs them in that order. A finding dropped is counted, never silently lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from analyzer.findings.causes import RootCause, link
from analyzer.findings.fingerprint import fingerprint
from analyzer.findings.order import ordered
from analyzer.findings.suppress import Ignore, suppress
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


def finish(findings: Sequence[Finding], graph: SnapshotGraph, ignores: Sequence[Ignore] = ()) -> Findings:
    """The findings of a run, suppressed and ordered, as every report shows them."""
    kept = suppress(findings, graph, ignores)
    linked, roots = link(ordered(kept))
    return Findings(linked, len(findings) - len(kept), roots)


__all__ = [
    "CoverageNote",
    "Finding",
    "Findings",
    "Ignore",
    "RootCause",
    "Severity",
    "fingerprint",
    "finish",
    "link",
    "ordered",
    "suppress",
]
