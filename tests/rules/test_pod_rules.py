"""The per-object reliability and security rules on pod specs (issue 15): their messages (one
finding per object, every container named), probe-missing's opt-in liveness param, that
plaintext-secret-in-env never shows a value, and that bad input gives neither a finding nor a
coverage note."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer import pipeline
from analyzer.cli import cli
from analyzer.config import Config, RuleConfig
from analyzer.report import RENDERERS
from analyzer.report.model import Report

MINE = (
    "container-resources-missing",
    "container-request-over-limit",
    "probe-missing",
    "probe-identical",
    "image-latest-tag",
    "image-pull-policy-always-latest",
    "single-replica-exposed",
    "anti-affinity-missing",
    "rolling-update-all-unavailable",
    "plaintext-secret-in-env",
)

WEB = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: shop/web
          ports: [{name: http, containerPort: 8080}]
          resources: {requests: {cpu: 100m, memory: 3Gi}, limits: {memory: 2Gi}}
          env: [{name: API_TOKEN, value: "tok-9f8e7d6c5b4a"}, {name: DB_PASSWORD, value: "pw-1a2b3c4d"}]
        - name: proxy
          image: shop/proxy:2
          readinessProbe: {tcpSocket: {port: 15000}}
          livenessProbe: {tcpSocket: {port: 15000}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: http}]}
"""


def check(tmp_path: Path, text: str, config: Config | None = None) -> Report:
    path = tmp_path / "manifests.yaml"
    path.write_text(text, encoding="utf-8")
    return pipeline.analyse([str(path)], config=config or Config(profile="all")).report


def messages(report: Report) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in report.findings:
        if finding.rule in MINE:
            found.setdefault(finding.rule, []).append(f"{finding.object.display()} | {finding.message}")
    return found


def test_each_rule_one_finding_per_object_naming_the_containers(tmp_path: Path) -> None:
    assert messages(check(tmp_path, WEB)) == {
        "container-resources-missing": [
            "Deployment/shop/web | Deployment web: container proxy has no CPU request,"
            " no memory request, no memory limit"
        ],
        "container-request-over-limit": [
            "Deployment/shop/web | Deployment web: container app: memory request 3Gi > limit 2Gi"
        ],
        "probe-missing": [
            "Deployment/shop/web | Deployment web is behind Service web,"
            " but container app has no readiness probe"
        ],
        "probe-identical": [
            "Deployment/shop/web | Deployment web: the liveness probe of container proxy is identical"
            " to its readiness probe"
        ],
        "image-latest-tag": [
            "Deployment/shop/web | Deployment web: container app runs shop/web (no tag: latest)"
        ],
        "anti-affinity-missing": [
            "Deployment/shop/web | Deployment web runs 2 replicas with no podAntiAffinity or"
            " topologySpreadConstraints selecting its own pods: the scheduler may put them all on one node"
        ],
        "plaintext-secret-in-env": [
            "Deployment/shop/web | Deployment web: container app sets API_TOKEN, DB_PASSWORD to a literal"
            " value (the value is not shown)"
        ],
    }


def test_opt_in_rules_are_off_at_the_default_profile(tmp_path: Path) -> None:
    found = messages(check(tmp_path, WEB, Config()))
    assert "anti-affinity-missing" not in found
    assert "probe-missing" in found


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_plaintext_secret_values_appear_nowhere(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "manifests.yaml"
    path.write_text(WEB, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path), "--format", fmt, "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    assert "plaintext-secret-in-env" in result.output
    assert "tok-9f8e7d6c5b4a" not in result.output
    assert "pw-1a2b3c4d" not in result.output


def test_liveness_probes_are_asked_for_only_when_the_param_says_so(tmp_path: Path) -> None:
    text = WEB.replace(
        "image: shop/web\n", "image: shop/web:1\n          readinessProbe: {httpGet: {port: http}}\n"
    )
    assert "probe-missing" not in messages(check(tmp_path, text))
    config = Config(profile="all", rules={"probe-missing": RuleConfig(params={"liveness": True})})
    assert messages(check(tmp_path, text, config))["probe-missing"] == [
        "Deployment/shop/web | Deployment web: no liveness probe on container app"
    ]


def test_a_cpu_limit_is_asked_for_only_when_the_param_says_so(tmp_path: Path) -> None:
    config = Config(rules={"container-resources-missing": RuleConfig(params={"cpuLimit": True})})
    assert messages(check(tmp_path, WEB, config))["container-resources-missing"] == [
        "Deployment/shop/web | Deployment web: container app has no CPU limit;"
        " container proxy has no CPU request, no memory request, no memory limit, no CPU limit"
    ]


BAD = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: odd, namespace: shop}
spec:
  replicas: many
  strategy: {rollingUpdate: {maxUnavailable: lots, maxSurge: []}}
  selector: {matchLabels: {app: odd}}
  template:
    metadata: {labels: {app: odd}}
    spec:
      containers:
        - name: app
          image: 42
          imagePullPolicy: [Never]
          resources: {requests: {cpu: [1], memory: 1GB}, limits: {cpu: {a: 1}, memory: 1Gi}}
          env: [{name: 7, value: x}, {name: DB_PASSWORD, value: 12}, {name: API_TOKEN}]
          livenessProbe: {}
---
apiVersion: v1
kind: Service
metadata: {name: odd, namespace: shop}
spec: {selector: {app: odd}, ports: [{port: 80, targetPort: {}}]}
"""


def test_fields_of_the_wrong_type_give_no_finding_and_no_coverage_note(tmp_path: Path) -> None:
    report = check(tmp_path, BAD)
    assert [n for n in report.coverage if n.rule in MINE] == []
    assert sorted(messages(report)) == ["probe-missing"]  # no readiness probe: true whatever the port
