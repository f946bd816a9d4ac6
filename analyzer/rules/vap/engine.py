"""The CEL seam of the VAP evaluation: compile an expression once, run it on an activation.
(Temporary: to be replaced by the project's CEL adapter.)"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cel_expr_python import cel  # type: ignore[import-untyped]
from cel_expr_python.ext import ext_optional, ext_strings  # type: ignore[import-untyped]

NAMES = ("object", "oldObject", "params", "request", "namespaceObject", "variables", "authorizer")


class CelError(Exception):
    """An expression that does not compile, or fails on one object."""


class Program:
    def __init__(self, expression: Any) -> None:
        self._expression = expression

    def run(self, data: Mapping[str, object]) -> object:
        value = self._expression.eval(data=dict(data))
        if value.type() == cel.Type.ERROR:
            raise CelError(str(value.value()))
        return value.plain_value()


_ENV: Any = None


def compile_expression(expression: str) -> Program:
    global _ENV
    if _ENV is None:
        _ENV = cel.NewEnv(
            variables=dict.fromkeys(NAMES, cel.Type.DYN),
            extensions=[ext_optional.ExtOptional(), ext_strings.ExtStrings()],
        )
    try:
        return Program(_ENV.compile(expression))
    except RuntimeError as error:
        raise CelError(str(error)) from None
