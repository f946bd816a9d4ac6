"""Rewriting a rule's CEL source into what the engine runs (text in, text out).

A rule writes ``graph.targets(object, 'selects')`` and ``variables.pdbs``; the engine runs

- ``kubesnap_targets(kubesnap_subject(), 'selects').map(kubesnap_i, <lookup of kubesnap_i>)``:
  only the object's id crosses into Python (``kubesnap_subject()`` for ``object``, else the
  argument's hidden ``@id``), and the objects come back from the run's lazily converted maps of
  objects (crossing the boundary with a whole object costs ~70 µs each way; an id costs ~3 µs:
  RULES-V2.md); followed by ``.size()``, the ids alone are counted, no object is read;
- ``object`` and ``namespaceObject`` bound once around the whole expression (:func:`with_scope`),
  lazily: an expression that reads neither converts neither;
- ``cel.bind(kubesnap_v_pdbs, <pdbs' expression>, ...)`` around the expression for each variable
  it needs (directly or through another variable): ``cel.bind`` is lazy, so a variable is
  computed only when the expression reaches it, once per evaluation.

The scan knows CEL's lexical rules (strings with their prefixes and triple quotes, ``//``
comments), so nothing inside a string literal is touched. The original source is type-checked
first, against declarations of the user-facing ``graph.*`` functions: errors carry the
positions of what the user wrote.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

GRAPH_FUNCTIONS = ("targets", "sources", "missing", "get", "list")
BUCKETS = 16
"""The run's converted objects are bound as this many maps (by kind: see
:class:`~analyzer.rules.cel.graph_functions.ObjectIndex`); an object's id modulo ``BUCKETS`` is
its map. The engine converts a bound map whole, on first read: only the maps a run's rules read
are converted."""
OBJECT_MAPS = tuple(f"__objects_{b}__" for b in range(BUCKETS))
"""The names of the maps, in every activation."""
ID_FIELD = "@id"
"""The hidden field holding each converted object's id."""
POD_SPEC_FIELD = "@podSpec"
"""The hidden field, true on a converted object whose every step to its pod spec is a mapping
(set in Python when the objects are indexed): ``podSpec`` is ``{}`` without it, never a runtime
error on a ``template: null``."""
ITEM = "kubesnap_i"
SUBJECT = "kubesnap_object"
NAMESPACE = "kubesnap_namespace_object"


def lookup(number: str) -> str:
    """The object whose id is ``number`` (an identifier bound to an int), read from its map: a
    tree of conditionals on ``number % BUCKETS`` (lazy: only the chosen map is read). Only a
    conditional's first branch is parenthesised (CEL's grammar needs it; each parenthesis costs
    a level of the parser's depth limit, 32): place it where a whole expression goes."""

    def tree(low: int, high: int) -> str:
        if high - low == 1:
            return f"{OBJECT_MAPS[low]}[{number}]"
        middle = (low + high) // 2
        first = tree(low, middle) if middle - low == 1 else f"({tree(low, middle)})"
        return f"{number} % {BUCKETS} < {middle} ? {first} : {tree(middle, high)}"

    return tree(0, BUCKETS)


POD_SPEC = "kubesnap_pod_spec"
PARAMS = "kubesnap_p"
SCOPE = {"object": SUBJECT, "namespaceObject": NAMESPACE, "params": PARAMS, "podSpec": POD_SPEC}
POD_SPEC_VALUE = (
    f"!{SUBJECT}[?'{POD_SPEC_FIELD}'].orValue(false) ? {{}} "
    f": {SUBJECT}.kind == 'Pod' ? {SUBJECT}.spec "
    f": {SUBJECT}.kind == 'CronJob' ? {SUBJECT}.spec.jobTemplate.spec.template.spec "
    f": {SUBJECT}.kind == 'PodTemplate' ? {SUBJECT}.template.spec "
    f": {SUBJECT}.spec.template.spec"
)
"""The per-object variables, read from the run's one activation: the engine converts a map
bound to an activation whole on first use, so the objects are bound once per run, and what
changes per object (which one, its Namespace, the rule's params) comes from functions.
``podSpec`` is the pod spec of a Pod, of a workload's or PodTemplate's template, of a CronJob's
job template, and ``{}`` for other kinds: one expression for every kind that runs pods."""


def _uses(name: str, body: str) -> bool:
    return re.search(rf"\b{name}\b", body) is not None


def with_scope(body: str) -> str:
    """``body`` (rewritten) with ``object``, ``namespaceObject``, ``podSpec`` and ``params``
    bound around it when it uses them, lazily and once per evaluation: an expression that only
    passes ``object`` to graph functions never reads (converts) it."""
    if _uses(PARAMS, body):
        body = f"cel.bind({PARAMS}, kubesnap_params(),\n{body}\n)"
    if _uses(NAMESPACE, body):
        body = (
            f"cel.bind(kubesnap_m, kubesnap_namespace(), cel.bind({NAMESPACE}, "
            f"kubesnap_m < 0 ? null : {lookup('kubesnap_m')},\n{body}\n))"
        )
    if _uses(POD_SPEC, body):
        body = f"cel.bind({POD_SPEC}, {POD_SPEC_VALUE},\n{body}\n)"
    if _uses(SUBJECT, body):
        subject = lookup("kubesnap_n")
        body = f"cel.bind(kubesnap_n, kubesnap_subject(), cel.bind({SUBJECT}, {subject},\n{body}\n))"
    return body


_TOKEN = re.compile(
    r"""
    (?P<space>\s+|//[^\n]*)
  | (?P<string>(?:[rR][bB]?|[bB][rR])(?:'''.*?'''|\"\"\".*?\"\"\"|'[^'\n]*'|"[^"\n]*")
      | [bB]?(?:'''(?:\\.|[^\\])*?'''|\"\"\"(?:\\.|[^\\])*?\"\"\"|'(?:\\.|[^\\'\n])*'|"(?:\\.|[^\\"\n])*"))
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str
    start: int


def tokens(source: str) -> list[Token]:
    """The significant tokens (no spaces or comments); raw strings keep their backslashes."""
    found = []
    for match in _TOKEN.finditer(source):
        kind = match.lastgroup or "other"
        if kind != "space":
            found.append(Token(kind, match.group(), match.start()))
    return found


def position(source: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset``."""
    line = source.count("\n", 0, offset) + 1
    return line, offset - (source.rfind("\n", 0, offset) + 1) + 1


@dataclass(frozen=True, slots=True)
class GraphCall:
    """``graph.<name>(args)`` at ``start``..``end`` (end after the closing parenthesis)."""

    name: str
    start: int
    end: int
    args: tuple[tuple[int, int], ...]
    """Each argument's span in the source."""


@dataclass(frozen=True, slots=True)
class VariableUse:
    name: str
    start: int
    end: int


def _prev_is_dot(toks: list[Token], i: int) -> bool:
    return i > 0 and toks[i - 1].text == "."


@lru_cache(maxsize=512)
def scan(source: str) -> tuple[tuple[GraphCall, ...], tuple[VariableUse, ...]]:
    """The outermost ``graph.*`` calls and every ``variables.<name>`` outside them (calls nest:
    rewrite each argument again). ``object``, ``namespaceObject`` and ``params`` outside them
    are uses too (of no variable: ``name`` is the identifier itself, ``start`` < 0). Kept per
    source: loading a rule reads each source three times (its variables, edges and rewrite)."""
    toks = tokens(source)
    calls: list[GraphCall] = []
    uses: list[VariableUse] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        if (
            tok.kind == "ident"
            and tok.text in SCOPE
            and not _prev_is_dot(toks, i)
            and not (i + 1 < len(toks) and toks[i + 1].text == "(")
        ):
            uses.append(VariableUse("@" + tok.text, tok.start, tok.start + len(tok.text)))
            i += 1
            continue
        if (
            tok.kind == "ident"
            and not _prev_is_dot(toks, i)
            and i + 2 < len(toks)
            and toks[i + 1].text == "."
            and toks[i + 2].kind == "ident"
        ):
            if (
                tok.text == "graph"
                and toks[i + 2].text in GRAPH_FUNCTIONS
                and i + 3 < len(toks)
                and toks[i + 3].text == "("
            ):
                call, i = _call(source, toks, i)
                calls.append(call)
                continue
            if tok.text == "variables":
                name = toks[i + 2]
                uses.append(VariableUse(name.text, tok.start, name.start + len(name.text)))
                i += 3
                continue
        i += 1
    return tuple(calls), tuple(uses)


def _call(source: str, toks: list[Token], i: int) -> tuple[GraphCall, int]:
    """The call starting at token ``i`` (``graph``), and the index of the token after it."""
    depth = 0
    args: list[tuple[int, int]] = []
    arg_start = toks[i + 3].start + 1
    j = i + 3
    while j < len(toks):
        text = toks[j].text
        if text in "([{" and toks[j].kind == "other":
            depth += 1
        elif text in ")]}" and toks[j].kind == "other":
            depth -= 1
            if depth == 0:
                if toks[j].start > arg_start or args:
                    args.append((arg_start, toks[j].start))
                return GraphCall(toks[i + 2].text, toks[i].start, toks[j].start + 1, tuple(args)), j + 1
        elif text == "," and depth == 1:
            args.append((arg_start, toks[j].start))
            arg_start = toks[j].start + 1
        j += 1
    # Unbalanced: the type-checked compile of the original reports it; leave the rest as it is.
    return GraphCall(toks[i + 2].text, toks[i].start, len(source), tuple(args)), len(toks)


def _object_id(argument: str, direct: bool) -> str:
    if direct and argument.strip() == SUBJECT:  # the subject's id without reading the subject
        return "kubesnap_subject()"
    return f"dyn({argument})[?'{ID_FIELD}'].orValue(-1)"


_SHADOWS = re.compile(r"(?:\.\s*(?:all|exists|exists_one|map|filter)|\bcel\s*\.\s*bind)\s*\(\s*object\s*,")
"""``object`` as a macro's or ``cel.bind``'s variable (``.exists(object, ...)``): there it is not
the subject."""


def _objects(call: str) -> str:
    return f"{call}.map({ITEM}, {lookup(ITEM)})"


_SIZE = re.compile(r"\s*\.\s*size\s*\(\s*\)")


def rewrite(
    source: str,
    variable: Callable[[str], str] = lambda name: f"kubesnap_v_{name}",
    direct: bool | None = None,
) -> str:
    """``source`` with its graph calls and variable uses in the engine's form (see the module);
    ``direct``: ``object`` given to a graph function is the subject (unless the source binds
    another ``object``)."""
    if direct is None:
        direct = _SHADOWS.search(source) is None
    calls, uses = scan(source)
    edits: list[tuple[int, int, str]] = [
        (u.start, u.end, SCOPE[u.name[1:]] if u.name.startswith("@") else variable(u.name)) for u in uses
    ]
    for call in calls:
        args = [rewrite(source[a:b], variable, direct) for a, b in call.args]
        counted = _SIZE.match(source, call.end) is not None  # the objects themselves are not read
        edits.append((call.start, call.end, _graph_call(call.name, args, counted, direct)))
    out = []
    at = 0
    for start, end, text in sorted(edits):
        out.append(source[at:start])
        out.append(text)
        at = end
    out.append(source[at:])
    return "".join(out)


def _graph_call(name: str, args: list[str], counted: bool, direct: bool) -> str:
    """The engine's form of ``graph.<name>(args)``; ``counted``: only its ``size()`` is read,
    so the list of ids is enough (one per object)."""
    objects = (lambda ids: ids) if counted else _objects
    if name in ("targets", "sources") and len(args) == 2:
        return objects(f"kubesnap_{name}({_object_id(args[0], direct)}, {args[1]})")
    if name == "missing" and len(args) == 2:
        return f"kubesnap_missing({_object_id(args[0], direct)}, {args[1]})"
    if name == "get" and len(args) == 3:
        return (
            f"cel.bind(kubesnap_k, kubesnap_key({', '.join(args)}), "
            f"kubesnap_k < 0 ? optional.none() : optional.of({lookup('kubesnap_k')}))"
        )
    if name == "list" and len(args) == 2:
        return objects(f"kubesnap_list({', '.join(args)})")
    return f"graph.{name}({', '.join(args)})"  # a wrong arity: the checked compile already refused it


def string_literal(text: str) -> str | None:
    """The value of a plain one-token string literal (``'selects'``), else None."""
    toks = tokens(text)
    if len(toks) != 1 or toks[0].kind != "string":
        return None
    literal = toks[0].text
    if literal[0] in "rRbB" or literal[:3] in ("'''", '"""') or "\\" in literal:
        return None
    return literal[1:-1]


def variable_uses(source: str) -> Iterator[VariableUse]:
    """Every ``variables.<name>``, inside graph calls too."""
    calls, uses = scan(source)
    yield from (u for u in uses if not u.name.startswith("@"))
    for call in calls:
        for a, b in call.args:
            for use in variable_uses(source[a:b]):
                yield VariableUse(use.name, use.start + a, use.end + a)


def edge_arguments(source: str) -> Iterator[tuple[str, int]]:
    """The edge argument of each ``graph.targets/sources/missing`` call, with its offset."""
    calls, _ = scan(source)
    for call in calls:
        if call.name in ("targets", "sources", "missing") and len(call.args) == 2:
            a, b = call.args[1]
            yield source[a:b], a + len(source[a:b]) - len(source[a:b].lstrip())
        for a, b in call.args:
            for text, offset in edge_arguments(source[a:b]):
                yield text, offset + a
