"""The command line contract: exit codes 0/1/2, --fail-on, --format, --output, stdin, errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli

# One error, and nothing else: Deployment api is hardened (resources, securityContext).
BROKEN = """apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80}]}
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
        resources: {requests: {cpu: 50m, memory: 64Mi}, limits: {memory: 64Mi}}
        securityContext: {runAsNonRoot: true, allowPrivilegeEscalation: false}
"""

WARNING_ONLY = """apiVersion: v1
kind: ConfigMap
metadata: {name: c, namespace: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c, namespace: shop}
"""


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def test_error_finding_exits_1_and_names_file_line_rule(broken: Path) -> None:
    code, out = run_cli(["check", str(broken)])
    assert code == 1
    assert f"{broken}:1  Service/shop/web  [service-selector-matches-nothing]" in out
    assert (
        "    Service web selects app=web, but no pod or pod template in namespace shop carries these "
        "labels; closest: Deployment api, whose pods carry app=api instead of app=web." in out
    )
    assert "1 error(s), 0 warning(s), 0 info in 2 object(s) from 1 file(s)" in out


@pytest.mark.parametrize(("fail_on", "expected"), [("error", 0), ("warning", 1), ("info", 1), ("never", 0)])
def test_fail_on_threshold(tmp_path: Path, fail_on: str, expected: int) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text(WARNING_ONLY, encoding="utf-8")
    code, _ = run_cli(["check", str(path), "--fail-on", fail_on])
    assert code == expected


def test_never_passes_even_with_errors(broken: Path) -> None:
    assert run_cli(["check", str(broken), "--fail-on", "never"])[0] == 0


def test_json_to_output_file(broken: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "report.json"
    code, out = run_cli(["check", str(broken), "--format", "json", "--output", str(out_file)])
    assert code == 1 and out == ""
    data = json.loads(out_file.read_text(encoding="utf-8"))
    assert [(f["rule"], f["object"]["name"], f["location"]["line"]) for f in data["findings"]] == [
        ("service-selector-matches-nothing", "web", 1)
    ]


def test_stdin_dash() -> None:
    code, out = run_cli(["check", "-", "--format", "json"], stdin=BROKEN)
    assert code == 1
    data = json.loads(out)
    assert data["findings"][0]["location"] == {"file": "<stdin>", "line": 1}


def test_no_readable_input_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("key: [unclosed\n", encoding="utf-8")
    code, out = run_cli(["check", str(bad)])
    assert code == 2
    assert "no readable Kubernetes object" in out


def test_missing_path_exits_2_with_reason(tmp_path: Path) -> None:
    code, out = run_cli(["check", str(tmp_path / "nope.yaml")])
    assert code == 2
    assert "no such file or directory" in out


def test_usage_error_exits_2() -> None:
    assert run_cli(["check", "--format", "xml", "x.yaml"])[0] == 2


def test_bad_user_rule_exits_2_with_file_and_field(tmp_path: Path, broken: Path) -> None:
    rules = tmp_path / "my-rules"
    rules.mkdir()
    (rules / "my-rule.yaml").write_text("id: my-rule\ntitel: typo\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "analyzer", "check", str(broken), "--rules", str(rules)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert f"{rules / 'my-rule.yaml'}: rule 'my-rule': field 'titel': unknown field" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("flag", "colored"), [("--color", True), ("--no-color", False), (None, False)])
def test_color_on_a_pipe_only_when_asked(broken: Path, flag: str | None, colored: bool) -> None:
    """Standard output is a pipe here: --color forces colours, the default and --no-color give
    none (and no escape sequence at all)."""
    script = shutil.which("kubesnap", path=str(Path(sys.executable).parent)) or shutil.which("kubesnap")
    assert script, "the kubesnap console script is not installed"
    args = [script, "check", str(broken), *([flag] if flag else [])]
    result = subprocess.run(args, capture_output=True, text=True, check=False, timeout=600)
    assert result.returncode == 1, result.stderr
    assert ("\x1b[" in result.stdout) is colored
    assert "[service-selector-matches-nothing]" in result.stdout


def test_real_console_script_in_a_subprocess(broken: Path) -> None:
    script = shutil.which("kubesnap", path=str(Path(sys.executable).parent)) or shutil.which("kubesnap")
    assert script, "the kubesnap console script is not installed"
    env = {**os.environ, "PYTHONHASHSEED": "123"}
    result = subprocess.run(
        [script, "check", str(broken), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["summary"]["error"] == 1


def test_rules_list_shows_every_contract_rule() -> None:
    code, out = run_cli(["rules", "list"])
    assert code == 0
    assert "service-selector-matches-nothing" in out and "statefulset-service-missing" in out


HELM_RENDER = """---
# Source: shop/templates/service.yaml
apiVersion: v1
kind: Service
metadata: {name: shop-web}
spec: {selector: {app: shop-web}, ports: [{port: 80}]}
---
# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: shop-web}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: shop-web}}
  template:
    metadata: {labels: {app.kubernetes.io/name: shop-web}}
    spec: {containers: [{name: web, image: shop/web:1}]}
"""


def test_helm_render_on_stdin_points_at_the_template() -> None:
    code, out = run_cli(["check", "-", "--namespace", "shop"], stdin=HELM_RENDER)
    assert code == 1
    assert "  <stdin>:3  Service/shop/shop-web  [service-selector-matches-nothing]" in out
    assert "    rendered from: shop/templates/service.yaml" in out
    assert "app.kubernetes.io/name=shop-web instead of app=shop-web" in out


def test_a_limit_reached_is_named_and_the_option_raises_it(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata: {k: '" + "x" * (2 << 20) + "'}\n"
    )
    code, out = run_cli(["check", str(big), "--max-file-size", "1"])
    assert code == 2
    assert "file larger than 1 MiB: not read (raise the limit with --max-file-size)" in out
    code, out = run_cli(["check", str(big), "--max-file-size", "3", "--fail-on", "never"])
    assert code == 0 and "in 1 object(s)" in out
