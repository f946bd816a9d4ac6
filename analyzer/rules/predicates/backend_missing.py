"""backend-missing: an Ingress or Gateway API route sends traffic to a Service, or a port of a
Service, that does not exist.

Used by: ingress-backend-missing, route-backend-missing.

A port given by number must equal one of the Service's ``port`` values, a port given by name
must be the name of one of its ports (Ingress ``port.name``). Checked only where the snapshot
holds Services in the backend's namespace. A missing Service whose name is derived from a
custom resource's name (``<name>-es-http`` of an ``Elasticsearch`` ``<name>``) is info: its
controller probably creates it at run time (``analyzer.rules.operators``).
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.graph import EDGE_SOURCES, EdgeKind, SnapshotGraph
from analyzer.model import K8sObject, ObjectRef
from analyzer.model.objects import as_dict, as_list
from analyzer.rules.finding import Severity
from analyzer.rules.kinds import Kinds
from analyzer.rules.operators import RuntimeOrigin, name_origin
from analyzer.rules.predicates.base import Gap, Hit, Outcome, PredicateParams, define


class Params(PredicateParams):
    pass


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    for edge in graph.routes(subject):
        port = edge.port
        facts = {
            "service": edge.target.display(),
            "port": "" if port is None else str(port),
            "via": edge.via,
        }
        if edge.target_obj is None:
            if not graph.covers("", "Service", edge.target.namespace):
                yield Gap("Service", edge.target.namespace)
                continue
            origin = name_origin(graph, edge.target.name, edge.target.namespace, subject)
            if origin is not None:
                problem = f"Service {edge.target.name} is not in the input ({origin.describe()})"
                yield Hit({**facts, "problem": problem}, _related(edge.target, origin), Severity.INFO)
                continue
            yield Hit({**facts, "problem": f"Service {edge.target.name} does not exist"}, (edge.target,))
            continue
        if port is None:
            continue
        ports = [as_dict(p) for p in as_list(edge.target_obj.spec.get("ports"))]
        if isinstance(port, int):
            known = sorted({str(p.get("port")) for p in ports})
        else:
            known = sorted({str(p.get("name")) for p in ports if p.get("name")})
        if str(port) not in known:
            problem = f"Service {edge.target.name} has no port {port} (it has: {', '.join(known) or 'none'})"
            yield Hit({**facts, "problem": problem}, (edge.target,))


def _related(target: ObjectRef, origin: RuntimeOrigin) -> tuple[ObjectRef, ...]:
    return (target,) if origin.resource is None else (target, origin.resource.ref)


PREDICATE = define(
    "backend-missing",
    Params,
    evaluate,
    kinds=Kinds.of(EDGE_SOURCES[EdgeKind.ROUTES_TO]),
    facts=("service", "port", "via", "problem"),
)
