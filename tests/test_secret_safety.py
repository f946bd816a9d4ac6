"""Secret values never appear in any output, in any format, whatever rule fires on the Secret."""

from __future__ import annotations

import base64
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.cli import cli
from analyzer.report import RENDERERS

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


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_no_format_leaks_a_secret_value(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "secrets.yaml"
    path.write_text(MANIFESTS, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path), "--format", fmt, "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    assert "duplicate-object" in result.output  # the Secret was analysed, not dropped
    output = result.output.replace(f"{MARKER}-is-a-name-not-a-value", "<name>")
    assert MARKER not in output
    assert MARKER_B64 not in output


BROKEN = {
    # A Secret whose document breaks right after its value: the parse error must not quote it.
    "broken.yaml": f"apiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\ndata: {{password: {MARKER_B64}\n",
    "alias.yaml": f"apiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\nstringData: {{token: *{MARKER}}}\n",
    "tagged.yaml": (
        f"apiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\nstringData: {{token: !!float {MARKER}}}\n"
    ),
    "cut.json": '{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"p": "'
    + MARKER_B64,
    "env.yaml": (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: x\n"
        f"    env: [{{name: TOKEN, value: {MARKER}}}]\n    envFrom: [{{secretRef: {{name: gone}}}}]\n"
        "---\napiVersion: v1\nkind: Secret\nmetadata: {name: other}\n"
    ),
}


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_no_error_message_or_finding_quotes_a_secret(tmp_path: Path, fmt: str, name: str) -> None:
    path = tmp_path / name
    path.write_text(BROKEN[name], encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path), "--format", fmt, "--fail-on", "never"])
    assert result.exit_code in (0, 2), result.output
    assert name in result.output  # the file is reported on: skipped, or a finding about it
    assert MARKER not in result.output and MARKER_B64 not in result.output


def test_a_whole_synthetic_cluster_leaks_no_secret_value(tmp_path: Path) -> None:
    synth = load_synth()
    path = tmp_path / "cluster.json"
    synth.write_cluster(path, 300, "json")
    secrets = [o for o in synth.cluster_objects(300) if o["kind"] == "Secret"]
    encoded = [v for o in secrets for v in (o.get("data") or {}).values() if len(v) > 8]
    decoded = [base64.b64decode(v).decode() for v in encoded]
    assert any("SYNTH-SECRET-MARKER" in v for v in decoded)
    for fmt in sorted(RENDERERS):
        result = CliRunner().invoke(cli, ["check", str(path), "--format", fmt, "--fail-on", "never"])
        assert result.exit_code == 0, result.output
        assert "SYNTH-SECRET-MARKER" not in result.output
        assert not [v for v in encoded + decoded if v in result.output]


def load_synth() -> object:
    import importlib.util

    spec = importlib.util.spec_from_file_location("synth", Path(__file__).parents[1] / "bench" / "synth.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("synth", module)  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
