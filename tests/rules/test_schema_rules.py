"""Schema validation of the built-in kinds (schema-invalid, schema-unknown-field, the
schema-unknown-kind coverage note): the target version decides, findings name the field's path
and line (YAML and JSON), --strict makes unknown fields errors, bad input never raises, and the
well-maintained corpus sets validate at versions they target."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import CORPUS, needs_corpus, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer import pipeline
from analyzer.config import Config
from analyzer.findings.field_lines import with_field_lines
from analyzer.model.versions import KubeVersion
from analyzer.report.model import Report
from analyzer.rules.openapi import schemas_for, validate
from analyzer.rules.openapi.paths import join, split
from analyzer.rules.openapi.schemas import shipped

SCHEMA_RULES = ("schema-invalid", "schema-unknown-field")

TYPO = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replica: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: shop/web:1.4
          imagePullPolicy: Alway
"""

TRAFFIC = """\
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  trafficDistribution: PreferClose
  ports: [{port: 80}]
"""


def schema_findings(report: Report) -> list[tuple[str, str, str | None, int | None, str]]:
    return [
        (
            f.rule,
            f.severity.value,
            f.location.path if f.location else None,
            f.location.line if f.location else None,
            f.message,
        )
        for f in report.findings
        if f.rule in SCHEMA_RULES
    ]


def analyse(tmp_path: Path, text: str, name: str = "in.yaml", **config: object) -> Report:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return pipeline.analyse([str(path)], config=Config(**config)).report  # type: ignore[arg-type]


def test_a_typo_and_an_enum_typo_name_their_field_and_its_line(tmp_path: Path) -> None:
    # In the file's order: each at its field's own line.
    assert schema_findings(analyse(tmp_path, TYPO)) == [
        (
            "schema-unknown-field",
            "warning",
            "spec.replica",
            7,
            "spec.replica is not a field of DeploymentSpec in Kubernetes 1.37 (did you mean replicas?).",
        ),
        (
            "schema-invalid",
            "error",
            "spec.template.spec.containers[0].imagePullPolicy",
            17,
            'spec.template.spec.containers[0].imagePullPolicy is "Alway", not one of Always, '
            "IfNotPresent, Never (did you mean Always?).",
        ),
    ]


def test_json_files_get_the_field_line_too(tmp_path: Path) -> None:
    import yaml

    text = json.dumps({"kind": "List", "apiVersion": "v1", "items": [yaml.safe_load(TYPO)]}, indent=2)
    found = {
        (rule, path, line) for rule, _, path, line, _ in schema_findings(analyse(tmp_path, text, "in.json"))
    }
    lines = text.splitlines()
    assert found == {
        ("schema-invalid", "spec.template.spec.containers[0].imagePullPolicy", _line_of(lines, '"Alway"')),
        ("schema-unknown-field", "spec.replica", _line_of(lines, '"replica"')),
    }


def _line_of(lines: list[str], text: str) -> int:
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_the_json_report_carries_path_and_field_line(tmp_path: Path) -> None:
    (tmp_path / "in.yaml").write_text(TYPO, encoding="utf-8")
    code, out = run_cli(["check", str(tmp_path / "in.yaml"), "--format", "json"])
    assert code == 1
    locations = [f["location"] for f in json.loads(out)["findings"] if f["rule"] == "schema-unknown-field"]
    assert locations == [{"file": str(tmp_path / "in.yaml"), "line": 7, "path": "spec.replica"}]


def test_a_file_changed_since_it_was_read_keeps_the_object_line(tmp_path: Path) -> None:
    report = analyse(tmp_path, TYPO)
    as_made = [replace(f, location=replace(f.location, line=1)) for f in report.findings if f.location]
    assert {f.location.line for f in with_field_lines(as_made) if f.rule in SCHEMA_RULES} == {7, 17}
    (tmp_path / "in.yaml").write_text(TYPO.replace("name: web\n  namespace", "name: api\n  namespace"))
    assert {f.location.line for f in with_field_lines(as_made) if f.rule in SCHEMA_RULES} == {1}


@pytest.mark.parametrize(("version", "expected"), [("1.29", ["schema-unknown-field"]), ("1.30", [])])
def test_a_field_newer_than_the_target_is_unknown(tmp_path: Path, version: str, expected: list[str]) -> None:
    found = schema_findings(analyse(tmp_path, TRAFFIC, kube_version=version))
    assert [rule for rule, *_ in found] == expected
    if expected:
        assert found[0][4] == ("spec.trafficDistribution is not a field of ServiceSpec in Kubernetes 1.29.")


def test_the_command_line_version_decides(tmp_path: Path) -> None:
    (tmp_path / "svc.yaml").write_text(TRAFFIC, encoding="utf-8")
    old, out_old = run_cli(
        ["check", str(tmp_path / "svc.yaml"), "--kube-version", "1.29", "--fail-on", "warning"]
    )
    new, out_new = run_cli(
        ["check", str(tmp_path / "svc.yaml"), "--kube-version", "1.30", "--fail-on", "warning"]
    )
    assert (old, new) == (1, 0)
    assert "[schema-unknown-field]" in out_old and "[schema-unknown-field]" not in out_new


def test_strict_makes_unknown_fields_errors(tmp_path: Path) -> None:
    (tmp_path / "in.yaml").write_text(TYPO.replace("Alway", "Always"), encoding="utf-8")
    assert run_cli(["check", str(tmp_path / "in.yaml")])[0] == 0
    code, out = run_cli(["check", str(tmp_path / "in.yaml"), "--strict", "--format", "json"])
    assert code == 1
    found = json.loads(out)["findings"]
    assert [(f["rule"], f["severity"]) for f in found if f["rule"] in SCHEMA_RULES] == [
        ("schema-unknown-field", "error")
    ]


def test_unknown_kinds_are_a_coverage_note_unless_a_crd_of_the_input_defines_them(tmp_path: Path) -> None:
    widget = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 3}\n"
    notes = [c.reason for c in analyse(tmp_path, widget).coverage if c.rule == "schema-invalid"]
    assert notes == [
        "schema-unknown-kind: example.com/v1 Widget is served neither by Kubernetes 1.37 "
        "nor by a CRD of the input"
    ]
    crd = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  versions:
    - name: v1
      served: true
      storage: true
      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
---
"""
    report = analyse(tmp_path, crd + widget)
    assert [c for c in report.coverage if c.rule == "schema-invalid"] == []
    assert schema_findings(report) == []


def test_a_removed_api_version_is_an_unknown_kind(tmp_path: Path) -> None:
    pdb = "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec: {}\n"
    notes = [c.reason for c in analyse(tmp_path, pdb).coverage if c.rule == "schema-invalid"]
    assert notes == [
        "schema-unknown-kind: policy/v1beta1 PodDisruptionBudget is served neither by Kubernetes 1.37 "
        "nor by a CRD of the input"
    ]


def test_secret_values_are_never_quoted(tmp_path: Path) -> None:
    secret = (
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: 40961\nstringData: {password: hunter2}\n"
    )
    report = analyse(tmp_path, secret)
    assert [m for *_, m in schema_findings(report)] == ["type is an integer, expected a string."]
    config = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nimmutable: 40961\n"
    assert [m for *_, m in schema_findings(analyse(tmp_path, config))] == [
        "immutable is an integer (40961), expected true or false."
    ]


def test_versions_outside_the_shipped_ones_use_the_nearest() -> None:
    assert shipped(KubeVersion(1, 20)) == KubeVersion(1, 25)
    assert shipped(KubeVersion(1, 31)) == KubeVersion(1, 31)
    assert shipped(KubeVersion(1, 40)) == KubeVersion(1, 37)
    assert schemas_for(KubeVersion(1, 40)).version == KubeVersion(1, 37)


@pytest.mark.parametrize(
    ("key", "path"),
    [
        ("spec", "spec"),
        ("app.kubernetes.io/name", 'metadata.labels["app.kubernetes.io/name"]'),
        (0, "metadata.labels[0]"),
    ],
)
def test_paths_are_spelled_and_read_back(key: str | int, path: str) -> None:
    base = "" if key == "spec" else "metadata.labels"
    assert join(base, key) == path
    assert split(path) == ([*(["metadata", "labels"] if base else []), key])


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(spec=JSON_VALUES, metadata=JSON_VALUES)
def test_any_value_anywhere_never_raises(spec: object, metadata: object) -> None:
    schemas = schemas_for(KubeVersion(1, 37))
    check = schemas.check("apps/v1", "Deployment")
    assert check is not None
    problems = validate({"spec": {"template": {"spec": spec}}, "metadata": metadata}, check, "1.37")
    assert all(p.path and p.text for p in problems)


WELL_MAINTAINED = [
    # Copied in late 2026 from releases meant for the Kubernetes minors supported upstream then:
    # 1.35 (the oldest of them) and 1.37 (the newest, kubesnap's default target).
    (corpus_set, version)
    for corpus_set in ("argo-cd", "kube-prometheus", "ingress-nginx", "realworld-2026-12")
    for version in ("1.35", "1.37")
]


@needs_corpus()
@pytest.mark.parametrize(("corpus_set", "version"), WELL_MAINTAINED)
def test_well_maintained_sets_are_schema_valid_at_a_version_they_target(
    corpus_set: str, version: str
) -> None:
    report = pipeline.analyse([str(CORPUS / corpus_set)], config=Config(kube_version=version)).report
    assert report.objects > 0
    assert [f for f in report.findings if f.rule == "schema-invalid"] == []


def test_strict_is_laid_over_the_configuration_as_the_other_options_are() -> None:
    from analyzer.commands.options import configured
    from analyzer.config import RuleConfig
    from analyzer.rules.finding import Severity

    base = Config(kube_version="1.30", rules={"schema-unknown-field": RuleConfig(severity=Severity.INFO)})
    assert configured(base, None, None) is base
    strict = configured(base, None, None, strict=True)
    assert strict.rules["schema-unknown-field"].severity == Severity.ERROR
    assert strict.kube_version == "1.30"
    assert base.rules["schema-unknown-field"].severity == Severity.INFO


def test_a_status_may_lack_required_fields_but_not_hold_undecodable_values(tmp_path: Path) -> None:
    hpa = """\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  maxReplicas: 3
status: {currentReplicas: 1}
"""
    assert schema_findings(analyse(tmp_path, hpa)) == []
    broken = hpa.replace("currentReplicas: 1", 'currentReplicas: "one"')
    assert [m for *_, m in schema_findings(analyse(tmp_path, broken))] == [
        'status.currentReplicas is a string ("one"), expected an integer.'
    ]


def test_the_pods_of_an_absent_replicaset_are_judged_once(tmp_path: Path) -> None:
    # A dump of Pods alone: the Pods of one ReplicaSet are judged through the first of them
    # (by name), the others named in its message; a Pod of another ReplicaSet is its own.
    def pod(name: str, owner: str) -> str:
        return (
            f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: shop\n"
            f"  labels: {{pod-template-hash: '1'}}\n"
            f"  ownerReferences: [{{apiVersion: apps/v1, kind: ReplicaSet, name: {owner}, "
            f"uid: u-{owner}, controller: true}}]\n"
            "spec:\n  containers: [{name: app, image: web:1, imagePullPolicy: Alway}]\n---\n"
        )

    text = pod("web-b", "web") + pod("web-a", "web") + pod("web-c", "web") + pod("db-a", "db")
    found = [
        (f.object.name, f.message) for f in analyse(tmp_path, text).findings if f.rule == "schema-invalid"
    ]
    problem = (
        'spec.containers[0].imagePullPolicy is "Alway", not one of Always, IfNotPresent, Never '
        "(did you mean Always?)."
    )
    assert sorted(found) == [
        ("db-a", problem),
        (
            "web-a",
            f"{problem} [judged once for the 3 Pods of ReplicaSet shop/web, which the snapshot lacks; "
            "the others: web-b, web-c]",
        ),
    ]
