"""prometheus-operator: ServiceMonitor -> Services, PodMonitor -> Pods and pod templates.

Example: ServiceMonitor ``monitoring/api`` with ``selector: {matchLabels: {app: api}}`` and
``namespaceSelector: {matchNames: [prod]}`` monitors every Service of ``prod`` labelled
``app=api``. ``namespaceSelector: {any: true}`` means every namespace; no namespaceSelector
means the monitor's own namespace.
"""

from __future__ import annotations

from collections import defaultdict

from analyzer.graph.build import GraphBuilder
from analyzer.graph.edges import EdgeKind
from analyzer.model import K8sObject, KindKey, Snapshot
from analyzer.model.objects import as_dict, as_list
from analyzer.model.selectors import object_selector

GROUP = "monitoring.coreos.com"
SOURCES: dict[EdgeKind, tuple[KindKey, ...] | None] = {
    EdgeKind.MONITORS: ((GROUP, "ServiceMonitor"), (GROUP, "PodMonitor"))
}


def target_namespaces(monitor: K8sObject, known: set[str | None]) -> list[str | None]:
    """The namespaces a monitor looks in, per its ``namespaceSelector``."""
    ns_selector = as_dict(monitor.spec.get("namespaceSelector"))
    if ns_selector.get("any") is True:
        return sorted(known, key=lambda n: n or "")
    names: list[str | None] = [str(n) for n in as_list(ns_selector.get("matchNames"))]
    return names or [monitor.namespace]


def monitored_namespaces(snapshot: Snapshot, monitor: K8sObject) -> list[str | None]:
    """The namespaces ``monitor`` looks in, among those holding what it can select (Services
    for a ServiceMonitor, pods and pod templates for a PodMonitor)."""
    if monitor.kind == "PodMonitor":
        return target_namespaces(monitor, snapshot.labels.namespaces())
    return target_namespaces(monitor, {s.namespace for s in snapshot.of_kind("", "Service")})


def build(builder: GraphBuilder) -> None:
    snapshot = builder.snapshot
    services: dict[str | None, list[K8sObject]] = defaultdict(list)
    for svc in snapshot.of_kind("", "Service"):
        services[svc.namespace].append(svc)
    for monitor in snapshot.of_kind(GROUP, "ServiceMonitor"):
        selector = object_selector((GROUP, "ServiceMonitor"), monitor.ref.api_version, monitor.spec)
        if selector is None:
            continue
        for ns in target_namespaces(monitor, set(services)):
            for svc in services.get(ns, ()):
                if selector.matches(svc.labels):
                    builder.link(monitor, svc, EdgeKind.MONITORS)
    for monitor in snapshot.of_kind(GROUP, "PodMonitor"):
        selector = object_selector((GROUP, "PodMonitor"), monitor.ref.api_version, monitor.spec)
        if selector is None:
            continue
        for ns in target_namespaces(monitor, snapshot.labels.namespaces()):
            for template in snapshot.labels.select(selector, ns):
                builder.link(monitor, template.owner, EdgeKind.MONITORS)
