"""Secret values never appear in any output, in any format, whatever rule fires on the Secret."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.cli import cli
from analyzer.report import FORMATS

MARKER = "S3CR3T-MARKER-kubesnap"
MARKER_B64 = base64.b64encode(MARKER.encode()).decode()

MANIFESTS = f"""apiVersion: v1
kind: Secret
metadata: {{name: db, namespace: shop}}
type: Opaque
data: {{password: {MARKER_B64}}}
stringData: {{token: {MARKER}}}
---
apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: shop
  annotations: {{kubectl.kubernetes.io/last-applied-configuration: '{{"stringData":{{"token":"{MARKER}"}}}}'}}
type: Opaque
data: {{password: {MARKER_B64}}}
---
apiVersion: v1
kind: Secret
metadata: {{name: sh.helm.release.v1.shop.v1, namespace: shop}}
type: helm.sh/release.v1
data: {{release: {MARKER_B64}}}
---
apiVersion: v1
kind: Secret
metadata: {{name: {MARKER}-is-a-name-not-a-value, namespace: shop}}
type: Opaque
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: api, namespace: shop}}
spec:
  selector: {{matchLabels: {{app: api}}}}
  template:
    metadata: {{labels: {{app: api}}}}
    spec:
      containers:
        - name: api
          image: api:1
          env: [{{name: PASSWORD, valueFrom: {{secretKeyRef: {{name: missing, key: pw}}}}}}]
"""


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_no_format_leaks_a_secret_value(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "secrets.yaml"
    path.write_text(MANIFESTS, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path), "--format", fmt, "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    assert "duplicate-object" in result.output  # the Secret was analysed, not dropped
    output = result.output.replace(f"{MARKER}-is-a-name-not-a-value", "<name>")
    assert MARKER not in output
    assert MARKER_B64 not in output
