"""The markdown report: a pull-request comment (GitHub, GitLab). A title line and a summary
table, the root causes first (each with what it explains), then one collapsible section per rule
with a table of its findings; cut at :data:`MAX_CHARS` with an "... and N more finding(s)" line.

Object names, messages, hints and file names are untrusted text: :func:`cell` escapes them so
that none can end a table cell, open a code span, a link or an HTML tag, or start a heading."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from analyzer.findings import Finding, RootCause, Severity
from analyzer.report.cells import skipped_at, where
from analyzer.report.model import DEFAULT_OPTIONS, RenderOptions, Report
from analyzer.rules.finding import Layer

MAX_CHARS = 50_000
"""The longest comment written, in characters: GitHub refuses a comment over 65,536; the rest
is left for a caller's own lines around it."""

SHOWN_ROOTS = 10
"""Root causes listed; beyond, only counted."""

SHOWN_EXPLAINED = 4
"""Findings named under each root cause; beyond, only counted."""

SHOWN_SKIPPED = 20
"""Unreadable files or documents listed; beyond, only counted."""
"""Findings named under each root cause; beyond, only counted."""

TRAILER_ROOM = 200
"""Characters kept for the closing tags and the "and N more" line when the cap cuts."""

PLURAL = {Severity.ERROR: "error(s)", Severity.WARNING: "warning(s)", Severity.INFO: "info"}

_SPECIAL = re.compile(r"([\\`*_\[\]|~#!])")
_SPACE = re.compile(r"\s+")


def cell(text: str) -> str:
    """``text`` as inert inline markdown: on one line, HTML special characters as entities, and
    every character markdown gives a meaning inline (``|`` of a table, backticks, emphasis,
    brackets, ``#``) escaped with a backslash."""
    one_line = _SPACE.sub(" ", text).strip()
    return _SPECIAL.sub(r"\\\1", html.escape(one_line, quote=False))


def render(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    head = _head(report)
    budget = MAX_CHARS - len(head) - TRAILER_ROOM
    body: list[str] = []
    shown = 0
    for rule, group in _by_rule(report.findings):
        section = _section_head(report, rule, len(group))
        rows: list[str] = []
        used = len(section) + len(_SECTION_END)
        for finding in group:
            row = _row(finding)
            if used + len(row) > budget:
                break
            rows.append(row)
            used += len(row)
        if rows:
            body.append(section + "".join(rows) + _SECTION_END)
            budget -= used
            shown += len(rows)
        if len(rows) < len(group):
            break
    text = head + ("### Findings by rule\n\n" if report.findings else "") + "".join(body)
    if (more := len(report.findings) - shown) > 0:
        text += f"... and {more} more finding(s), not shown: run kubesnap locally for the full report.\n"
    return text


def _head(report: Report) -> str:
    counts = report.counts()
    total = len(report.findings)
    if total:
        found = ", ".join(f"{counts[s.value]} {PLURAL[s]}" for s in Severity)
        title = f"## kubesnap: {found}\n\n"
    else:
        title = "## kubesnap: no findings\n\n"
    table = (
        "| errors | warnings | info | objects | files | suppressed |\n"
        "| ---: | ---: | ---: | ---: | ---: | ---: |\n"
        f"| {counts['error']} | {counts['warning']} | {counts['info']} | {report.objects} "
        f"| {report.files} | {report.suppressed} |\n\n"
    )
    coverage = ""
    if report.coverage:
        coverage = f"{len(report.coverage)} coverage note(s): some objects were not checked.\n\n"
    return title + table + coverage + _skipped(report) + _root_causes(report.root_causes)


def _skipped(report: Report) -> str:
    """What could not be read, collapsed (the first :data:`SHOWN_SKIPPED`)."""
    if not report.skipped:
        return ""
    lines = [f"<details><summary>skipped ({len(report.skipped)})</summary>", ""]
    for skip in report.skipped[:SHOWN_SKIPPED]:
        lines.append(f"- {cell(skipped_at(skip))}: {cell(skip.reason)}")
    if len(report.skipped) > SHOWN_SKIPPED:
        lines.append(f"- and {len(report.skipped) - SHOWN_SKIPPED} more")
    return "\n".join(lines) + _SECTION_END


def _root_causes(roots: list[RootCause]) -> str:
    if not roots:
        return ""
    cleared = len({id(f) for r in roots for f in (r.finding, *r.alike, *r.explains)})
    lines = [f"### Root causes: fix {len(roots)} thing(s) to clear {cleared} finding(s)", ""]
    for number, root in enumerate(roots[:SHOWN_ROOTS], 1):
        finding = root.finding
        marker = f"{number}. "
        indent = " " * len(marker)
        lines.append(
            f"{marker}**{cell(finding.object.display())}** ({cell(finding.rule)}, "
            f"{cell(where(finding))}): {cell(finding.message)}"
        )
        if root.alike:
            names = ", ".join(cell(f.object.display()) for f in root.alike)
            lines.append(f"{indent}- and {len(root.alike)} more like it: {names}")
        explained = [f"{cell(f.object.display())} ({cell(f.rule)})" for f in root.explains[:SHOWN_EXPLAINED]]
        rest = len(root.explains) - SHOWN_EXPLAINED
        tail = f" and {rest} more" if rest > 0 else ""
        lines.append(f"{indent}- explains {len(root.explains)}: {', '.join(explained)}{tail}")
    if len(roots) > SHOWN_ROOTS:
        lines.append(f"\n... and {len(roots) - SHOWN_ROOTS} more root cause(s)")
    return "\n".join(lines) + "\n\n"


def _by_rule(findings: Iterable[Finding]) -> list[tuple[str, list[Finding]]]:
    """The findings grouped by rule, each group in report order; the rules by their highest
    severity, breaks before risks (a hardening warning never pushes an error out of a comment cut
    at its size limit), then in the order of their first finding."""
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.rule, []).append(finding)

    def rank(item: tuple[str, list[Finding]]) -> tuple[int, bool]:
        found = item[1]
        return -max(f.severity.rank for f in found), all(f.layer is Layer.RISK for f in found)

    return sorted(groups.items(), key=rank)  # stable: first-finding order within a rank


def _section_head(report: Report, rule: str, count: int) -> str:
    info = report.rule(rule)
    title = f"{rule} — {info.title}" if info is not None else rule
    return (
        f"<details><summary>{html.escape(title)} ({count})</summary>\n\n"
        "| severity | object | file:line | message | hint |\n"
        "| --- | --- | --- | --- | --- |\n"
    )


_SECTION_END = "\n</details>\n\n"


def _row(finding: Finding) -> str:
    cells = [
        finding.severity.value,
        cell(finding.object.display()),
        cell(where(finding)),
        cell(finding.message),
        cell(finding.hint or ""),
    ]
    return "| " + " | ".join(cells) + " |\n"
