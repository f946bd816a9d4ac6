"""What the case files cannot say: the target version given on the command line (both sides of a
removal), and the coverage of the rules that judge only some inputs (namespace isolation in a
dump that did not list NetworkPolicies, unused objects in a render)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import REPO, run_cli

from analyzer import pipeline
from analyzer.config import Config
from analyzer.model.deprecations import TABLE, lookup

CRONJOB = """apiVersion: batch/v1beta1
kind: CronJob
metadata: {name: nightly-report, namespace: shop}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: report, image: shop/report:1.4}]
"""


def deprecations(tmp_path: Path, *extra: str) -> list[tuple[str, str]]:
    (tmp_path / "cron.yaml").write_text(CRONJOB, encoding="utf-8")
    code, output = run_cli(["check", str(tmp_path / "cron.yaml"), "--format", "json", *extra])
    assert code in (0, 1), output
    return [
        (f["severity"], f["message"]) for f in json.loads(output)["findings"] if f["rule"] == "deprecated-api"
    ]


def test_removed_at_the_target_version_is_an_error(tmp_path: Path) -> None:
    assert deprecations(tmp_path, "--kube-version", "1.25") == [
        (
            "error",
            "CronJob nightly-report uses apiVersion batch/v1beta1, which Kubernetes 1.25 no longer serves "
            "(removed in 1.25): use apiVersion batch/v1.",
        )
    ]


def test_deprecated_but_served_is_a_warning(tmp_path: Path) -> None:
    assert deprecations(tmp_path, "--kube-version", "1.24") == [
        (
            "warning",
            "CronJob nightly-report uses apiVersion batch/v1beta1, which Kubernetes 1.24 still serves but "
            "deprecates (since 1.21; removed in 1.25): use apiVersion batch/v1.",
        )
    ]


def test_before_its_deprecation_nothing(tmp_path: Path) -> None:
    assert deprecations(tmp_path, "--kube-version", "1.20") == []


def test_default_target_is_the_newest_release(tmp_path: Path) -> None:
    [(severity, message)] = deprecations(tmp_path)
    assert severity == "error"
    assert "Kubernetes 1.37 no longer serves" in message


def test_the_table_is_consistent() -> None:
    for row in TABLE:
        assert row.deprecated < row.removed, row
        assert row.replacement != row.api_version, row
        # A replacement is itself served: never a row of the table for the same kind.
        if row.replacement is not None:
            assert lookup(row.replacement, row.kind) is None, row
    assert lookup("apps/v1", "Deployment") is None


LIVE = """apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec: {containers: [{name: web, image: shop/web:2.1}]}
status: {phase: Running}
"""


def run(tmp_path: Path, text: str) -> pipeline.Analysis:
    (tmp_path / "input.yaml").write_text(text, encoding="utf-8")
    return pipeline.analyse([str(tmp_path / "input.yaml")], config=Config(profile="all"))


def test_a_dump_without_any_networkpolicy_is_a_coverage_note_not_a_finding(tmp_path: Path) -> None:
    report = run(tmp_path, LIVE).report
    assert [f for f in report.findings if f.rule == "namespace-without-networkpolicy"] == []
    notes = [(c.rule, c.missing_kind, c.namespace) for c in report.coverage]
    assert ("namespace-without-networkpolicy", "NetworkPolicy", "shop") in notes


def test_a_dump_said_to_have_listed_networkpolicies_is_judged(tmp_path: Path) -> None:
    (tmp_path / "input.yaml").write_text(LIVE, encoding="utf-8")
    (tmp_path / "cfg.yaml").write_text(
        "rules: {namespace-without-networkpolicy: {enabled: true, params: {policies_listed: true}}}",
        encoding="utf-8",
    )
    code, output = run_cli(
        ["check", str(tmp_path / "input.yaml"), "--config", str(tmp_path / "cfg.yaml"), "--format", "json"]
    )
    assert code == 0, output  # a warning: below the default --fail-on
    found = [f for f in json.loads(output)["findings"] if f["rule"] == "namespace-without-networkpolicy"]
    assert [f["message"] for f in found] == [
        "Namespace shop: no NetworkPolicy selects the pods of its workload (Pod web); they accept "
        "connections from every pod of the cluster."
    ]


def test_the_same_objects_as_manifests_are_judged(tmp_path: Path) -> None:
    report = run(tmp_path, LIVE.replace("status: {phase: Running}\n", "")).report
    [finding] = [f for f in report.findings if f.rule == "namespace-without-networkpolicy"]
    assert finding.object.display() == "Namespace/shop"
    assert "its workload (Pod web)" in finding.message


def test_a_render_is_not_judged_for_unused_objects(tmp_path: Path) -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: leftover, namespace: shop}\n---\n" + LIVE
    live = run(tmp_path, text).report
    assert [f.object.display() for f in live.findings if f.rule == "unused-configmap"] == [
        "ConfigMap/shop/leftover"
    ]
    render = run(tmp_path, text.replace("status: {phase: Running}\n", "")).report
    assert [f for f in render.findings if f.rule.startswith("unused-")] == []
    assert [c for c in render.coverage if c.rule.startswith("unused-")] == []


BLUEOCEAN = REPO / "fixtures" / "blueocean" / "before"
APPLICATION_NAMESPACES = [
    "api",
    "infra",
    "kube-system",
    "monitoring",
    "onlyoneapi",
    "platform",
    "saas",
    "saas-dev",
]


def isolation(config: Config) -> tuple[list[str], list[str | None]]:
    report = pipeline.analyse([str(BLUEOCEAN)], config=config).report
    found = sorted(
        f.object.namespace or "" for f in report.findings if f.rule == "namespace-without-networkpolicy"
    )
    notes = sorted(
        (c.namespace for c in report.coverage if c.rule == "namespace-without-networkpolicy"), key=str
    )
    return found, notes


def test_the_seed_audit_dump_did_not_list_networkpolicies() -> None:
    # kubectl get all,configmaps,secrets,... (fixtures/blueocean/README.md): no networkpolicies.
    assert isolation(Config(profile="strict")) == ([], APPLICATION_NAMESPACES)


def test_the_seed_audit_recommendation_when_the_dump_listed_them() -> None:
    listed = Config.model_validate(
        {
            "profile": "strict",
            "rules": {"namespace-without-networkpolicy": {"params": {"policies_listed": True}}},
        }
    )
    assert isolation(listed) == (APPLICATION_NAMESPACES, [])
