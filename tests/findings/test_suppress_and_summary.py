"""Suppression by annotation is counted, not hidden; --fail-on thresholds."""

from __future__ import annotations

import pytest
from conftest import graph_from_yaml

from analyzer.findings import Finding, Severity
from analyzer.findings.summary import count, fails
from analyzer.load.types import Location
from analyzer.model import ObjectRef
from analyzer.rules import evaluate, load_catalog

MANIFESTS = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: web:1}]}}
---
apiVersion: v1
kind: Service
metadata:
  name: typo-ignored
  namespace: shop
  annotations: {kubesnap.io/ignore: "service-selector-matches-nothing"}
spec: {selector: {app: wbe}}
---
apiVersion: v1
kind: Service
metadata: {name: typo-all-ignored, namespace: shop, annotations: {kubesnap.io/ignore: "all"}}
spec: {selector: {app: wbe}}
---
apiVersion: v1
kind: Service
metadata:
  name: typo-other-rule-ignored
  namespace: shop
  annotations: {kubesnap.io/ignore: "missing-reference, duplicate-object"}
spec: {selector: {app: wbe}}
"""


def test_annotation_suppresses_named_rules_only_and_is_counted() -> None:
    result = evaluate(load_catalog(), graph_from_yaml(MANIFESTS))
    assert [f.object.name for f in result.findings] == ["typo-other-rule-ignored"]
    assert result.suppressed == 2


def finding(severity: Severity) -> Finding:
    return Finding("r", severity, ObjectRef("v1", "Pod", "ns", "p"), "m", Location("f", 1))


@pytest.mark.parametrize(
    ("severities", "fail_on", "expected"),
    [
        ([Severity.INFO], "warning", False),
        ([Severity.WARNING], "warning", True),
        ([Severity.ERROR], "error", True),
        ([Severity.WARNING, Severity.INFO], "error", False),
        ([Severity.INFO], "info", True),
        ([Severity.ERROR], "never", False),
        ([], "info", False),
    ],
)
def test_fail_on(severities: list[Severity], fail_on: str, expected: bool) -> None:
    assert fails([finding(s) for s in severities], fail_on) is expected


def test_count_has_every_severity() -> None:
    assert count([finding(Severity.ERROR), finding(Severity.ERROR)]) == {"error": 2, "warning": 0, "info": 0}
