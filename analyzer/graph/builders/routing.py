"""Traffic routing by name: Ingress and Gateway API routes -> Services.

Example: an Ingress path with ``backend: {service: {name: api, port: {number: 80}}}`` gets
``Ingress --routes-to(port=80)--> Service/<ns>/api``; ``extensions``/``v1beta1`` backends
(``serviceName``/``servicePort``) and ``defaultBackend`` are read the same way. An HTTPRoute
(or GRPCRoute, TCPRoute, TLSRoute, UDPRoute) ``backendRef`` of kind Service (the default) gets
an edge to that Service in ``backendRef.namespace`` or the route's own namespace.
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.graph.build import GraphBuilder
from analyzer.graph.edges import EdgeKind
from analyzer.model import K8sObject, KindKey, ObjectRef
from analyzer.model.objects import as_dict, as_list

INGRESS_KINDS = (("networking.k8s.io", "Ingress"), ("extensions", "Ingress"))
ROUTE_KINDS = tuple(
    ("gateway.networking.k8s.io", k) for k in ("HTTPRoute", "GRPCRoute", "TCPRoute", "TLSRoute", "UDPRoute")
)
SOURCES: dict[EdgeKind, tuple[KindKey, ...] | None] = {EdgeKind.ROUTES_TO: INGRESS_KINDS + ROUTE_KINDS}

Port = int | str | None


def ingress_backends(ingress: K8sObject) -> Iterator[tuple[str, Port, str]]:
    """(service name, port number or name, where) for every Service backend of an Ingress."""
    spec = ingress.spec
    for key in ("defaultBackend", "backend"):
        if key in spec:
            found = _ingress_backend(as_dict(spec[key]))
            if found:
                yield found[0], found[1], key
    for rule in as_list(spec.get("rules")):
        rule = as_dict(rule)
        host = rule.get("host") or "*"
        for path in as_list(as_dict(rule.get("http")).get("paths")):
            path = as_dict(path)
            found = _ingress_backend(as_dict(path.get("backend")))
            if found:
                yield found[0], found[1], f"rule {host}{path.get('path', '')}"


def _ingress_backend(backend: dict[str, object]) -> tuple[str, Port] | None:
    service = as_dict(backend.get("service"))
    if service.get("name"):
        port = as_dict(service.get("port"))
        value = port.get("number") if port.get("number") is not None else port.get("name")
        return str(service["name"]), _port(value)
    if backend.get("serviceName"):
        return str(backend["serviceName"]), _port(backend.get("servicePort"))
    return None


def _port(value: object) -> Port:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    text = str(value)
    return int(text) if text.isdigit() else text


def route_backends(route: K8sObject) -> Iterator[tuple[str | None, str, Port, str]]:
    """(namespace, service name, port, where) for every Service backendRef of a route."""
    for i, rule in enumerate(as_list(route.spec.get("rules"))):
        for ref in as_list(as_dict(rule).get("backendRefs")):
            ref = as_dict(ref)
            if ref.get("group", "") not in ("", "core") or ref.get("kind", "Service") != "Service":
                continue
            if not ref.get("name"):
                continue
            namespace = str(ref["namespace"]) if ref.get("namespace") else route.namespace
            yield namespace, str(ref["name"]), _port(ref.get("port")), f"rules[{i}]"


def build(builder: GraphBuilder) -> None:
    snapshot = builder.snapshot
    for kind in INGRESS_KINDS:
        for ingress in snapshot.of_kind(*kind):
            for name, port, where in ingress_backends(ingress):
                target = ObjectRef("v1", "Service", ingress.namespace, name)
                builder.link_ref(ingress, target, EdgeKind.ROUTES_TO, port=port, via=where)
    for kind in ROUTE_KINDS:
        for route in snapshot.of_kind(*kind):
            for namespace, name, port, where in route_backends(route):
                target = ObjectRef("v1", "Service", namespace, name)
                builder.link_ref(route, target, EdgeKind.ROUTES_TO, port=port, via=where)
