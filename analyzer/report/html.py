"""The HTML report: one self-contained page (inline style, script and drawings; no external
asset, no request) that works offline from a file:// URL. The header counts, the health summary,
the Helm releases, the root causes each with a drawing of the objects involved
(:mod:`analyzer.report.cause_drawing`), and a findings table a reader filters by severity,
namespace and rule or by text, and sorts by clicking a column header.

Rendered from the jinja2 templates of ``templates/`` with autoescaping: names, labels, messages
and evidence are untrusted text. The script's data is JSON inside ``<script
type="application/json">`` with ``<``, ``>`` and ``&`` escaped (jinja2's ``tojson``). The page's
Content-Security-Policy allows only its own inline style and script (by hash): no fetch, no
font, no image from anywhere. With scripting off every finding is still shown.

jinja2 (and the drawing's layout) are imported when a page is rendered, not when the command
line starts."""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from typing import TYPE_CHECKING, Any

from analyzer.findings import Finding, Severity, fingerprint
from analyzer.findings.health import Health
from analyzer.report.cells import CLUSTER_SCOPED, against_line, healthy, namespace_row, pool_row, where
from analyzer.report.model import DEFAULT_OPTIONS, RenderOptions, Report
from analyzer.report.text import summary_line

if TYPE_CHECKING:
    import jinja2


def render(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    from analyzer.report.cause_drawing import NODE_HEIGHT, NODE_WIDTH  # a page's cost, not start-up's

    env = _environment()
    script = _source(env, "report.js")
    style = _source(env, "report.css")
    return env.get_template("report.html.j2").render(
        report=report,
        counts=report.counts(),
        summary=summary_line(report),
        against=None if report.against is None else against_line(report.against),
        health=None if report.health is None else _health(report.health),
        roots=_roots(report),
        cleared=len({id(f) for r in report.root_causes for f in (r.finding, *r.alike, *r.explains)}),
        box_width=NODE_WIDTH,
        box_height=NODE_HEIGHT,
        findings=_findings(report),
        filters=_filters(report),
        data={"findings": [_data(i, f) for i, f in enumerate(report.findings)]},
        rules=_rules(report, options),
        script=script,
        style=style,
        script_hash=_hash(script),
        style_hash=_hash(style),
    )


@cache
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("analyzer.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _source(env: jinja2.Environment, name: str) -> str:
    """A static file of ``templates/``, as written (the page inlines it)."""
    assert env.loader is not None
    text, _, _ = env.loader.get_source(env, name)
    return text.strip()


def _hash(text: str) -> str:
    """The Content-Security-Policy source allowing one inline script or style."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _health(health: Health) -> dict[str, Any]:
    pools = [pool_row(p) for p in health.pools]
    namespaces = [{"cells": namespace_row(n), "healthy": healthy(n)} for n in health.namespaces]
    return {"pools": pools, "namespaces": namespaces}


def _roots(report: Report) -> list[dict[str, Any]]:
    from analyzer.report.cause_drawing import draw

    return [
        {
            "finding": root.finding,
            "where": where(root.finding),
            "alike": [f.object.display() for f in root.alike],
            "explains": root.explains,
            "drawing": draw(root),
        }
        for root in report.root_causes
    ]


def _findings(report: Report) -> list[dict[str, Any]]:
    named = {fingerprint(f): f for f in report.findings} if report.root_causes else {}
    rows = []
    for index, finding in enumerate(report.findings):
        causes = [named[c] for c in finding.causes if c in named]
        template = finding.template
        rows.append(
            {
                "index": index,
                "finding": finding,
                "namespace": finding.object.namespace or CLUSTER_SCOPED,
                "where": where(finding),
                "template": None
                if template is None
                else (f"{template.file}:{template.line}" if template.line else template.file),
                "evidence": [
                    (e.kind + (f" ({e.object.display()})" if e.object else ""), e.text)
                    for e in finding.evidence
                ],
                "causes": [f"{c.object.display()} [{c.rule}]" for c in causes],
            }
        )
    return rows


def _filters(report: Report) -> dict[str, list[str]]:
    present = {f.severity for f in report.findings}
    return {
        "severities": [s.value for s in Severity if s in present],
        "namespaces": sorted({f.object.namespace or CLUSTER_SCOPED for f in report.findings}),
        "rules": sorted({f.rule for f in report.findings}),
    }


def _data(index: int, finding: Finding) -> dict[str, Any]:
    """What the page's script filters and sorts row ``index`` by."""
    loc = finding.location
    return {
        "index": index,
        "severity": finding.severity.value,
        "rank": finding.severity.rank,
        "namespace": finding.object.namespace or CLUSTER_SCOPED,
        "rule": finding.rule,
        "object": finding.object.display(),
        "file": loc.file if loc else "",
        "line": (loc.line or 0) if loc else 0,
        "message": finding.message,
    }


def _rules(report: Report, options: RenderOptions) -> list[dict[str, Any]]:
    """The rules that have findings, with what they check, why it matters and their page (a
    link only when the command gave a docs base: a relative path leads nowhere from a file)."""
    found = {f.rule for f in report.findings}
    return [
        {"info": r, "uri": r.docs_uri(options.docs_base) if options.docs_base else None}
        for r in report.rules
        if r.id in found
    ]
