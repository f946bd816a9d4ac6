"""The CEL adapter: compile errors with line:column, runtime errors as CelEvalError, the budget."""

from __future__ import annotations

import pytest

from analyzer.rules.cel.engine import MAX_SOURCE, CelCompileError, CelEngine, CelEvalError, Function, Overload

ENGINE = CelEngine(["object"])
OBJECT = {"object": {"spec": {"replicas": 3}, "metadata": {"name": "web"}}}


def run(source: str, data: dict[str, object] = OBJECT, *, checked: bool = True) -> object:
    engine = ENGINE
    return engine.compile(source, checked=checked).evaluate(engine.activation(data))


def test_evaluates_against_a_reused_activation() -> None:
    scope = ENGINE.activation(OBJECT)
    assert ENGINE.compile("object.spec.replicas > 2").evaluate(scope) is True
    assert ENGINE.compile("object.metadata.name + '-x'").evaluate(scope) == "web-x"


def test_compile_error_has_line_column_and_caret() -> None:
    with pytest.raises(CelCompileError) as caught:
        ENGINE.compile("object.spec.replicas >\n  replicas")
    error = caught.value
    assert (error.line, error.column) == (2, 3)
    assert "undeclared reference to 'replicas'" in error.reason
    assert error.caret.splitlines()[-1].endswith("..^")


def test_syntax_error_position() -> None:
    with pytest.raises(CelCompileError) as caught:
        ENGINE.compile("object.spec.(")
    assert caught.value.line == 1
    assert "Syntax error" in caught.value.reason


def test_unchecked_compile_accepts_what_the_checker_rejects() -> None:
    with pytest.raises(CelCompileError, match="no matching overload"):
        ENGINE.compile("object.spec.replicas > 1 ? 'x' : null")
    assert run("object.spec.replicas > 1 ? 'x' : null", checked=False) == "x"


def test_missing_key_is_an_eval_error_not_a_crash() -> None:
    with pytest.raises(CelEvalError, match='Key not found in map : "template"'):
        run("object.spec.template.spec")
    assert run("has(object.spec.template)") is False
    assert run("object.spec.?template.orValue('none')") == "none"


def test_an_optional_result_is_explained() -> None:
    with pytest.raises(CelEvalError, match="orValue"):
        run("object.spec.?replicas")


def test_iteration_budget_stops_a_runaway_comprehension() -> None:
    ten = "[1,2,3,4,5,6,7,8,9,10]"
    assert run(f"{ten}.map(a, {ten}.map(b, {ten}.map(c, c))).size()") == 10
    with pytest.raises(CelEvalError, match="budget"):
        run(f"{ten}.map(a, {ten}.map(b, {ten}.map(c, {ten}.map(d, d)))).size()")


def test_oversized_source_is_refused() -> None:
    with pytest.raises(CelCompileError, match="longer than"):
        ENGINE.compile("1 + " * (MAX_SOURCE // 4) + "1")


def test_registered_function_and_its_errors() -> None:
    def shout(text: str) -> str:
        if not text:
            raise ValueError("nothing to shout")
        return text.upper() + "!"

    engine = CelEngine(
        ["object"], [Function("shout", (Overload("shout_string", ("string",), "string", shout),))]
    )
    scope = engine.activation({"object": {"a": "hi", "b": ""}})
    assert engine.compile("shout(object.a)").evaluate(scope) == "HI!"
    with pytest.raises(CelEvalError, match="nothing to shout"):
        engine.compile("shout(object.b)").evaluate(scope)
    with pytest.raises(CelCompileError, match="no matching overload"):
        engine.compile("shout(1)")


def test_strings_optionals_and_bind_extensions() -> None:
    assert run("'A-b'.lowerAscii().split('-')") == ["a", "b"]
    assert run("'%s has %d'.format([object.metadata.name, object.spec.replicas])") == "web has 3"
    assert run("cel.bind(r, object.spec.replicas, r * r)") == 9
