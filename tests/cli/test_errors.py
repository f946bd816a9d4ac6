"""One error handler for every command, in the console script and in-process alike: a message and
exit code 2 for what the user must fix and for internal errors (a traceback only with
KUBESNAP_DEBUG), and a command's own exit code otherwise."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, run_cli

from analyzer import pipeline
from analyzer.cli import cli

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s, namespace: shop}\n"
INTERNAL = "kubesnap: internal error: RuntimeError: boom (please report it)"


def explode(*args: object, **kwargs: object) -> pipeline.Analysis:
    raise RuntimeError("boom")


@pytest.mark.parametrize("debug", ["", "1"])
def test_an_internal_error_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, debug: str
) -> None:
    (tmp_path / "a.yaml").write_text(CM % "a")
    monkeypatch.setenv("KUBESNAP_DEBUG", debug)
    monkeypatch.setattr(pipeline, "analyse", explode)
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "a.yaml")])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == INTERNAL
    assert ("Traceback" in result.stderr) is bool(debug)


def test_the_console_script_says_the_same(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(CM % "a")
    script = (
        "import sys\nfrom analyzer import pipeline\n"
        "def explode(*a, **k):\n    raise RuntimeError('boom')\n"
        "pipeline.analyse = explode\n"
        f"sys.argv = ['kubesnap', 'check', {str(tmp_path / 'a.yaml')!r}]\n"
        "from analyzer.__main__ import run\nrun()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr == INTERNAL + "\n" and done.stdout == ""


def test_a_problem_to_fix_is_named_with_exit_2(tmp_path: Path) -> None:
    code, out = run_cli(["rules", "list", "--rules", str(tmp_path / "absent")])
    assert code == 2
    assert out == f"kubesnap: --rules {tmp_path / 'absent'}: not a directory\n"


def test_a_command_returns_its_exit_code(tmp_path: Path) -> None:
    out = tmp_path / "pages"
    code, text = run_cli(["rules", "docs", "--out", str(out), "--check"])
    assert code == 1 and "stale: " in text
    assert run_cli(["rules", "docs", "--out", str(out)])[0] == 0
    assert run_cli(["rules", "docs", "--out", str(out), "--check"]) == (0, "")
    assert run_cli(["--version"]) == (0, "kubesnap, version 0.1.0\n")
    assert run_cli(["rules", "docs", "--check", "--out", str(REPO / "docs" / "rules")]) == (0, "")


@pytest.mark.parametrize("debug", ["", "1"])
def test_an_internal_error_while_reading_skips_the_file_and_shows_its_traceback_when_debugging(
    boom_when_read: Path, monkeypatch: pytest.MonkeyPatch, debug: str
) -> None:
    monkeypatch.setenv("KUBESNAP_DEBUG", debug)
    result = CliRunner().invoke(cli, ["check", str(boom_when_read), "--fail-on", "never"])
    assert result.exit_code == 0
    assert f"{boom_when_read / 'boom.yaml'}: internal error while reading (RuntimeError)" in result.stdout
    assert "in 1 object(s) from 2 file(s); 1 skipped" in result.stdout  # the rest of the report
    assert ("Traceback" in result.stderr and "RuntimeError: bug" in result.stderr) is bool(debug)
    if not debug:
        assert result.stderr == ""
