"""One policy judged on one CREATE request, as the API server would: matchConditions (any false
skips; an error with none false follows failurePolicy), variables (lazy, in order), validations
with message / messageExpression / reason, and audit annotations.

What needs the request's author (``authorizer``, ``request.userInfo``) or a Namespace the
snapshot lacks (``namespaceObject``) is not guessed: the verdict says it is undecided, and why."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from analyzer.rules.cel.engine import CelActivation
from analyzer.rules.cel.rule import validation_message
from analyzer.rules.vap.engine import CelError, Program, compile_expression, scope
from analyzer.rules.vap.policies import InvalidPolicyError, Policy, Validation

_UNKNOWABLE = (
    (re.compile(r"\bauthorizer\b"), "it asks the authorizer, which is not offline"),
    (re.compile(r"\brequest\s*\.\s*userInfo\b"), "it reads request.userInfo, unknown offline"),
)
_ROOT = re.compile(r"(?<![.\w])(object|oldObject|params|request|namespaceObject|variables)\b")
"""The variables an expression names (an object converts for the engine in each activation it is
in: one that reads only ``variables`` is run without ``object``)."""
_VARIABLE = re.compile(r"\bvariables\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)")
_READS = (
    ("namespaceObject", re.compile(r"\bnamespaceObject\b")),
    ("object.data", re.compile(r"\bobject\s*\.\s*\??\s*(data|stringData)\b")),
    ("params.data", re.compile(r"\bparams\s*\.\s*\??\s*(data|stringData)\b")),
)
"""What an expression may read that a request's snapshot may lack: its Namespace, and the
values of a Secret (redacted when read: kubesnap never keeps them)."""


@dataclass(frozen=True, slots=True)
class Expr:
    """A compiled expression, with what it reads that only the API server could know."""

    text: str
    program: Program
    variables: frozenset[str]
    roots: frozenset[str]
    """Which of the policy's variables (object, params, variables...) it names."""
    unknowable: str | None
    reads: frozenset[str]
    """The names of :data:`_READS` it reads."""


@dataclass(frozen=True, slots=True)
class Compiled:
    """A policy with every expression compiled once."""

    policy: Policy
    conditions: tuple[tuple[str, Expr], ...]
    variables: tuple[tuple[str, Expr], ...]
    validations: tuple[tuple[Validation, Expr, Expr | None], ...]
    annotations: tuple[tuple[str, Expr], ...]

    @property
    def fails_closed(self) -> bool:
        return self.policy.failure_policy == "Fail"


@dataclass(frozen=True, slots=True)
class Violation:
    """A failed validation (or, with failurePolicy Fail, an error): the API server's message."""

    message: str
    reason: str = "Invalid"


@dataclass(slots=True)
class Verdict:
    violations: list[Violation] = field(default_factory=list)
    undecided: list[str] = field(default_factory=list)
    annotations: list[tuple[str, str]] = field(default_factory=list)


def compile_policy(policy: Policy) -> Compiled:
    """Every expression of ``policy`` compiled; :class:`InvalidPolicyError` names the one that does not."""
    taint: dict[str, str | None] = {}

    def expr(text: str, where: str) -> Expr:
        try:
            program = compile_expression(text)
        except CelError as error:
            raise InvalidPolicyError(f"{where}: {error}") from None
        names = frozenset(_VARIABLE.findall(text))
        why = next((why for pattern, why in _UNKNOWABLE if pattern.search(text)), None)
        why = why or next((f"variable '{n}': {taint[n]}" for n in sorted(names) if taint.get(n)), None)
        reads = frozenset(name for name, pattern in _READS if pattern.search(text))
        return Expr(text, program, names, frozenset(_ROOT.findall(text)), why, reads)

    conditions = tuple(
        (c.name, expr(c.expression, f"matchConditions '{c.name}'")) for c in policy.match_conditions
    )
    variables: list[tuple[str, Expr]] = []
    for variable in policy.variables:
        compiled = expr(variable.expression, f"variables '{variable.name}'")
        taint[variable.name] = compiled.unknowable
        variables.append((variable.name, compiled))
    validations = tuple(
        (
            v,
            expr(v.expression, f"validations[{i}].expression"),
            None
            if v.message_expression is None
            else expr(v.message_expression, f"validations[{i}].messageExpression"),
        )
        for i, v in enumerate(policy.validations)
    )
    annotations = tuple(
        (a.name, expr(a.expression, f"auditAnnotations '{a.name}'")) for a in policy.audit_annotations
    )
    return Compiled(policy, conditions, tuple(variables), validations, annotations)


class _Run:
    """One evaluation: the activation, with variables computed when first needed."""

    def __init__(self, compiled: Compiled, data: Mapping[str, object], lacking: Mapping[str, str]) -> None:
        self.compiled = compiled
        self.values: dict[str, object] = {}
        self.failed: dict[str, str] = {}
        self.data = data
        self.lacking = lacking
        self._scopes: dict[frozenset[str], CelActivation] = {}
        """The activations by the names they hold; one with ``variables`` is made again when a
        variable has been computed since."""

    def blocked(self, expr: Expr) -> str | None:
        """Why ``expr`` cannot be decided offline, if it cannot."""
        if expr.unknowable:
            return expr.unknowable
        if not self.lacking:
            return None
        for read in sorted(expr.reads & self.lacking.keys()):
            return f"it reads {read}, {self.lacking[read]}"
        needed = self._needed(expr.variables)
        for name, variable in self.compiled.variables:
            for read in sorted(variable.reads & self.lacking.keys() if name in needed else ()):
                return f"variable '{name}' reads {read}, {self.lacking[read]}"
        return None

    def run(self, expr: Expr) -> object:
        """The value of ``expr``; CelError when it (or a variable it reads) fails."""
        needed = self._needed(expr.variables)
        for name, variable in self.compiled.variables:
            if name not in needed or name in self.values or name in self.failed:
                continue
            try:
                self.values[name] = variable.program.run(self._scope(variable.roots))
                self._scopes = {roots: s for roots, s in self._scopes.items() if "variables" not in roots}
            except CelError as error:
                self.failed[name] = str(error)
        for name in sorted(needed & self.failed.keys()):
            raise CelError(f"variable '{name}' resulted in error: {self.failed[name]}")
        return expr.program.run(self._scope(expr.roots))

    def _scope(self, roots: frozenset[str]) -> CelActivation:
        found = self._scopes.get(roots)
        if found is None:
            data = {name: self.data.get(name) for name in roots if name != "variables"}
            if "variables" in roots:
                data["variables"] = dict(self.values)
            found = self._scopes[roots] = scope(data)
        return found

    def _needed(self, names: frozenset[str]) -> set[str]:
        """``names`` and the variables they read, transitively (a variable reads earlier ones)."""
        needed = set(names)
        for name, variable in reversed(self.compiled.variables):
            if name in needed:
                needed |= variable.variables
        return needed


def judge(
    compiled: Compiled, data: Mapping[str, object], lacking: Mapping[str, str] | None = None
) -> Verdict:
    """The verdict of ``compiled`` on the request ``data`` (object, oldObject, params, request,
    namespaceObject). ``lacking`` says which of :data:`_READS` the snapshot lacks, and why: an
    expression that reads one is undecided. Errors count as violations with failurePolicy Fail,
    and are dropped with Ignore."""
    run = _Run(compiled, data, lacking or {})
    verdict = Verdict()
    errors: list[str] = []
    blocked: list[str] = []
    for name, condition in compiled.conditions:
        if (why := run.blocked(condition)) is not None:
            blocked.append(f"matchCondition '{name}': {why}")
            continue
        try:
            value = run.run(condition)
        except CelError as error:
            errors.append(f"matchCondition '{name}' resulted in error: {error}")
            continue
        if value is False:
            return verdict  # the policy does not apply to this request
        if value is not True:
            errors.append(f"matchCondition '{name}' must evaluate to bool, not {_type(value)}")
    if blocked:  # none is false: whether the policy applies depends on what the snapshot lacks
        verdict.undecided.append(blocked[0])
        return verdict
    if errors:
        if compiled.fails_closed:
            verdict.violations.append(Violation(errors[0]))
        return verdict
    for index, (validation, expr, message_expr) in enumerate(compiled.validations):
        if (why := run.blocked(expr)) is not None:
            verdict.undecided.append(f"validations[{index}]: {why}")
            continue
        try:
            value = run.run(expr)
        except CelError as error:
            if compiled.fails_closed:
                verdict.violations.append(
                    Violation(f"expression '{expr.text}' resulted in error: {error}", validation.reason)
                )
            continue
        if value is True:
            continue
        if value is not False:
            if compiled.fails_closed:
                verdict.violations.append(
                    Violation(f"expression '{expr.text}' must evaluate to bool, not {_type(value)}")
                )
            continue
        verdict.violations.append(Violation(_message(run, validation, message_expr), validation.reason))
    for key, expr in compiled.annotations:
        if run.blocked(expr) is not None:
            continue
        try:
            value = run.run(expr)
        except CelError as error:
            if compiled.fails_closed:
                verdict.violations.append(Violation(f"auditAnnotations '{key}' resulted in error: {error}"))
            continue
        if isinstance(value, str):  # null: no annotation
            verdict.annotations.append((f"{compiled.policy.name}/{key}", value))
    return verdict


def _message(run: _Run, validation: Validation, expr: Expr | None) -> str:
    """What the API server says of a failed validation (:func:`validation_message`)."""
    value: object = None
    if expr is not None and run.blocked(expr) is None:
        try:
            value = run.run(expr)
        except CelError:
            value = None
    return validation_message(value, validation.message, validation.expression)


def _type(value: object) -> str:
    return "null" if value is None else type(value).__name__
