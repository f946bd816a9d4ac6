"""SARIF 2.1.0 (``--format sarif``): one run of the tool ``kubesnap``, for GitHub code scanning
and any SARIF viewer.

Each rule that ran is a ``reportingDescriptor`` (its title, what it checks and why, its page when
an address is known, its severity as the default level); each finding a ``result``: the rule, the
level, the message with its hint, the file and line of the object (relative paths against the
base ``SRCROOT``, the folder kubesnap ran in), the Helm template it was rendered from, the object
as a logical location (``Kind/namespace/name``), the related objects and the findings that cause
it as related locations, and the kubesnap fingerprint as a partial fingerprint (it survives moved
lines, so code scanning keeps an alert open across edits). Skipped inputs and coverage gaps are
tool notifications. No address is made up: without :attr:`RenderOptions.docs_base` a rule's page
is named in its help text, never as a URI.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from analyzer import __version__
from analyzer.findings import Finding, Severity, fingerprint
from analyzer.load.types import Location
from analyzer.model import ObjectKey, ObjectRef
from analyzer.report.model import DEFAULT_OPTIONS, RenderOptions, Report, RuleInfo
from analyzer.report.where import FileLine, file_of, place, template_of

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
"""The ``$id`` of the OASIS SARIF 2.1.0 schema (errata 01)."""
SRCROOT = "SRCROOT"
FINGERPRINT_KEY = "kubesnap/v1"
TEMPLATE_NOTE = "the Helm template this object was rendered from"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

Json = dict[str, Any]


def render(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    return json.dumps(as_dict(report, options), indent=2, ensure_ascii=False) + "\n"


def as_dict(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> Json:
    rules = _rules(report)
    index = {rule.id: i for i, rule in enumerate(rules)}
    places = _places(report.findings)
    by_fingerprint = {fingerprint(f): f for f in report.findings}
    driver: Json = {
        "name": "kubesnap",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": [_descriptor(rule, options.docs_base) for rule in rules],
    }
    if options.docs_base:
        driver["informationUri"] = options.docs_base
    run: Json = {
        "tool": {"driver": driver},
        "invocations": [_invocation(report)],
        "originalUriBaseIds": {
            SRCROOT: {"description": {"text": "The folder kubesnap ran in: relative paths start there."}}
        },
        "results": [_result(f, index[f.rule], places, by_fingerprint) for f in report.findings],
        "columnKind": "unicodeCodePoints",
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rules(report: Report) -> list[RuleInfo]:
    """The rules that ran, and any rule a finding names that the report does not describe (a
    report made by hand), so that every result has its descriptor."""
    known = {rule.id: rule for rule in report.rules}
    for finding in report.findings:
        if finding.rule not in known:
            known[finding.rule] = RuleInfo(finding.rule, finding.rule, "", finding.severity, "", "")
    return sorted(known.values(), key=lambda rule: rule.id)


def _descriptor(rule: RuleInfo, docs_base: str | None) -> Json:
    uri = rule.docs_uri(docs_base) if docs_base else None
    help_text = _prose(rule.help) or rule.title
    if rule.docs and not uri:
        help_text += f" See {rule.docs} in the kubesnap repository."
    out: Json = {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": _prose(rule.what) or rule.title},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"category": rule.category, "tags": sorted({"kubernetes", rule.category} - {""})},
    }
    if uri:
        out["helpUri"] = uri
    return out


def _prose(text: str) -> str:
    """A rule file's text, hard-wrapped in YAML, as one paragraph."""
    return " ".join(text.split())


def _invocation(report: Report) -> Json:
    notes = [
        {
            "level": "warning",
            "message": {"text": f"not read: {s.reason}"},
            "locations": [_location(where)] if (where := place(Location(s.file, s.line))) else [],
        }
        for s in report.skipped
    ]
    notes += [{"level": "note", "message": {"text": c.describe()}} for c in report.coverage]
    return {"executionSuccessful": True, "toolExecutionNotifications": notes}


def _result(
    finding: Finding, rule_index: int, places: dict[ObjectKey, FileLine], causes: dict[str, Finding]
) -> Json:
    text = finding.message if finding.hint is None else f"{finding.message}\n{finding.hint}"
    place = file_of(finding)
    location: Json = {"logicalLocations": [_logical(finding.object)]}
    if place is not None:
        location = {**_location(place), **location}
    out: Json = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(finding)},
    }
    related = _related(finding, places, causes)
    if related:
        out["relatedLocations"] = related
    properties: Json = {"object": finding.object.to_json()}
    if finding.template is not None:
        properties["helmTemplate"] = finding.template.file
    if finding.evidence:
        properties["evidence"] = [f"{e.kind}: {e.text}" for e in finding.evidence]
    if finding.causes:
        properties["causes"] = list(finding.causes)
    out["properties"] = properties
    return out


def _related(finding: Finding, places: dict[ObjectKey, FileLine], causes: dict[str, Finding]) -> list[Json]:
    """The Helm template, the related objects and the findings that cause this one, each where
    the input has it; ids from 1 in that order."""
    out: list[Json] = []
    template = template_of(finding)
    if template is not None:
        out.append({**_location(template), "message": {"text": TEMPLATE_NOTE}})
    for ref in finding.related:
        related: Json = {
            "logicalLocations": [_logical(ref)],
            "message": {"text": f"related: {ref.display()}"},
        }
        if ref.key in places:
            related = {**_location(places[ref.key]), **related}
        out.append(related)
    for cause_fp in finding.causes:
        cause = causes.get(cause_fp)
        if cause is None:
            continue
        where = file_of(cause)
        entry: Json = {
            "logicalLocations": [_logical(cause.object)],
            "message": {"text": f"caused by [{cause.rule}] on {cause.object.display()}: {cause.message}"},
        }
        if where is not None:
            entry = {**_location(where), **entry}
        out.append(entry)
    return [{"id": i, **entry} for i, entry in enumerate(out, start=1)]


def _places(findings: list[Finding]) -> dict[ObjectKey, FileLine]:
    """Where each object that has a finding is: the related objects of other findings point there."""
    out: dict[ObjectKey, FileLine] = {}
    for finding in findings:
        place = file_of(finding)
        if place is not None:
            out.setdefault(finding.object.key, place)
    return out


def _location(place: FileLine) -> Json:
    physical: Json = {"artifactLocation": _artifact(place.path)}
    if place.line is not None:
        physical["region"] = {"startLine": place.line}
    return {"physicalLocation": physical}


def _artifact(path: str) -> Json:
    """A relative path against ``SRCROOT``; an absolute one as a ``file:`` URI."""
    if path.startswith("/"):
        return {"uri": "file://" + quote(path)}
    return {"uri": quote(path.removeprefix("./")), "uriBaseId": SRCROOT}


def _logical(ref: ObjectRef) -> Json:
    return {
        "name": ref.name,
        "fullyQualifiedName": ref.display(),
        "kind": "resource",
        "properties": ref.to_json(),
    }
