"""Selector semantics, table-tested against what Kubernetes does."""

from __future__ import annotations

import pytest

from analyzer.model.selectors import (
    Empty,
    from_label_selector,
    from_map,
    label_diff,
    object_selector,
    workload_selector,
)

LABELS = {"app": "web", "tier": "frontend", "env": "prod"}

LABEL_SELECTOR_CASES = [
    ("matchLabels subset", {"matchLabels": {"app": "web"}}, True),
    ("matchLabels wrong value", {"matchLabels": {"app": "api"}}, False),
    ("matchLabels extra key", {"matchLabels": {"app": "web", "zone": "a"}}, False),
    ("In hit", {"matchExpressions": [{"key": "env", "operator": "In", "values": ["prod", "dev"]}]}, True),
    ("In miss", {"matchExpressions": [{"key": "env", "operator": "In", "values": ["dev"]}]}, False),
    ("NotIn hit", {"matchExpressions": [{"key": "env", "operator": "NotIn", "values": ["dev"]}]}, True),
    ("NotIn miss", {"matchExpressions": [{"key": "env", "operator": "NotIn", "values": ["prod"]}]}, False),
    ("NotIn absent key", {"matchExpressions": [{"key": "zone", "operator": "NotIn", "values": ["a"]}]}, True),
    ("Exists hit", {"matchExpressions": [{"key": "tier", "operator": "Exists"}]}, True),
    ("Exists miss", {"matchExpressions": [{"key": "zone", "operator": "Exists"}]}, False),
    ("DoesNotExist hit", {"matchExpressions": [{"key": "zone", "operator": "DoesNotExist"}]}, True),
    ("DoesNotExist miss", {"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}, False),
    (
        "labels and expressions ANDed",
        {
            "matchLabels": {"app": "web"},
            "matchExpressions": [{"key": "env", "operator": "In", "values": ["dev"]}],
        },
        False,
    ),
    ("bad operator selects nothing", {"matchExpressions": [{"key": "app", "operator": "Equals"}]}, False),
    (
        "In without values is invalid",
        {"matchExpressions": [{"key": "app", "operator": "In", "values": []}]},
        False,
    ),
]


@pytest.mark.parametrize(
    ("case", "selector", "expected"), LABEL_SELECTOR_CASES, ids=[c[0] for c in LABEL_SELECTOR_CASES]
)
def test_label_selector(case: str, selector: dict[str, object], expected: bool) -> None:
    assert from_label_selector(selector, Empty.NONE).matches(LABELS) is expected


EMPTY_CASES = [
    ("Service without selector selects nothing", ("", "Service"), "v1", {}, False),
    ("Service with empty selector selects nothing", ("", "Service"), "v1", {"selector": {}}, False),
    (
        "NetworkPolicy empty podSelector selects all",
        ("networking.k8s.io", "NetworkPolicy"),
        "networking.k8s.io/v1",
        {"podSelector": {}},
        True,
    ),
    (
        "PDB v1 empty selector selects all",
        ("policy", "PodDisruptionBudget"),
        "policy/v1",
        {"selector": {}},
        True,
    ),
    ("PDB v1 null selector selects nothing", ("policy", "PodDisruptionBudget"), "policy/v1", {}, False),
    (
        "PDB v1beta1 empty selector selects nothing",
        ("policy", "PodDisruptionBudget"),
        "policy/v1beta1",
        {"selector": {}},
        False,
    ),
    (
        "ServiceMonitor empty selector selects all",
        ("monitoring.coreos.com", "ServiceMonitor"),
        "monitoring.coreos.com/v1",
        {"selector": {}},
        True,
    ),
]


@pytest.mark.parametrize(
    ("case", "kind", "api_version", "spec", "expected"), EMPTY_CASES, ids=[c[0] for c in EMPTY_CASES]
)
def test_empty_selector_meaning_per_kind(
    case: str, kind: tuple[str, str], api_version: str, spec: dict[str, object], expected: bool
) -> None:
    selector = object_selector(kind, api_version, spec)
    assert selector is not None
    assert selector.matches(LABELS) is expected


def test_service_selector_values_are_strings_as_kubernetes_reads_them() -> None:
    # YAML `enabled: true` in a selector is the label value "true".
    assert from_map({"enabled": True}).matches({"enabled": "true"})
    assert not from_map({"enabled": True}).matches({"enabled": "True"})


def test_describe_is_kubectl_like() -> None:
    sel = from_label_selector(
        {
            "matchLabels": {"app": "web"},
            "matchExpressions": [
                {"key": "env", "operator": "In", "values": ["prod", "dev"]},
                {"key": "x", "operator": "DoesNotExist"},
            ],
        },
        Empty.NONE,
    )
    assert sel.describe() == "app=web,env in (dev,prod),!x"


def test_label_diff_names_helm_versus_handwritten_keys() -> None:
    sel = from_map({"app": "prometheus", "component": "server"})
    pods = {"app.kubernetes.io/name": "prometheus", "app.kubernetes.io/component": "server"}
    assert label_diff(sel, pods) == [
        "app.kubernetes.io/name=prometheus instead of app=prometheus",
        "app.kubernetes.io/component=server instead of component=server",
    ]


def test_label_diff_wrong_value_and_absent_key() -> None:
    sel = from_map({"app": "api", "tier": "web"})
    assert label_diff(sel, {"app": "apx"}) == ["app=apx instead of app=api", "no label tier"]


WORKLOAD_CASES = [
    (
        "Deployment uses its selector",
        ("apps", "Deployment"),
        {"selector": {"matchLabels": {"app": "x"}}},
        "app=x",
    ),
    ("ReplicationController without selector defaults to template", ("", "ReplicationController"), {}, None),
    ("Job selector is generated", ("batch", "Job"), {"selector": {"matchLabels": {"a": "b"}}}, None),
    (
        "Job manualSelector is checked",
        ("batch", "Job"),
        {"manualSelector": True, "selector": {"matchLabels": {"a": "b"}}},
        "a=b",
    ),
    ("Pod has no workload selector", ("", "Pod"), {}, None),
]


@pytest.mark.parametrize(
    ("case", "kind", "spec", "described"), WORKLOAD_CASES, ids=[c[0] for c in WORKLOAD_CASES]
)
def test_workload_selector(
    case: str, kind: tuple[str, str], spec: dict[str, object], described: str | None
) -> None:
    selector = workload_selector(kind, spec)
    assert (selector.describe() if selector else None) == described
