"""The CEL a ValidatingAdmissionPolicy is written in, over the project's adapter
(:mod:`analyzer.rules.cel.engine`): its variables (``object``, ``oldObject``, ``params``,
``request``, ``namespaceObject``, ``variables``, ``authorizer``) and the Kubernetes libraries
(:mod:`analyzer.rules.cel.library`: lists, regex, quantity, url, ip/cidr), one engine.

An expression is type-checked first; one the checker rejects but the API server accepts (the
checker of the adapter knows no Kubernetes schema) is compiled unchecked instead."""

from __future__ import annotations

import functools
from collections.abc import Mapping

from analyzer.rules.cel.engine import CelActivation, CelCompileError, CelEngine, CelEvalError, CelProgram
from analyzer.rules.cel.library import kubernetes_functions

NAMES = ("object", "oldObject", "params", "request", "namespaceObject", "variables", "authorizer")


class CelError(Exception):
    """An expression that does not compile, or fails on one request."""


class Program:
    __slots__ = ("_program",)

    def __init__(self, program: CelProgram) -> None:
        self._program = program

    def run(self, scope: CelActivation) -> object:
        """The value in ``scope``; :class:`CelError` when the evaluation fails."""
        try:
            return self._program.evaluate(scope)
        except CelEvalError as error:
            raise CelError(str(error)) from None


def scope(data: Mapping[str, object]) -> CelActivation:
    """The variables of one evaluation, converted once for every expression run in it."""
    try:
        return _engine().activation(data)
    except CelEvalError as error:
        raise CelError(str(error)) from None


@functools.cache
def _engine() -> CelEngine:
    return CelEngine(NAMES, kubernetes_functions())


def compile_expression(expression: str) -> Program:
    """``expression`` compiled; :class:`CelError` (``line:column: reason``) when it does not."""
    engine = _engine()
    try:
        return Program(engine.compile(expression))
    except CelCompileError as checked:
        try:
            return Program(engine.compile(expression, checked=False))
        except CelCompileError:
            raise CelError(checked.describe().splitlines()[0]) from None
