"""Every ValidatingAdmissionPolicyBinding of the inputs applied to the snapshot's objects as
CREATE requests: its policy's findings (rule ``vap/<policy>``) and the coverage notes of what
could not be decided offline."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from analyzer.errors import KubesnapError
from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject, ObjectRef
from analyzer.rules.finding import CoverageNote, Finding, Severity
from analyzer.rules.vap import policies as vap
from analyzer.rules.vap.evaluation import Compiled, Verdict, compile_policy, judge
from analyzer.rules.vap.matching import Candidates, Request, Undecided, matches, plurals, request_for
from analyzer.rules.vap.params import ParamError, params_for

RULE_PREFIX = "vap/"

_SEVERITY = {"Deny": Severity.ERROR, "Warn": Severity.WARNING, "Audit": Severity.INFO}


@dataclass(slots=True)
class PolicyResults:
    findings: list[Finding]
    coverage: list[CoverageNote]


class _Notes:
    """What could not be decided, counted by policy, namespace and reason, with the first object
    (by kind, namespace, name) each applies to."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str | None, str]] = Counter()
        self.first: dict[tuple[str, str | None, str], ObjectRef] = {}

    def add(self, rule: str, binding: vap.Binding, obj: K8sObject, why: str) -> None:
        key = (rule, obj.namespace, f"binding '{binding.name}': {why}")
        self.counts[key] += 1
        first = self.first.get(key)
        if first is None or _order(obj.ref) < _order(first):
            self.first[key] = obj.ref

    def invalid(self, rule: str, why: str) -> None:
        """A policy or binding of the inputs the API server would refuse: judged on nothing."""
        self.counts[(rule, None, why)] += 0

    def coverage(self) -> list[CoverageNote]:
        return [
            CoverageNote(rule, "", ns, count, why, self.first.get((rule, ns, why)))
            for (rule, ns, why), count in sorted(
                self.counts.items(), key=lambda n: (n[0][0], n[0][2], n[0][1] or "")
            )
        ]


def evaluate_policies(graph: SnapshotGraph, extra: Sequence[K8sObject] = ()) -> PolicyResults:
    """The findings of the policies bound among the snapshot's objects and ``extra`` (the
    objects of ``--policies``), on every object of the snapshot."""
    bound = [*graph.of_kind(vap.GROUP, vap.POLICY), *graph.of_kind(vap.GROUP, vap.BINDING), *extra]
    found_policies, found_bindings = vap.split(bound)
    results = PolicyResults([], [])
    if not found_bindings:
        return results
    notes = _Notes()
    compiled: dict[str, Compiled | str] = {}
    for obj in found_policies:
        try:
            compiled.setdefault(obj.name, compile_policy(vap.policy(obj)))
        except vap.InvalidPolicyError as error:
            compiled.setdefault(obj.name, _invalid(obj, error))
    resources = plurals(graph.of_kind("apiextensions.k8s.io", "CustomResourceDefinition"))
    namespaces = {ns.name: ns for ns in graph.of_kind("", "Namespace")}
    requests = [request_for(obj, resources, namespaces) for obj in _all_objects(graph)]
    for binding_obj in sorted(found_bindings, key=lambda b: b.name):
        try:
            binding = vap.binding(binding_obj)
        except vap.InvalidPolicyError as error:
            name = binding_obj.spec.get("policyName") or binding_obj.name
            notes.invalid(RULE_PREFIX + str(name), _invalid(binding_obj, error))
            continue
        policy = compiled.get(binding.policy_name)
        rule = RULE_PREFIX + binding.policy_name
        if isinstance(policy, str):
            notes.invalid(rule, policy)
            continue
        if policy is None:
            continue  # the API server ignores a binding to a policy it does not have
        named = Candidates.of(policy.policy.constraints)
        for request in requests:
            if named.may_name(request):
                _apply(policy, binding, request, graph, results.findings, notes)
    results.coverage = notes.coverage()
    return results


def check_policies(objects: Sequence[K8sObject]) -> None:
    """Every policy and binding among ``objects`` (those of ``--policies``) is one the API server
    would accept, its expressions compiled: else :class:`KubesnapError` with file and line, as
    for a bad rule file (those of the inputs are coverage notes instead)."""
    for obj in objects:
        try:
            if vap.is_policy(obj):
                compile_policy(vap.policy(obj))
            elif vap.is_binding(obj):
                vap.binding(obj)
        except vap.InvalidPolicyError as error:
            raise KubesnapError(f"--policies {_invalid(obj, error)}") from None


def _invalid(obj: K8sObject, error: vap.InvalidPolicyError) -> str:
    return f"{_where(obj)}: {obj.kind} '{obj.name}' is invalid: {error}"


def _apply(
    policy: Compiled,
    binding: vap.Binding,
    request: Request,
    graph: SnapshotGraph,
    findings: list[Finding],
    notes: _Notes,
) -> None:
    obj = request.obj
    rule = RULE_PREFIX + policy.policy.name
    applies = matches(policy.policy.constraints, request)
    if applies is True and binding.match_resources is not None:
        applies = matches(binding.match_resources, request, binding=True)
    if applies is False:
        return
    if isinstance(applies, Undecided):
        notes.add(rule, binding, obj, applies.why)
        return
    params = params_for(policy.policy, binding, obj, graph)
    if isinstance(params, Undecided):
        notes.add(rule, binding, obj, params.why)
        return
    verdicts: list[Verdict] = []
    if isinstance(params, ParamError):
        if policy.fails_closed:
            findings.append(_finding(policy, binding, obj, params.message, "Invalid", []))
        return
    namespace = graph.get(("", "Namespace", None, obj.namespace)) if obj.namespace else None
    for param in params:
        data = {
            "object": obj.raw,
            "oldObject": None,
            "params": param,
            "request": _request_data(request),
            "namespaceObject": None if namespace is None else namespace.raw,
        }
        verdicts.append(judge(policy, data, _lacking(obj, namespace, param)))
    for why in dict.fromkeys(why for verdict in verdicts for why in verdict.undecided):
        notes.add(rule, binding, obj, why)
    for verdict in verdicts:
        for violation in verdict.violations:
            findings.append(
                _finding(policy, binding, obj, violation.message, violation.reason, verdict.annotations)
            )


def _finding(
    policy: Compiled,
    binding: vap.Binding,
    obj: K8sObject,
    message: str,
    reason: str,
    annotations: list[tuple[str, str]],
) -> Finding:
    """A violation as the API server reports it: a Deny rejects the request with ``message``,
    a Warn admits it with a warning, an Audit only records it in the audit log."""
    name, bound = policy.policy.name, binding.name
    severity = max((_SEVERITY[a] for a in binding.actions), key=lambda s: s.rank)
    if "Deny" in binding.actions:
        text = f"ValidatingAdmissionPolicy '{name}' with binding '{bound}' denied request: {message}"
        hint = f"The API server would refuse to create this object (reason {reason})."
    elif "Warn" in binding.actions:
        text = f"Validation failed for ValidatingAdmissionPolicy '{name}' with binding '{bound}': {message}"
        hint = "The API server would create this object and answer with this warning."
    else:
        text = f"Validation failed for ValidatingAdmissionPolicy '{name}' with binding '{bound}': {message}"
        hint = "The API server would create this object and record the failure in its audit log."
    if annotations:
        hint += " Audit annotations: " + ", ".join(f"{k}={v}" for k, v in annotations) + "."
    return Finding(
        rule=RULE_PREFIX + name,
        severity=severity,
        object=obj.ref,
        message=text,
        location=obj.location,
        related=(policy.policy.obj.ref, binding.obj.ref),
        hint=hint,
    )


SECRET_VALUES = "the values of a Secret, which kubesnap never keeps"


def _lacking(obj: K8sObject, namespace: K8sObject | None, param: dict[str, object] | None) -> dict[str, str]:
    """What an expression on this request may read that the snapshot does not hold."""
    lacking: dict[str, str] = {}
    if obj.namespace is not None and namespace is None:
        lacking["namespaceObject"] = "a Namespace the snapshot lacks"
    if obj.ref.group == "" and obj.kind == "Secret":
        lacking["object.data"] = SECRET_VALUES
    if param is not None and param.get("kind") == "Secret" and param.get("apiVersion") == "v1":
        lacking["params.data"] = SECRET_VALUES
    return lacking


def _request_data(request: Request) -> dict[str, object]:
    """The AdmissionRequest of a CREATE, without userInfo (unknown offline)."""
    obj = request.obj
    kind = {"group": request.group, "version": request.version, "kind": obj.kind}
    resource = {"group": request.group, "version": request.version, "resource": request.resource or ""}
    return {
        "kind": kind,
        "resource": resource,
        "requestKind": kind,
        "requestResource": resource,
        "name": obj.name,
        "namespace": obj.namespace or "",
        "operation": "CREATE",
        "object": obj.raw,
        "oldObject": None,
        "dryRun": False,
        "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"},
    }


def _order(ref: ObjectRef) -> tuple[str, str, str, str]:
    group, kind, namespace, name = ref.key
    return group, kind, namespace or "", name


def _where(obj: K8sObject) -> str:
    line = f":{obj.location.line}" if obj.location.line is not None else ""
    return f"{obj.location.file}{line}"


def _all_objects(graph: SnapshotGraph) -> list[K8sObject]:
    """Every object of the snapshot once (a second copy is judged as its first)."""
    return [
        obj
        for group, kind in sorted(graph.kinds())
        for obj in graph.of_kind(group, kind)
        if graph.get(obj.ref.key) is obj
    ]
