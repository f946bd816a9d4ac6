"""JUnit XML (``--format junit``): the test report GitLab (``artifacts:reports:junit``), Jenkins
and most CI systems show as tests.

One ``<testsuite>`` per rule that ran (name and ``classname`` the rule id), holding one failing
``<testcase>`` per finding, named for the object (``Kind/namespace/name``), whose ``<failure>``
has the severity as ``type``, the message as ``message`` and, as its text, the file and line,
the hint and the evidence. A rule without a finding has one passing test case, so it shows as
passed; objects a rule could not check (a kind missing from the snapshot) are a skipped test case,
and so is each input that could not be read (suite ``not-read``, named for the file and line).
Counts (tests, failures, errors, skipped) are attributes of each suite and of ``<testsuites>``.
There is no time attribute: the same input gives the same bytes. Characters XML 1.0 cannot hold
(control characters) are dropped from untrusted text; the rest is escaped by ElementTree.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from analyzer.findings import CoverageNote, Finding
from analyzer.report.model import DEFAULT_OPTIONS, RenderOptions, Report, RuleInfo
from analyzer.report.where import file_of

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

_NOT_XML = dict.fromkeys(
    c for c in [*range(0x20), 0xFFFE, 0xFFFF, *range(0xD800, 0xE000)] if chr(c) not in "\t\n\r"
)
"""What XML 1.0 cannot hold (outside its ``Char`` production), for :meth:`str.translate` to drop."""
PASSED = "no finding"
NOT_READ = "not-read"


def render(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    from xml.etree.ElementTree import Element, SubElement, indent, tostring

    by_rule: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    gaps: dict[str, list[CoverageNote]] = {}
    for note in report.coverage:
        gaps.setdefault(note.rule, []).append(note)
    rules = {rule.id: rule for rule in report.rules}
    root = Element("testsuites", {"name": "kubesnap"})
    totals: Counter[str] = Counter()
    for rule_id in sorted(rules.keys() | by_rule.keys()):
        suite = SubElement(root, "testsuite", {"name": rule_id})
        findings = by_rule.get(rule_id, [])
        names: Counter[str] = Counter()
        for finding in findings:
            _failure(SubElement(suite, "testcase"), finding, names)
        if not findings:
            SubElement(suite, "testcase", {"classname": rule_id, "name": _passed(rules.get(rule_id))})
        for note in gaps.get(rule_id, []):
            case = SubElement(suite, "testcase", {"classname": rule_id, "name": _gap_name(note)})
            SubElement(case, "skipped", {"message": _clean(note.describe())})
        counts = Counter(
            tests=len(suite), failures=len(findings), errors=0, skipped=len(gaps.get(rule_id, []))
        )
        suite.attrib.update({key: str(counts[key]) for key in ("tests", "failures", "errors", "skipped")})
        totals.update(counts)
    if report.skipped:
        suite = SubElement(root, "testsuite", {"name": NOT_READ})
        for skipped in report.skipped:
            where = f"{skipped.file}:{skipped.line}" if skipped.line else skipped.file
            case = SubElement(suite, "testcase", {"classname": NOT_READ, "name": _clean(where)})
            SubElement(case, "skipped", {"message": _clean(skipped.reason)})
        counts = Counter(tests=len(report.skipped), failures=0, errors=0, skipped=len(report.skipped))
        suite.attrib.update({key: str(counts[key]) for key in ("tests", "failures", "errors", "skipped")})
        totals.update(counts)
    root.attrib.update({key: str(totals[key]) for key in ("tests", "failures", "errors", "skipped")})
    indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n"


def _failure(case: Element, finding: Finding, names: Counter[str]) -> None:
    from xml.etree.ElementTree import SubElement

    name = finding.object.display()
    names[name] += 1
    if names[name] > 1:
        name = f"{name} ({names[name]})"
    case.attrib.update({"classname": finding.rule, "name": _clean(name)})
    place = file_of(finding)
    if place is not None:
        case.set("file", _clean(place.path))
        if place.line is not None:
            case.set("line", str(place.line))
    failure = SubElement(
        case, "failure", {"type": finding.severity.value, "message": _clean(finding.message)}
    )
    failure.text = _clean(_body(finding))


def _body(finding: Finding) -> str:
    where = finding.location
    lines = [f"{where.file}:{where.line}" if where and where.line else (where.file if where else "(no file)")]
    lines.append(f"{finding.object.display()} [{finding.rule}] {finding.severity.value}")
    lines.append(finding.message)
    if finding.template is not None:
        lines.append(f"rendered from: {finding.template.file}")
    lines += [f"{e.kind}: {e.text}" for e in finding.evidence]
    if finding.hint:
        lines.append(f"hint: {finding.hint}")
    return "\n".join(lines)


def _passed(rule: RuleInfo | None) -> str:
    return PASSED if rule is None else _clean(f"{PASSED}: {rule.title}")


def _gap_name(note: CoverageNote) -> str:
    where = note.namespace or "(cluster)"
    if note.reason:
        return _clean(f"not checked: {note.objects} object(s) in {where} ({note.reason})")
    return _clean(f"not checked: {note.objects} object(s) in {where} (no {note.missing_kind})")


def _clean(text: str) -> str:
    """``text`` without the characters an XML 1.0 document cannot hold."""
    return text.translate(_NOT_XML)
