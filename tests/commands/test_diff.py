"""kubesnap diff: the seed audit's before/after table and the findings fixed, new and remaining,
checked against fixtures/blueocean/README.md's tables; a snapshot against its own JSON report is
no change; JSON reports are read back (and a broken one is a clear error)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import without_risks
from test_blueocean import FIXTURE, readme_table

from analyzer.cli import cli
from analyzer.rules import load_catalog
from analyzer.rules.finding import Layer


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["diff", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def no_risks(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A configuration turning the security and hardening rules (layer risk) off: the README's
    tables list what breaks, and the risks are pinned apart (tests/test_blueocean.py)."""
    rules = {r.spec.id: {"enabled": False} for r in load_catalog() if r.spec.layer is Layer.RISK}
    path = tmp_path_factory.mktemp("config") / "no-risks.yaml"
    path.write_text(yaml.safe_dump({"rules": rules}), encoding="utf-8")
    return str(path)


def diff_json(before: Path | str, after: Path | str, *extra: str) -> dict:
    code, out, err = run(str(before), str(after), "--format", "json", *extra)
    assert code in (0, 1), err
    return json.loads(out)


def metric(data: dict, metric_id: str) -> tuple[object, object, object]:
    [found] = [m for m in data["metrics"] if m["id"] == metric_id]
    return found["before"], found["after"], found["change"]


def as_row(finding: dict) -> tuple[str, str, str, str]:
    obj = finding["object"]
    where = Path(finding["location"]["file"]).relative_to(FIXTURE).as_posix()
    return (
        finding["rule"],
        finding["severity"],
        f"{obj['kind']} {obj['namespace']}/{obj['name']}",
        f"{where}:{finding['location']['line']}",
    )


def test_before_against_after_matches_the_readme_tables(no_risks: str) -> None:
    before, after = readme_table("before"), readme_table("after")
    data = diff_json(FIXTURE / "before", FIXTURE / "after", "--config", no_risks)
    for severity in ("error", "warning", "info"):
        assert metric(data, f"findings/{severity}")[:2] == (
            {"value": sum(r[1] == severity for r in before), "total": None},
            {"value": sum(r[1] == severity for r in after), "total": None},
        )
    crashloops = [sum(r[0] == "pod-crashloop" for r in rows) for rows in (before, after)]
    assert crashloops == [5, 0]
    assert metric(data, "crashlooping-pods") == ({"value": 5, "total": None}, {"value": 0, "total": None}, -5)
    # "monitoring has 5 of 13 Services with a ready endpoint"; after the repair, all 13.
    assert metric(data, "services-ready/monitoring") == (
        {"value": 5, "total": 13},
        {"value": 13, "total": 13},
        8,
    )
    # The findings the repair removed are before's rows that after lacks (same rule and object);
    # what the audit left as it was remains, located in after/.
    after_keys = {(rule, obj) for rule, _, obj, _ in after}
    assert [as_row(f) for f in data["fixed"]] == [r for r in before if (r[0], r[2]) not in after_keys]
    assert [as_row(f) for f in data["remaining"]] == after
    assert data["new"] == []
    assert data["summary"] == {"fixed": len(before) - len(after), "new": 0, "remaining": len(after)}


def test_the_other_way_round_the_fixed_findings_are_new_and_fail(no_risks: str) -> None:
    code, out, _ = run(
        str(FIXTURE / "after"), str(FIXTURE / "before"), "--format", "json", "--config", no_risks
    )
    assert code == 1  # new errors
    data = json.loads(out)
    assert {(f["rule"], f["object"]["name"]) for f in data["new"]} >= {
        ("service-selector-matches-nothing", "prometheus-server"),
        ("missing-reference", "public-api"),
    }
    assert data["fixed"] == []
    assert run(str(FIXTURE / "after"), str(FIXTURE / "before"), "--fail-on", "never")[0] == 0


def test_a_snapshot_against_its_own_json_report_is_no_change(tmp_path: Path, no_risks: str) -> None:
    report = tmp_path / "before.json"
    args = ["check", str(FIXTURE / "before"), "--format", "json", "-o", str(report), "--config", no_risks]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    for before, after in ((FIXTURE / "before", report), (report, FIXTURE / "before")):
        data = diff_json(before, after, "--config", no_risks)
        assert data["fixed"] == [] and data["new"] == []
        assert len(data["remaining"]) == len(readme_table("before"))
        assert all(m["change"] == 0 for m in data["metrics"]), data["metrics"]


def test_text_and_markdown_show_the_table_and_the_lists(no_risks: str) -> None:
    code, text, _ = run(str(FIXTURE / "before"), str(FIXTURE / "after"), "--config", no_risks)
    assert code == 0
    assert "  in monitoring                      5/13    13/13  +8 (better)" in text
    assert "crash-looping pods                   5       0      -5 (better)" in text
    assert "fixed (31)" in text and "new (0)" in text and "remaining (7)" in text
    assert text.rstrip().endswith("31 fixed, 0 new, 7 remaining")
    _, markdown, _ = run(
        str(FIXTURE / "before"), str(FIXTURE / "after"), "--format", "markdown", "--config", no_risks
    )
    assert "| &nbsp;&nbsp;in monitoring | 5/13 | 13/13 | +8 (better) |" in markdown
    assert "<details><summary>Fixed (31)</summary>" in markdown
    # Untrusted text is escaped: the message's underscores do not turn into emphasis.
    assert "PROMETHEUS\\_SERVER\\_ENDPOINT" in markdown
    again = run(
        str(FIXTURE / "before"), str(FIXTURE / "after"), "--format", "markdown", "--config", no_risks
    )[1]
    assert again == markdown
    assert "S3CR3T" not in text + markdown


def test_a_moved_object_is_no_change(tmp_path: Path) -> None:
    """Fingerprints hold no location: the same broken Service further down another file."""
    service = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n"
    service += "spec: {selector: {app: web}}\n"
    pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: api, namespace: shop, labels: {app: api}}\n"
    pod += "spec: {containers: [{name: api, image: api:1}]}\n"
    (tmp_path / "a.yaml").write_text(service + "---\n" + pod, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(pod + "---\n" + service, encoding="utf-8")
    data = diff_json(tmp_path / "a.yaml", tmp_path / "b.yaml")
    # Pod api's hardening warnings (no securityContext, no resources) move along with it.
    remaining = without_risks(data["remaining"])
    assert [f["rule"] for f in remaining] == ["service-selector-matches-nothing"]
    assert data["fixed"] == data["new"] == []
    assert remaining[0]["location"]["file"].endswith("b.yaml")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"schema": "kubesnap/report/v1",\n "tool": ', "bad.json:2: not a valid JSON report"),
        ('{"schema": "kubesnap/report/v1", "tool": {"name": "kubesnap"}}', "not a valid kubesnap/report/v1"),
        ('{"schema": "kubesnap/report/v9"}', "a report of schema 'kubesnap/report/v9'"),
    ],
)
def test_a_broken_report_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    code, out, err = run(str(bad), str(FIXTURE / "after"))
    assert code == 2
    assert message in err and "Traceback" not in err + out


def test_missing_inputs_are_usage_errors(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "absent"), str(FIXTURE / "after"))
    assert code == 2 and "absent: no such file or folder" in err
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: [unclosed\n", encoding="utf-8")
    code, _, err = run(str(broken), str(FIXTURE / "after"))
    assert code == 2 and "no readable Kubernetes object" in err
