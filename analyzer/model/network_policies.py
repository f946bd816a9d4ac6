"""What a NetworkPolicy does to the pods it selects, as the NetworkPolicy API defines it.

* A pod is *isolated for ingress* when at least one policy that selects it has ``Ingress`` in
  its ``policyTypes``. Without ``policyTypes`` a policy has ``Ingress`` always (and ``Egress``
  when it has an ``egress`` section).
* Policies are additive: an isolated pod accepts a connection when at least one of those
  policies has an ingress rule admitting it. ``ingress: []`` or no ``ingress`` admits nothing
  (a default deny); a rule without ``from`` (or with ``from: []``) admits every source; ``[{}]``
  admits everything.
* Pods with ``hostNetwork: true`` use the node's network: NetworkPolicy does not govern them.

>>> isolates_ingress({"spec": {"podSelector": {}}}), admits_ingress({"spec": {"podSelector": {}}})
(True, False)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from analyzer.model.objects import as_dict, as_list


def policy_types(policy: Mapping[str, Any]) -> frozenset[str]:
    """The policy's ``policyTypes``, defaulted as the API server defaults them."""
    spec = as_dict(policy.get("spec"))
    given = [t for t in as_list(spec.get("policyTypes")) if isinstance(t, str)]
    if given:
        return frozenset(given)
    return frozenset({"Ingress", "Egress"} if as_list(spec.get("egress")) else {"Ingress"})


def isolates_ingress(policy: Mapping[str, Any]) -> bool:
    """Does the policy isolate the pods it selects for ingress?"""
    return "Ingress" in policy_types(policy)


def admits_ingress(policy: Mapping[str, Any]) -> bool:
    """Does the policy admit some connection to the pods it selects (an ingress rule)?"""
    if not isolates_ingress(policy):
        return False
    return any(isinstance(rule, dict) for rule in as_list(as_dict(policy.get("spec")).get("ingress")))


def host_network(pod_spec: Mapping[str, Any]) -> bool:
    """A pod on the node's network, which NetworkPolicies do not govern."""
    return pod_spec.get("hostNetwork") is True
