"""The text report: the root causes first (what to fix to clear the most findings), then the
findings grouped by severity, each with file:line, object, message, evidence, causes and hint."""

from __future__ import annotations

from collections.abc import Callable

import click

from analyzer.findings import Finding, RootCause, Severity, fingerprint
from analyzer.report.model import DEFAULT_OPTIONS, RenderOptions, Report

COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
PLURAL = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "info"}


def render(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    def style(text: str, **kw: object) -> str:
        return click.style(text, **kw) if options.color else text  # type: ignore[arg-type]

    lines: list[str] = []
    named = {fingerprint(f): f for f in report.findings} if report.root_causes else {}
    if report.root_causes:
        lines.extend(_root_causes(report.root_causes, style))
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
            where = f"{skip.file}:{skip.line}" if skip.line else skip.file
            lines.append(f"  {where}: {skip.reason}")
        lines.append("")
    if report.coverage:
        lines.append(style("not checked", bold=True))
        lines.extend(f"  {note.describe()}" for note in report.coverage)
        lines.append("")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


SHOWN_EXPLAINED = 4
"""How many of the findings a root cause explains the root-cause section names."""


def _root_causes(roots: list[RootCause], style: Callable[..., str]) -> list[str]:
    cleared = len({id(f) for r in roots for f in (r.finding, *r.explains)})
    title = f"root causes: fix {len(roots)} thing(s) to clear {cleared} finding(s)"
    lines = [style(title, bold=True)]
    for number, root in enumerate(roots, 1):
        finding = root.finding
        lines.append(f"  {number}. {_where(finding)}  {finding.object.display()}  [{finding.rule}]")
        lines.append(f"     {finding.message}")
        names = [f"{f.object.display()} [{f.rule}]" for f in root.explains]
        more = len(names) - SHOWN_EXPLAINED
        shown = ", ".join(names[:SHOWN_EXPLAINED]) + (f" and {more} more" if more > 0 else "")
        lines.append(f"     explains {len(names)}: {shown}")
    lines.append("")
    return lines


def _where(finding: Finding) -> str:
    loc = finding.location
    return f"{loc.file}:{loc.line}" if loc and loc.line else (loc.file if loc else "<unknown>")


def _finding(finding: Finding, named: dict[str, Finding]) -> list[str]:
    head = f"  {_where(finding)}  {finding.object.display()}  [{finding.rule}]"
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
