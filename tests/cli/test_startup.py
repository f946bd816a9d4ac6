"""Start-up: a run that has no use for networkx does not import it (about 0.1 s of the pre-commit
hook's budget, docs/performance.md). networkx is for graph algorithms and the export: the root
causes when findings explain one another, and ``kubesnap graph``.

Each case runs the command in a fresh interpreter (``python -c``), in process, then reports
whether networkx was imported. No timing is asserted."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, git_env

PROBE = """
import sys
from analyzer.commands.main import cli
code = cli.main(sys.argv[1:], prog_name="kubesnap", standalone_mode=False)
print("exit", code, "networkx", "networkx" in sys.modules)
"""

CLEAN = {
    "web.yaml": """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      securityContext: {runAsNonRoot: true, runAsUser: 101}
      containers:
        - name: web
          image: nginx:1.25
          envFrom:
            - configMapRef: {name: web}
          securityContext: {allowPrivilegeEscalation: false}
          resources:
            requests: {cpu: 100m, memory: 64Mi}
            limits: {memory: 128Mi}
          readinessProbe:
            httpGet: {path: /, port: 80}
""",
    "service.yaml": """\
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports:
    - port: 80
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web}
data: {greeting: hello}
""",
}


def probe(cwd: Path, *args: str) -> tuple[int, bool, str]:
    """``kubesnap ARGS`` run in a fresh interpreter: its exit code, whether it imported networkx,
    and everything it printed."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=cwd,
        env=git_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    last = done.stdout.splitlines()[-1] if done.stdout else ""
    words = last.split()
    assert words[:1] == ["exit"], done.stdout + done.stderr
    return int(words[1]), words[3] == "True", done.stdout + done.stderr


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    for name, text in CLEAN.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_a_clean_check_does_not_import_networkx(clean: Path) -> None:
    code, imported, output = probe(clean, "check", ".")
    assert code == 0, output
    assert "0 error(s), 0 warning(s)" in output
    assert not imported


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_clean_pre_commit_run_does_not_import_networkx(clean: Path) -> None:
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "start"]):
        subprocess.run(["git", *args], cwd=clean, env=git_env(), check=True, capture_output=True)
    web = clean / "web.yaml"
    web.write_text(web.read_text(encoding="utf-8").replace("nginx:1.25", "nginx:1.27"), encoding="utf-8")
    subprocess.run(["git", "add", "web.yaml"], cwd=clean, env=git_env(), check=True, capture_output=True)
    code, imported, output = probe(clean, "pre-commit", "web.yaml")
    assert code == 0, output
    assert not imported


def test_explain_does_not_import_networkx(clean: Path) -> None:
    code, imported, output = probe(clean, "explain", "Service/default/web", ".")
    assert code == 0, output
    assert "Deployment/default/web" in output  # what the Service selects
    assert not imported


def test_findings_that_explain_one_another_do_import_it_for_the_root_causes() -> None:
    """The near miss: blueocean's broken cluster has root causes, found with networkx."""
    code, imported, output = probe(REPO, "check", "fixtures/blueocean/before", "--fail-on", "never")
    assert code == 0, output
    assert "root cause" in output.lower()
    assert imported


def test_the_graph_export_imports_it(clean: Path) -> None:
    code, imported, output = probe(clean, "graph", ".", "--format", "graphml")
    assert code == 0, output
    assert "<graphml" in output
    assert imported


ENGINES_PROBE = """
import sys
from analyzer.commands.main import cli
code = cli.main(sys.argv[1:], prog_name="kubesnap", standalone_mode=False)
print("exit", code, "cel", "cel_expr_python" in sys.modules, "vap", "analyzer.rules.vap" in sys.modules)
"""

TEAM_RULE = """\
id: team-label
title: Deployments carry a team label
severity: warning
applies_to: [Deployment]
validations:
  - expression: "has(object.metadata.labels) && 'team' in object.metadata.labels"
    message: no team label
"""


def engines(cwd: Path, *args: str) -> tuple[bool, bool, str]:
    """``kubesnap ARGS`` in a fresh interpreter: whether it imported the CEL engine and the
    ValidatingAdmissionPolicy evaluation."""
    done = subprocess.run(
        [sys.executable, "-c", ENGINES_PROBE, *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )
    words = (done.stdout.splitlines() or [""])[-1].split()
    assert words[:1] == ["exit"], done.stdout + done.stderr
    return words[3] == "True", words[5] == "True", done.stdout + done.stderr


def test_without_cel_rules_or_bound_policies_neither_engine_is_imported(clean: Path) -> None:
    """No built-in CEL rule judges Services or ConfigMaps: a run on them alone, and a run at
    --profile default on a clean Deployment (the built-in CEL rules judge it: the engine loads
    then, and only then, as they are compiled on first use)."""
    (clean / "web.yaml").unlink()
    cel, vap, output = engines(clean, "check", ".")
    assert (cel, vap) == (False, False), output


def test_a_built_in_cel_rule_loads_the_engine_when_it_has_something_to_judge(clean: Path) -> None:
    cel, vap, output = engines(clean, "check", ".")
    assert (cel, vap) == (True, False), output
    assert "0 error(s), 0 warning(s)" in output


def test_a_cel_rule_of_ones_own_imports_the_engine(clean: Path, tmp_path: Path) -> None:
    """The near miss: a CEL rule in --rules needs the engine (compiled when the rule loads)."""
    own = tmp_path / "own-rules"
    own.mkdir()
    (own / "team-label.yaml").write_text(TEAM_RULE, encoding="utf-8")
    cel, _, output = engines(clean, "check", ".", "--rules", str(own))
    assert cel, output
    assert "[team-label]" in output
