"""Catalogue invariants, enforced as tests rather than review comments."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.cli import cli
from analyzer.errors import KubesnapError
from analyzer.rules.catalog import builtin_rules_dir, load_catalog, load_rule_file
from analyzer.rules.docs import write_docs
from analyzer.rules.predicates import PREDICATES

REPO = Path(__file__).resolve().parents[2]
CATALOG = load_catalog()

# The stable ids and severities of the foundation issue (the report contract depends on them).
CONTRACT = {
    "service-selector-matches-nothing": "error",
    "service-port-mismatch": "error",
    "workload-selector-mismatch": "error",
    "missing-reference": "error",
    "volume-mount-undeclared": "error",
    "ingress-backend-missing": "error",
    "hpa-target-missing": "error",
    "pdb-selects-nothing": "warning",
    "networkpolicy-selects-nothing": "warning",
    "duplicate-object": "warning",
    "servicemonitor-selects-nothing": "error",
    "route-backend-missing": "error",
    "statefulset-service-missing": "warning",
    # The forensics issue (observed state, dependencies).
    "pod-crashloop": "error",
    "pod-image-pull-failure": "error",
    "pod-unschedulable": "error",
    "daemonset-incomplete": "warning",
    "workload-unavailable": "error",
    "workload-scaled-to-zero": "info",
    "job-failed": "warning",
    "pvc-unbound": "error",
    "node-not-ready": "error",
    "node-pressure": "warning",
    "service-no-ready-endpoints": "error",
    "loadbalancer-pending": "warning",
    "hpa-not-scaling": "warning",
    "dependency-missing": "error",
    "dependency-unavailable": "error",
    # The Helm issue.
    "helm-release-drift": "warning",
    "helm-release-object-missing": "error",
    "helm-orphan-object": "warning",
    "mixed-label-conventions": "warning",
}


def test_contract_ids_and_severities() -> None:
    got = {r.id: r.spec.severity.value for r in CATALOG}
    for rule_id, severity in CONTRACT.items():
        assert got.get(rule_id) == severity, rule_id


def test_ids_unique_and_equal_to_file_and_folder() -> None:
    ids = [r.id for r in CATALOG]
    assert len(ids) == len(set(ids))
    for rule in CATALOG:
        assert rule.path.name == f"{rule.id}.yaml"
        assert rule.path.parent.name == rule.spec.category


def test_titles_and_sentences() -> None:
    for rule in CATALOG:
        assert not rule.spec.title.endswith("."), rule.id
        assert rule.spec.docs.what.rstrip().endswith("."), rule.id
        assert rule.spec.hint.rstrip().endswith("."), rule.id
        assert (
            rule.spec.docs.why.strip()
            and rule.spec.docs.example.strip()
            and rule.spec.docs.use_instead.strip()
        )


def test_every_predicate_is_used() -> None:
    used = {r.spec.check.predicate for r in CATALOG}
    # label-missing serves user rules (docs/writing-rules.md, run by tests/rules/test_writing_rules_doc.py)
    assert set(PREDICATES) - used == {"label-missing"}


def test_messages_never_contain_the_rule_id() -> None:
    for rule in CATALOG:
        assert rule.id not in rule.spec.message


def test_docs_pages_are_fresh() -> None:
    stale = write_docs(CATALOG, REPO / "docs" / "rules", check_only=True)
    assert stale == [], f"run `kubesnap rules docs` and commit: {[str(p) for p in stale]}"


def test_builtin_dir_is_the_repo_catalogue_in_a_checkout() -> None:
    assert sorted(
        p.name for p in builtin_rules_dir().rglob("*.yaml") if not p.name.endswith(".test.yaml")
    ) == sorted(f"{r.id}.yaml" for r in CATALOG)


BASE = """id: bad-rule
title: A rule
category: custom
severity: error
applies_to: [Service]
check: {predicate: selector-matches-nothing}
message: "Service {object.name} selects {selector}."
hint: "Fix it."
docs: {what: W., why: Y, example: E, use_instead: U}
"""

SMN = "{predicate: selector-matches-nothing}"

# (case, replacements in BASE, text appended, expected error after the file name)
BAD_RULES: list[tuple[str, dict[str, str], str, str]] = [
    ("unknown field", {}, "colour: red\n", r"field 'colour': unknown field"),
    (
        "unknown predicate",
        {"selector-matches-nothing": "nope"},
        "",
        r"field 'check.predicate': unknown predicate 'nope'",
    ),
    (
        "unknown param",
        {SMN: "{predicate: selector-matches-nothing, params: {selectorr: 1}}"},
        "",
        r"field 'check.params.selectorr': unknown field",
    ),
    (
        "param of the wrong type",
        {SMN: "{predicate: selector-matches-nothing, params: {report_empty: maybe}}"},
        "",
        r"field 'check.params.report_empty': Input should be a valid boolean",
    ),
    (
        "param value out of its set",
        {
            SMN: "{predicate: reference-missing, params: {kinds: [Configmap]}}",
            "applies_to: [Service]": "applies_to: [Deployment]",
            "{selector}": "{ref_name}",
        },
        "",
        r"field 'check.params.kinds.0': Value error, 'Configmap' is not a kind a pod spec references "
        r"\(one of: ConfigMap, ",
    ),
    (
        "required param missing",
        {SMN: "{predicate: label-missing}", "{selector}": "{label}"},
        "",
        r"field 'check.params.label': Field required",
    ),
    (
        "unknown placeholder",
        {"{object.name}": "{object.__class__}"},
        "",
        r"field 'message': unknown placeholder \{object.__class__\}",
    ),
    (
        "a fact of another predicate",
        {"{selector}": "{ref_name}"},
        "",
        r"field 'message': unknown placeholder \{ref_name\} \(this rule provides: closest, object, ",
    ),
    (
        "a kind the predicate cannot judge",
        {"applies_to: [Service]": "applies_to: [Service, Deployment]"},
        "",
        r"field 'applies_to': predicate 'selector-matches-nothing' cannot judge Deployment "
        r"\(it judges: NetworkPolicy, PodDisruptionBudget, Service\)",
    ),
    (
        "every kind, for a predicate of some kinds",
        {"applies_to: [Service]": "applies_to: ['*']"},
        "",
        r"field 'applies_to': predicate 'selector-matches-nothing' cannot judge \*",
    ),
    (
        "a kind of another group",
        {"applies_to: [Service]": "applies_to: [serving.knative.dev/Service]"},
        "",
        r"field 'applies_to': predicate 'selector-matches-nothing' cannot judge serving.knative.dev/Service",
    ),
    (
        "the core group written as a version: it names no kind",
        {"applies_to: [Service]": "applies_to: [v1/Service]"},
        "",
        r"field 'applies_to': predicate 'selector-matches-nothing' cannot judge v1/Service",
    ),
    (
        "kinds that follow from the params",
        {
            SMN: "{predicate: edge-target-missing, params: {edge: selects}}",
            "applies_to: [Service]": "applies_to: [HorizontalPodAutoscaler]",
            "{selector}": "{target}",
        },
        "",
        r"field 'applies_to': predicate 'edge-target-missing' cannot judge HorizontalPodAutoscaler",
    ),
]


@pytest.mark.parametrize(("case", "changes", "extra", "error"), BAD_RULES, ids=[c[0] for c in BAD_RULES])
def test_bad_rule_files_name_file_rule_and_field(
    case: str, changes: dict[str, str], extra: str, error: str, tmp_path: Path
) -> None:
    text = BASE
    for old, new in changes.items():
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "bad-rule.yaml"
    path.write_text(text + extra, encoding="utf-8")
    with pytest.raises(KubesnapError, match=re.escape(f"{path}: rule 'bad-rule': ") + error):
        load_rule_file(path)


GOOD_RULES = [
    (
        "group/Kind patterns of a custom resource",
        {
            SMN: "{predicate: monitor-selects-nothing}",
            "applies_to: [Service]": "applies_to: [monitoring.coreos.com/ServiceMonitor]",
            "{object.name} selects {selector}": "{object.name} {problem} in {namespaces}",
        },
    ),
    (
        "a built-in kind written with its group",
        {
            "applies_to: [Service]": "applies_to: [networking.k8s.io/NetworkPolicy, "
            "policy/PodDisruptionBudget]"
        },
    ),
    (
        "every kind, for a predicate of every kind",
        {
            SMN: "{predicate: label-missing, params: {label: team}}",
            "applies_to: [Service]": "applies_to: ['*']",
            "{selector}": "{label}",
        },
    ),
    (
        "kinds that follow from the params",
        {
            SMN: "{predicate: edge-target-missing, params: {edge: runs-on}}",
            "applies_to: [Service]": "applies_to: [Pod]",
            "{selector}": "{target}",
        },
    ),
]


@pytest.mark.parametrize(("case", "changes"), GOOD_RULES, ids=[c[0] for c in GOOD_RULES])
def test_rule_instances_that_load(case: str, changes: dict[str, str], tmp_path: Path) -> None:
    text = BASE
    for old, new in changes.items():
        text = text.replace(old, new)
    path = tmp_path / "bad-rule.yaml"
    path.write_text(text, encoding="utf-8")
    rule = load_rule_file(path)
    assert rule.spec.applies_to


def test_a_rule_the_predicate_cannot_judge_stops_the_command_with_exit_2(tmp_path: Path) -> None:
    folder = tmp_path / "my-rules"
    folder.mkdir()
    text = BASE.replace("bad-rule", "my-rule").replace("applies_to: [Service]", "applies_to: [Deployment]")
    (folder / "my-rule.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["rules", "list", "--rules", str(folder)])
    assert result.exit_code == 2
    assert (
        f"{folder / 'my-rule.yaml'}: rule 'my-rule': field 'applies_to': "
        "predicate 'selector-matches-nothing' cannot judge Deployment"
    ) in result.output


def test_rule_id_must_equal_file_name(tmp_path: Path) -> None:
    path = tmp_path / "other-name.yaml"
    path.write_text(BASE, encoding="utf-8")
    with pytest.raises(KubesnapError, match="id must equal the file name"):
        load_rule_file(path)


def test_installed_package_ships_the_whole_catalogue() -> None:
    """The wheel carries rules/ as analyzer/builtin_rules, file for file (checked where installed)."""
    installed = builtin_rules_dir()
    repo_rules = REPO / "rules"
    if installed == repo_rules:
        pytest.skip("running from a checkout, not an installed wheel")
    shipped = {p.relative_to(installed): p.read_bytes() for p in installed.rglob("*.yaml")}
    source = {p.relative_to(repo_rules): p.read_bytes() for p in repo_rules.rglob("*.yaml")}
    assert shipped == source
