"""target-port-undeclared: a Service port whose targetPort no selected container exposes.

Used by: service-port-mismatch.

A *named* targetPort must be the name of a container port of every selected pod, or the
endpoints controller publishes no endpoint for that pod: error. A *numeric* targetPort (or none,
which means the same number as ``port``) works whether or not it is declared: Kubernetes treats
``containerPort`` as informational, and real servers listen on ports they do not declare
(Knative's activator on 8112, etcd's peers on 2380). So when the selected containers do declare
ports and none of them is that number, it is only noted, as info: it is not evidence of a
failure, but it is where a port nothing listens on would show.
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.objects import as_dict, as_list
from analyzer.rules.finding import Severity
from analyzer.rules.kinds import Kinds
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define


class Params(PredicateParams):
    pass


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    selected = graph.selected_templates(subject)
    if not selected:
        return
    names: set[str] = set()
    numbers: set[int] = set()
    for tpl in selected:
        for container in tpl.containers():
            for port in as_list(container.get("ports")):
                port = as_dict(port)
                if port.get("name"):
                    names.add(str(port["name"]))
                if isinstance(port.get("containerPort"), int):
                    numbers.add(port["containerPort"])
    declared = ", ".join(sorted(names) + [str(n) for n in sorted(numbers)]) or "none"
    workload = f"{selected[0].owner.kind} {selected[0].owner.name}"
    related = tuple(t.owner.ref for t in selected[:5])
    for port in as_list(subject.spec.get("ports")):
        port = as_dict(port)
        target = port.get("targetPort", port.get("port"))
        label = str(port.get("name") or port.get("port"))
        facts = {"port": label, "target_port": str(target), "declared": declared, "workload": workload}
        if isinstance(target, str) and not target.isdigit():
            if target not in names:
                yield Hit(facts, related)
        elif target is not None and numbers and _as_int(target) not in numbers:
            yield Hit(facts, related, Severity.INFO)


def _as_int(value: object) -> int | None:
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


PREDICATE = define(
    "target-port-undeclared",
    Params,
    evaluate,
    kinds=Kinds.of([("", "Service")]),
    facts=("port", "target_port", "declared", "workload"),
)
