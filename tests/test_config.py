""".kubesnap.yaml: rules off, severity and params changed, findings ignored by pattern; strict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

# Deployment api is hardened (resources, securityContext): the findings are those the
# configuration below turns off, changes or ignores.
MANIFESTS = """apiVersion: v1
kind: ConfigMap
metadata: {name: dup, namespace: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: dup, namespace: shop}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}}
---
apiVersion: v1
kind: Service
metadata: {name: legacy-api, namespace: shop}
spec: {selector: {app: legacy}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: api:1
        envFrom: [{secretRef: {name: generated-at-runtime}}]
        resources: {requests: {cpu: 50m, memory: 64Mi}, limits: {memory: 64Mi}}
        securityContext: {runAsNonRoot: true, allowPrivilegeEscalation: false}
---
apiVersion: v1
kind: Secret
metadata: {name: other, namespace: shop}
"""


def check(tmp_path: Path, config: str) -> tuple[int, dict[str, object] | str]:
    (tmp_path / "m.yaml").write_text(MANIFESTS, encoding="utf-8")
    (tmp_path / "cfg.yaml").write_text(config, encoding="utf-8")
    args = ["check", str(tmp_path / "m.yaml"), "--config", str(tmp_path / "cfg.yaml"), "--format", "json"]
    code, output = run_cli(args)
    if code == 2:
        return 2, output
    return code, json.loads(output)


def rules_of(report: object) -> list[tuple[str, str, str]]:
    findings = report["findings"]  # type: ignore[index]
    return sorted((f["rule"], f["severity"], f["object"]["name"]) for f in findings)


def test_without_config_everything_fires(tmp_path: Path) -> None:
    code, report = check(tmp_path, "{}")
    assert code == 1
    assert rules_of(report) == [
        ("duplicate-object", "warning", "dup"),
        ("missing-reference", "error", "api"),
        ("service-selector-matches-nothing", "error", "legacy-api"),
        ("service-selector-matches-nothing", "error", "web"),
    ]


def test_disable_severity_params_and_ignore(tmp_path: Path) -> None:
    config = """
rules:
  duplicate-object: {enabled: false}
  service-selector-matches-nothing: {severity: warning}
  missing-reference:
    params: {implicit: {Secret: [generated-at-runtime]}}
ignore:
  - {rule: service-selector-matches-nothing, name: "legacy-*"}
"""
    code, report = check(tmp_path, config)
    assert code == 0
    assert rules_of(report) == [("service-selector-matches-nothing", "warning", "web")]
    assert report["summary"]["suppressed"] == 1  # type: ignore[index]


@pytest.mark.parametrize(
    ("config", "error"),
    [
        ("rulez: {}", "rulez: unknown option"),
        ("rules: {no-such-rule: {enabled: false}}", 'unknown rule "no-such-rule"'),
        ("rules: {duplicate-object: {enabeld: false}}", "rules.duplicate-object.enabeld: unknown option"),
        (
            "rules: {missing-reference: {params: {kindz: []}}}",
            'rules.missing-reference.params.kindz: unknown option for rule "missing-reference"',
        ),
        ("rules: {duplicate-object: {severity: fatal}}", "rules.duplicate-object.severity"),
        (  # params that make the predicate judge other kinds than the rule applies to
            "rules: {hpa-target-missing: {params: {edge: selects}}}",
            "rules.hpa-target-missing: field 'applies_to': predicate 'edge-target-missing' cannot judge"
            " HorizontalPodAutoscaler",
        ),
    ],
)
def test_bad_config_is_a_clear_error(tmp_path: Path, config: str, error: str) -> None:
    code, output = check(tmp_path, config)
    assert code == 2
    assert error in str(output)
    assert "Traceback" not in str(output)
