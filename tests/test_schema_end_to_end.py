"""Issue 16's "done means": a folder with a typo in a Deployment and a custom resource that
breaks its CRD's CEL rule; kubesnap check reports both, each with the field's path and its own
line."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replica: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: shop/web:1.4
          imagePullPolicy: Alway
"""

QUEUE = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: queues.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Queue, plural: queues, singular: queue, listKind: QueueList}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              x-kubernetes-validations:
                - rule: "self.minWorkers <= self.maxWorkers"
                  messageExpression: >-
                    'minWorkers (' + string(self.minWorkers) + ') exceeds maxWorkers ('
                    + string(self.maxWorkers) + ')'
                  fieldPath: ".minWorkers"
              properties:
                minWorkers: {type: integer}
                maxWorkers: {type: integer}
---
apiVersion: example.com/v1
kind: Queue
metadata: {name: orders, namespace: shop}
spec:
  maxWorkers: 2
  minWorkers: 5
"""


def test_a_typo_and_a_broken_crd_rule_with_path_and_line(tmp_path: Path) -> None:
    (tmp_path / "deploy.yaml").write_text(DEPLOYMENT, encoding="utf-8")
    (tmp_path / "queue.yaml").write_text(QUEUE, encoding="utf-8")
    code, out = run_cli(["check", str(tmp_path), "--format", "json"])
    assert code == 1, out
    found = [
        (f["rule"], Path(at["file"]).name, at["line"], at["path"], f["message"])
        for f in json.loads(out)["findings"]
        if (at := f["location"])
        if f["rule"].startswith(("schema-", "crd-"))
    ]
    assert found == [
        (
            "schema-unknown-field",
            "deploy.yaml",
            5,
            "spec.replica",
            "spec.replica is not a field of DeploymentSpec in Kubernetes 1.37 (did you mean replicas?).",
        ),
        (
            "schema-invalid",
            "deploy.yaml",
            13,
            "spec.template.spec.containers[0].imagePullPolicy",
            'spec.template.spec.containers[0].imagePullPolicy is "Alway", not one of Always, IfNotPresent, '
            "Never (did you mean Always?).",
        ),
        (
            "crd-validation-failed",
            "queue.yaml",
            QUEUE.splitlines().index("  minWorkers: 5") + 1,
            "spec.minWorkers",
            "Queue orders breaks a validation rule of CRD queues.example.com (v1) at spec.minWorkers: "
            "minWorkers (5) exceeds maxWorkers (2).",
        ),
    ]
    code, text = run_cli(["check", str(tmp_path)])
    assert f"queue.yaml:{QUEUE.splitlines().index('  minWorkers: 5') + 1}" in text
    assert "deploy.yaml:13" in text
