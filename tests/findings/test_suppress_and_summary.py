"""The findings stage: suppression by annotation and by configuration is counted, not hidden;
one order; fingerprints without location; --fail-on thresholds."""

from __future__ import annotations

import pytest
from conftest import default_rules, graph_from_yaml

from analyzer.config import Ignore
from analyzer.findings import Finding, Severity, fingerprint, finish, ordered
from analyzer.findings.summary import count, fails
from analyzer.load.types import Location
from analyzer.model import ObjectRef
from analyzer.rules import evaluate

MANIFESTS = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: web:1
          securityContext: {allowPrivilegeEscalation: false, runAsNonRoot: true}
          resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {memory: 16Mi}}
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
    graph = graph_from_yaml(MANIFESTS)
    result = evaluate(default_rules(), graph)
    assert len(result.findings) == 3  # the rules say everything: suppression comes after them
    done = finish(result.findings, graph)
    assert [f.object.name for f in done.kept] == ["typo-other-rule-ignored"]
    assert done.suppressed == 2


def test_configuration_ignores_and_annotations_are_counted_together() -> None:
    graph = graph_from_yaml(MANIFESTS)
    findings = evaluate(default_rules(), graph).findings
    ignore = Ignore(rule="service-*", name="typo-other-*")
    done = finish(findings, graph, [ignore])
    assert done.kept == [] and done.suppressed == 3
    near_miss = Ignore(rule="service-*", name="typo-other", namespace="shop")  # a glob matches whole names
    assert [f.object.name for f in finish(findings, graph, [near_miss]).kept] == ["typo-other-rule-ignored"]


def test_findings_come_out_in_one_order_whatever_order_the_rules_gave() -> None:
    a = Finding("r2", Severity.ERROR, ObjectRef("v1", "Pod", "ns", "b"), "m", Location("f.yaml", 9))
    b = Finding("r1", Severity.ERROR, ObjectRef("v1", "Pod", "ns", "a"), "m", Location("f.yaml", 9))
    c = Finding("r1", Severity.INFO, ObjectRef("v1", "Pod", "ns", "c"), "m", Location("e.yaml", 30))
    d = Finding("r1", Severity.INFO, ObjectRef("v1", "Pod", "ns", "d"), "m", None)
    assert ordered([d, a, b, c]) == ordered([c, b, a, d]) == [c, b, a, d]


def test_a_fingerprint_ignores_where_the_object_is_and_tells_what_is_wrong() -> None:
    ref = ObjectRef("apps/v1", "Deployment", "shop", "web")
    here = Finding("missing-reference", Severity.ERROR, ref, "uses ConfigMap a", Location("a.yaml", 3))
    moved = Finding("missing-reference", Severity.ERROR, ref, "uses ConfigMap a", Location("b/c.yaml", 90))
    other = Finding("missing-reference", Severity.ERROR, ref, "uses ConfigMap b", Location("a.yaml", 3))
    new_version = Finding(
        "missing-reference", Severity.ERROR, ObjectRef("apps/v1beta2", "Deployment", "shop", "web"),
        "uses ConfigMap a", None,
    )  # fmt: skip
    assert fingerprint(here) == fingerprint(moved) == fingerprint(new_version)
    assert fingerprint(here) != fingerprint(other)
    assert len(fingerprint(here)) == 16 and int(fingerprint(here), 16) >= 0


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
