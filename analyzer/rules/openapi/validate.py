"""Walk one object against its kind's compact schema (:mod:`.schemas`) and list what the API
server would refuse or drop: a value of the wrong type, a value outside an enum, an int-or-string
or a quantity in the wrong form, a required field missing (``invalid``), a field the schema does
not have (``unknown``, with the closest known name).

A subtree of the wrong type or under an unknown field is not walked further (one problem, not
one per leaf). ``null`` is accepted everywhere (the API server reads it as unset), and so is the
empty string for an enum (its defaulting treats it as unset). Never raises, whatever the input.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from analyzer.model.quantity import parse_quantity
from analyzer.rules.openapi.paths import join
from analyzer.rules.openapi.schemas import KindSchemas

MAX_PROBLEMS = 50
"""Problems listed per object at most (a document indented under the wrong key could list
hundreds; the first ones say what happened)."""

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


def validate(obj: object, root: Any, schemas: KindSchemas, quote_values: bool = True) -> list[Problem]:
    """The problems of ``obj`` against ``root`` (a kind's schema in ``schemas``). Values are
    quoted in the texts only when ``quote_values`` (never for a Secret) and short."""
    walker = _Walker(schemas.defs, str(schemas.version), quote_values)
    walker.walk(obj, root, "", "")
    return walker.problems[:MAX_PROBLEMS]


class _Walker:
    __slots__ = ("defs", "problems", "quote", "version")

    def __init__(self, defs: dict[str, Any], version: str, quote: bool) -> None:
        self.defs = defs
        self.version = version
        self.quote = quote
        self.problems: list[Problem] = []

    def walk(self, value: object, node: Any, path: str, name: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS or value is None:
            return
        if isinstance(node, str):
            name = node
            node = self.defs.get(node, {})
        union = node.get("o")
        if union is not None:
            self._union(value, union, path)
            return
        expected = node.get("t")
        if expected is None:
            return
        if expected == "object":
            if not isinstance(value, dict):
                self._wrong(value, expected, path)
                return
            self._object(value, node, path, name)
        elif expected == "array":
            if not isinstance(value, list):
                self._wrong(value, expected, path)
                return
            items = node.get("i")
            if items is not None:
                for index, item in enumerate(value):
                    self.walk(item, items, f"{path}[{index}]", name)
        elif not _is(value, expected):
            self._wrong(value, expected, path)
        elif "e" in node and value != "" and value not in node["e"]:
            self._enum(value, node["e"], path)

    def _object(self, value: dict[Any, Any], node: dict[str, Any], path: str, name: str) -> None:
        properties: dict[str, Any] | None = node.get("p")
        for field in node.get("r", ()):
            if value.get(field) is None:
                where = path or "the object"
                self._add("invalid", join(path, field), f"{where} has no {field} (required)")
        extra = node.get("a")
        for key, sub in value.items():
            if properties is not None and key in properties:
                self.walk(sub, properties[key], join(path, str(key)), name)
            elif extra is not None:
                self.walk(sub, extra, join(path, str(key)), name)
            elif properties is not None and not (node.get("k") and key in ("apiVersion", "kind")):
                self._unknown(str(key), properties, path, name)

    def _union(self, value: object, types: list[str], path: str) -> None:
        if "integer" in types and "string" in types:  # int-or-string
            if not (_is(value, "string") or _is(value, "integer")):
                self._add("invalid", path, f"{path} is {self._show(value)}, expected an integer or a string")
        elif "number" in types and (isinstance(value, bool) or parse_quantity(value) is None):  # a quantity
            what = self._show(value)
            self._add("invalid", path, f"{path} is {what}, not a quantity (e.g. 500m, 2Gi, 1.5)")

    def _wrong(self, value: object, expected: str, path: str) -> None:
        self._add("invalid", path, f"{path} is {self._show(value)}, expected {_ARTICLE[expected]}")

    def _enum(self, value: object, allowed: list[str], path: str) -> None:
        text = f"{path} is {json.dumps(value)}, not one of {', '.join(sorted(allowed))}"
        self._add("invalid", path, text + _did_you_mean(str(value), allowed))

    def _unknown(self, key: str, properties: Iterable[str], path: str, name: str) -> None:
        owner = name.rsplit(".", 1)[-1] or "the object"
        field = join(path, key)
        text = f"{field} is not a field of {owner} in Kubernetes {self.version}"
        self._add("unknown", field, text + _did_you_mean(key, properties))

    def _add(self, kind: Literal["invalid", "unknown"], path: str, text: str) -> None:
        self.problems.append(Problem(kind, path, text))

    def _show(self, value: object) -> str:
        """``a string ("3")``: the value's type, and the value when short and quotable."""
        shown = _type_of(value)
        if self.quote and isinstance(value, (str, int, float)) and not isinstance(value, bool):
            text = json.dumps(value)
            if len(text) <= 40:
                return f"{shown} ({text})"
        return shown


def _is(value: object, expected: str) -> bool:
    if expected == "string":
        return isinstance(value, (str, date))  # an unquoted YAML timestamp is a string to kubectl
    if isinstance(value, bool):
        return expected == "boolean"
    if expected == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if expected == "number":
        return isinstance(value, (int, float))
    return False


def _type_of(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a map"
    if isinstance(value, list):
        return "a list"
    return "a " + type(value).__name__


def _did_you_mean(word: str, known: Iterable[str]) -> str:
    """`` (did you mean replicas?)``: the closest known name, same-spelling-but-case first."""
    names = list(known)
    folded = [n for n in names if n.lower() == word.lower()]
    close = folded or difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""
