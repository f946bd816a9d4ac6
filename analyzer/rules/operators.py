"""Custom resources that operators turn into pods at run time.

A render or a ``kubectl get`` of built-in kinds holds a ``Prometheus`` resource but not the
StatefulSet prometheus-operator will create from it. A Service selecting those pods is not
dangling. We decide that a selector targets an operator's pods when a custom resource of one of
the kinds below lives in the same namespace and either a selector value names it (``name``,
``<namespace>.<name>`` or ``<name>-…``, the shapes operators put in their pod labels) or the
resource's ``spec.podMetadata.labels`` satisfy the selector.
"""

from __future__ import annotations

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.objects import as_dict, str_map
from analyzer.model.selectors import Selector

OPERATOR_KINDS: tuple[tuple[str, str], ...] = (
    ("monitoring.coreos.com", "Prometheus"),
    ("monitoring.coreos.com", "PrometheusAgent"),
    ("monitoring.coreos.com", "Alertmanager"),
    ("monitoring.coreos.com", "ThanosRuler"),
    ("opentelemetry.io", "OpenTelemetryCollector"),
    ("opentelemetry.io", "TargetAllocator"),
    ("elasticsearch.k8s.elastic.co", "Elasticsearch"),
    ("kibana.k8s.elastic.co", "Kibana"),
    ("kafka.strimzi.io", "Kafka"),
    ("postgresql.cnpg.io", "Cluster"),
    ("acid.zalan.do", "postgresql"),
    ("rabbitmq.com", "RabbitmqCluster"),
    ("argoproj.io", "Rollout"),
    ("serving.knative.dev", "Service"),
)


def operator_owner(graph: SnapshotGraph, selector: Selector, namespace: str | None) -> K8sObject | None:
    """The custom resource whose operator-made pods ``selector`` aims at, if any."""
    values = set(selector.equalities().values())
    for kind in OPERATOR_KINDS:
        for resource in graph.of_kind(*kind, namespace):
            name = resource.name
            if name in values or f"{namespace}.{name}" in values:
                return resource
            if any(v.startswith(f"{name}-") for v in values):
                return resource
            pod_labels = str_map(as_dict(resource.spec.get("podMetadata")).get("labels"))
            if pod_labels and selector.matches(pod_labels):
                return resource
    return None
