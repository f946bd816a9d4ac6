"""monitor-selects-nothing: a prometheus-operator ServiceMonitor that selects no Service (or a
PodMonitor that selects no pod), or names an endpoint ``port`` that none of the selected
objects exposes — Prometheus then scrapes nothing, silently.

Used by: servicemonitor-selects-nothing.

Scope follows prometheus-operator: ``namespaceSelector.any: true`` is every namespace,
``matchNames`` those namespaces, nothing is the monitor's own namespace. A ServiceMonitor's
``endpoints[].port`` is a Service port *name*; a PodMonitor's ``podMetricsEndpoints[].port`` is
a container port *name* (``targetPort`` entries are not checked). A monitor whose targets could
be made at run time by the controller of a custom resource of the input
(``analyzer.rules.operators``) is info.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from analyzer.graph import EDGE_SOURCES, EdgeKind, SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.objects import as_dict, as_list
from analyzer.model.selectors import Selector, object_selector
from analyzer.model.workloads import PodTemplate
from analyzer.rules.finding import Severity
from analyzer.rules.kinds import Kinds
from analyzer.rules.operators import selector_origin
from analyzer.rules.predicates.base import Gap, Hit, Outcome, PredicateParams, define


class Params(PredicateParams):
    implicit_services: dict[str, dict[str, str]] = Field(
        {"default/kubernetes": {"component": "apiserver", "provider": "kubernetes"}},
        description="Services every cluster has without them being in a snapshot "
        "(namespace/name -> labels): the API server's own Service.",
    )


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    is_pods = subject.kind == "PodMonitor"
    selector = object_selector((subject.ref.group, subject.kind), subject.ref.api_version, subject.spec)
    if selector is None:
        return
    namespaces = graph.monitor_namespaces(subject)
    facts = {"selector": selector.describe(), "namespaces": ", ".join(n or "" for n in namespaces)}
    selected = graph.monitored(subject)
    if not selected and not is_pods and _selects_implicit(selector, namespaces, params):
        return
    if not selected:
        for ns in namespaces:
            covered = graph.covers_pods(ns) if is_pods else graph.covers("", "Service", ns)
            if not covered:
                yield Gap("workloads" if is_pods else "Service", ns)
                return
        what = "pod or pod template" if is_pods else "Service"
        for ns in namespaces:
            origin = selector_origin(graph, selector, ns, subject)
            if origin is not None:
                related = () if origin.resource is None else (origin.resource.ref,)
                problem = f"selects no {what} yet; {origin.describe()}"
                yield Hit({**facts, "problem": problem}, related, Severity.INFO)
                return
        yield Hit({**facts, "problem": f"selects no {what}"})
        return
    exposed = (
        _pod_port_names(graph.monitored_templates(subject)) if is_pods else _service_port_names(selected)
    )
    key = "podMetricsEndpoints" if is_pods else "endpoints"
    for endpoint in as_list(subject.spec.get(key)):
        port = as_dict(endpoint).get("port")
        if isinstance(port, str) and port not in exposed:
            have = ", ".join(sorted(exposed)) or "none"
            problem = f"scrapes port {port}, which no selected object names (they have: {have})"
            yield Hit({**facts, "problem": problem}, tuple(o.ref for o in selected[:5]))


def _selects_implicit(selector: Selector, namespaces: list[str | None], params: Params) -> bool:
    for ref, labels in params.implicit_services.items():
        namespace = ref.partition("/")[0]
        if namespace in namespaces and selector.matches(labels):
            return True
    return False


def _service_port_names(services: list[K8sObject]) -> set[str]:
    return {
        str(as_dict(p).get("name"))
        for s in services
        for p in as_list(s.spec.get("ports"))
        if as_dict(p).get("name")
    }


def _pod_port_names(templates: list[PodTemplate]) -> set[str]:
    names: set[str] = set()
    for template in templates:
        for container in template.containers():
            names.update(
                str(as_dict(p).get("name")) for p in as_list(container.get("ports")) if as_dict(p).get("name")
            )
    return names


PREDICATE = define(
    "monitor-selects-nothing",
    Params,
    evaluate,
    kinds=Kinds.of(EDGE_SOURCES[EdgeKind.MONITORS]),
    facts=("selector", "namespaces", "problem"),
)
