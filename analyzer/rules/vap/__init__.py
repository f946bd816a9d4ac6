"""ValidatingAdmissionPolicies (admissionregistration.k8s.io/v1) evaluated offline: each binding's
policy judged on every object of the snapshot as the API server would judge its CREATE.

matching.py decides which objects a policy and binding apply to, params.py finds a binding's
params, evaluation.py runs the policy's CEL, apply.py turns verdicts into findings and coverage."""

from __future__ import annotations

from analyzer.rules.vap.apply import RULE_PREFIX, PolicyResults, check_policies, evaluate_policies
from analyzer.rules.vap.policies import is_binding, is_policy

__all__ = ["RULE_PREFIX", "PolicyResults", "check_policies", "evaluate_policies", "is_binding", "is_policy"]
