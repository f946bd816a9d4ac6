"""What a custom resource's controller probably creates at run time.

A render, a chart or a ``kubectl get`` of manifests holds a ``Kafka`` resource but not the pods,
Services and Secrets the Strimzi operator makes from it; it holds Longhorn's CRDs but not the
instance-manager pods longhorn-manager starts. A selector, a backend or a reference that only
such objects would satisfy is not a break, but it is not proven either: the rules report it as
*info*, naming the resource and the evidence. No list of operators is kept; the evidence is read
from the input:

* **the domain of a custom resource's API group**: a selector key ``strimzi.io/kind`` and a
  ``kafka.strimzi.io`` resource in the namespace (or cluster-wide), or a CustomResourceDefinition
  of the input whose group is ``longhorn.io`` for a key ``longhorn.io/component``;
* **the resource's name**: a selector value or an object name ``<name>``, ``<name>-…`` or
  ``<namespace>.<name>`` (Elastic's ``<name>-es-http``, prometheus-operator's ``prometheus=<name>``);
* **the resource itself**: a selector value that is its kind (``Kafka``, ``prometheus``) or a
  component its spec declares (``spec.entityOperator`` -> ``entity-operator``), and labels its
  ``spec.podMetadata`` gives the pods.

Every positive requirement of a selector must carry evidence from the same resource (or, for a
CRD alone, every key must be in its group's domain): a key in no custom resource's domain, a name
not derived from any custom resource's name, or a namespace with no custom resource and no CRD of
the group stays an error. Custom resources that are themselves selectors, routes or monitors
(ServiceMonitor, HTTPRoute, ...) create nothing and give no evidence, nor does the subject. In a
live dump, where the namespace's pods are present (they have a status), nothing is allowed: what
exists decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analyzer.graph import EDGE_SOURCES, EdgeKind, SnapshotGraph
from analyzer.graph.query import Definition
from analyzer.model import K8sObject, KindKey
from analyzer.model.objects import as_dict, str_map
from analyzer.model.selectors import Requirement, Selector

# Domains every project's labels share: no evidence of one controller.
SHARED_DOMAINS = frozenset({"k8s.io", "kubernetes.io", "x-k8s.io"})

_CONSUMERS: frozenset[KindKey] = frozenset(
    kind
    for edge in (EdgeKind.SELECTS, EdgeKind.MONITORS, EdgeKind.ROUTES_TO, EdgeKind.SCALES)
    for kind in (EDGE_SOURCES.get(edge) or ())
)


@dataclass(frozen=True, slots=True)
class RuntimeOrigin:
    """Who probably makes the missing object at run time, and why we think so."""

    controller: str
    """``Kafka kafka/my-cluster``, or ``longhorn.io (CustomResourceDefinition engines.longhorn.io)``."""
    evidence: str
    resource: K8sObject | None = None
    """The custom resource, when it is in the input (not for evidence from a CRD alone)."""

    def describe(self) -> str:
        return f"probably created at run time by the controller of {self.controller}: {self.evidence}"


def domain(name: str) -> str | None:
    """The registrable domain of an API group or label prefix (its last two labels), or None
    when it has none or is shared by every Kubernetes project."""
    parts = name.lower().split(".")
    if len(parts) < 2:
        return None
    found = ".".join(parts[-2:])
    return None if found in SHARED_DOMAINS else found


def _kebab(key: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", key).lower()


def live(graph: SnapshotGraph, namespace: str | None) -> bool:
    """Does the input hold the namespace's pods as they run (a dump: Pods with a status)?"""
    return any(pod.status.get("phase") for pod in graph.of_kind("", "Pod", namespace))


def _evidence_resources(graph: SnapshotGraph, namespace: str | None, subject: K8sObject) -> list[K8sObject]:
    return [
        r
        for r in graph.custom_resources(namespace)
        if r is not subject and (r.ref.group, r.kind) not in _CONSUMERS
    ]


def _requirement_evidence(req: Requirement, resource: K8sObject, namespace: str | None) -> list[str]:
    """Why the controller of ``resource`` could set a label satisfying ``req`` (empty: no reason).
    Evidence from the resource itself (its name, kind, spec) comes before its group's domain."""
    found: list[str] = []
    if req.operator == "In":
        name = resource.name
        pod_labels = str_map(as_dict(resource.spec.get("podMetadata")).get("labels"))
        components = {_kebab(k) for k in resource.spec if _kebab(k) != k}
        for value in req.values:
            if value == name or value == f"{namespace}.{name}" or value.startswith(f"{name}-"):
                found.append(f"selector value {value} is derived from its name")
            elif value.lower() == resource.kind.lower():
                found.append(f"selector value {value} is its kind")
            elif value in components:
                found.append(f"selector value {value} names a component its spec declares")
            elif pod_labels.get(req.key) == value:
                found.append(f"its spec.podMetadata gives pods {req.key}={value}")
    prefix, slash, _ = req.key.rpartition("/")
    if slash and domain(prefix) is not None and domain(prefix) == domain(resource.ref.group):
        found.append(f"selector key {req.key} is in its domain")
    return found


def _positive(selector: Selector) -> list[Requirement]:
    return [r for r in selector.requirements if r.operator in ("In", "Exists")]


def selector_origin(
    graph: SnapshotGraph, selector: Selector, namespace: str | None, subject: K8sObject
) -> RuntimeOrigin | None:
    """The controller that could make the pods (or Services) ``selector`` looks for in
    ``namespace``, when every positive requirement has evidence from it; None otherwise."""
    required = _positive(selector)
    if not required or selector.selects_none or live(graph, namespace):
        return None
    best: tuple[int, K8sObject, str] | None = None
    for resource in _evidence_resources(graph, namespace, subject):
        evidence = [_requirement_evidence(r, resource, namespace) for r in required]
        if not all(evidence):
            continue
        # The resource the selector names (by its name, kind or spec) before one that only
        # shares the domain: a KafkaBridge and a Kafka both own strimzi.io/kind.
        strength = sum(len(e) for e in evidence)
        if best is None or strength > best[0]:
            best = (strength, resource, " and ".join(evidence[0][:2]))
    if best is not None:
        return RuntimeOrigin(_controller(best[1]), best[2], best[1])
    definitions: dict[str, list[Definition]] = {}
    for definition in graph.definitions():
        definitions.setdefault(definition.group, []).append(definition)
    for group, declared in definitions.items():
        group_domain = domain(group)
        if group_domain is None:
            continue
        if all("/" in r.key and domain(r.key.rpartition("/")[0]) == group_domain for r in required):
            more = f" and {len(declared) - 1} more" if len(declared) > 1 else ""
            controller = f"the {group} resources (CustomResourceDefinition {declared[0].name}{more})"
            return RuntimeOrigin(controller, f"selector key {required[0].key} is in its domain")
    return None


def name_origin(
    graph: SnapshotGraph, name: str, namespace: str | None, subject: K8sObject
) -> RuntimeOrigin | None:
    """The custom resource whose controller could create an object called ``name`` in
    ``namespace`` (``<cr-name>`` or ``<cr-name>-…``); None otherwise."""
    if live(graph, namespace):
        return None
    matching = [
        r
        for r in _evidence_resources(graph, namespace, subject)
        if name == r.name or name.startswith(f"{r.name}-")
    ]
    if not matching:
        return None
    resource = max(matching, key=lambda r: len(r.name))  # the most specific name
    return RuntimeOrigin(_controller(resource), f"the name {name} is derived from its name", resource)


def _controller(resource: K8sObject) -> str:
    where = f"{resource.namespace}/{resource.name}" if resource.namespace else resource.name
    return f"{resource.kind} {where}"


__all__ = ["Definition", "RuntimeOrigin", "domain", "live", "name_origin", "selector_origin"]
