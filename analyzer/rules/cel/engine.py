"""The CEL engine adapter: the one module that imports the engine (cel-expr-python, Google's CEL C++).

Everything else in kubesnap (the v2 rule form, the offline ValidatingAdmissionPolicy evaluator)
speaks to CEL through this module's four names, so that the engine can be swapped:

    from analyzer.rules.cel.engine import CelEngine, CelCompileError, CelEvalError, Function

    engine = CelEngine(["object", "params"], functions=[...])   # once: declarations + extensions
    program = engine.compile("object.spec.?replicas.orValue(1) >= params.min")  # type-checked
    scope = engine.activation({"object": obj, "params": {"min": 2}})   # reuse it (see below)
    program.evaluate(scope)          # -> plain Python value (bool, int, str, list, dict, ...)

- ``compile`` raises :class:`CelCompileError` (``line``, ``column``, ``reason``, ``caret``: the
  engine's two-line excerpt with a caret under the column). ``compile(src, checked=False)`` skips
  the type checker for expressions the checker rejects but the Kubernetes API server accepts
  (``c ? 'x' : null``); unknown names then fail at evaluation instead.
- ``evaluate`` raises :class:`CelEvalError` for a runtime error (a missing key without ``has()``,
  division by zero, an error raised by a registered function, the iteration budget). It never
  raises anything else for a user expression.
- Bounds: the engine allows 10,000 comprehension iterations per evaluation and nesting depth 32
  (fixed in cel-expr-python 0.1.3); the adapter refuses sources over :data:`MAX_SOURCE` characters.
  The engine bounds no value's size (``'ab'`` doubled 30 times through variables is 2 GiB, a
  ``replace`` of a string by itself squares it), so the adapter bounds each evaluation's memory
  (:class:`MemoryBound`, on Linux): the process's address space may grow by at most
  :data:`EVALUATION_MEMORY` or twice its size, whichever is more, while the engine runs; past
  it the engine's allocation fails and the evaluation ends with a :class:`CelEvalError`.
- Variables are all declared ``dyn``; registered functions are declared with the small type
  vocabulary of :data:`TYPES` and receive and return plain Python values (dict, list, str, int,
  float, bool, None). A Python object of another type cannot cross into CEL (an engine limit):
  send a tagged map instead (see :mod:`analyzer.rules.cel.library`'s quantities).
- A function may be declared with ``impl=None`` and implemented per activation instead
  (:meth:`CelEngine.implement`, then ``activation(data, implementations)``): the graph functions
  are bound to one run's graph that way, while programs are compiled once at load time.
- An activation converts each bound value whole (deeply) the first time an evaluation reads
  it, then keeps it: ~65-100 µs per 10 KB Kubernetes object. Bind large data (every object of
  a run) to ONE activation and reuse it; make what changes per evaluation a function
  (:meth:`implement`). Passing a whole object *into* a registered function converts it to a
  Python dict on every call (~70 µs for 2 KB): give functions a key, not the object.

The strings, optionals and bindings (``cel.bind``) extensions are always on; the Kubernetes
libraries (lists, regex, quantity, url, ip/cidr) are registered functions:
:func:`analyzer.rules.cel.library.kubernetes_functions`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from cel_expr_python import cel
from cel_expr_python.ext import ext_bindings, ext_optional, ext_strings

MAX_SOURCE = 20_000
"""The longest expression accepted, in characters (a hostile file cannot make the parser chew
through megabytes; the API server's own limits are per-field cost, not source length)."""

TYPES: Mapping[str, Any] = {
    "dyn": cel.Type.DYN,
    "bool": cel.Type.BOOL,
    "int": cel.Type.INT,
    "uint": cel.Type.UINT,
    "double": cel.Type.DOUBLE,
    "string": cel.Type.STRING,
    "bytes": cel.Type.BYTES,
    "list": cel.Type.List(cel.Type.DYN),
    "map": cel.Type.Map(cel.Type.STRING, cel.Type.DYN),
    "list<string>": cel.Type.List(cel.Type.STRING),
    "list<int>": cel.Type.List(cel.Type.INT),
    "optional": cel.Type.AbstractType("optional_type", [cel.Type.DYN]),
}
"""The parameter and result types a registered function may declare. ``optional`` is for
declarations only (type-checking a source that a rewrite then runs): a Python function cannot
return an optional."""


EVALUATION_MEMORY = 1 << 30
"""The address space one evaluation may add at least, in bytes (more when the process is large:
see :class:`MemoryBound`)."""
INPUT_FACTOR = 2
"""... or this many times the process's size: the first evaluation that reads a map of objects
converts it whole (about twice the memory of the Python objects), so a large snapshot needs a
proportionally larger allowance."""
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class MemoryBound:
    """Bounds the address space (``RLIMIT_AS``) while the engine evaluates: a hostile expression
    that builds a huge value meets an allocation failure (the engine reports ``std::bad_alloc``)
    instead of exhausting the machine's memory. Linux only (``/proc/self/statm``); elsewhere,
    and when the limit cannot be set (Windows has no ``resource`` module), evaluations are
    unbounded in size."""

    def __init__(self) -> None:
        self._statm: int | None = None
        self._held = False
        self._pid = -1  # whose /proc/self/statm is open (a forked child opens its own)
        try:
            import resource  # not on Windows

            self._limits = resource.getrlimit(resource.RLIMIT_AS)
            self._resource: Any = resource
        except (ImportError, OSError, ValueError, AttributeError):
            self._resource = None

    def _size(self) -> int:
        """The process's address space now, in bytes (OSError where /proc is not)."""
        if self._pid != os.getpid():
            if self._statm is not None:
                os.close(self._statm)
                self._statm = None
            self._statm = os.open("/proc/self/statm", os.O_RDONLY)
            self._pid = os.getpid()
        assert self._statm is not None
        return int(os.pread(self._statm, 64, 0).split()[0]) * PAGE

    def allowance(self, size: int) -> int:
        return max(EVALUATION_MEMORY, INPUT_FACTOR * size)

    def arm(self) -> tuple[int, int] | None:
        """Set the bound; the limits to restore (None: nothing was set, or :meth:`held` has)."""
        if self._resource is None or self._held:
            return None
        try:
            size = self._size()
            soft, hard = self._limits  # as the process started (kubesnap never changes them)
            bound = size + self.allowance(size)
            if soft != self._resource.RLIM_INFINITY and soft <= bound:
                return None  # the process is already bounded more tightly
            if hard != self._resource.RLIM_INFINITY:
                bound = min(bound, hard)
            self._resource.setrlimit(self._resource.RLIMIT_AS, (bound, hard))
        except (OSError, ValueError):
            self._resource = None  # no /proc (not Linux): unbounded, and not asked again
            return None
        return soft, hard

    def disarm(self, saved: tuple[int, int] | None) -> None:
        if saved is not None:
            self._resource.setrlimit(self._resource.RLIMIT_AS, saved)

    @contextmanager
    def held(self) -> Iterator[None]:
        """One bound around several evaluations (a rule's expressions on one object): setting
        it costs about 6 µs, as much as a small evaluation."""
        if self._held:
            yield
            return
        saved = self.arm()
        self._held = True
        try:
            yield
        finally:
            self._held = False
            self.disarm(saved)


_BOUND = MemoryBound()
bounded = _BOUND.held
"""``with bounded():`` around several evaluations: one memory bound for all of them."""
_OUT_OF_MEMORY = ("bad_alloc", "MemoryError", "out of memory")
_OPTIONAL = "the result is an optional: end the expression with .orValue(...) or .hasValue()"


class CelCompileError(Exception):
    """An expression that does not parse or type-check; ``line`` and ``column`` are 1-based."""

    def __init__(self, reason: str, line: int, column: int, caret: str) -> None:
        super().__init__(f"{line}:{column}: {reason}")
        self.reason = reason
        self.line = line
        self.column = column
        self.caret = caret

    def describe(self) -> str:
        """``line:column: reason`` then the caret excerpt, as the user should read it."""
        return f"{self.line}:{self.column}: {self.reason}" + (f"\n{self.caret}" if self.caret else "")


class CelEvalError(Exception):
    """A runtime error of one evaluation (the message without the engine's status code)."""


@dataclass(frozen=True)
class Overload:
    """One signature of a registered function. ``id`` is unique in the engine (``list_sum``);
    ``params`` includes the receiver first when ``member`` (``'a'.f(b)`` has params
    ``(string, string)``); types are keys of :data:`TYPES`."""

    id: str
    params: tuple[str, ...]
    result: str
    impl: Callable[..., Any] | None
    """None: implemented per activation (:class:`Implementation`)."""
    member: bool = False


@dataclass(frozen=True)
class Function:
    """A function name and its overloads (``graph.targets`` is the member ``targets`` on dyn)."""

    name: str
    overloads: tuple[Overload, ...]


@dataclass(frozen=True)
class Implementation:
    """The implementation of a declared overload whose ``impl`` is None, for some activations."""

    name: str
    params: tuple[str, ...]
    impl: Callable[..., Any]
    member: bool = False


class CelImplementations:
    """Implementations prepared by :meth:`CelEngine.implement` (reuse them across activations)."""

    __slots__ = ("_native",)

    def __init__(self, native: list[Any]) -> None:
        self._native = native


_ERROR_HEAD = re.compile(r"ERROR: <input>:(-?\d+):(-?\d+): (.*)")
_STATUS = re.compile(r"^[A-Z_]+: ")
_STATUS_TAIL = re.compile(r" \[[A-Z_]+\]$")


def _clean(message: str) -> str:
    return _STATUS_TAIL.sub("", _STATUS.sub("", message.strip()))


def _compile_error(raw: str) -> CelCompileError:
    """The first error of the engine's report: ``ERROR: <input>:L:C: reason`` and its caret."""
    lines = _clean(raw).splitlines()
    for i, text in enumerate(lines):
        head = _ERROR_HEAD.search(text)
        if head:
            caret = [t for t in lines[i + 1 : i + 3] if t.startswith(" |")]
            line, column = max(1, int(head.group(1))), max(1, int(head.group(2)))  # -1: no position
            return CelCompileError(head.group(3), line, column, "\n".join(caret))
    return CelCompileError(_clean(raw), 1, 1, "")


class CelProgram:
    """A compiled expression; evaluate it against an activation of the engine that compiled it."""

    __slots__ = ("_expression", "checked", "source")

    def __init__(self, expression: Any, source: str, checked: bool) -> None:
        self._expression = expression
        self.source = source
        self.checked = checked

    def evaluate(self, activation: CelActivation) -> Any:
        """The value as plain Python; :class:`CelEvalError` for any runtime error."""
        saved = _BOUND.arm()
        try:
            try:
                value = self._expression.eval(activation._native)
            except MemoryError:
                message = "bad_alloc"
            except Exception as error:  # RuntimeError: the budget, an allocation, a conversion
                message = str(error)
            else:
                try:
                    if value.type() != cel.Type.ERROR:
                        return value.plain_value()
                    message = str(value.value())
                except MemoryError:
                    message = "bad_alloc"
                except Exception:  # the wrapper reports an optional as ERROR and cannot convert it
                    message = _OPTIONAL
        finally:
            _BOUND.disarm(saved)
        if any(m in message for m in _OUT_OF_MEMORY):
            raise CelEvalError(_memory_message())
        raise CelEvalError(_clean(message))


def _memory_message() -> str:
    return (
        "size limit exceeded: the evaluation needed more memory than it may use (at least "
        f"{EVALUATION_MEMORY >> 20} MiB): does it build a huge string or list?"
    )


class CelActivation:
    """Bound variables: each converted whole on first read, then kept; reuse the activation."""

    __slots__ = ("_native",)

    def __init__(self, native: Any) -> None:
        self._native = native


class CelEngine:
    """Declared variables (all ``dyn``) and functions; compiles expressions and makes activations."""

    def __init__(self, variables: Sequence[str], functions: Sequence[Function] = ()) -> None:
        self.variables = tuple(variables)
        declarations = [
            cel.FunctionDecl(
                function.name,
                [
                    cel.Overload(
                        overload.id,
                        TYPES[overload.result],
                        [TYPES[p] for p in overload.params],
                        is_member=overload.member,
                        **({} if overload.impl is None else {"impl": overload.impl}),
                    )
                    for overload in function.overloads
                ],
            )
            for function in functions
        ]
        extensions: list[Any] = [
            ext_strings.ExtStrings(),
            ext_optional.ExtOptional(),
            ext_bindings.ExtBindings(),
        ]
        if declarations:
            extensions.append(cel.CelExtension("kubesnap", declarations))
        self._env = cel.NewEnv(variables=dict.fromkeys(self.variables, cel.Type.DYN), extensions=extensions)

    def compile(self, source: str, *, checked: bool = True) -> CelProgram:
        """Parse and (unless ``checked=False``) type-check ``source``."""
        if len(source) > MAX_SOURCE:
            raise CelCompileError(f"expression longer than {MAX_SOURCE} characters", 1, 1, "")
        try:
            expression = self._env.compile(source, disable_check=not checked)
        except Exception as error:
            raise _compile_error(str(error)) from None
        return CelProgram(expression, source, checked)

    def implement(self, implementations: Sequence[Implementation]) -> CelImplementations:
        """Prepare run-time implementations of declared functions."""
        return CelImplementations(
            [cel.Function(i.name, [TYPES[p] for p in i.params], i.member, i.impl) for i in implementations]
        )

    def activation(
        self, data: Mapping[str, Any], implementations: CelImplementations | None = None
    ) -> CelActivation:
        """Bind variables (plain Python values) and, optionally, run-time implementations."""
        try:
            if implementations is None:
                return CelActivation(self._env.Activation(dict(data)))
            return CelActivation(self._env.Activation(dict(data), functions=implementations._native))
        except Exception as error:
            raise CelEvalError(_clean(str(error))) from None
