"""The text report: the root causes first (what to fix to clear the most findings), then the
findings grouped by severity, each with file:line, object, message, evidence, causes and hint."""

from __future__ import annotations

from collections.abc import Callable

import click

from analyzer.findings import Finding, RootCause, Severity, fingerprint
from analyzer.findings.health import Health
from analyzer.report.cells import (
    NAMESPACE_HEADER,
    POOL_HEADER,
    against_line,
    healthy,
    namespace_row,
    pool_row,
    skipped_at,
    where,
)
from analyzer.report.model import DEFAULT_OPTIONS, ReleaseInfo, RenderOptions, Report

COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
PLURAL = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "info"}


def render(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    def style(text: str, **kw: object) -> str:
        return click.style(text, **kw) if options.color else text  # type: ignore[arg-type]

    lines: list[str] = []
    named = {fingerprint(f): f for f in report.findings} if report.root_causes else {}
    if report.health is not None:
        lines.extend(_health(report.health, style))
    if report.root_causes:
        lines.extend(_root_causes(report.root_causes, style))
    if report.releases:
        lines.extend(_releases(report.releases, style))
    for severity in Severity:
        group = [f for f in report.findings if f.severity is severity]
        if not group:
            continue
        lines.append(style(f"{PLURAL[severity]} ({len(group)})", fg=COLORS[severity], bold=True))
        for finding in group:
            lines.extend(_finding(finding, named))
        lines.append("")
    if report.skipped:
        lines.append(style(f"skipped ({len(report.skipped)})", bold=True))
        for skip in report.skipped:
            lines.append(f"  {skipped_at(skip)}: {skip.reason}")
        lines.append("")
    if report.coverage:
        lines.append(style("not checked", bold=True))
        lines.extend(f"  {note.describe()}" for note in report.coverage)
        lines.append("")
    if report.against is not None:
        lines.append(against_line(report.against))
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


SHOWN_NAMESPACES = 12
"""Namespaces listed in the health summary; beyond, the healthy ones are only counted."""


def _health(health: Health, style: Callable[..., str]) -> list[str]:
    lines = [style("health", bold=True)]
    if health.pools:
        rows: list[tuple[str, ...]] = [POOL_HEADER, *(pool_row(pool) for pool in health.pools)]
        lines.extend(_table(rows))
    spaces = health.namespaces
    hidden = 0
    if len(spaces) > SHOWN_NAMESPACES:
        troubled = [n for n in spaces if not healthy(n)]
        hidden = len(spaces) - len(troubled)
        spaces = troubled
    if spaces:
        rows = [NAMESPACE_HEADER, *(namespace_row(n) for n in spaces)]
        lines.extend(_table(rows))
    if hidden:
        lines.append(f"  and {hidden} healthy namespace(s)")
    lines.append("")
    return lines


def _releases(releases: list[ReleaseInfo], style: Callable[..., str]) -> list[str]:
    """One row per Helm release: its counted revision, and the revisions seen."""
    header = ["release", "chart", "version", "app", "revision", "status", "objects", "revisions"]
    rows = [header] + [
        [
            f"{r.namespace}/{r.name}",
            r.chart,
            r.chart_version,
            r.app_version or "-",
            str(r.revision),
            r.status,
            str(r.objects),
            ", ".join(f"{n} {status}" for n, status in r.revisions),
        ]
        for r in releases
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [style("helm releases", bold=True)]
    lines.extend("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows)
    lines.append("")
    return [line.rstrip() for line in lines]


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]


SHOWN_EXPLAINED = 4
"""How many of the findings a root cause explains the root-cause section names."""


DETAILED_ROOTS = 3
"""Root causes shown with what they explain, line by line; the others in two lines each."""


def _root_causes(roots: list[RootCause], style: Callable[..., str]) -> list[str]:
    cleared = len({id(f) for r in roots for f in (r.finding, *r.alike, *r.explains)})
    title = f"root causes: fix {len(roots)} thing(s) to clear {cleared} finding(s)"
    lines = [style(title, bold=True)]
    for number, root in enumerate(roots, 1):
        finding = root.finding
        head = f"  {number}. {where(finding)}  {finding.object.display()}  [{finding.rule}]"
        if number > DETAILED_ROOTS:
            alike = f", and {len(root.alike)} more like it" if root.alike else ""
            lines.append(f"{head}  (explains {len(root.explains)}{alike})")
            lines.append(f"     {finding.message}")
            continue
        lines.append(head)
        lines.append(f"     {finding.message}")
        if root.alike:
            names = ", ".join(f.object.display() for f in root.alike)
            lines.append(f"     and {len(root.alike)} more like it: {names}")
        lines.append(f"     explains {len(root.explains)}:")
        for explained in root.explains[:SHOWN_EXPLAINED]:
            what = f"{explained.object.display()} [{explained.rule}]"
            lines.append(f"       {what}: {_short(explained.message)}")
        if len(root.explains) > SHOWN_EXPLAINED:
            lines.append(f"       and {len(root.explains) - SHOWN_EXPLAINED} more")
    lines.append("")
    return lines


def _short(message: str, width: int = 100) -> str:
    return message if len(message) <= width else message[: width - 1] + "…"


def _finding(finding: Finding, named: dict[str, Finding]) -> list[str]:
    head = f"  {where(finding)}  {finding.object.display()}  [{finding.rule}]"
    out = [head, f"    {finding.message}"]
    for evidence in finding.evidence:
        about = f" ({evidence.object.display()})" if evidence.object else ""
        first, *rest = evidence.text.splitlines() or [""]
        out.append(f"    {evidence.kind}{about}: {first}")
        out.extend(f"      {line}" for line in rest)
    for cause in finding.causes:
        if (found := named.get(cause)) is not None:
            out.append(f"    caused by: {found.object.display()} [{found.rule}]")
    template = finding.template
    if template:
        place = f"{template.file}:{template.line}" if template.line else template.file
        out.append(f"    rendered from: {place}")
    if finding.hint:
        out.append(f"    hint: {finding.hint}")
    return out


def summary_line(report: Report) -> str:
    counts = report.counts()
    parts = [f"{counts['error']} error(s)", f"{counts['warning']} warning(s)", f"{counts['info']} info"]
    text = ", ".join(parts)
    text += f" in {report.objects} object(s) from {report.files} file(s)"
    extras = []
    if report.suppressed:
        extras.append(f"{report.suppressed} suppressed")
    if report.baselined:
        extras.append(f"{report.baselined} baselined")
    if report.skipped:
        extras.append(f"{len(report.skipped)} skipped")
    if report.coverage:
        extras.append(f"{len(report.coverage)} coverage note(s)")
    return text + (f"; {', '.join(extras)}" if extras else "")
