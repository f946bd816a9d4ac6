"""The predicate protocol: typed params, kinds declared, facts per rule instance, and the
snapshot reached only through the graph's query API."""

from __future__ import annotations

import ast
import typing
from collections import Counter
from pathlib import Path

import pytest
from conftest import graph_from_yaml

from analyzer.graph import SnapshotGraph, build_graph
from analyzer.load import load_inputs
from analyzer.model import build_snapshot
from analyzer.rules.catalog import Rule, builtin_rules_dir, load_catalog, load_rule_file
from analyzer.rules.evaluate import subjects
from analyzer.rules.kinds import ANY_KIND, POD_SPEC_KINDS, Kinds
from analyzer.rules.predicates import PREDICATES, Hit, PredicateParams
from analyzer.rules.schema import CEL_PREDICATE

RULES_PACKAGE = Path(__file__).resolve().parents[2] / "analyzer" / "rules"
CATALOG = load_catalog()
FORBIDDEN_IMPORTS = ("analyzer.graph.builders", "analyzer.graph.build", "analyzer.model.snapshot", "networkx")


@pytest.mark.parametrize("path", sorted(RULES_PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_rules_reach_the_snapshot_only_through_the_query_api(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            assert node.attr not in ("snapshot", "_graph"), f"{path.name}:{node.lineno} uses .{node.attr}"
        if isinstance(node, ast.ImportFrom) and node.module:
            assert not node.module.startswith(FORBIDDEN_IMPORTS), f"{path.name} imports {node.module}"


def _mentions_any(annotation: object) -> bool:
    if annotation is typing.Any:
        return True
    return any(_mentions_any(a) for a in typing.get_args(annotation))


@pytest.mark.parametrize("name", sorted(PREDICATES))
def test_predicates_are_registered_by_name_with_typed_params(name: str) -> None:
    predicate = PREDICATES[name]
    assert predicate.name == name
    assert issubclass(predicate.params, PredicateParams)
    for field_name, field in predicate.params.model_fields.items():
        assert not _mentions_any(field.annotation), f"{name}: param {field_name} is Any"
        assert field.description, f"{name}: param {field_name} has no description (the docs show it)"


def test_params_of_another_predicate_are_refused() -> None:
    label = PREDICATES["label-missing"].params.model_validate({"label": "team"})
    other = PREDICATES["edge-target-missing"]
    with pytest.raises(TypeError, match="predicate 'edge-target-missing' takes Params"):
        other.kinds_for(label)
    graph = graph_from_yaml("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n")
    with pytest.raises(TypeError, match="not Params"):
        list(other.evaluate(graph.snapshot.objects[0], graph, label))
    with pytest.raises(TypeError, match="not Params"):
        other.bind(label)  # when the rule is bound, before any subject


KINDS_CASES = [
    ("bare built-in name", Kinds.of([("", "Service")]), "Service", True),
    ("bare name, one of its built-in groups", Kinds.of([("extensions", "Ingress")]), "Ingress", True),
    (
        "group/Kind of a built-in group",
        Kinds.of([("policy", "PodDisruptionBudget")]),
        "policy/PodDisruptionBudget",
        True,
    ),
    ("another group", Kinds.of([("", "Service")]), "serving.knative.dev/Service", False),
    ("bare name of a custom kind", Kinds.of([("monitoring.coreos.com", "PodMonitor")]), "PodMonitor", False),
    (
        "group/Kind of a custom kind",
        Kinds.of([("monitoring.coreos.com", "PodMonitor")]),
        "monitoring.coreos.com/PodMonitor",
        True,
    ),
    ("everything, for some kinds", Kinds.of([("", "Service")]), "*", False),
    ("everything, for every kind", ANY_KIND, "*", True),
    ("pod spec kinds include CronJob", POD_SPEC_KINDS, "CronJob", True),
]


@pytest.mark.parametrize(("case", "kinds", "pattern", "judged"), KINDS_CASES, ids=[c[0] for c in KINDS_CASES])
def test_kinds_judge_patterns(case: str, kinds: Kinds, pattern: str, judged: bool) -> None:
    assert kinds.judges(pattern) is judged


LABEL_RULE = """id: team-label
title: No team label
category: team
severity: warning
applies_to: ["*"]
check: {predicate: label-missing, params: {label: team, values: [a]}}
message: "{object} has {label}={value}, not one of {allowed}."
hint: "Add it."
docs: {what: W., why: Y, example: E, use_instead: U}
"""


def _graphs() -> list[tuple[str, SnapshotGraph]]:
    graphs = [(c.name, _graph_of(c)) for c in sorted(builtin_rules_dir().rglob("*.test.yaml"))]
    for rule in CATALOG:
        graphs.append((f"{rule.id} example", graph_from_yaml(rule.spec.docs.example)))
    return graphs


def _graph_of(path: Path) -> SnapshotGraph:
    return build_graph(build_snapshot(load_inputs([str(path)])))


def test_every_hit_provides_exactly_the_facts_its_rule_declares(tmp_path: Path) -> None:
    (tmp_path / "team-label.yaml").write_text(LABEL_RULE, encoding="utf-8")
    rules: list[Rule] = [*CATALOG, load_rule_file(tmp_path / "team-label.yaml")]
    hits: Counter[str] = Counter()
    for where, graph in _graphs():
        for rule in rules:
            bound = rule.predicate.bind(rule.params)
            for subject in subjects(rule, graph):
                outcomes = list(rule.predicate.evaluate(subject, graph, rule.params))
                assert list(bound(subject, graph)) == outcomes, (where, rule.id, subject)
                for outcome in outcomes:
                    if isinstance(outcome, Hit):
                        assert set(outcome.facts) == rule.facts, (where, rule.id, subject)
                        hits[rule.predicate.name] += 1
    assert set(hits) == {*PREDICATES, CEL_PREDICATE}, "every predicate is exercised, and the CEL rules"
