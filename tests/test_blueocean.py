"""The seed audit, end to end: the broken dump gives exactly the audit's findings, at the right
lines, and the repaired dump gives no error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from analyzer import pipeline
from analyzer.cli import cli
from analyzer.load.parsers import rapidyaml
from analyzer.report.json_report import render as json_report

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "blueocean"

EXPECTED_BEFORE = {
    # The Helm-vs-hand-written label mix: 5 Services whose pods carry app.kubernetes.io/* labels only.
    ("service-selector-matches-nothing", "Service/monitoring/prometheus-server"),
    ("service-selector-matches-nothing", "Service/monitoring/prometheus-alertmanager"),
    ("service-selector-matches-nothing", "Service/monitoring/prometheus-node-exporter"),
    ("service-selector-matches-nothing", "Service/monitoring/jaeger-collector"),
    ("service-selector-matches-nothing", "Service/monitoring/jaeger-query"),
    # A named targetPort no container declares: no endpoints either.
    ("service-port-mismatch", "Service/monitoring/loki"),
    # The public API mounts an email-templates ConfigMap that does not exist (once, on the Deployment).
    ("missing-reference", "Deployment/onlyoneapi/public-api"),
}


def first_key_lines(path: Path) -> dict[str, int]:
    """Kind/namespace/name -> line of the item's first key, computed independently of kubesnap."""
    root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    items = next(v for k, v in root.value if k.value == "items")
    lines = {}
    for item in items.value:
        data = yaml.safe_load(yaml.serialize(item))
        meta = data["metadata"]
        lines[f"{data['kind']}/{meta.get('namespace')}/{meta['name']}"] = item.value[0][0].start_mark.line + 1
    return lines


def test_before_finds_every_broken_thing_of_the_audit_at_the_right_line() -> None:
    report = pipeline.analyse([str(FIXTURE / "before")]).report
    assert report.skipped == []
    got = {(f.rule, f.object.display()) for f in report.findings}
    assert got == EXPECTED_BEFORE
    lines = first_key_lines(FIXTURE / "before" / "resources.yaml")
    for finding in report.findings:
        assert finding.location is not None
        assert finding.location.file == str(FIXTURE / "before" / "resources.yaml")
        assert finding.location.line == lines[finding.object.display()]


def test_the_prometheus_message_explains_the_label_mix_in_one_line() -> None:
    report = pipeline.analyse([str(FIXTURE / "before")]).report
    [prom] = [f for f in report.findings if f.object.name == "prometheus-server"]
    assert prom.message == (
        "Service prometheus-server selects app=prometheus,component=server, but no pod or pod template in "
        "namespace monitoring carries these labels; closest: Deployment prometheus-server, whose pods carry "
        "app.kubernetes.io/name=prometheus instead of app=prometheus; "
        "app.kubernetes.io/component=server instead of component=server."
    )
    assert [r.display() for r in prom.related] == ["Deployment/monitoring/prometheus-server"]


def test_after_has_no_finding() -> None:
    report = pipeline.analyse([str(FIXTURE / "after")]).report
    assert report.findings == [] and report.skipped == []
    assert report.objects > 250


def test_cli_exit_codes_on_the_demo() -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["check", str(FIXTURE / "before")]).exit_code == 1
    assert runner.invoke(cli, ["check", str(FIXTURE / "after"), "--fail-on", "warning"]).exit_code == 0


def test_secret_values_of_the_dump_never_leak() -> None:
    result = CliRunner().invoke(cli, ["check", str(FIXTURE / "before"), "--format", "json"])
    assert "S3CR3T-MARKER" not in result.output
    assert json.loads(result.output)["inputs"]["objects"] > 250


def generated(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``, by its path relative to it."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_generator_is_deterministic(tmp_path: Path) -> None:
    """Re-running the generator rewrites the committed files byte for byte: before/ and after/
    (nodes, resources, events) and the cluster-info dump, file for file."""
    subprocess.run([sys.executable, str(FIXTURE / "generate.py"), str(tmp_path)], check=True)
    for state in ("before", "after", "cluster-info-dump"):
        committed, fresh = generated(FIXTURE / state), generated(tmp_path / state)
        assert sorted(fresh) == sorted(committed), f"fixtures/blueocean/{state}: files differ"
        stale = [name for name in committed if fresh[name] != committed[name]]
        assert not stale, (
            f"fixtures/blueocean/{state} is stale ({stale[:3]}): run fixtures/blueocean/generate.py"
        )
    assert {"before/events.yaml", "after/events.yaml"} <= {
        f"{state}/{name}" for state in ("before", "after") for name in generated(tmp_path / state)
    }


def test_the_same_report_without_rapidyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyYAML alone (rapidyaml absent, or KUBESNAP_PURE_YAML=1) gives the same report, lines included."""
    fast = json_report(pipeline.analyse([str(FIXTURE / "before")]).report)
    monkeypatch.setattr(rapidyaml, "AVAILABLE", False)
    assert json_report(pipeline.analyse([str(FIXTURE / "before")]).report) == fast
