"""The git pre-commit hook: ``.pre-commit-hooks.yaml`` as pre-commit reads it, the real
``pre-commit`` tool refusing a commit in a temporary repository, and ``kubesnap pre-commit``'s
choice of what concerns a commit (in process, on temporary repositories).

No network: pre-commit's ``language: python`` would pip-install this repository into a venv of
its own, so the tool runs a ``repo: local`` hook whose entry, args and types are the shipped
hook's, with ``language: system`` and the entry pointing at this environment's ``kubesnap``."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, git_env, run_cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

# Hardened (probe, resources, securityContext): a change to it brings no warning of its own, so
# what the hook reports is what the commit breaks elsewhere.
DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.25
          readinessProbe: {httpGet: {path: /, port: 80}}
          resources: {requests: {cpu: 50m, memory: 64Mi}, limits: {memory: 64Mi}}
          securityContext: {runAsNonRoot: true, allowPrivilegeEscalation: false}
"""

SERVICE = """\
# the web front
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
    - port: 80
"""

LONELY = """\
apiVersion: v1
kind: Service
metadata:
  name: lonely
spec:
  selector: {app: nobody}
  ports:
    - port: 80
"""

WORKFLOW = "name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"

RULE = "service-selector-matches-nothing"


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=repo, env=git_env(repo.parent), capture_output=True, text=True, check=check
    )


def make_repo(root: Path, files: dict[str, str]) -> Path:
    """A git repository holding ``files``, committed."""
    repo = root / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Test")
    git(repo, "config", "user.email", "test@example.invalid")
    git(repo, "config", "commit.gpgsign", "false")
    write(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def write(repo: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def shipped_hook() -> dict[str, Any]:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = (h for h in hooks if h["id"] == "kubesnap")
    assert isinstance(hook, dict)
    return hook


# --- the manifest ------------------------------------------------------------------------------


def test_the_shipped_manifest_is_valid_for_pre_commit() -> None:
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(str(REPO / ".pre-commit-hooks.yaml"))
    assert hook["id"] == "kubesnap"
    assert hook["language"] == "python"
    assert hook["types_or"] == ["yaml", "json"]
    assert hook["entry"].split()[:2] == ["kubesnap", "pre-commit"]


@pytest.mark.parametrize(
    ("right", "wrong"), [("language: python", "language: pyhton"), ("[yaml, json]", "[yaml, jsn]")]
)
def test_a_wrong_value_in_the_manifest_fails_the_loader(tmp_path: Path, right: str, wrong: str) -> None:
    from pre_commit.clientlib import InvalidManifestError, load_manifest

    text = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert right in text
    (tmp_path / "hooks.yaml").write_text(text.replace(right, wrong), encoding="utf-8")
    with pytest.raises(InvalidManifestError):
        load_manifest(str(tmp_path / "hooks.yaml"))


def test_a_misspelt_key_loses_its_value(tmp_path: Path) -> None:
    """The loader ignores an unknown key: the shipped file's values are asserted above."""
    from pre_commit.clientlib import load_manifest

    text = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    (tmp_path / "hooks.yaml").write_text(text.replace("types_or:", "type_or:"), encoding="utf-8")
    (hook,) = load_manifest(str(tmp_path / "hooks.yaml"))
    assert hook["types_or"] == []


# --- the real pre-commit tool ------------------------------------------------------------------


def installed(repo: Path) -> Path:
    """``repo`` with the shipped hook installed as a local one (see the module docstring)."""
    hook = shipped_hook()
    command, *rest = hook["entry"].split()
    kubesnap = Path(sys.executable).parent / command
    local = {
        "id": hook["id"],
        "name": hook["name"],
        "entry": " ".join([str(kubesnap), *rest]),
        "args": hook.get("args", []),
        "types_or": hook["types_or"],
        "require_serial": hook.get("require_serial", False),
        "language": "system",
    }
    config = {"repos": [{"repo": "local", "hooks": [local]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    git(repo, "add", ".pre-commit-config.yaml")
    git(repo, "commit", "-q", "-m", "the kubesnap hook")
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"],
        cwd=repo,
        env=git_env(repo.parent),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert "pre-commit installed" in done.stdout
    return repo


def commit(repo: Path, files: dict[str, str]) -> subprocess.CompletedProcess[str]:
    write(repo, files)
    git(repo, "add", *files)
    return git(repo, "commit", "-m", "change", check=False)


@pytest.fixture
def hooked(tmp_path: Path) -> Path:
    return installed(
        make_repo(tmp_path, {"k8s/deploy.yaml": DEPLOY, "k8s/svc.yaml": SERVICE, "k8s/other.yaml": LONELY})
    )


def test_pre_commit_refuses_a_commit_that_breaks_a_selector_across_files(hooked: Path) -> None:
    done = commit(hooked, {"k8s/svc.yaml": SERVICE.replace("{app: web}", "{app: wbe}")})
    out = done.stdout + done.stderr
    assert done.returncode != 0, out
    assert "kubesnap" in out and "Failed" in out
    assert f"k8s/svc.yaml:2  Service/default/web  [{RULE}]" in out
    assert "selects app=wbe" in out and "closest: Deployment web" in out
    assert "lonely" not in out  # a finding the commit neither touches nor introduces
    assert git(hooked, "log", "--oneline").stdout.count("\n") == 2  # nothing committed


def test_pre_commit_lets_a_clean_commit_through(hooked: Path) -> None:
    done = commit(hooked, {"k8s/deploy.yaml": DEPLOY.replace("nginx:1.25", "nginx:1.27")})
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "kubesnap" in out and "Passed" in out
    assert git(hooked, "log", "--oneline").stdout.count("\n") == 3


def test_pre_commit_lets_a_workflow_only_commit_through(hooked: Path) -> None:
    done = commit(hooked, {".github/workflows/ci.yaml": WORKFLOW, "chart/values.yaml": "replicas: 2\n"})
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "kubesnap" in out and "Passed" in out


# --- what concerns a commit (in process) -------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = make_repo(tmp_path, {"k8s/deploy.yaml": DEPLOY, "k8s/svc.yaml": SERVICE, "k8s/other.yaml": LONELY})
    monkeypatch.chdir(repo)
    for name in ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE"):
        monkeypatch.delenv(name, raising=False)
    return repo


def test_a_selector_broken_in_the_staged_file_is_reported(repo: Path) -> None:
    write(repo, {"k8s/svc.yaml": SERVICE.replace("{app: web}", "{app: wbe}")})
    code, out = run_cli(["pre-commit", "k8s/svc.yaml"])
    assert code == 1
    assert f"k8s/svc.yaml:2  Service/default/web  [{RULE}]" in out
    assert "lonely" not in out


def test_a_deployment_relabelled_reports_the_unchanged_service_it_leaves(repo: Path) -> None:
    write(repo, {"k8s/deploy.yaml": DEPLOY.replace("{app: web}", "{app: api}")})
    code, out = run_cli(["pre-commit", "k8s/deploy.yaml"])
    assert code == 1
    assert f"k8s/svc.yaml:2  Service/default/web  [{RULE}]" in out
    assert "pods carry app=api instead of app=web" in out
    assert "lonely" not in out


def test_a_pre_existing_finding_in_another_file_is_not_reported(repo: Path) -> None:
    write(repo, {"k8s/deploy.yaml": DEPLOY.replace("nginx:1.25", "nginx:1.27")})
    code, out = run_cli(["pre-commit", "k8s/deploy.yaml"])
    assert (code, out) == (0, "")
    code, out = run_cli(["pre-commit", "k8s/other.yaml"])  # ... but is, once its file is staged
    assert code == 1
    assert f"k8s/other.yaml:1  Service/default/lonely  [{RULE}]" in out


def test_a_new_file_is_checked_against_the_tracked_ones(repo: Path) -> None:
    api = SERVICE.replace("name: web", "name: api")
    write(repo, {"k8s/api-svc.yaml": api.replace("app: web", "app: api")})
    git(repo, "add", "k8s/api-svc.yaml")
    code, out = run_cli(["pre-commit", "k8s/api-svc.yaml"])
    assert code == 1
    assert f"k8s/api-svc.yaml:2  Service/default/api  [{RULE}]" in out
    write(repo, {"k8s/api-svc.yaml": api})
    assert run_cli(["pre-commit", "k8s/api-svc.yaml"]) == (0, "")


def test_files_without_kubernetes_objects_say_nothing(repo: Path) -> None:
    kustomization = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n"
    write(repo, {".github/workflows/ci.yaml": WORKFLOW, "values.yaml": "replicas: 2\n", "Chart.json": "{}"})
    write(repo, {"k8s/kustomization.yaml": kustomization})
    files = [".github/workflows/ci.yaml", "values.yaml", "Chart.json", "k8s/kustomization.yaml"]
    assert run_cli(["pre-commit", *files]) == (0, "")
    assert run_cli(["pre-commit"]) == (0, "")


def test_a_staged_file_that_does_not_parse_is_listed_without_failing(repo: Path) -> None:
    write(repo, {"k8s/svc.yaml": SERVICE + "  selector: [unclosed\n"})
    code, out = run_cli(["pre-commit", "k8s/svc.yaml"])
    assert code == 0
    assert "skipped (1)" in out and "k8s/svc.yaml:" in out


def test_fail_on_decides_the_exit_code(repo: Path) -> None:
    write(repo, {"k8s/svc.yaml": SERVICE.replace("{app: web}", "{app: wbe}")})
    code, out = run_cli(["pre-commit", "--fail-on", "never", "k8s/svc.yaml"])
    assert code == 0
    assert RULE in out


APPS = {
    "apps/svc.yaml": SERVICE.replace("name: web", "name: front"),
    "apps/deploy.yaml": DEPLOY.replace("name: web", "name: api").replace("{app: web}", "{app: api}"),
}


def test_the_context_option_names_what_is_read(repo: Path) -> None:
    write(repo, APPS)
    code, out = run_cli(["pre-commit", "--context", "apps/", "apps/svc.yaml"])
    assert code == 1  # k8s/ is out of the context: only the api Deployment is there
    assert f"apps/svc.yaml:2  Service/default/front  [{RULE}]" in out
    assert "closest: Deployment api" in out
    assert run_cli(["pre-commit", "--context", "k8s", "--context", "./apps", "apps/svc.yaml"]) == (0, "")


def test_the_configuration_names_the_context(repo: Path) -> None:
    write(repo, APPS)
    write(repo, {".kubesnap.yaml": "precommit:\n  context: [k8s/, apps]\n"})
    assert run_cli(["pre-commit", "apps/svc.yaml"]) == (0, "")  # k8s/ read: the web Deployment is there
    write(repo, {".kubesnap.yaml": "precommit:\n  context: [apps]\n"})
    code, out = run_cli(["pre-commit", "apps/svc.yaml"])
    assert code == 1
    assert "Service/default/front" in out


def test_outside_a_git_repository_the_context_must_be_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"svc.yaml": SERVICE, "deploy.yaml": DEPLOY})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    code, out = run_cli(["pre-commit", "svc.yaml"])
    assert code == 2
    assert "not a git repository" in out and "--context" in out
    assert "Traceback" not in out
    assert run_cli(["pre-commit", "--context", ".", "svc.yaml"]) == (0, "")
    write(tmp_path, {"svc.yaml": SERVICE.replace("{app: web}", "{app: wbe}")})
    code, out = run_cli(["pre-commit", "--context", ".", "svc.yaml"])
    assert code == 1
    assert f"./svc.yaml:2  Service/default/web  [{RULE}]" in out


def test_a_staged_chart_file_stands_for_its_chart(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tools = repo.parent / "bin"  # git alone, no helm: the chart is named, not rendered
    tools.mkdir()
    (tools / "git").symlink_to(str(shutil.which("git")))
    monkeypatch.setenv("PATH", str(tools))
    template = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n"
    write(repo, {"chart/Chart.yaml": "apiVersion: v2\nname: web\nversion: 1.0.0\n"})
    write(repo, {"chart/templates/deploy.yaml": template, "chart/values.yaml": "replicas: 2\n"})
    code, out = run_cli(["pre-commit", "chart/templates/deploy.yaml", "chart/values.yaml"])
    assert code == 0
    assert "skipped (1)" in out
    assert "chart: Helm chart source (Chart.yaml)" in out
    assert "templates/deploy.yaml" not in out  # read as part of the chart, never on its own


def test_the_json_report_keeps_the_contract(repo: Path) -> None:
    from analyzer.report.schema import validate

    write(repo, {"k8s/deploy.yaml": DEPLOY.replace("{app: web}", "{app: api}")})
    code, out = run_cli(["pre-commit", "--format", "json", "k8s/deploy.yaml"])
    assert code == 1
    report = validate(out)
    assert [(f["rule"], f["object"]["name"], f["location"]) for f in report["findings"]] == [
        (RULE, "web", {"file": "k8s/svc.yaml", "line": 2})
    ]
