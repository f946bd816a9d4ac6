"""Why a finding is suppressed: ``kubesnap.io/ignore-reason`` beside the annotation, or an
ignore's ``reason``; without one the finding is suppressed all the same and listed with no
reason; every suppression is listed in the JSON report and counted."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import default_rules, graph_from_yaml, run_cli

from analyzer.config import Ignore
from analyzer.findings import finish
from analyzer.report import schema
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
  name: explained
  namespace: shop
  annotations:
    kubesnap.io/ignore: service-selector-matches-nothing
    kubesnap.io/ignore-reason: "pods come from the
      nightly batch"
spec: {selector: {app: batch}}
---
apiVersion: v1
kind: Service
metadata:
  name: unexplained
  namespace: shop
  annotations: {kubesnap.io/ignore: all}
spec: {selector: {app: gone}}
---
apiVersion: v1
kind: Service
metadata:
  name: reason-without-ignore
  namespace: shop
  annotations: {kubesnap.io/ignore-reason: "a reason alone suppresses nothing"}
spec: {selector: {app: gone}}
---
apiVersion: v1
kind: Service
metadata: {name: legacy-api, namespace: shop}
spec: {selector: {app: legacy}}
"""


def suppressions(ignores: list[Ignore]) -> list[tuple[str, str, str | None]]:
    graph = graph_from_yaml(MANIFESTS)
    done = finish(evaluate(default_rules(), graph).findings, graph, ignores)
    assert done.suppressed == len(done.suppressions)
    return [(s.finding.object.name, s.by, s.reason) for s in done.suppressions]


def test_annotation_reason_and_none() -> None:
    assert suppressions([]) == [
        ("explained", "annotation", "pods come from the nightly batch"),
        ("unexplained", "annotation", None),
    ]


def test_configuration_reason_and_annotation_first() -> None:
    ignores = [
        Ignore(name="legacy-*", reason="retired in Q3"),
        Ignore(name="unexplained"),  # the annotation already drops it: said once, by the object
    ]
    assert suppressions(ignores) == [  # in report order: by file and line
        ("explained", "annotation", "pods come from the nightly batch"),
        ("unexplained", "annotation", None),
        ("legacy-api", "configuration", "retired in Q3"),
    ]


def test_listed_in_json_with_reason(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(MANIFESTS, encoding="utf-8")
    (tmp_path / "cfg.yaml").write_text(
        'ignore: [{name: "legacy-*", reason: "retired in Q3"}]\n', encoding="utf-8"
    )
    args = ["check", str(tmp_path / "m.yaml"), "--config", str(tmp_path / "cfg.yaml"), "--format", "json"]
    code, output = run_cli(args)
    assert code == 1  # reason-without-ignore still fires
    schema.validate(output)
    report = json.loads(output)
    assert [f["object"]["name"] for f in report["findings"]] == ["reason-without-ignore"]
    assert report["summary"]["suppressed"] == 3
    listed = [(s["object"]["name"], s["rule"], s["by"], s["reason"]) for s in report["suppressions"]]
    assert listed == [
        ("explained", "service-selector-matches-nothing", "annotation", "pods come from the nightly batch"),
        ("unexplained", "service-selector-matches-nothing", "annotation", None),
        ("legacy-api", "service-selector-matches-nothing", "configuration", "retired in Q3"),
    ]
    first = report["suppressions"][0]
    assert first["location"] == {"file": str(tmp_path / "m.yaml"), "line": 16}
    assert len(first["fingerprint"]) == 16
