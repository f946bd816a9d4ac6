"""JUnit XML: read as GitLab and Jenkins read it (ElementTree, and junitparser, a JUnit reader
from PyPI): one suite per rule that ran, one failing case per finding named for its object, a
passing case for a rule without finding, consistent counts; well-formed with hostile text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

from ci_reports import BLUEOCEAN, HOSTILE, blueocean, finding_on, hostile
from junitparser import Failure, JUnitXml, Skipped

from analyzer.report import RenderOptions
from analyzer.report.junit import render

PLAIN = RenderOptions()


def suites(xml: str) -> dict[str, ET.Element]:
    root = ET.fromstring(xml)
    assert root.tag == "testsuites"
    return {suite.attrib["name"]: suite for suite in root.iter("testsuite")}


def test_one_suite_per_rule_and_one_failing_case_per_finding() -> None:
    report = blueocean()
    by_name = suites(render(report, PLAIN))
    assert sorted(by_name) == [rule.id for rule in report.rules]
    selector = by_name["service-selector-matches-nothing"]
    expected = [f for f in report.findings if f.rule == "service-selector-matches-nothing"]
    assert selector.attrib["failures"] == str(len(expected)) == str(len(selector.findall("testcase")))
    (case,) = [
        c for c in selector.iter("testcase") if c.attrib["name"] == "Service/monitoring/prometheus-server"
    ]
    finding = finding_on(report, "service-selector-matches-nothing", "Service/monitoring/prometheus-server")
    assert case.attrib["classname"] == "service-selector-matches-nothing"
    assert case.attrib["file"] == f"{BLUEOCEAN}/resources.yaml"
    assert finding.location is not None and case.attrib["line"] == str(finding.location.line)
    failure = case.find("failure")
    assert failure is not None
    assert failure.attrib["type"] == "error"
    assert failure.attrib["message"] == finding.message
    body = failure.text or ""
    assert f"{BLUEOCEAN}/resources.yaml:{finding.location.line}" in body
    assert f"hint: {finding.hint}" in body


def test_a_rule_without_finding_passes() -> None:
    report = blueocean()
    by_name = suites(render(report, PLAIN))
    fired = {f.rule for f in report.findings}
    quiet = [rule for rule in report.rules if rule.id not in fired]
    assert quiet, "the fixture runs rules that find nothing"
    suite = by_name[quiet[0].id]
    (case,) = suite.findall("testcase")
    assert list(case) == [] and case.attrib["name"] == f"no finding: {quiet[0].title}"
    assert (suite.attrib["tests"], suite.attrib["failures"]) == ("1", "0")


def test_counts_add_up_and_junitparser_reads_them() -> None:
    report = blueocean()
    xml = JUnitXml.fromstring(render(report, PLAIN))
    cases = [case for suite in xml for case in suite]
    failed = [case for case in cases if any(isinstance(r, Failure) for r in case.result)]
    assert len(failed) == len(report.findings)
    assert sum(suite.tests for suite in xml) == len(cases)
    assert sum(suite.failures for suite in xml) == len(report.findings)
    root = ET.fromstring(render(report, PLAIN))
    assert root.attrib["tests"] == str(len(cases)) and root.attrib["failures"] == str(len(report.findings))
    assert root.attrib["errors"] == "0"
    severities = {r.type for case in failed for r in case.result}
    assert severities == {f.severity.value for f in report.findings}


def test_hostile_text_stays_well_formed_and_readable() -> None:
    xml = render(hostile(), PLAIN)
    clean = HOSTILE.replace("\x00", "").replace("\x07", "").replace("\x1b", "").replace("\ufffe", "")
    by_name = suites(xml)  # parses: well-formed
    (case,) = by_name["rule-a"].findall("testcase")
    assert case.attrib["name"] == 'Service/ns/web<&>"x"'
    assert "file" not in case.attrib  # standard input is no file
    failure = case.find("failure")
    assert failure is not None and failure.attrib["message"] == clean
    assert "event: a <b> &" in (failure.text or "")
    assert "\x1b" not in xml and "\x00" not in xml
    # junitparser reads the same.
    parsed = JUnitXml.fromstring(xml)
    assert [case.name for suite in parsed for case in suite if suite.name == "rule-a"] == [
        'Service/ns/web<&>"x"'
    ]


def test_a_coverage_gap_is_a_skipped_case() -> None:
    by_name = suites(render(hostile(), PLAIN))
    suite = by_name["rule-c"]
    assert (suite.attrib["tests"], suite.attrib["failures"], suite.attrib["skipped"]) == ("2", "0", "1")
    skipped = [c for c in suite.iter("testcase") if c.find("skipped") is not None]
    assert [c.attrib["name"] for c in skipped] == ["not checked: 2 object(s) in shop (no Secret)"]
    parsed = JUnitXml.fromstring(render(hostile(), PLAIN))
    assert sum(1 for s in parsed for c in s for r in c.result if isinstance(r, Skipped)) == 2  # + not read


def test_an_input_not_read_is_a_skipped_case_named_for_its_file_and_line() -> None:
    xml = render(hostile(), PLAIN)
    suite = suites(xml)["not-read"]
    (case,) = suite.findall("testcase")
    assert case.attrib["name"] == "bad.yaml:2"
    skipped = case.find("skipped")
    assert skipped is not None
    assert skipped.attrib["message"] == HOSTILE.replace("\x00", "").replace("\x07", "").replace(
        "\x1b", ""
    ).replace("\ufffe", "")
    root = ET.fromstring(xml)
    assert root.attrib["skipped"] == "2" and root.attrib["errors"] == "0"


def test_two_findings_on_one_object_get_distinct_case_names() -> None:
    report = hostile()
    twice = replace(report, findings=[report.findings[1], replace(report.findings[1], message="other")])
    names = [c.attrib["name"] for c in suites(render(twice, PLAIN))["rule-b"].iter("testcase")]
    assert names == ["Node/n1", "Node/n1 (2)"]
