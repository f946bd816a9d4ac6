"""The text report: findings grouped by severity, each with file:line, object, message, hint."""

from __future__ import annotations

import click

from analyzer.findings import Finding, Severity
from analyzer.report.model import DEFAULT_OPTIONS, RenderOptions, Report

COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
PLURAL = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "info"}


def render(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    def style(text: str, **kw: object) -> str:
        return click.style(text, **kw) if options.color else text  # type: ignore[arg-type]

    lines: list[str] = []
    for severity in Severity:
        group = [f for f in report.findings if f.severity is severity]
        if not group:
            continue
        lines.append(style(f"{PLURAL[severity]} ({len(group)})", fg=COLORS[severity], bold=True))
        for finding in group:
            lines.extend(_finding(finding))
        lines.append("")
    if report.skipped:
        lines.append(style(f"skipped ({len(report.skipped)})", bold=True))
        for skip in report.skipped:
            where = f"{skip.file}:{skip.line}" if skip.line else skip.file
            lines.append(f"  {where}: {skip.reason}")
        lines.append("")
    if report.coverage:
        lines.append(style("not checked", bold=True))
        lines.extend(f"  {note.describe()}" for note in report.coverage)
        lines.append("")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _finding(finding: Finding) -> list[str]:
    loc = finding.location
    where = f"{loc.file}:{loc.line}" if loc and loc.line else (loc.file if loc else "<unknown>")
    head = f"  {where}  {finding.object.display()}  [{finding.rule}]"
    out = [head, f"    {finding.message}"]
    template = finding.template
    if template:
        where = f"{template.file}:{template.line}" if template.line else template.file
        out.append(f"    rendered from: {where}")
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
    if report.skipped:
        extras.append(f"{len(report.skipped)} skipped")
    if report.coverage:
        extras.append(f"{len(report.coverage)} coverage note(s)")
    return text + (f"; {', '.join(extras)}" if extras else "")
