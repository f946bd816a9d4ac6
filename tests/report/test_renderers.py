"""Renderers are pure: the same Report and options give the same bytes, in the contract's shape;
the Report carries what renderers need (each finding's Helm template, the rules that ran)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO

from analyzer import pipeline
from analyzer.config import Config, RuleConfig
from analyzer.findings import CoverageNote, Finding, Severity, fingerprint
from analyzer.load.types import Location, Skipped
from analyzer.model import ObjectRef
from analyzer.report import RENDERERS, RenderOptions, Report, RuleInfo
from analyzer.report.schema import validate
from analyzer.rules.catalog import load_catalog, load_rule_file

PLAIN = RenderOptions()


def sample_report() -> Report:
    svc = ObjectRef("v1", "Service", "monitoring", "prometheus-server")
    deploy = ObjectRef("apps/v1", "Deployment", "monitoring", "prometheus-server")
    node = ObjectRef("v1", "Node", None, "n1")
    findings = [
        Finding(
            "service-selector-matches-nothing",
            Severity.ERROR,
            svc,
            "Service selects app=prometheus.",
            Location("dump/resources.yaml", 120),
            (deploy,),
            "Fix the selector.",
            Location("prometheus/templates/service.yaml"),
        ),
        Finding(
            "duplicate-object", Severity.WARNING, node, "Node/n1 is defined 2 times.", Location("a.yaml", 3)
        ),
    ]
    return Report(
        files=2,
        documents=3,
        objects=40,
        skipped=[Skipped("dump/bad.yaml", 7, "YAML error: mapping values are not allowed here")],
        findings=findings,
        suppressed=1,
        baselined=2,
        coverage=[CoverageNote("missing-reference", "Secret", "shop", 2)],
    )


def test_json_contract_shape() -> None:
    data = json.loads(RENDERERS["json"](sample_report(), PLAIN))
    assert data["schema"] == "kubesnap/report/v1"
    assert data["tool"]["name"] == "kubesnap"
    assert data["inputs"] == {
        "files": 2,
        "documents": 3,
        "objects": 40,
        "skipped": [
            {"file": "dump/bad.yaml", "line": 7, "reason": "YAML error: mapping values are not allowed here"}
        ],
    }
    assert data["summary"] == {"error": 1, "warning": 1, "info": 0, "suppressed": 1, "baselined": 2}
    first = data["findings"][0]
    assert first == {
        "rule": "service-selector-matches-nothing",
        "severity": "error",
        "object": {
            "apiVersion": "v1",
            "kind": "Service",
            "namespace": "monitoring",
            "name": "prometheus-server",
        },
        "message": "Service selects app=prometheus.",
        "location": {"file": "dump/resources.yaml", "line": 120},
        "template": {"file": "prometheus/templates/service.yaml", "line": None},
        "related": [
            {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "namespace": "monitoring",
                "name": "prometheus-server",
            }
        ],
        "hint": "Fix the selector.",
        "fingerprint": fingerprint(sample_report().findings[0]),
        "evidence": [],
        "causes": [],
    }
    assert first["fingerprint"] != data["findings"][1]["fingerprint"]
    assert data["findings"][1]["object"]["namespace"] is None
    assert data["findings"][1]["template"] is None
    assert data["coverage"] == [
        {"rule": "missing-reference", "kind": "Secret", "namespace": "shop", "objects": 2}
    ]
    assert data["root_causes"] == []


def test_text_groups_by_severity_with_location_and_summary() -> None:
    text = RENDERERS["text"](sample_report(), PLAIN)
    lines = text.splitlines()
    assert lines[0] == "errors (1)"
    head = (
        "  dump/resources.yaml:120  Service/monitoring/prometheus-server  [service-selector-matches-nothing]"
    )
    assert lines[1] == head
    assert "    rendered from: prometheus/templates/service.yaml" in lines
    assert "    hint: Fix the selector." in lines
    assert "warnings (1)" in lines
    assert "  dump/bad.yaml:7: YAML error: mapping values are not allowed here" in lines
    assert (
        "  missing-reference: 2 object(s) in namespace shop not checked: the snapshot holds no Secret there"
        in lines
    )
    assert lines[-1] == (
        "1 error(s), 1 warning(s), 0 info in 40 object(s) from 2 file(s); "
        "1 suppressed, 2 baselined, 1 skipped, 1 coverage note(s)"
    )
    assert "\x1b[" not in text


def test_colour_only_when_asked() -> None:
    assert "\x1b[" in RENDERERS["text"](sample_report(), RenderOptions(color=True))
    assert "\x1b[" not in RENDERERS["json"](sample_report(), RenderOptions(color=True))


def test_renderers_are_deterministic() -> None:
    for render in RENDERERS.values():
        assert render(sample_report(), PLAIN) == render(sample_report(), PLAIN)


def test_the_json_report_is_what_the_schema_declares() -> None:
    """What json_report writes is what report/schema.py declares (mypy checks it is built so):
    it validates, and validation changes nothing."""
    text = RENDERERS["json"](sample_report(), PLAIN)
    assert validate(text) == json.loads(text)


def test_a_report_without_templates_still_validates() -> None:
    """``findings[].template`` was added within v1: a report of an earlier version lacks it."""
    data = json.loads(RENDERERS["json"](sample_report(), PLAIN))
    for finding in data["findings"]:
        del finding["template"]
    assert "template" not in validate(json.dumps(data))["findings"][0]


HELM = REPO / "fixtures" / "blueocean" / "before"


def test_findings_carry_the_helm_template_of_their_object(tmp_path: Path) -> None:
    render = tmp_path / "render.yaml"
    render.write_text(
        "---\n# Source: shop/templates/service.yaml\n"
        "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n"
        "spec: {selector: {app: web}, ports: [{port: 80}]}\n"
        "---\napiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: shop}\n"
        "spec: {selector: {app: api}, ports: [{port: 80}]}\n"
        "---\n# Source: shop/templates/deployment.yaml\n"
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: other, namespace: shop}\n"
        "spec:\n  selector: {matchLabels: {app: other}}\n"
        "  template:\n    metadata: {labels: {app: other}}\n"
        "    spec: {containers: [{name: c, image: c:1}]}\n",
        encoding="utf-8",
    )
    report = pipeline.analyse([str(render)]).report
    templates = {f.object.name: f.template for f in report.findings}
    assert templates == {  # Deployment other's findings: it sets no securityContext nor resources
        "web": Location("shop/templates/service.yaml"),
        "api": None,
        "other": Location("shop/templates/deployment.yaml"),
    }
    text = RENDERERS["text"](report, PLAIN)
    assert text.count("    rendered from: shop/templates/service.yaml\n") == 1


def test_the_report_names_the_rules_that_ran() -> None:
    catalog = load_catalog()
    config = Config(
        rules={
            "duplicate-object": RuleConfig(enabled=False),
            "pdb-selects-nothing": RuleConfig(severity=Severity.ERROR),
        }
    )
    report = pipeline.analyse([str(HELM)], config=config).report
    ids = [r.id for r in report.rules]
    assert ids == sorted(r.id for r in catalog if r.id != "duplicate-object" and r.spec.profile == "default")
    pdb = report.rule("pdb-selects-nothing")
    assert pdb is not None and pdb.severity is Severity.ERROR  # as configured
    assert report.rule("duplicate-object") is None
    for finding in report.findings:
        assert report.rule(finding.rule) is not None


def test_rule_info_says_what_sarif_junit_and_html_need() -> None:
    [rule] = [r for r in load_catalog() if r.id == "missing-reference"]
    info = RuleInfo.of(rule)
    assert info.title == rule.spec.title and info.category == rule.spec.category
    assert info.what == rule.spec.docs.what and info.why == rule.spec.docs.why
    assert info.help == f"{rule.spec.docs.what} {rule.spec.docs.why}"
    assert info.docs == "docs/rules/missing-reference.md"
    assert (REPO / info.docs).is_file()
    assert info.docs_uri() == "docs/rules/missing-reference.md"
    assert info.docs_uri("https://example.org/kubesnap/") == (
        "https://example.org/kubesnap/docs/rules/missing-reference.md"
    )


def test_a_rule_of_your_own_has_no_page(tmp_path: Path) -> None:
    [builtin] = [r for r in load_catalog() if r.id == "duplicate-object"]
    own = tmp_path / "my-rules" / "my-duplicate.yaml"
    own.parent.mkdir()
    text = builtin.path.read_text(encoding="utf-8").replace("id: duplicate-object", "id: my-duplicate")
    own.write_text(text, encoding="utf-8")
    info = RuleInfo.of(load_rule_file(own))
    assert info.id == "my-duplicate"
    assert info.docs is None and info.docs_uri("https://example.org/") is None


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_every_renderer_takes_the_report_and_options(name: str) -> None:
    assert isinstance(RENDERERS[name](sample_report(), RenderOptions(docs_base="https://example.org/")), str)
