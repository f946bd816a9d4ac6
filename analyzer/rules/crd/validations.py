"""A CRD's ``x-kubernetes-validations`` rules, evaluated offline as the API server does on create,
over the project's CEL adapter (:mod:`analyzer.rules.cel.engine`) with Kubernetes' libraries.

Each rule sees ``self``: the value at its schema node (:class:`analyzer.model.structural.Site`:
defaulted, pruned, property names escaped). A false rule is a :class:`Failure` at the node's path
(or at its ``fieldPath``), with the message the API server gives: ``messageExpression``'s
string, else ``message``, else ``failed rule: <rule>``; ``reason`` is kept. A *transition rule*
(one that reads ``oldSelf``) judges an update against the stored object: never run on a create,
so never here; they are counted. A rule that does not compile, or fails at run time, or is not a
bool, is a :class:`Problem` (the caller's coverage note), never an exception. Rules compile once
per schema node (kept in :attr:`Schema.compiled`). The engine's bounds apply (10,000 comprehension
iterations per evaluation, nesting 32)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from analyzer.model.structural import Schema, Site, join_path
from analyzer.rules.cel.engine import CelCompileError, CelEngine, CelEvalError, CelProgram
from analyzer.rules.cel.library import kubernetes_functions

_OLD_SELF = re.compile(r"\boldSelf\b")
_FIELD_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_-]*)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]")
MAX_MESSAGE = 5 * 1024


@dataclass(frozen=True, slots=True)
class Compiled:
    """One rule of a node, compiled (``program`` None: it did not compile, ``error`` says why)."""

    text: str
    program: CelProgram | None
    error: str | None
    message: str | None
    message_program: CelProgram | None
    field_path: str | None
    reason: str | None
    transition: bool


@dataclass(frozen=True, slots=True)
class Failure:
    path: str
    message: str
    reason: str | None


@dataclass(slots=True)
class Outcome:
    """What the rules of one resource gave."""

    failures: list[Failure] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Rules not judged: did not compile, failed at run time, gave no bool."""
    transitions: int = 0


@functools.cache
def _engine() -> CelEngine:
    return CelEngine(("self", "oldSelf"), kubernetes_functions())


def _compile(source: str) -> CelProgram:
    """Type-checked first; what the checker rejects (it knows no schema) compiled unchecked."""
    engine = _engine()
    try:
        return engine.compile(source)
    except CelCompileError:
        return engine.compile(source, checked=False)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def compiled_rules(schema: Schema) -> tuple[Compiled, ...]:
    """The node's rules compiled, once (cached on the node)."""
    if schema.compiled is None:
        schema.compiled = tuple(_one(rule) for rule in schema.rules)
    rules: tuple[Compiled, ...] = schema.compiled
    return rules


def _one(rule: Mapping[str, Any]) -> Compiled:
    text = rule.get("rule")
    message, field_path, reason = (
        _text(rule.get("message")),
        _text(rule.get("fieldPath")),
        _text(rule.get("reason")),
    )
    if not isinstance(text, str) or not text.strip():
        return Compiled("", None, "the rule has no expression", message, None, field_path, reason, False)
    transition = bool(_OLD_SELF.search(text))
    program = message_program = None
    error = None
    if not transition:
        try:
            program = _compile(text)
        except CelCompileError as failed:
            error = f"does not compile: {failed.describe().splitlines()[0]}"
        source = _text(rule.get("messageExpression"))
        if source is not None and error is None:
            try:
                message_program = _compile(source)
            except CelCompileError:
                message_program = None  # the API server refuses such a CRD; the message falls back
    return Compiled(text, program, error, message, message_program, field_path, reason, transition)


def evaluate(sites: Iterable[Site], crd: str) -> Outcome:
    """Every rule of every site, on its value."""
    outcome = Outcome()
    engine = _engine()
    for site in sites:
        rules = compiled_rules(site.schema)
        scope = None
        for rule in rules:
            where = f"CRD {crd}: rule {_short(rule.text)!r} at {site.path or 'the root'}"
            if rule.transition:
                outcome.transitions += 1
                continue
            if rule.program is None:
                outcome.problems.append(f"{where} {rule.error}")
                continue
            try:
                scope = scope or engine.activation({"self": site.value})
                value = rule.program.evaluate(scope)
            except CelEvalError as error:
                outcome.problems.append(f"{where}: {error}")
                continue
            if value is True:
                continue
            if value is not False:
                outcome.problems.append(f"{where}: gave {type(value).__name__}, not a bool")
                continue
            message = _message(rule, scope) or rule.message or f"failed rule: {rule.text.strip()}"
            outcome.failures.append(Failure(_field(site.path, rule.field_path), message, rule.reason))
    return outcome


def _message(rule: Compiled, scope: Any) -> str | None:
    if rule.message_program is None:
        return None
    try:
        value = rule.message_program.evaluate(scope)
    except CelEvalError:
        return None
    if isinstance(value, str) and value.strip() and "\n" not in value and len(value.encode()) <= MAX_MESSAGE:
        return value
    return None


def _field(base: str, relative: str | None) -> str:
    """The site's path followed by a rule's ``fieldPath`` (``.spec.x``, ``['a.b']``, ``[0]``);
    the site's path when it does not parse."""
    if not relative:
        return base
    path, at = base, 0
    for step in _FIELD_STEP.finditer(relative):
        if step.start() != at:
            return base
        at = step.end()
        name, quoted, index = step.groups()
        if index is not None:
            path = f"{path}[{index}]"
        else:
            path = join_path(path, name if name is not None else quoted.replace("\\'", "'"))
    return path if at == len(relative) else base


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 80 else flat[:77] + "..."
