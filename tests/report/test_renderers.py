"""Renderers are pure: the same Report gives the same bytes, in the contract's shape."""

from __future__ import annotations

import json

from analyzer.findings import CoverageNote, Finding, Severity
from analyzer.load.types import Location, Skipped
from analyzer.model import ObjectRef
from analyzer.report import FORMATS, Report


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
        coverage=[CoverageNote("missing-reference", "Secret", "shop", 2)],
        templates={("dump/resources.yaml", 120): "prometheus/templates/service.yaml"},
    )


def test_json_contract_shape() -> None:
    data = json.loads(FORMATS["json"](sample_report(), False))
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
    assert data["summary"] == {"error": 1, "warning": 1, "info": 0, "suppressed": 1}
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
        "related": [
            {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "namespace": "monitoring",
                "name": "prometheus-server",
            }
        ],
        "hint": "Fix the selector.",
    }
    assert data["findings"][1]["object"]["namespace"] is None
    assert data["coverage"] == [
        {"rule": "missing-reference", "kind": "Secret", "namespace": "shop", "objects": 2}
    ]


def test_text_groups_by_severity_with_location_and_summary() -> None:
    text = FORMATS["text"](sample_report(), False)
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
        "1 suppressed, 1 skipped, 1 coverage note(s)"
    )
    assert "\x1b[" not in text


def test_colour_only_when_asked() -> None:
    assert "\x1b[" in FORMATS["text"](sample_report(), True)


def test_renderers_are_deterministic() -> None:
    for render in FORMATS.values():
        assert render(sample_report(), False) == render(sample_report(), False)
