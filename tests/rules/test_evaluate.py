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


CONTROLLED = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: a, uid: d1}
spec:
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: web:1}]}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-5d4
  namespace: a
  uid: r1
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d1, controller: true}]
spec:
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: web:1}]}}
---
apiVersion: v1
kind: Pod
metadata:
  name: web-5d4-x
  namespace: a
  labels: {app: web}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d4, uid: r1, controller: true}]
spec: {containers: [{name: web, image: web:1}]}
---
apiVersion: v1
kind: Node
metadata: {name: node-1, uid: n1}
---
apiVersion: v1
kind: Pod
metadata:
  name: etcd-node-1
  namespace: a
  ownerReferences: [{apiVersion: v1, kind: Node, name: node-1, uid: n1, controller: true}]
spec: {containers: [{name: etcd, image: etcd:3}]}
---
apiVersion: v1
kind: Pod
metadata:
  name: orphan-abc
  namespace: a
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: gone, uid: r9, controller: true}]
spec: {containers: [{name: app, image: app:1}]}
"""


def test_skip_controlled_judges_the_top_of_the_chain_the_rule_covers(tmp_path: Path) -> None:
    rule_file = tmp_path / "no-pods.yaml"
    rule_file.write_text(
        """id: no-pods
title: every pod spec is judged once
severity: warning
applies_to: [Pod, Deployment]
skip_controlled: true
validations:
  - expression: "false"
    message: judged
""",
        encoding="utf-8",
    )
    rule = load_rule_file(rule_file)
    graph = graph_from_yaml(CONTROLLED)
    judged = sorted(f.object.name for f in evaluate([rule], graph).findings)
    # The Pod of web's ReplicaSet is web's concern (through the ReplicaSet, a kind the rule does
    # not judge); the mirror Pod's controller is a Node and the orphan's is not in the snapshot.
    assert judged == ["etcd-node-1", "orphan-abc", "web"]
    rule_file.write_text(rule_file.read_text().replace("skip_controlled: true\n", ""), encoding="utf-8")
    every = sorted(f.object.name for f in evaluate([load_rule_file(rule_file)], graph).findings)
    assert every == ["etcd-node-1", "orphan-abc", "web", "web-5d4-x"]
