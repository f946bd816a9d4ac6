"""A CEL rule (the ``validations`` form): compiled when its file is loaded, judged per object.

Loading (:func:`compile_rule`) type-checks every expression of the rule, checks that
``variables.<name>`` names a variable declared before (match conditions may use none) and that
a literal edge name is known, then builds what runs: the source rewritten by
:mod:`analyzer.rules.cel.source`, each needed variable bound lazily around it. An error names
the field (``validations[1].expression``) and its line:column.

Judging one object (:meth:`CelRule.judge`): ``match`` (labels of the object and of its
Namespace: a Gap when the snapshot lacks the Namespace), then every match condition must be
true, then each false validation is a Hit whose ``message`` fact is the messageExpression's
value, else ``message``, else ``failed expression: <expression>`` (as a ValidatingAdmissionPolicy
does; a messageExpression that fails, is empty, holds a line break or exceeds 5 KiB falls back
the same way). A runtime error is an :class:`Unjudged` outcome (a coverage note), and the rule
goes on with the next validation and object.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from analyzer.errors import KubesnapError
from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.selectors import Empty, Selector, from_label_selector
from analyzer.rules.cel.engine import (
    CelActivation,
    CelCompileError,
    CelEngine,
    CelEvalError,
    CelProgram,
    bounded,
)
from analyzer.rules.cel.graph_functions import (
    EDGES,
    RUN_FUNCTIONS,
    USER_FUNCTIONS,
    Judged,
    ObjectIndex,
    implementations,
    index_of,
)
from analyzer.rules.cel.library import kubernetes_functions
from analyzer.rules.cel.predicate import params_model, predicate_of
from analyzer.rules.cel.source import (
    OBJECT_MAPS,
    edge_arguments,
    position,
    rewrite,
    string_literal,
    variable_uses,
    with_scope,
)
from analyzer.rules.finding import Severity
from analyzer.rules.predicates.base import Gap, Hit, Outcome, Predicate, PredicateParams, Unjudged
from analyzer.rules.schema import LabelSelector, RuleSpec

SCOPE = ("object", "namespaceObject", "params", "podSpec", "variables", "graph")
MAX_MESSAGE = 5 * 1024


@cache
def checking_engine() -> CelEngine:
    """Type-checks what the rule wrote (the graph functions as declared, never run)."""
    return CelEngine(SCOPE, [*kubernetes_functions(), *USER_FUNCTIONS])


@cache
def running_engine() -> CelEngine:
    """Runs the rewritten sources (graph functions over ids, implemented per run)."""
    return CelEngine((*OBJECT_MAPS, "graph", "variables"), [*kubernetes_functions(), *RUN_FUNCTIONS])


class Compiled:
    """One expression of a rule: ``field`` is where it is in the rule file
    (``validations[1].expression``), ``needed`` the variables it reads, directly or through
    another variable. Its program is compiled when the rule is (a rule of the user's own), or
    when first evaluated (a built-in rule: :func:`compile_rule` with ``lazy``)."""

    __slots__ = ("_body", "_program", "field", "needed", "source")

    def __init__(
        self,
        field: str,
        source: str,
        body: Callable[[], str],
        needed: tuple[str, ...],
        program: CelProgram | None,
    ) -> None:
        self.field = field
        self.source = source
        self.needed = needed
        self._body = body
        """What the engine runs (built when first compiled)."""
        self._program = program

    @property
    def program(self) -> CelProgram:
        if self._program is None:
            self._program = running_engine().compile(self._body())
        return self._program


@dataclass(frozen=True, slots=True)
class CompiledValidation:
    expression: Compiled
    message: str | None
    message_expression: Compiled | None
    severity: Severity | None


Verdicts = tuple[bool | Unjudged, ...] | Unjudged | None
"""A rule's verdicts on one object: one per validation; an Unjudged match condition; None when
a match condition is false (the rule does not apply)."""


class CelRule:
    """One CEL rule, compiled."""

    def __init__(
        self,
        spec: RuleSpec,
        conditions: Sequence[Compiled],
        validations: Sequence[CompiledValidation],
        together: CelProgram | None = None,
    ) -> None:
        self.spec = spec
        self.conditions = tuple(conditions)
        self.validations = tuple(validations)
        self.together = together
        """Every condition and validation expression as one list (:meth:`_Compiler.together`)."""
        self.object_selector = _selector(spec.match.object_selector)
        self.namespace_selector = _selector(spec.match.namespace_selector)

    def judge(self, subject: K8sObject, graph: SnapshotGraph, params: dict[str, Any]) -> Iterator[Outcome]:
        """``params``: the rule's, as plain values (not copied: the engine only reads them)."""
        if self.object_selector is not None and not self.object_selector.matches(subject.labels):
            return
        index = index_of(graph)
        namespace_object = None
        selector = self.namespace_selector
        if selector is not None and subject.kind == "Namespace":
            if not selector.matches(subject.labels):
                return
        elif selector is not None and subject.namespace:
            namespace_object = self._namespace_object(subject, graph)
            if namespace_object is None:
                yield Gap("Namespace", subject.namespace)
                return
            if not selector.matches(namespace_object.labels):
                return
        scope, judged = _run_scope(index)
        judged.judge(subject, params, namespace_object)
        verdicts = self._verdicts(scope)
        if verdicts is None:
            return
        if isinstance(verdicts, Unjudged):
            yield verdicts
            return
        found: list[Outcome] = []
        for validation, verdict in zip(self.validations, verdicts, strict=True):
            if isinstance(verdict, Unjudged):
                found.append(verdict)
            elif not verdict:
                message = _message(validation, scope)
                found.append(Hit(facts={"message": message}, severity=validation.severity))
        yield from found

    def _verdicts(self, scope: Any) -> Verdicts:
        with bounded():  # one memory bound for all the rule's expressions on this object
            values = self._together(scope)
            if values is None:
                return self._one_by_one(scope)
        count = len(self.conditions)
        for condition, value in zip(self.conditions, values[:count], strict=True):
            verdict = _verdict(condition, value)
            if isinstance(verdict, Unjudged):
                return verdict
            if not verdict:
                return None
        pairs = zip(self.validations, values[count:], strict=True)
        return tuple(_verdict(v.expression, value) for v, value in pairs)

    def _together(self, scope: Any) -> list[Any] | None:
        """Every expression's value from one evaluation; None when there is no such program or
        its evaluation failed (an expression's error, the iteration budget or the memory bound
        of the evaluation as a whole): then each is evaluated on its own, as the rule says."""
        if self.together is None:
            return None
        try:
            values = self.together.evaluate(scope)
        except CelEvalError:
            return None
        expected = len(self.conditions) + len(self.validations)
        return values if isinstance(values, list) and len(values) == expected else None

    def _one_by_one(self, scope: Any) -> Verdicts:
        for condition in self.conditions:
            verdict = _boolean(condition, scope)
            if isinstance(verdict, Unjudged):
                return verdict
            if not verdict:
                return None
        return tuple(_boolean(v.expression, scope) for v in self.validations)

    @staticmethod
    def _namespace_object(subject: K8sObject, graph: SnapshotGraph) -> K8sObject | None:
        if not subject.namespace:
            return None
        return graph.get(("", "Namespace", None, subject.namespace))


def _selector(spec: LabelSelector | None) -> Selector | None:
    if spec is None:
        return None
    return from_label_selector(spec.model_dump(by_alias=True), Empty.ALL)


def _run_scope(index: ObjectIndex) -> tuple[CelActivation, Judged]:
    """The run's one activation (the objects are converted by the engine once, on first use)
    and what it is about now."""
    found = index.cache.get("scope")
    if not isinstance(found, tuple):
        judged = Judged(index)
        engine = running_engine()
        data: dict[str, Any] = dict(zip(OBJECT_MAPS, index.objects, strict=True))
        data |= {"graph": {}, "variables": {}}
        found = index.cache["scope"] = (
            engine.activation(data, engine.implement(implementations(index, judged))),
            judged,
        )
    return found


def _boolean(compiled: Compiled, scope: Any) -> bool | Unjudged:
    try:
        value = compiled.program.evaluate(scope)
    except CelEvalError as error:
        return Unjudged(f"{compiled.field}: {error}")
    return _verdict(compiled, value)


def _verdict(compiled: Compiled, value: object) -> bool | Unjudged:
    if not isinstance(value, bool):
        return Unjudged(f"{compiled.field}: must evaluate to a bool, not {type(value).__name__}")
    return value


def _message(validation: CompiledValidation, scope: Any) -> str:
    value: object = None
    if validation.message_expression is not None:
        try:
            value = validation.message_expression.program.evaluate(scope)
        except CelEvalError:
            value = None
    return validation_message(value, validation.message, validation.expression.source)


def validation_message(value: object, message: str | None, expression: str) -> str:
    """A failed validation's message, as the API server gives it for a ValidatingAdmissionPolicy:
    the messageExpression's ``value`` unless it failed (None), is not a string, is blank, holds a
    line break or exceeds 5 KiB; then ``message``; else ``failed expression: <expression>``."""
    if isinstance(value, str) and value.strip() and "\n" not in value and len(value.encode()) <= MAX_MESSAGE:
        return value
    return message or f"failed expression: {expression.strip()}"


# Loading ------------------------------------------------------------------------------------------


def _fail(where: str, field: str, source: str, error: CelCompileError) -> KubesnapError:
    caret = f"\n{error.caret}" if error.caret else ""
    return KubesnapError(f"{where}: field {field!r}: {error.line}:{error.column}: {error.reason}{caret}")


def _at(where: str, field: str, source: str, offset: int, reason: str) -> KubesnapError:
    line, column = position(source, offset)
    return KubesnapError(f"{where}: field {field!r}: {line}:{column}: {reason}")


class _Compiler:
    def __init__(self, where: str, spec: RuleSpec, lazy: bool = False) -> None:
        self.where = where
        self.lazy = lazy
        """A built-in rule (the tests compile each eagerly): not type-checked as written, each
        expression's own program compiled on first use (most run only in the rule's program of
        all its expressions, :meth:`together`)."""
        self.variables = {v.name: v.expression for v in spec.variables}
        self.order = [v.name for v in spec.variables]
        self.rewritten: dict[str, str] = {}
        """Each variable's source in the engine's form, rewritten once."""
        self.direct: dict[str, list[str]] = {}

    def check(self, field: str, source: str, allowed: Sequence[str]) -> list[str]:
        """Type-check ``source`` as written; the variables it uses directly."""
        try:
            if not self.lazy:
                checking_engine().compile(source)
        except CelCompileError as error:
            raise _fail(self.where, field, source, error) from None
        used: list[str] = []
        for use in variable_uses(source):
            if use.name not in allowed:
                if field.startswith("matchConditions"):
                    reason = "matchConditions cannot use variables (they are judged first)"
                elif use.name in self.variables:
                    reason = f"variables.{use.name} is declared after this variable"
                else:
                    declared = f"declared: {', '.join(allowed)}" if allowed else "none declared here"
                    reason = f"no variable {use.name!r} ({declared})"
                raise _at(self.where, field, source, use.start, reason)
            if use.name not in used:
                used.append(use.name)
        for text, offset in edge_arguments(source):
            edge = string_literal(text)
            if edge is not None and edge != "*" and edge not in EDGES:
                known = ", ".join(sorted(EDGES))
                raise _at(
                    self.where, field, source, offset, f"unknown edge {edge!r} (known: {known}, or '*')"
                )
        return used

    def compile(self, field: str, source: str, allowed: Sequence[str]) -> Compiled:
        needed = self._needed(self.check(field, source, allowed))

        def body() -> str:
            return self._bound(rewrite(source), needed)

        if self.lazy:
            return Compiled(field, source, body, needed, None)
        try:
            program = running_engine().compile(body())
        except CelCompileError as error:  # what checked cannot fail to run: say so plainly
            raise KubesnapError(f"{self.where}: field {field!r}: cannot be run: {error.reason}") from None
        return Compiled(field, source, body, needed, program)

    def together(self, expressions: Sequence[Compiled]) -> CelProgram | None:
        """One program whose value is the list of ``expressions``' values, each variable bound
        once around them all: a rule's expressions on one object cost one evaluation instead of
        one each (the engine's fixed cost per evaluation, and a variable that several read
        computed once). None for fewer than two, or when the engine cannot compile it (its
        depth limit): the rule then evaluates them one by one."""
        if len(expressions) < 2:
            return None
        needed = {name for e in expressions for name in e.needed}
        body = "[" + ",\n".join(rewrite(e.source) for e in expressions) + "\n]"
        try:
            return running_engine().compile(self._bound(body, needed))
        except CelCompileError:
            return None

    def _needed(self, used: Sequence[str]) -> tuple[str, ...]:
        needed: list[str] = []
        stack = list(used)
        while stack:
            name = stack.pop()
            if name not in needed:
                needed.append(name)
                stack.extend(self.direct.get(name, ()))
        return tuple(needed)

    def _bound(self, body: str, needed: Iterable[str]) -> str:
        """``body`` with the variables it needs bound around it (lazily, in declaration order),
        then the per-object scope."""
        for name in sorted(needed, key=self.order.index, reverse=True):
            if name not in self.rewritten:
                self.rewritten[name] = rewrite(self.variables[name])
            body = f"cel.bind(kubesnap_v_{name}, {self.rewritten[name]}\n, {body}\n)"
        return with_scope(body)


_COMPILED: dict[tuple[str, str, bool], CelRule] = {}
MAX_COMPILED = 1024
"""Compiled rules kept per process: each ``pipeline.analyse`` loads the catalogue anew, and
compiling its CEL rules again cost about 0.2 s a run (a compiled rule holds no run's data)."""


def compile_rule(where: str, spec: RuleSpec, lazy: bool = False) -> CelRule:
    """Compile every expression of a CEL rule (once per process for the same file and rule);
    KubesnapError naming the field on any error. ``lazy``: a built-in rule, whose expressions
    the tests compile (see :class:`_Compiler`)."""
    key = (where, spec.model_dump_json(), lazy)
    found = _COMPILED.get(key)
    if found is None:
        found = _compile(where, spec, lazy)
        if len(_COMPILED) >= MAX_COMPILED:
            _COMPILED.pop(next(iter(_COMPILED)))
        _COMPILED[key] = found
    return found


def _compile(where: str, spec: RuleSpec, lazy: bool) -> CelRule:
    compiler = _Compiler(where, spec, lazy)
    for name, value in (
        ("namespaceSelector", spec.match.namespace_selector),
        ("objectSelector", spec.match.object_selector),
    ):
        selector = _selector(value)
        if selector is not None and selector.error is not None:
            raise KubesnapError(f"{where}: field 'match.{name}': {selector.error}")
    conditions = [
        compiler.compile(f"matchConditions[{i}].expression", c.expression, ())
        for i, c in enumerate(spec.match_conditions)
    ]
    for i, variable in enumerate(spec.variables):
        earlier = compiler.order[:i]
        if variable.name in earlier:
            raise KubesnapError(f"{where}: field 'variables[{i}].name': {variable.name!r} is declared twice")
        compiler.direct[variable.name] = compiler.check(
            f"variables[{i}].expression", variable.expression, earlier
        )
    validations = []
    for i, v in enumerate(spec.validations or ()):
        declared = compiler.order
        expression = compiler.compile(f"validations[{i}].expression", v.expression, declared)
        message_expression = (
            None
            if v.message_expression is None
            else compiler.compile(f"validations[{i}].messageExpression", v.message_expression, declared)
        )
        validations.append(CompiledValidation(expression, v.message, message_expression, v.severity))
    together = compiler.together([*conditions, *(v.expression for v in validations)])
    return CelRule(spec, conditions, validations, together)


def cel_predicate(where: str, spec: RuleSpec) -> tuple[Predicate, PredicateParams]:
    """The rule as a predicate instance (named ``cel``) and its params, compiled now: a rule of
    the user's own fails here, at load, with file, field and line:column."""
    rule = compile_rule(where, spec)
    params_type = params_model(where, spec)
    return predicate_of(spec, params_type, rule.judge), params_type()
