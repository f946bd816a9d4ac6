"""ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding objects
(``admissionregistration.k8s.io/v1``) read into typed values; what the API server would refuse
to store gives :class:`InvalidPolicyError` with the reason instead."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from analyzer.model import K8sObject
from analyzer.model.objects import as_dict, as_list

GROUP = "admissionregistration.k8s.io"
POLICY = "ValidatingAdmissionPolicy"
BINDING = "ValidatingAdmissionPolicyBinding"
ACTIONS = ("Deny", "Warn", "Audit")


class InvalidPolicyError(ValueError):
    """A policy or binding the API server would not accept: why."""


@dataclass(frozen=True, slots=True)
class Named:
    """A named expression: a match condition, a variable or an audit annotation's value."""

    name: str
    expression: str


@dataclass(frozen=True, slots=True)
class Validation:
    expression: str
    message: str | None
    message_expression: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class Policy:
    obj: K8sObject
    failure_policy: str
    """``Fail`` (the default) or ``Ignore``: what an error in an expression does."""
    param_kind: tuple[str, str] | None
    """(apiVersion, kind) of the params, when the policy takes any."""
    constraints: dict[str, Any]
    match_conditions: tuple[Named, ...]
    variables: tuple[Named, ...]
    validations: tuple[Validation, ...]
    audit_annotations: tuple[Named, ...]

    @property
    def name(self) -> str:
        return self.obj.name


@dataclass(frozen=True, slots=True)
class Binding:
    obj: K8sObject
    policy_name: str
    param_ref: dict[str, Any] | None
    match_resources: dict[str, Any] | None
    actions: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.obj.name


def is_policy(obj: K8sObject) -> bool:
    return obj.ref.group == GROUP and obj.kind == POLICY


def is_binding(obj: K8sObject) -> bool:
    return obj.ref.group == GROUP and obj.kind == BINDING


def policy(obj: K8sObject) -> Policy:
    """``obj`` as a Policy; :class:`InvalidPolicyError` when the API server would refuse it."""
    spec = obj.spec
    failure = spec.get("failurePolicy", "Fail")
    if failure not in ("Fail", "Ignore"):
        raise InvalidPolicyError(f"failurePolicy {failure!r} is neither Fail nor Ignore")
    param_kind = None
    if (kind := spec.get("paramKind")) is not None:
        kind = as_dict(kind)
        api_version, name = kind.get("apiVersion"), kind.get("kind")
        if not isinstance(api_version, str) or not isinstance(name, str):
            raise InvalidPolicyError("paramKind needs apiVersion and kind")
        param_kind = (api_version, name)
    constraints = as_dict(spec.get("matchConstraints"))
    if not as_list(constraints.get("resourceRules")):
        raise InvalidPolicyError("matchConstraints.resourceRules is required")
    validations = tuple(_validation(v, i) for i, v in enumerate(as_list(spec.get("validations"))))
    annotations = _named(spec.get("auditAnnotations"), "auditAnnotations", "key", "valueExpression")
    if not validations and not annotations:
        raise InvalidPolicyError("it has neither validations nor auditAnnotations")
    return Policy(
        obj,
        str(failure),
        param_kind,
        constraints,
        _named(spec.get("matchConditions"), "matchConditions", "name", "expression"),
        _named(spec.get("variables"), "variables", "name", "expression"),
        validations,
        annotations,
    )


def binding(obj: K8sObject) -> Binding:
    """``obj`` as a Binding; :class:`InvalidPolicyError` when the API server would refuse it."""
    spec = obj.spec
    name = spec.get("policyName")
    if not isinstance(name, str) or not name:
        raise InvalidPolicyError("policyName is required")
    actions = tuple(str(a) for a in as_list(spec.get("validationActions")))
    if not actions or any(a not in ACTIONS for a in actions):
        raise InvalidPolicyError(f"validationActions must hold some of {', '.join(ACTIONS)}")
    if "Deny" in actions and "Warn" in actions:
        raise InvalidPolicyError("validationActions cannot hold both Deny and Warn")
    ref = spec.get("paramRef")
    if ref is not None:
        ref = as_dict(ref)
        if ("name" in ref) == ("selector" in ref):
            raise InvalidPolicyError("paramRef needs exactly one of name and selector")
    resources = spec.get("matchResources")
    return Binding(obj, name, ref, None if resources is None else as_dict(resources), actions)


def _validation(value: object, index: int) -> Validation:
    item = as_dict(value)
    expression = item.get("expression")
    if not isinstance(expression, str) or not expression.strip():
        raise InvalidPolicyError(f"validations[{index}].expression is required")
    message, message_expression = item.get("message"), item.get("messageExpression")
    return Validation(
        expression,
        message if isinstance(message, str) and message else None,
        message_expression if isinstance(message_expression, str) and message_expression else None,
        str(item.get("reason") or "Invalid"),
    )


def _named(values: object, field: str, key: str, expression_key: str) -> tuple[Named, ...]:
    found: list[Named] = []
    for index, value in enumerate(as_list(values)):
        item = as_dict(value)
        name, expression = item.get(key), item.get(expression_key)
        if not isinstance(name, str) or not name or not isinstance(expression, str) or not expression:
            raise InvalidPolicyError(f"{field}[{index}] needs {key} and {expression_key}")
        found.append(Named(name, expression))
    return tuple(found)


def split(objects: Iterable[K8sObject]) -> tuple[list[K8sObject], list[K8sObject]]:
    """The policies and the bindings among ``objects``, in their order."""
    objects = list(objects)
    return [o for o in objects if is_policy(o)], [o for o in objects if is_binding(o)]
