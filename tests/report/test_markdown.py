"""The markdown report, read as GitHub reads a pull-request comment (CommonMark + tables, through
markdown-it-py): its summary table holds the report's counts, the root causes come first, each
rule's findings are a table in a collapsible section, the length is capped with a right "and N
more" count, and a hostile object name or message stays text."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from conftest import REPO
from markdown_it import MarkdownIt
from markdown_it.token import Token

from analyzer import pipeline
from analyzer.findings import Finding, Severity
from analyzer.load.types import Location, Skipped
from analyzer.model import ObjectRef
from analyzer.report import RENDERERS, RenderOptions, Report, markdown
from analyzer.rules.finding import Layer

BEFORE = REPO / "fixtures" / "blueocean" / "before"
PARSER = MarkdownIt("commonmark").enable("table")


@pytest.fixture(scope="module")
def blueocean() -> Report:
    return pipeline.analyse([str(BEFORE)]).report


def without_risks(findings: list[Finding]) -> list[Finding]:
    """The findings but the risks (layer risk: hardening checks on each workload)."""
    return [f for f in findings if f.layer is not Layer.RISK]


def tables(text: str) -> list[list[list[str]]]:
    """Every table of ``text`` as rows of cell texts (header row first)."""
    out: list[list[list[str]]] = []
    row: list[str] | None = None
    for token in PARSER.parse(text):
        if token.type == "table_open":
            out.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            out[-1].append(row)
            row = None
        elif token.type == "inline" and row is not None:
            row.append(plain(token))
    return out


def plain(token: Token) -> str:
    """The text a reader sees in an inline token (escapes resolved, no markup)."""
    return "".join(c.content for c in token.children or [] if c.type in ("text", "code_inline"))


def test_the_summary_table_holds_the_report_counts(blueocean: Report) -> None:
    text = markdown.render(blueocean, RenderOptions())
    counts = blueocean.counts()
    assert text.splitlines()[0] == (
        f"## kubesnap: {counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info"
    )
    header, values = tables(text)[0]
    assert header == ["errors", "warnings", "info", "objects", "files", "suppressed"]
    expected = [counts["error"], counts["warning"], counts["info"], blueocean.objects, blueocean.files]
    assert values == [str(n) for n in [*expected, blueocean.suppressed]]
    assert counts["error"] > 0 and counts["warning"] > 0  # the fixture is broken: not all zeros


def test_root_causes_come_first_with_what_they_explain(blueocean: Report) -> None:
    text = markdown.render(blueocean, RenderOptions())
    roots = text.index("### Root causes: fix 11 thing(s) to clear 37 finding(s)")
    assert roots < text.index("<details>")
    first = text[roots:].splitlines()[2]
    assert first.startswith("1. **Service/monitoring/prometheus-server** (helm-release-drift, ")
    assert "   - explains 6: Deployment/monitoring/opencost (dependency-unavailable)" in text
    assert f"... and {len(blueocean.root_causes) - markdown.SHOWN_ROOTS} more root cause(s)" in text


def test_each_rule_is_a_collapsible_section_with_a_table(blueocean: Report) -> None:
    # What breaks only: with blueocean's 77 risk warnings the comment passes MAX_CHARS and is
    # cut (test_a_long_report_is_cut_below_the_cap_with_the_right_count); here every section is
    # read whole.
    failing = replace(blueocean, findings=without_risks(blueocean.findings))
    text = markdown.render(failing, RenderOptions())
    rules = sorted({f.rule for f in failing.findings})
    summaries = re.findall(r"<details><summary>(\S+) — .+ \((\d+)\)</summary>", text)
    assert sorted(rule for rule, _ in summaries) == rules
    for rule, count in summaries:
        assert int(count) == sum(1 for f in failing.findings if f.rule == rule)
    finding_tables = tables(text)[1:]
    assert len(finding_tables) == len(rules)
    assert sum(len(t) - 1 for t in finding_tables) == len(failing.findings)
    by_rule = dict(zip((rule for rule, _ in summaries), finding_tables, strict=True))
    drift = [by_rule["helm-release-drift"]]
    [server] = [
        f
        for f in failing.findings
        if f.rule == "helm-release-drift" and f.object.display() == "Service/monitoring/prometheus-server"
    ]
    assert server.location is not None
    where = f"{server.location.file}:{server.location.line}"
    assert [row[1:4] for row in drift[0][1:] if row[1] == server.object.display()] == [
        [server.object.display(), where, server.message]
    ]
    assert "selector is app=prometheus,component=server" in server.message
    assert "more finding(s)" not in text  # well under the cap: nothing left out


def test_a_comment_cut_at_its_cap_keeps_every_error_before_the_risks(blueocean: Report) -> None:
    """blueocean's whole report passes MAX_CHARS: what is cut is hardening warnings, never a
    break; the sections go by severity, breaks before risks."""
    text = markdown.render(blueocean, RenderOptions())
    assert len(text) <= markdown.MAX_CHARS
    assert "more finding(s)" in text  # cut
    sections = re.findall(r"<details><summary>(\S+) — ", text)
    errors = [f for f in blueocean.findings if f.severity is Severity.ERROR]
    assert {f.rule for f in errors} <= set(sections)
    rows = {(row[0], row[1]) for t in tables(text)[1:] for row in t[1:]}
    assert {("error", f.object.display()) for f in errors} <= rows
    severities = [max(f.severity.rank for f in blueocean.findings if f.rule == rule) for rule in sections]
    assert severities == sorted(severities, reverse=True)
    risky = [all(f.layer is Layer.RISK for f in blueocean.findings if f.rule == r) for r in sections]
    # Within one severity, the rules that break something come before the hardening ones.
    assert list(zip(severities, risky, strict=True)) == sorted(
        zip(severities, risky, strict=True), key=lambda pair: (-pair[0], pair[1])
    )


def synthetic(count: int) -> Report:
    findings = [
        Finding(
            "service-selector-matches-nothing" if i % 3 else "missing-reference",
            Severity.ERROR if i % 2 else Severity.WARNING,
            ObjectRef("v1", "Service", f"ns-{i % 7}", f"service-{i:05d}"),
            f"Service service-{i:05d} selects app=web-{i}, but no pod in ns-{i % 7} carries it. " * 3,
            Location("big.yaml", 10 * i + 1),
            hint="Fix the selector.",
        )
        for i in range(count)
    ]
    return Report(files=1, documents=count, objects=count, skipped=[], findings=findings)


def test_a_long_report_is_cut_below_the_cap_with_the_right_count() -> None:
    report = synthetic(3000)
    text = markdown.render(report, RenderOptions())
    assert len(text) <= markdown.MAX_CHARS < 65_536
    shown = sum(len(t) - 1 for t in tables(text)[1:])
    match = re.search(r"^\.\.\. and (\d+) more finding\(s\)", text, re.MULTILINE)
    assert match is not None
    assert 0 < shown < 3000
    assert shown + int(match.group(1)) == 3000
    assert text.count("<details>") == text.count("</details>")  # no section left open


def test_a_report_just_under_the_cap_is_whole() -> None:
    text = markdown.render(synthetic(40), RenderOptions())
    assert "more finding(s)" not in text
    assert sum(len(t) - 1 for t in tables(text)[1:]) == 40


HOSTILE = 'evil|name <img src=x onerror="alert(1)"> `tick` **bold** [link](javascript:alert(1))'


def test_a_hostile_name_or_message_stays_text() -> None:
    finding = Finding(
        "duplicate-object",
        Severity.ERROR,
        ObjectRef("v1", "ConfigMap", "shop", HOSTILE),
        "line one\n# Heading\n</details>\n| a | b |",
        Location("a|b.yaml", 3),
        hint="<script>alert(2)</script>",
    )
    report = Report(files=1, documents=1, objects=1, skipped=[], findings=[finding])
    text = RENDERERS["markdown"](report, RenderOptions())
    html = PARSER.render(text)
    assert "<img" not in html and "<script" not in html and "<h1" not in html
    assert "<strong>" not in html and "<a " not in html and "<code>" not in html
    assert text.count("</details>") == 1
    [_, findings] = tables(text)
    assert findings[1] == [
        "error",
        f"ConfigMap/shop/{HOSTILE}",
        "a|b.yaml:3",
        "line one # Heading </details> | a | b |",
        "<script>alert(2)</script>",
    ]


def test_no_findings_says_so() -> None:
    text = markdown.render(Report(files=1, documents=1, objects=1, skipped=[], findings=[]), RenderOptions())
    assert text.startswith("## kubesnap: no findings\n")
    assert "<details>" not in text


def test_the_comment_is_deterministic(blueocean: Report) -> None:
    assert markdown.render(blueocean, RenderOptions()) == markdown.render(blueocean, RenderOptions())


def test_skipped_inputs_are_listed() -> None:
    skipped = [Skipped(f"dump/bad-{i}.yaml", i + 1, "YAML error: a | b") for i in range(25)]
    report = Report(files=25, documents=0, objects=0, skipped=skipped, findings=[])
    text = markdown.render(report, RenderOptions())
    assert "<details><summary>skipped (25)</summary>" in text
    assert "- dump/bad-0.yaml:1: YAML error: a \\| b" in text
    assert f"- dump/bad-{markdown.SHOWN_SKIPPED - 1}.yaml" in text
    assert f"dump/bad-{markdown.SHOWN_SKIPPED}.yaml" not in text
    assert f"- and {25 - markdown.SHOWN_SKIPPED} more" in text
