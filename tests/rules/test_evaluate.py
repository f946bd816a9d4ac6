"""The engine: subjects by kind and scope, skip_if, requires (coverage notes), severity per hit."""

from __future__ import annotations

from pathlib import Path

from conftest import graph_from_yaml

from analyzer.rules import evaluate
from analyzer.rules.catalog import load_rule_file

RULE = """id: team-label
title: Deployment without team label
category: team
severity: warning
applies_to: [Deployment, argoproj.io/Rollout]
requires: [ConfigMap]
scope: {exclude_namespaces: [kube-system]}
skip_if:
  - {field: metadata.annotations.legacy, equals: "true"}
check: {predicate: label-missing, params: {label: team}}
message: "{object.kind} {object.name} has no {label} label."
hint: "Add it."
docs: {what: W., why: Y, example: E, use_instead: U}
"""

MANIFESTS = """
apiVersion: v1
kind: ConfigMap
metadata: {name: c, namespace: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: no-team, namespace: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: legacy, namespace: shop, annotations: {legacy: "true"}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: has-team, namespace: shop, labels: {team: a}}
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: rollout-no-team, namespace: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: system, namespace: kube-system}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: uncovered, namespace: bare}
---
apiVersion: example.com/v1
kind: Deployment
metadata: {name: not-the-builtin-kind, namespace: shop}
"""


def test_subjects_scope_skip_if_and_requires(tmp_path: Path) -> None:
    path = tmp_path / "team-label.yaml"
    path.write_text(RULE, encoding="utf-8")
    result = evaluate([load_rule_file(path)], graph_from_yaml(MANIFESTS))
    assert [(f.object.display(), f.message) for f in result.findings] == [
        ("Deployment/shop/no-team", "Deployment no-team has no team label."),
        ("Rollout/shop/rollout-no-team", "Rollout rollout-no-team has no team label."),
    ]
    assert [c.describe() for c in result.coverage] == [
        "team-label: 1 object(s) in namespace bare not checked: the snapshot holds no ConfigMap there"
    ]
