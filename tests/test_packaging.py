"""The tests test the working tree, and the wheel is tested once as a user gets it.

The README's test command installs the project editable, so ``analyzer`` and the built-in rules
are imported from this checkout: an edit is tested without a reinstall. The wheel packs
``rules/`` under another name (``analyzer/builtin_rules``): one test builds it offline (hatchling
from the test extras, no build isolation, no index), installs it into a folder of its own and runs
its ``kubesnap`` console script on the shipped demo dump.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

import analyzer
from analyzer.rules import builtin_rules_dir

HANG_GUARD = 600
"""Seconds after which a build or a run counts as hung (each takes a few seconds)."""


def test_the_suite_imports_the_working_tree() -> None:
    assert Path(analyzer.__file__).resolve().parent == REPO / "analyzer", (
        f"analyzer is imported from {analyzer.__file__}, not from this checkout: install the project"
        " editable (pip install -e '.[test]'), as the README says"
    )
    assert builtin_rules_dir() == REPO / "rules"


def run(
    args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """A command with no package index reachable and this environment's PYTHONPATH dropped."""
    full = {**os.environ, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    full.pop("PYTHONPATH", None)
    full.update(env or {})
    return subprocess.run(
        args, capture_output=True, text=True, check=False, env=full, cwd=cwd, timeout=HANG_GUARD
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("hatchling", reason="hatchling (in the test extras) builds the wheel offline")
    out = tmp_path_factory.mktemp("dist")
    built = run(
        [sys.executable, "-m", "hatchling", "build", "--target", "wheel", "--directory", str(out)], cwd=REPO
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (path,) = out.glob("kubesnap-*.whl")
    return path


def test_the_wheel_packs_the_rules_under_their_installed_name(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    packed = sorted(n for n in names if n.startswith("analyzer/builtin_rules/") and n.endswith(".yaml"))
    in_tree = sorted(
        "analyzer/builtin_rules/" + str(p.relative_to(REPO / "rules"))
        for p in (REPO / "rules").rglob("*.yaml")
    )
    assert packed == in_tree
    assert not any(n.startswith(("tests/", "fixtures/", "bench/")) for n in names)


def test_the_installed_console_script_runs_on_the_demo_dump(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    installed = run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)]
    )
    assert installed.returncode == 0, installed.stderr[-2000:]
    script = target / "bin" / ("kubesnap.exe" if os.name == "nt" else "kubesnap")
    env = {"PYTHONPATH": str(target)}  # the installed copy before the editable checkout

    where = run([sys.executable, "-c", "import analyzer; print(analyzer.__file__)"], env=env, cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(target), where.stdout + where.stderr

    listed = run([str(script), "rules", "list"], env=env, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr[-2000:]
    assert "service-selector-matches-nothing" in listed.stdout

    # The rules index renders the comparison from the data file shipped in the package.
    written = run([str(script), "rules", "docs", "--out", str(tmp_path / "docs")], env=env, cwd=tmp_path)
    assert written.returncode == 0, written.stderr[-2000:]
    assert "| `dangling-service` | yes |" in (tmp_path / "docs" / "index.md").read_text(encoding="utf-8")

    demo = REPO / "fixtures" / "blueocean" / "before"
    checked = run([str(script), "check", str(demo), "--format", "json"], env=env, cwd=tmp_path)
    assert checked.returncode == 1, checked.stderr[-2000:]
    report = json.loads(checked.stdout)
    assert report["summary"]["error"] == 26
    assert any(f["rule"] == "service-selector-matches-nothing" for f in report["findings"])
