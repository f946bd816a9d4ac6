"""GitLab Code Quality: every issue has the fields GitLab's Code Quality report format requires
(description, check_name, fingerprint, severity among GitLab's five, location.path and
location.lines.begin), unique and stable fingerprints, the blueocean finding where it is."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from ci_reports import BLUEOCEAN, blueocean, finding_on, hostile

from analyzer.findings import fingerprint
from analyzer.load.types import Location
from analyzer.report import RenderOptions, Report
from analyzer.report.codeclimate import render

PLAIN = RenderOptions()
GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def issues(report: Report) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = json.loads(render(report, PLAIN))
    for issue in out:
        assert isinstance(issue["description"], str) and issue["description"]
        assert isinstance(issue["check_name"], str) and issue["check_name"]
        assert isinstance(issue["fingerprint"], str) and issue["fingerprint"]
        assert issue["severity"] in GITLAB_SEVERITIES
        assert isinstance(issue["location"]["path"], str) and issue["location"]["path"]
        begin = issue["location"]["lines"]["begin"]
        assert isinstance(begin, int) and begin >= 1
    return out


def test_blueocean_issues_have_what_gitlab_requires() -> None:
    report = blueocean()
    found = issues(report)
    assert len(found) == len(report.findings)
    assert len({i["fingerprint"] for i in found}) == len(found)
    finding = finding_on(report, "service-selector-matches-nothing", "Service/monitoring/prometheus-server")
    (issue,) = [
        i for i in found if i["check_name"] == finding.rule and i["fingerprint"] == fingerprint(finding)
    ]
    assert issue["severity"] == "critical"
    assert issue["description"] == f"Service/monitoring/prometheus-server: {finding.message}"
    assert finding.location is not None
    assert issue["location"] == {
        "path": f"{BLUEOCEAN}/resources.yaml",
        "lines": {"begin": finding.location.line},
    }
    assert finding.hint and finding.hint in issue["content"]["body"]


def test_severities_map_to_gitlab_ones() -> None:
    pairs = {(i["check_name"], i["severity"]) for i in issues(blueocean())}
    assert ("mixed-label-conventions", "minor") in pairs
    assert ("workload-scaled-to-zero", "info") in pairs


def test_fingerprints_survive_moved_lines_and_stay_unique_for_twins() -> None:
    report = hostile()
    moved = replace(
        report, findings=[replace(f, location=Location("elsewhere.yaml", 99)) for f in report.findings]
    )
    assert [i["fingerprint"] for i in issues(report)] == [i["fingerprint"] for i in issues(moved)]
    twins = replace(report, findings=[report.findings[1], report.findings[1]], skipped=[])
    first, second = issues(twins)
    assert first["fingerprint"] == fingerprint(report.findings[1])
    assert second["fingerprint"] != first["fingerprint"]


def test_an_input_not_read_is_an_issue_where_it_failed() -> None:
    report = hostile()
    (issue,) = [i for i in issues(report) if i["check_name"] == "not-read"]
    assert issue["location"] == {"path": "bad.yaml", "lines": {"begin": 2}}
    assert issue["severity"] == "minor"
    assert issue["description"] == f"bad.yaml: not read: {report.skipped[0].reason}"
    assert issue["fingerprint"] not in {fingerprint(f) for f in report.findings}


def test_a_finding_from_stdin_is_kept_at_line_one_of_stdin() -> None:
    issue = issues(hostile())[0]
    assert issue["location"] == {"path": "<stdin>", "lines": {"begin": 1}}
    assert json.loads(render(hostile(), PLAIN))[0]["description"].endswith(hostile().findings[0].message)
