"""``kubesnap diff`` output: text, markdown (a pull-request comment) and JSON
(``kubesnap/diff/v1``), from one :class:`~analyzer.report.diff.Diff`. Deterministic: the
order is the reports' own, and nothing comes from the clock."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from analyzer.findings import Finding
from analyzer.report.diff import Diff, Metric, Value
from analyzer.report.json_report import finding_json

DIFF_SCHEMA = "kubesnap/diff/v1"
GROUPS = ("fixed", "new", "remaining")


def text(diff: Diff) -> str:
    lines = [f"kubesnap diff: {diff.before} -> {diff.after}", ""]
    rows = [("", "before", "after", "change")] + [
        (m.title, _value(m.before), _value(m.after), _change(m)) for m in diff.metrics
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    for group in GROUPS:
        found: list[Finding] = getattr(diff, group)
        lines += ["", f"{group} ({len(found)})"]
        for finding in found:
            shown = f"{_where(finding)}  {finding.object.display()}  [{finding.rule}]"
            lines.append(f"  {finding.severity.value:7}  {shown}")
            lines.append(f"           {finding.message}")
    lines += ["", _summary(diff)]
    return "\n".join(lines) + "\n"


def markdown(diff: Diff) -> str:
    lines = [
        f"### kubesnap diff: `{_code(diff.before)}` → `{_code(diff.after)}`",
        "",
        "| | before | after | change |",
        "| --- | ---: | ---: | ---: |",
    ]
    for m in diff.metrics:
        title = _md(m.title.strip()) if not m.title.startswith(" ") else f"&nbsp;&nbsp;{_md(m.title.strip())}"
        lines.append(f"| {title} | {_value(m.before)} | {_value(m.after)} | {_change(m)} |")
    for group in GROUPS:
        found: list[Finding] = getattr(diff, group)
        lines += [
            "",
            f"<details{' open' if group == 'new' else ''}>"
            f"<summary>{group.capitalize()} ({len(found)})</summary>",
            "",
        ]
        for finding in found:
            lines.append(
                f"- **{finding.severity.value}** `{_code(finding.object.display())}` "
                f"`{finding.rule}`: {_md(finding.message)} ({_md(_where(finding))})"
            )
        lines += ["", "</details>"]
    lines += ["", _summary(diff)]
    return "\n".join(lines) + "\n"


def json_diff(diff: Diff) -> str:
    data: dict[str, Any] = {
        "schema": DIFF_SCHEMA,
        "before": diff.before,
        "after": diff.after,
        "metrics": [
            {
                "id": m.id,
                "title": m.title.strip(),
                "before": _json_value(m.before),
                "after": _json_value(m.after),
                "change": m.change,
            }
            for m in diff.metrics
        ],
        "summary": {group: len(getattr(diff, group)) for group in GROUPS},
        **{group: [finding_json(f) for f in getattr(diff, group)] for group in GROUPS},
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


RENDERERS: dict[str, Callable[[Diff], str]] = {"text": text, "markdown": markdown, "json": json_diff}


def _value(value: Value | None) -> str:
    return "-" if value is None else str(value)


def _json_value(value: Value | None) -> dict[str, int | None] | None:
    return None if value is None else {"value": value.value, "total": value.total}


def _change(metric: Metric) -> str:
    change = metric.change
    if change is None:
        return "-"
    totals = metric.before and metric.after and metric.before.total != metric.after.total
    if change == 0:
        return "no change" if not totals else "0 (of a new total)"
    sign = "+" if change > 0 else ""
    better = (change > 0) == (metric.better == "up")
    return f"{sign}{change} ({'better' if better else 'worse'})"


def _where(finding: Finding) -> str:
    loc = finding.location
    if loc is None:
        return "(no location)"
    return f"{loc.file}:{loc.line}" if loc.line else loc.file


def _summary(diff: Diff) -> str:
    return f"{len(diff.fixed)} fixed, {len(diff.new)} new, {len(diff.remaining)} remaining"


_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>|#~"})


def _md(text: str) -> str:
    """Untrusted text in markdown: every character that could format, link or open HTML escaped."""
    return " ".join(text.split()).replace("&", "&amp;").translate(_MD_SPECIAL)


def _code(text: str) -> str:
    """Text inside a code span: backticks and line breaks cannot escape it."""
    return " ".join(text.split()).replace("`", "'")
