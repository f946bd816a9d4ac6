"""Tricky predicate branches, as named table cases."""

from __future__ import annotations

import pytest
from conftest import graph_from_yaml

from analyzer.model.selectors import Empty, from_label_selector, from_map, label_diff
from analyzer.rules.operators import operator_owner
from analyzer.rules.predicates import reference_missing

COUNTERPART_CASES = [
    (
        "app maps to app.kubernetes.io/name before instance",
        {"app": "jaeger"},
        {"app.kubernetes.io/instance": "jaeger", "app.kubernetes.io/name": "jaeger"},
        ["app.kubernetes.io/name=jaeger instead of app=jaeger"],
    ),
    (
        "a longer value containing the wanted one",
        {"app": "node-exporter"},
        {"app.kubernetes.io/name": "prometheus-node-exporter"},
        ["app.kubernetes.io/name=prometheus-node-exporter instead of app=node-exporter"],
    ),
    (
        "a key already satisfied is not offered again",
        {"app.kubernetes.io/name": "cart", "app.kubernetes.io/instance": "cart"},
        {"app.kubernetes.io/name": "cart"},
        ["no label app.kubernetes.io/instance"],
    ),
    (
        "short values are not fuzzy-matched",
        {"tier": "db"},
        {"role": "dbadmin"},
        ["no label tier"],
    ),
]


@pytest.mark.parametrize(
    ("case", "selector", "labels", "phrases"), COUNTERPART_CASES, ids=[c[0] for c in COUNTERPART_CASES]
)
def test_label_diff_counterparts(
    case: str, selector: dict[str, str], labels: dict[str, str], phrases: list[str]
) -> None:
    assert label_diff(from_map(selector), labels) == phrases


OPERATOR_CASES = [
    ("selector value is the resource name", {"prometheus": "k8s"}, "Prometheus/monitoring/k8s"),
    (
        "namespace.name instance label",
        {"app.kubernetes.io/instance": "monitoring.otel"},
        "OpenTelemetryCollector/monitoring/otel",
    ),
    (
        "name- prefixed value",
        {"app.kubernetes.io/name": "otel-collector"},
        "OpenTelemetryCollector/monitoring/otel",
    ),
    ("podMetadata labels", {"team": "observability"}, "Alertmanager/monitoring/main"),
    ("unrelated selector", {"app": "grafana"}, None),
]

OPERATORS = """
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k8s, namespace: monitoring}
---
apiVersion: monitoring.coreos.com/v1
kind: Alertmanager
metadata: {name: main, namespace: monitoring}
spec: {podMetadata: {labels: {team: observability}}}
---
apiVersion: opentelemetry.io/v1beta1
kind: OpenTelemetryCollector
metadata: {name: otel, namespace: monitoring}
---
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: grafana, namespace: elsewhere}
"""


@pytest.mark.parametrize(("case", "selector", "owner"), OPERATOR_CASES, ids=[c[0] for c in OPERATOR_CASES])
def test_operator_owner(case: str, selector: dict[str, str], owner: str | None) -> None:
    found = operator_owner(graph_from_yaml(OPERATORS), from_map(selector), "monitoring")
    assert (found.ref.display() if found else None) == owner


def test_statefulset_pod_name_notin_and_exists_on_generated_labels() -> None:
    labels: dict[str, str] = {"app": "db"}
    generated = {"statefulset.kubernetes.io/pod-name": frozenset({"db-0", "db-1"})}
    exists = from_label_selector(
        {"matchExpressions": [{"key": "statefulset.kubernetes.io/pod-name", "operator": "Exists"}]},
        Empty.NONE,
    )
    not_in = from_label_selector(
        {
            "matchExpressions": [
                {"key": "statefulset.kubernetes.io/pod-name", "operator": "NotIn", "values": ["db-0", "db-1"]}
            ]
        },
        Empty.NONE,
    )
    assert exists.matches_template(labels, generated)
    assert not not_in.matches_template(labels, generated)


FINISHED_CASES = [
    ("succeeded pod", "Pod", {"phase": "Succeeded"}, True),
    ("failed pod", "Pod", {"phase": "Failed"}, True),
    ("running pod", "Pod", {"phase": "Running"}, False),
    ("complete job", "Job", {"conditions": [{"type": "Complete", "status": "True"}]}, True),
    ("suspended job", "Job", {"conditions": [{"type": "Suspended", "status": "True"}]}, False),
]


@pytest.mark.parametrize(
    ("case", "kind", "status", "expected"), FINISHED_CASES, ids=[c[0] for c in FINISHED_CASES]
)
def test_finished_workloads(case: str, kind: str, status: dict[str, object], expected: bool) -> None:
    api = "v1" if kind == "Pod" else "batch/v1"
    graph = graph_from_yaml(f"apiVersion: {api}\nkind: {kind}\nmetadata: {{name: x}}\nstatus: {status}\n")
    [obj] = graph.snapshot.objects
    assert reference_missing.finished(obj) is expected
