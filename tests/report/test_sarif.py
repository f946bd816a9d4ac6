"""SARIF 2.1.0: the blueocean report validates against the SARIF 2.1.0 JSON schema, the OASIS
standard's (errata 01) and the SARIF SDK's (both vendored in data/, see data/README.md), and
says, for a known finding, the rule, level, line and object a code-scanning alert needs;
fingerprints survive moved lines; no address is made up."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from typing import Any

import jsonschema
import pytest
from ci_reports import BLUEOCEAN, REPO, blueocean, finding_on, hostile

from analyzer.findings import fingerprint
from analyzer.load.types import Location
from analyzer.report import RenderOptions, Report
from analyzer.report.sarif import TEMPLATE_NOTE, render

DATA = REPO / "tests" / "report" / "data"
OASIS = DATA / "sarif-schema-2.1.0.json"
SCHEMAS = (OASIS, DATA / "sarif-2.1.0-sarif-sdk.json")
PLAIN = RenderOptions()
PROMETHEUS = "Service/monitoring/prometheus-server"


@cache
def validators() -> tuple[Any, ...]:
    out = []
    for path in SCHEMAS:
        schema = json.loads(path.read_text(encoding="utf-8-sig"))
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        out.append(cls(schema, format_checker=cls.FORMAT_CHECKER))
    return tuple(out)


def sarif(report: Report, options: RenderOptions = PLAIN) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(render(report, options))
    for validator in validators():
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]
        assert errors == []
    return log


def test_the_vendored_schemas_are_sarif_2_1_0_and_reject_a_bad_level() -> None:
    oasis = json.loads(OASIS.read_text(encoding="utf-8"))
    assert (
        oasis["id"]
        == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    )
    for path in SCHEMAS:
        schema = json.loads(path.read_text(encoding="utf-8-sig"))
        assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
        assert schema["properties"]["version"]["enum"] == ["2.1.0"]
    log = json.loads(render(blueocean(), PLAIN))
    log["runs"][0]["results"][0]["level"] = "fatal"
    for validator in validators():
        assert any(e.validator == "enum" for e in validator.iter_errors(log))


def test_blueocean_prometheus_server_selector_is_an_error_on_its_line_and_object() -> None:
    log = sarif(blueocean())
    run = log["runs"][0]
    assert log["version"] == "2.1.0"
    assert run["tool"]["driver"]["name"] == "kubesnap"
    (result,) = [
        r
        for r in run["results"]
        if r["ruleId"] == "service-selector-matches-nothing"
        and r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
        == "Service/monitoring/prometheus-server"
    ]
    assert result["level"] == "error"
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "service-selector-matches-nothing"
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": f"{BLUEOCEAN}/resources.yaml", "uriBaseId": "SRCROOT"}
    # The line is the Service's first key in the file the CI job checked.
    lines = (REPO / BLUEOCEAN / "resources.yaml").read_text().splitlines()
    start = physical["region"]["startLine"]
    document = "\n".join(lines[start - 1 : start + 20])
    assert "kind: Service" in document and "name: prometheus-server" in document
    logical = result["locations"][0]["logicalLocations"][0]
    assert logical["name"] == "prometheus-server"
    assert logical["properties"]["namespace"] == "monitoring"
    assert "selects app=prometheus" in result["message"]["text"]
    finding = finding_on(
        blueocean(), "service-selector-matches-nothing", "Service/monitoring/prometheus-server"
    )
    assert finding.hint and finding.hint in result["message"]["text"]
    assert result["partialFingerprints"] == {"kubesnap/v1": fingerprint(finding)}


def test_a_warning_is_a_warning_and_info_a_note() -> None:
    levels = {(r["ruleId"], r["level"]) for r in sarif(blueocean())["runs"][0]["results"]}
    assert ("mixed-label-conventions", "warning") in levels
    assert ("workload-scaled-to-zero", "note") in levels


def test_every_rule_that_ran_is_described_with_its_title_and_severity() -> None:
    report = blueocean()
    rules = sarif(report)["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.id for r in report.rules]
    selector = next(r for r in rules if r["id"] == "service-selector-matches-nothing")
    info = report.rule("service-selector-matches-nothing")
    assert info is not None
    assert selector["shortDescription"]["text"] == info.title
    assert selector["fullDescription"]["text"] == " ".join(info.what.split())
    assert " ".join(info.why.split()) in selector["help"]["text"]
    assert selector["defaultConfiguration"]["level"] == "error"
    assert selector["properties"]["category"] == info.category


def test_no_address_is_made_up_without_a_docs_base() -> None:
    driver = sarif(blueocean())["runs"][0]["tool"]["driver"]
    assert "informationUri" not in driver
    assert all("helpUri" not in rule for rule in driver["rules"])
    selector = next(r for r in driver["rules"] if r["id"] == "service-selector-matches-nothing")
    assert "docs/rules/service-selector-matches-nothing.md" in selector["help"]["text"]


def test_with_a_docs_base_each_builtin_rule_links_its_page() -> None:
    base = "https://example.org/kubesnap/blob/v0.1.0"
    driver = sarif(blueocean(), RenderOptions(docs_base=base))["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == base
    selector = next(r for r in driver["rules"] if r["id"] == "service-selector-matches-nothing")
    assert selector["helpUri"] == f"{base}/docs/rules/service-selector-matches-nothing.md"
    # A rule of one's own has no page: no helpUri even then.
    own = sarif(hostile(), RenderOptions(docs_base=base))["runs"][0]["tool"]["driver"]["rules"]
    assert "helpUri" in own[0] and "helpUri" not in own[1]


def test_fingerprints_do_not_move_with_lines() -> None:
    report = blueocean()
    moved = replace(
        report,
        findings=[
            replace(f, location=Location(f.location.file, (f.location.line or 0) + 7)) if f.location else f
            for f in report.findings
        ],
    )
    before, after = sarif(report)["runs"][0]["results"], sarif(moved)["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in before] == [r["partialFingerprints"] for r in after]
    first = before[0]["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert after[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == first + 7


def test_a_root_cause_is_a_related_location_of_what_it_causes() -> None:
    results = sarif(blueocean())["runs"][0]["results"]
    opencost = next(
        r
        for r in results
        if r["ruleId"] == "dependency-unavailable"
        and r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "Deployment/monitoring/opencost"
    )
    texts = [loc["message"]["text"] for loc in opencost["relatedLocations"]]
    assert "related: Service/monitoring/prometheus-server" in texts
    assert any(t.startswith(f"caused by [service-selector-matches-nothing] on {PROMETHEUS}") for t in texts)
    assert [loc["id"] for loc in opencost["relatedLocations"]] == list(range(1, len(texts) + 1))
    assert opencost["properties"]["causes"]


def test_a_finding_from_stdin_has_only_a_logical_location_and_stays_valid() -> None:
    log = sarif(hostile())
    first = log["runs"][0]["results"][0]
    assert "physicalLocation" not in first["locations"][0]
    assert first["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == 'Service/ns/web<&>"x"'
    # JSON escapes, and nothing is lost or added: the text is the message and the hint.
    assert first["message"]["text"] == f"{hostile().findings[0].message}\n{hostile().findings[0].hint}"
    second = log["runs"][0]["results"][1]
    assert second["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "dir/a%2Cb%3Ac.yaml"
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["warning", "note"]


def test_a_helm_render_points_at_its_template() -> None:
    report = hostile()
    rendered = replace(
        report.findings[1],
        location=Location("charts/shop (helm template)", 12),
        template=Location("shop/templates/service.yaml"),
    )
    result = sarif(replace(report, findings=[rendered]))["runs"][0]["results"][0]
    artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact["uri"] == "charts/shop/templates/service.yaml"
    template = result["relatedLocations"][0]
    assert template["message"]["text"] == TEMPLATE_NOTE
    assert template["physicalLocation"]["artifactLocation"]["uri"] == "charts/shop/templates/service.yaml"
    assert result["properties"]["helmTemplate"] == "shop/templates/service.yaml"


@pytest.mark.parametrize("name", ["", "absolute"])
def test_an_absolute_path_is_a_file_uri(name: str) -> None:
    report = hostile()
    absolute = replace(report.findings[1], location=Location(f"/srv/k8s/{name}x y.yaml", 3))
    result = sarif(replace(report, findings=[absolute]))["runs"][0]["results"][0]
    artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": f"file:///srv/k8s/{name}x%20y.yaml"}
