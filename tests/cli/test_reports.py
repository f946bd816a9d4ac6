"""``check --report FORMAT=FILE`` (repeatable): the same report written in several formats in one
run, the --format report still on standard output; bad values are usage errors given before
anything is read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import run_cli

from analyzer.cli import cli
from analyzer.report import RENDERERS

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
    spec: {containers: [{name: api, image: api:1}]}
"""


@pytest.fixture
def manifests(tmp_path: Path) -> Path:
    path = tmp_path / "m.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def test_every_format_in_one_run_as_each_alone(tmp_path: Path, manifests: Path) -> None:
    formats = sorted(RENDERERS)
    assert {"json", "text"} <= set(formats)
    reports = [arg for fmt in formats for arg in ("--report", f"{fmt}={tmp_path / ('all.' + fmt)}")]
    code, together = run_cli(["check", str(manifests), *reports])
    assert code == 1
    code, alone = run_cli(["check", str(manifests)])
    assert together == alone  # the terminal still gets the text report, and nothing else
    for fmt in formats:
        code, output = run_cli(["check", str(manifests), "--format", fmt, "-o", str(tmp_path / f"one.{fmt}")])
        assert code == 1, output
        written = (tmp_path / f"all.{fmt}").read_bytes()
        assert written == (tmp_path / f"one.{fmt}").read_bytes(), fmt
    assert json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))["summary"]["error"] == 1


def test_report_files_have_no_colour(tmp_path: Path, manifests: Path) -> None:
    code, output = run_cli(["check", str(manifests), "--color", "--report", f"text={tmp_path / 'r.txt'}"])
    assert code == 1
    assert "\x1b[" in output
    assert "\x1b[" not in (tmp_path / "r.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("json", "'json': expected FORMAT=FILE"),
        ("=r.json", "'=r.json': expected FORMAT=FILE"),
        ("json=", "'json=': expected FORMAT=FILE"),
        ("nope=r.txt", "'nope=r.txt': unknown format 'nope' (one of: "),
        ("json={tmp}/missing/r.json", "no such folder: {tmp}/missing"),
        ("json={tmp}", "{tmp} is a folder"),
    ],
)
def test_bad_values_are_usage_errors_before_reading(tmp_path: Path, value: str, message: str) -> None:
    # The input does not exist: had the analysis run, the error would be about it.
    value, message = value.format(tmp=tmp_path), message.format(tmp=tmp_path)
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "absent.yaml"), "--report", value])
    assert result.exit_code == 2
    assert "Invalid value for '--report'" in result.stderr
    assert message in " ".join(result.stderr.split())
    assert result.stdout == ""


def test_one_file_named_twice(tmp_path: Path, manifests: Path) -> None:
    file = str(tmp_path / "r.out")
    code, output = run_cli(["check", str(manifests), "--report", f"json={file}", "--report", f"text={file}"])
    assert code == 2
    assert "named by another --report" in output
    code, output = run_cli(["check", str(manifests), "-o", file, "--report", f"json={file}"])
    assert code == 2
    assert output == f"kubesnap: --output {file} is also named by --report\n"
    assert not Path(file).exists()


def test_unwritable_output_is_said_before_reading(tmp_path: Path, manifests: Path) -> None:
    code, output = run_cli(["check", str(manifests), "-o", str(tmp_path / "no" / "r.txt")])
    assert code == 2
    assert output == f"kubesnap: --output {tmp_path / 'no' / 'r.txt'}: no such folder: {tmp_path / 'no'}\n"


def test_docs_base_turns_rule_pages_into_links(tmp_path: Path, manifests: Path) -> None:
    """--docs-base: SARIF's helpUri and the HTML page link a built-in rule to its page under the
    address given; without it, no address appears (none is made up)."""
    base = "https://git.example.invalid/kubesnap/blob/v1"
    sarif, page = tmp_path / "k.sarif", tmp_path / "k.html"
    args = ["check", str(manifests), "--report", f"sarif={sarif}", "--report", f"html={page}"]
    run_cli([*args, "--docs-base", base])
    rules = {r["id"]: r for r in json.loads(sarif.read_text())["runs"][0]["tool"]["driver"]["rules"]}
    page_of = f"{base}/docs/rules/service-selector-matches-nothing.md"
    assert rules["service-selector-matches-nothing"]["helpUri"] == page_of
    assert f'href="{page_of}"' in page.read_text()
    run_cli(args)
    rules = {r["id"]: r for r in json.loads(sarif.read_text())["runs"][0]["tool"]["driver"]["rules"]}
    assert "helpUri" not in rules["service-selector-matches-nothing"]
    assert base not in page.read_text()
