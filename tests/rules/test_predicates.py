"""Tricky predicate branches, as named table cases."""

from __future__ import annotations

import pytest
from conftest import graph_from_yaml

from analyzer.model.selectors import Empty, from_label_selector, from_map, label_diff
from analyzer.rules.operators import name_origin, selector_origin
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
    ("selector value is the resource name", {"prometheus": "k8s"}, "Prometheus monitoring/k8s"),
    (
        "namespace.name instance label",
        {"app.kubernetes.io/instance": "monitoring.otel"},
        "OpenTelemetryCollector monitoring/otel",
    ),
    (
        "name- prefixed value",
        {"app.kubernetes.io/name": "otel-collector"},
        "OpenTelemetryCollector monitoring/otel",
    ),
    ("podMetadata labels", {"team": "observability"}, "Alertmanager monitoring/main"),
    (
        "value is the resource's kind, key in its domain",
        {"strimzi.io/kind": "Kafka"},
        "Kafka monitoring/my-cluster",
    ),
    (
        "component its spec declares",
        {"app.kubernetes.io/name": "entity-operator"},
        "Kafka monitoring/my-cluster",
    ),
    (
        "a kind nobody listed: key in the domain of a CRD of the input",
        {"longhorn.io/component": "instance-manager"},
        "the longhorn.io resources (CustomResourceDefinition engines.longhorn.io)",
    ),
    ("unrelated selector", {"app": "grafana"}, None),
    ("one requirement without evidence", {"strimzi.io/kind": "Kafka", "app": "typo"}, None),
    ("key in a shared domain", {"app.kubernetes.io/component": "server"}, None),
    ("a monitor creates nothing", {"app": "scrape-config"}, None),
    ("key of a group with no resource and no CRD", {"elastic.co/kind": "Beat"}, None),
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
apiVersion: kafka.strimzi.io/v1beta2
kind: Kafka
metadata: {name: my-cluster, namespace: monitoring}
spec: {kafka: {}, entityOperator: {}}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: scrape, namespace: monitoring}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: engines.longhorn.io}
spec: {group: longhorn.io, names: {kind: Engine, plural: engines}, scope: Namespaced}
---
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: grafana, namespace: elsewhere}
"""


@pytest.mark.parametrize(("case", "selector", "owner"), OPERATOR_CASES, ids=[c[0] for c in OPERATOR_CASES])
def test_selector_origin(case: str, selector: dict[str, str], owner: str | None) -> None:
    graph = graph_from_yaml(OPERATORS)
    [subject] = graph.of_kind("monitoring.coreos.com", "ServiceMonitor")
    found = selector_origin(graph, from_map(selector), "monitoring", subject)
    assert (found.controller if found else None) == owner


NAME_CASES = [
    ("derived from a resource's name", "my-cluster-kafka-bootstrap", "Kafka monitoring/my-cluster"),
    ("the resource's own name", "otel", "OpenTelemetryCollector monitoring/otel"),
    ("not derived from any name", "cluster-kafka", None),
    ("a resource of another namespace", "grafana-ui", None),
    ("the name of a monitor, which creates nothing", "scrape-svc", None),
]


@pytest.mark.parametrize(("case", "name", "owner"), NAME_CASES, ids=[c[0] for c in NAME_CASES])
def test_name_origin(case: str, name: str, owner: str | None) -> None:
    graph = graph_from_yaml(OPERATORS)
    [subject] = graph.of_kind("monitoring.coreos.com", "ServiceMonitor")
    found = name_origin(graph, name, "monitoring", subject)
    assert (found.controller if found else None) == owner


def test_live_dump_needs_no_allowance() -> None:
    live = OPERATORS + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: monitoring}\n"
    live += "spec: {containers: [{name: web, image: web}]}\nstatus: {phase: Running}\n"
    graph = graph_from_yaml(live)
    [subject] = graph.of_kind("monitoring.coreos.com", "ServiceMonitor")
    assert selector_origin(graph, from_map({"prometheus": "k8s"}), "monitoring", subject) is None
    assert name_origin(graph, "my-cluster-kafka-bootstrap", "monitoring", subject) is None


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
