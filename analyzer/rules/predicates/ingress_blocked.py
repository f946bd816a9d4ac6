"""ingress-blocked: a Service whose every selected pod is isolated for ingress by NetworkPolicies
none of which admits any connection: the Service can never receive traffic.

Used by: networkpolicy-blocks-service.

The semantics are :mod:`analyzer.model.network_policies` (policyTypes defaults, additive
policies, ``ingress: []`` against ``[{}]``). Judged on what the Service selects (Pods and pod
templates, by the graph's ``selects`` edges); a pod on the host network is never blocked, and
a Service that selects some pod a policy lets through is not reported. Whether an admitted
peer exists, or an admitted port is the Service's, is not judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.network_policies import admits_ingress, host_network, isolates_ingress
from analyzer.rules.kinds import Kinds
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define

NAMED = 3


class Params(PredicateParams):
    pass


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    if subject.spec.get("type") == "ExternalName":
        return
    selected = graph.selected(subject)
    isolating: dict[str, K8sObject] = {}
    for obj in selected:
        template = graph.template_of(obj)
        if template is None or host_network(template.spec):
            return
        policies = [p for p in graph.selected_by(obj) if p.kind == "NetworkPolicy"]
        isolated = [p for p in policies if isolates_ingress(p.raw)]
        if not isolated or any(admits_ingress(p.raw) for p in isolated):
            return
        for policy in isolated:
            isolating.setdefault(policy.name, policy)
    if not isolating:
        return
    roots = sorted({(r.kind, r.name) for r in (graph.root_of(o) for o in selected)})
    shown = ", ".join(f"{kind} {name}" for kind, name in roots[:NAMED])
    if len(roots) > NAMED:
        shown += f" and {len(roots) - NAMED} more"
    names = sorted(isolating)
    facts = {
        "pods": shown,
        "policies": ", ".join(names),
        "policy_word": "NetworkPolicy" if len(names) == 1 else "NetworkPolicies",
    }
    yield Hit(facts, tuple(isolating[n].ref for n in names))


PREDICATE = define(
    "ingress-blocked",
    Params,
    evaluate,
    kinds=Kinds.of([("", "Service")]),
    facts=("pods", "policies", "policy_word"),
)
