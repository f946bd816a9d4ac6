"""Walk one object against its kind's compact schema (:mod:`.schemas`) and list what the API
server would refuse or drop: a value of the wrong type, a value outside an enum, an int-or-string
or a quantity in the wrong form, a required field missing (``invalid``), a field the schema does
not have (``unknown``, with the closest known name).

Each definition is compiled once per version into a checking function (closures over its
properties), and a field's path is spelled only when it has a problem: about 30 us for a live
Pod with its status. A subtree of the wrong type or under an unknown field is not walked further
(one problem, not one per leaf). ``null`` is accepted everywhere (the API server reads it as
unset), and so is the empty string for an enum (its defaulting treats it as unset). A required
field missing under ``status`` is no problem: the API server drops the status a client writes
(create and update reset it; controllers fill it through the status subresource), though it
still refuses a value it cannot decode there. Never raises, whatever the input.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from analyzer.model.quantity import parse_quantity
from analyzer.model.structural import json_type
from analyzer.rules.openapi.paths import join

MAX_PROBLEMS = 50
"""Problems listed per object at most (a document indented under the wrong key could list
hundreds; the first ones say what happened)."""

At = tuple[Any, str | int] | None
"""Where a value is: None for the object, else (where its parent is, its key or index); spelled
as a path only for a problem."""
Raw = tuple[Any, ...]
"""A problem as the walk records it: (code, where, details...); worded by :func:`validate`."""
Check = Callable[[Any, At, list[Raw]], None]
"""Checks a value (never None) at a place, appending problems."""

_ARTICLE = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "object": "a map",
    "array": "a list",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One field the API server would refuse (``invalid``) or drop (``unknown``)."""

    kind: Literal["invalid", "unknown"]
    path: str
    """The field, as a JSON path in the object (:mod:`.paths`)."""
    text: str
    """What is wrong, naming the field: ``spec.replicas is a string ("3"), expected an integer``."""


def validate(obj: object, check: Check, version: str, quote_values: bool = True) -> list[Problem]:
    """The problems of ``obj`` against a kind's compiled ``check`` (of Kubernetes ``version``).
    Values are quoted in the texts only when ``quote_values`` (never for a Secret) and short."""
    found: list[Raw] = []
    if obj is not None:
        check(obj, None, found)
    kept = [raw for raw in found if not (raw[0] == "required" and _top(raw[1]) == "status")]
    return [_word(raw, version, quote_values) for raw in kept[:MAX_PROBLEMS]]


def _top(at: At) -> str | int | None:
    """The object's own field ``at`` is under (``status`` for ``status.conditions[0]``)."""
    top = None
    while at is not None:
        at, top = at
    return top


class Compiler:
    """Compiles the definitions of one version into checks, each once, on first use."""

    def __init__(self, defs: dict[str, Any]) -> None:
        self.defs = defs
        self.cells: dict[str, list[Check]] = {}

    def definition(self, name: str) -> Check:
        """The check of definition ``name`` (through a cell: definitions may be recursive)."""
        cell = self.cells.get(name)
        if cell is None:
            cell = self.cells[name] = []
            cell.append(self.node(self.defs.get(name, {}), name) or _anything)
        return cell[0] if cell else lambda value, at, out: cell[0](value, at, out)

    def node(self, node: Any, owner: str) -> Check | None:
        """The check of a schema node; None when it accepts anything."""
        if isinstance(node, str):
            return self.definition(node)
        union = node.get("o")
        if union is not None:
            return _int_or_string if "integer" in union else _quantity
        expected = node.get("t")
        if expected == "object":
            return self._object(node, owner)
        if expected == "array":
            return self._array(node, owner)
        if expected is None:
            return None
        return _scalar(expected, frozenset(node["e"]) if "e" in node else None)

    def _array(self, node: dict[str, Any], owner: str) -> Check:
        items = self.node(node["i"], owner) if "i" in node else None

        def check(value: Any, at: At, out: list[Raw]) -> None:
            if type(value) is not list:
                out.append(("type", at, value, "array"))
            elif items is not None:
                for index, item in enumerate(value):
                    if item is not None:
                        items(item, (at, index), out)

        return check

    def _object(self, node: dict[str, Any], owner: str) -> Check:
        properties: dict[str, Check | None] = {}
        for key, sub in node.get("p", {}).items():
            properties[key] = None if _plain_string(sub) else self.node(sub, owner)
        texts = frozenset(key for key, sub in node.get("p", {}).items() if _plain_string(sub))
        required = tuple(node.get("r", ()))
        has_values = "a" in node
        text_values = has_values and _plain_string(node["a"])
        values = None if text_values else self.node(node["a"], owner) if has_values else None
        closed = "p" in node and not has_values
        ignored = ("apiVersion", "kind") if node.get("k") else ()
        known = tuple(properties)
        short = owner.rsplit(".", 1)[-1]

        def check(value: Any, at: At, out: list[Raw]) -> None:
            if type(value) is not dict:
                out.append(("type", at, value, "object"))
                return
            for field in required:
                if value.get(field) is None:
                    out.append(("required", at, field))
            if len(out) >= MAX_PROBLEMS:
                return
            for key, sub in value.items():
                if key in properties:
                    # The commonest leaf, a plain string, checked here (a call per leaf costs more).
                    if key in texts:
                        if type(sub) is not str and sub is not None and not _is_string(sub):
                            out.append(("type", (at, key), sub, "string"))
                        continue
                    inner = properties[key]
                    if inner is not None and sub is not None:
                        inner(sub, (at, key), out)
                elif has_values:
                    if text_values:
                        if type(sub) is not str and sub is not None and not _is_string(sub):
                            out.append(("type", (at, key), sub, "string"))
                    elif values is not None and sub is not None:
                        values(sub, (at, key), out)
                elif closed and key not in ignored:
                    out.append(("unknown", at, key, known, short))

        return check


def _plain_string(node: Any) -> bool:
    """A string with no enum: checked inline by its map's check."""
    return isinstance(node, dict) and node.get("t") == "string" and "e" not in node and len(node) == 1


def _anything(value: Any, at: At, out: list[Raw]) -> None:
    return None


def _scalar(expected: str, allowed: frozenset[str] | None) -> Check:
    accepts: Callable[[Any], bool] = _ACCEPTS[expected]

    def check(value: Any, at: At, out: list[Raw]) -> None:
        if not accepts(value):
            out.append(("type", at, value, expected))
        elif allowed is not None and value != "" and value not in allowed:
            out.append(("enum", at, value, allowed))

    return check


def _int_or_string(value: Any, at: At, out: list[Raw]) -> None:
    if not (_is_string(value) or _is_integer(value)):
        out.append(("int-or-string", at, value))


def _quantity(value: Any, at: At, out: list[Raw]) -> None:
    if isinstance(value, bool) or parse_quantity(value) is None:
        out.append(("quantity", at, value))


def _is_string(value: Any) -> bool:
    return type(value) is str or isinstance(value, (str, date))  # an unquoted YAML date: text to kubectl


def _is_integer(value: Any) -> bool:
    kind = type(value)
    return kind is int or (kind is float and value.is_integer())


_ACCEPTS: dict[str, Callable[[Any], bool]] = {
    "string": _is_string,
    "integer": _is_integer,
    "number": lambda value: type(value) in (int, float),
    "boolean": lambda value: type(value) is bool,
}


def path_of(at: At) -> str:
    """``at`` spelled as a path: ``spec.template.spec.containers[0]``."""
    keys: list[str | int] = []
    while at is not None:
        at, key = at
        keys.append(key)
    path = ""
    for key in reversed(keys):
        path = join(path, key if type(key) is int else str(key))
    return path


def _word(raw: Raw, version: str, quote: bool) -> Problem:
    code, at = raw[0], raw[1]
    path = path_of(at)
    if code == "unknown":
        key, known, owner = raw[2], raw[3], raw[4]
        field = join(path, str(key))
        text = f"{field} is not a field of {owner or 'the object'} in Kubernetes {version}"
        return Problem("unknown", field, text + _did_you_mean(str(key), known))
    if code == "required":
        where = path or "the object"
        return Problem("invalid", join(path, raw[2]), f"{where} has no {raw[2]} (required)")
    if code == "enum":
        allowed = sorted(raw[3])
        text = f"{path} is {json.dumps(raw[2])}, not one of {', '.join(allowed)}"
        return Problem("invalid", path, text + _did_you_mean(str(raw[2]), allowed))
    shown = _show(raw[2], quote)
    if code == "int-or-string":
        return Problem("invalid", path, f"{path} is {shown}, expected an integer or a string")
    if code == "quantity":
        return Problem("invalid", path, f"{path} is {shown}, not a quantity (e.g. 500m, 2Gi, 1.5)")
    return Problem("invalid", path, f"{path or 'the object'} is {shown}, expected {_ARTICLE[raw[3]]}")


def _show(value: object, quote: bool) -> str:
    """``a string ("3")``: the value's type, and the value when short and quotable."""
    shown = _type_of(value)
    if quote and isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = json.dumps(value)
        if len(text) <= 40:
            return f"{shown} ({text})"
    return shown


_WORDS = {
    "boolean": "a boolean",
    "integer": "an integer",
    "number": "a number",
    "string": "a string",
    "object": "a map",
    "array": "a list",
}


def _type_of(value: object) -> str:
    kind = json_type(value)
    return _WORDS.get(kind, "null" if kind == "null" else f"a {kind}")


def _did_you_mean(word: str, known: Iterable[str]) -> str:
    """`` (did you mean replicas?)``: the closest known name, same-spelling-but-case first."""
    import difflib  # only for a problem (its import is most of this module's)

    names = list(known)
    folded = [n for n in names if n.lower() == word.lower()]
    close = folded or difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""
