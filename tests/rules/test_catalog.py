"""Catalogue invariants, enforced as tests rather than review comments."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

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


BAD_RULES = [
    ("unknown field", "colour: red\n", r"rule 'bad-rule': field 'colour': unknown field"),
    ("unknown predicate", None, r"field 'check.predicate': unknown predicate 'nope'"),
    ("unknown param", "PARAMS", r"field 'check.params.selectorr': unknown field"),
    ("unknown placeholder", "MSG", r"field 'message': unknown placeholder \{object.__class__\}"),
]

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


@pytest.mark.parametrize(("case", "change", "error"), BAD_RULES, ids=[c[0] for c in BAD_RULES])
def test_bad_rule_files_name_file_rule_and_field(
    case: str, change: str | None, error: str, tmp_path: Path
) -> None:
    text = BASE
    if change is None:
        text = text.replace("selector-matches-nothing", "nope")
    elif change == "PARAMS":
        text = text.replace(
            "{predicate: selector-matches-nothing}",
            "{predicate: selector-matches-nothing, params: {selectorr: 1}}",
        )
    elif change == "MSG":
        text = text.replace("{object.name}", "{object.__class__}")
    else:
        text += change
    path = tmp_path / "bad-rule.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KubesnapError, match=re.escape(str(path)) + ".*" + error):
        load_rule_file(path)


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
