"""Structural schemas (the ``openAPIV3Schema`` of a CustomResourceDefinition version) and the
validation of a custom resource against one, with the API server's semantics.

:func:`compile_schema` turns a schema (a plain dict, as read) into a tree of :class:`Schema`
nodes once; :func:`validate` walks a custom resource against it, as the API server handles a
create request:

- a ``null`` in an object field that is not ``nullable`` is dropped (or defaulted), fields absent
  with a ``default`` get it, then ``required`` is checked;
- a field the schema does not know is *pruned* (dropped, the request succeeds): a
  :class:`Violation` with ``unknown`` set, which the caller reports as a warning;
  ``x-kubernetes-preserve-unknown-fields`` and ``additionalProperties`` keep them;
- the value validations: ``type``, ``enum``, ``format`` (the ones the API server checks, below),
  ``minimum``/``maximum`` (exclusive too), ``multipleOf``, ``minLength``/``maxLength`` (code
  points), ``pattern`` (RE2, unanchored, as Go's regexp: never Python's ``re`` on a user
  pattern), ``minItems``/``maxItems``, ``minProperties``/``maxProperties``, ``allOf``/``anyOf``/
  ``oneOf``/``not`` (value validations only), ``x-kubernetes-int-or-string``,
  ``x-kubernetes-embedded-resource`` (``apiVersion`` and ``kind`` required, ``metadata``
  allowed), ``x-kubernetes-list-type`` ``set`` (no duplicates) and ``map`` (the
  ``x-kubernetes-list-map-keys`` unique);
- the resource's own ``metadata`` is ObjectMeta, not the schema's: only the schema's constraints
  on ``metadata.name`` and ``metadata.generateName`` apply.

It also gives what the CRD's ``x-kubernetes-validations`` rules see (:class:`Site`): the value at
each node that has rules, defaulted and pruned, ``number`` fields as floats, property names
escaped as Kubernetes' CEL does (``__dash__``, ``__dot__``, ``__namespace__``...). Evaluating the
rules is the rules stage's (CEL). Nothing here raises on bad input: a schema that is not a map is
an empty schema, a pattern RE2 refuses is reported in :attr:`Schema.problems`.
"""

from __future__ import annotations

import base64
import binascii
import copy
import functools
import ipaddress
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import re2

from analyzer.model.objects import as_dict, as_list

_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False

_MISSING: Any = object()

_TYPE_NAMES = ("object", "array", "string", "integer", "number", "boolean")

CEL_RESERVED = frozenset(
    {
        *("true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function"),
        *("if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while"),
    }
)
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_NAME_CHARS = _ASCII_LETTERS | frozenset("0123456789-")
_CEL_NAME_CHARS = _NAME_CHARS | frozenset("./")
_UUID = re2.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")

MAX_VIOLATIONS = 50
"""A walk stops collecting after this many violations (a CR of a wholly different schema)."""


@dataclass(slots=True)
class Schema:
    """One node of a structural schema, compiled."""

    type: str | None = None
    properties: dict[str, Schema] | None = None
    additional: Schema | bool | None = None
    """``additionalProperties``: a schema for every other key, True (any), or None (none)."""
    items: Schema | None = None
    required: tuple[str, ...] = ()
    enum: tuple[Any, ...] | None = None
    nullable: bool = False
    preserve_unknown: bool = False
    int_or_string: bool = False
    embedded: bool = False
    list_type: str | None = None
    list_map_keys: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    exclusive_maximum: bool = False
    multiple_of: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: Any = None
    """The compiled RE2 pattern, or None."""
    pattern_text: str = ""
    format: str | None = None
    min_items: int | None = None
    max_items: int | None = None
    min_properties: int | None = None
    max_properties: int | None = None
    default: Any = _MISSING
    all_of: tuple[Schema, ...] = ()
    any_of: tuple[Schema, ...] = ()
    one_of: tuple[Schema, ...] = ()
    not_: Schema | None = None
    rules: tuple[Mapping[str, Any], ...] = ()
    """The node's ``x-kubernetes-validations`` entries, as written (the rules stage compiles them)."""
    problems: list[str] = field(default_factory=list)
    """What could not be compiled (set on the root only: every node's problems)."""
    defaults: tuple[tuple[str, Any], ...] = ()
    """The properties with a ``default``, and it."""
    compiled: Any = None
    """Free for the rules stage: its compiled form of :attr:`rules`, made once."""


@dataclass(frozen=True, slots=True)
class Violation:
    """A field that fails the schema: ``path`` (``spec.ports[1].name``; '' for the object) and
    the problem, as the API server would say it. ``unknown``: a field the server prunes."""

    path: str
    message: str
    unknown: bool = False


@dataclass(frozen=True, slots=True)
class Site:
    """A node with ``x-kubernetes-validations`` and the value its rules see as ``self``."""

    schema: Schema
    value: Any
    path: str


@dataclass(slots=True)
class Result:
    violations: list[Violation] = field(default_factory=list)
    sites: list[Site] = field(default_factory=list)
    more: int = 0
    """Violations past :data:`MAX_VIOLATIONS`, counted but not kept."""
    wrong_type: bool = False
    """A value of the wrong type: the API server then runs none of the CRD's CEL rules ("some
    validation rules were not checked because the object was invalid")."""


# Compiling ----------------------------------------------------------------------------------------


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def compile_schema(raw: object) -> Schema:
    """The schema tree of ``raw`` (an ``openAPIV3Schema``); anything not a map is an empty node."""
    return _compile(raw, [], "")


def _compile(raw: object, problems: list[str], where: str) -> Schema:
    node = as_dict(raw)
    schema = Schema(problems=problems)
    kind = node.get("type")
    schema.type = kind if kind in _TYPE_NAMES else None
    if isinstance(node.get("properties"), dict):
        schema.properties = {
            str(k): _compile(v, problems, join_path(where, str(k))) for k, v in node["properties"].items()
        }
        schema.defaults = tuple(
            (k, child.default) for k, child in schema.properties.items() if child.default is not _MISSING
        )
    additional = node.get("additionalProperties")
    if isinstance(additional, dict):
        schema.additional = _compile(additional, problems, join_path(where, "*"))
    elif additional is True:
        schema.additional = True
    if "items" in node:
        schema.items = _compile(node["items"], problems, where + "[*]")
    schema.required = tuple(str(r) for r in as_list(node.get("required")) if isinstance(r, str))
    if isinstance(node.get("enum"), list):
        schema.enum = tuple(node["enum"])
    schema.nullable = node.get("nullable") is True
    schema.preserve_unknown = node.get("x-kubernetes-preserve-unknown-fields") is True
    schema.int_or_string = node.get("x-kubernetes-int-or-string") is True
    schema.embedded = node.get("x-kubernetes-embedded-resource") is True
    list_type = node.get("x-kubernetes-list-type")
    schema.list_type = list_type if list_type in ("atomic", "set", "map") else None
    schema.list_map_keys = tuple(
        str(k) for k in as_list(node.get("x-kubernetes-list-map-keys")) if isinstance(k, str)
    )
    schema.minimum, schema.maximum = _number(node.get("minimum")), _number(node.get("maximum"))
    schema.exclusive_minimum = node.get("exclusiveMinimum") is True
    schema.exclusive_maximum = node.get("exclusiveMaximum") is True
    multiple = _number(node.get("multipleOf"))
    schema.multiple_of = multiple if multiple else None
    schema.min_length, schema.max_length = _count(node.get("minLength")), _count(node.get("maxLength"))
    schema.min_items, schema.max_items = _count(node.get("minItems")), _count(node.get("maxItems"))
    schema.min_properties = _count(node.get("minProperties"))
    schema.max_properties = _count(node.get("maxProperties"))
    pattern = node.get("pattern")
    if isinstance(pattern, str):
        try:
            schema.pattern = re2.compile(pattern, options=_RE2_OPTIONS)
            schema.pattern_text = pattern
        except re2.error:
            problems.append(f"{where or 'the root'}: pattern {pattern!r} is not an RE2 expression")
    if isinstance(node.get("format"), str):
        schema.format = node["format"]
    if "default" in node:
        schema.default = node["default"]
    schema.all_of = tuple(_compile(s, problems, where) for s in as_list(node.get("allOf")))
    schema.any_of = tuple(_compile(s, problems, where) for s in as_list(node.get("anyOf")))
    schema.one_of = tuple(_compile(s, problems, where) for s in as_list(node.get("oneOf")))
    if isinstance(node.get("not"), dict):
        schema.not_ = _compile(node["not"], problems, where)
    schema.rules = tuple(r for r in as_list(node.get("x-kubernetes-validations")) if isinstance(r, dict))
    return schema


# Paths and names ----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _plain(key: str) -> bool:
    return bool(key) and key[0] in _ASCII_LETTERS and all(c in _NAME_CHARS for c in key)


def join_path(path: str, key: str) -> str:
    """``spec`` + ``replicas`` -> ``spec.replicas``; a key that is not a plain name in brackets:
    ``metadata.labels["app.kubernetes.io/name"]``."""
    if _plain(key):
        return f"{path}.{key}" if path else key
    quoted = key.replace("\\", "\\\\").replace('"', '\\"')
    return f'{path}["{quoted}"]'


@functools.lru_cache(maxsize=4096)
def cel_name(name: str) -> str:
    """A property name as a CEL rule reads it (Kubernetes' escaping): ``__dash__`` for ``-``,
    ``__dot__``, ``__slash__``, ``__underscores__`` for ``__``, ``__namespace__`` for a keyword."""
    if name in CEL_RESERVED:
        return f"__{name}__"
    if (
        not name
        or name[0] not in _CEL_NAME_CHARS - frozenset("0123456789")
        or any(c not in _CEL_NAME_CHARS for c in name)
    ):
        return name
    return (
        name.replace("__", "__underscores__")
        .replace(".", "__dot__")
        .replace("-", "__dash__")
        .replace("/", "__slash__")
    )


# Validating ---------------------------------------------------------------------------------------


def json_type(value: object) -> str:
    """The JSON Schema type of a decoded value (a float without a fraction is an integer, as
    Kubernetes' decoder reads it): null, boolean, integer, number, string, array, object."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else type(value).__name__


def _has_type(value: object, kind: str) -> bool:
    actual = json_type(value)
    return actual == kind or (kind == "number" and actual == "integer")


def _same(a: object, b: object) -> bool:
    """JSON equality: a boolean never equals a number, 1 equals 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def _show(value: object) -> str:
    """A value as the API server quotes it, short."""
    if isinstance(value, str):
        text = '"' + value.replace("\n", "\\n") + '"'
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "null"
    elif isinstance(value, dict):
        return "an object"
    elif isinstance(value, list):
        return "an array"
    else:
        text = str(value)
    return text if len(text) <= 60 else text[:57] + '..."'


def _format_problem(fmt: str, value: object) -> str | None:
    """Why ``value`` is not of ``format``, for the formats the API server checks that kubesnap
    checks exactly (others, like ``date-time``, are accepted)."""
    if fmt in ("int32", "int64") and isinstance(value, int) and not isinstance(value, bool):
        bits = 31 if fmt == "int32" else 63
        return None if -(2**bits) <= value < 2**bits else f"out of the {fmt} range"
    if not isinstance(value, str):
        return None
    try:
        if fmt == "byte":
            base64.b64decode(value, validate=True)
        elif fmt == "ipv4":
            ipaddress.IPv4Address(value)
        elif fmt == "ipv6":
            ipaddress.IPv6Address(value)
        elif fmt == "cidr":
            ipaddress.ip_network(value, strict=False)
        elif fmt == "uuid":
            if not _UUID.match(value):
                raise ValueError(value)
        else:
            return None
    except (ValueError, binascii.Error):
        return f"must be of format {fmt}"
    return None


class _Walk:
    def __init__(self, quiet: bool, prune: bool = True) -> None:
        self.prune = prune
        """False: the CRD keeps unknown fields (``preserveUnknownFields``, the v1beta1 default)."""
        self.result = Result()
        self.quiet = quiet
        """Value validations only (an allOf/anyOf/oneOf/not branch): no unknown fields, no sites."""

    def fail(self, path: str, message: str, unknown: bool = False, wrong_type: bool = False) -> None:
        self.result.wrong_type = self.result.wrong_type or wrong_type
        if len(self.result.violations) >= MAX_VIOLATIONS:
            self.result.more += 1
        else:
            self.result.violations.append(Violation(path, message, unknown))

    def failed(self) -> bool:
        return bool(self.result.violations)

    def value(self, schema: Schema, value: Any, path: str) -> Any:
        """Validate ``value``; returns what CEL rules see of it."""
        if value is None:
            if not schema.nullable and (schema.type or schema.int_or_string):
                self.fail(
                    path,
                    f"Invalid value: null: must be of type {schema.type or 'integer or string'}",
                    wrong_type=True,
                )
            return None
        if schema.int_or_string:
            if json_type(value) not in ("integer", "string") or isinstance(value, float):
                self.fail(
                    path, f"Invalid value: {_show(value)}: must be an integer or a string", wrong_type=True
                )
                return value
        elif schema.type is not None and not _has_type(value, schema.type):
            self.fail(path, f"Invalid value: {_show(value)}: must be of type {schema.type}", wrong_type=True)
            return value
        self.scalar(schema, value, path)
        self.branches(schema, value, path)
        if isinstance(value, dict):
            return self.object(schema, value, path)
        if isinstance(value, list):
            return self.array(schema, value, path)
        if schema.type == "number" and isinstance(value, int):
            value = float(value)
        elif schema.type == "integer" and isinstance(value, float):
            value = int(value)  # 3.0 is an integer to the API server, and to CEL
        if schema.rules and not self.quiet:
            self.result.sites.append(Site(schema, value, path))
        return value

    def scalar(self, schema: Schema, value: Any, path: str) -> None:
        if schema.enum is not None and not any(_same(value, e) for e in schema.enum):
            allowed = ", ".join(_show(e) for e in schema.enum[:12]) + (
                ", ..." if len(schema.enum) > 12 else ""
            )
            self.fail(path, f"Unsupported value: {_show(value)}: supported values: {allowed}")
        if isinstance(value, str):
            length = len(value)
            if schema.min_length is not None and length < schema.min_length:
                self.fail(
                    path, f"Invalid value: {_show(value)}: should be at least {schema.min_length} chars long"
                )
            if schema.max_length is not None and length > schema.max_length:
                self.fail(path, f"Too long: may not be more than {schema.max_length} chars ({length})")
            if schema.pattern is not None and schema.pattern.search(value) is None:
                self.fail(path, f"Invalid value: {_show(value)}: should match '{schema.pattern_text}'")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            self.number(schema, value, path)
        if schema.format is not None and (problem := _format_problem(schema.format, value)) is not None:
            self.fail(path, f"Invalid value: {_show(value)}: {problem}")

    def number(self, schema: Schema, value: float, path: str) -> None:
        low, high = schema.minimum, schema.maximum
        if low is not None and (value < low or (schema.exclusive_minimum and value == low)):
            strict = "greater than" if schema.exclusive_minimum else "greater than or equal to"
            self.fail(path, f"Invalid value: {_show(value)}: should be {strict} {_num(low)}")
        if high is not None and (value > high or (schema.exclusive_maximum and value == high)):
            strict = "less than" if schema.exclusive_maximum else "less than or equal to"
            self.fail(path, f"Invalid value: {_show(value)}: should be {strict} {_num(high)}")
        if schema.multiple_of is not None:
            quotient = value / schema.multiple_of
            if not math.isfinite(quotient) or not float(quotient).is_integer():
                self.fail(
                    path, f"Invalid value: {_show(value)}: should be a multiple of {_num(schema.multiple_of)}"
                )

    def branches(self, schema: Schema, value: Any, path: str) -> None:
        if not (schema.all_of or schema.any_of or schema.one_of or schema.not_):
            return
        if schema.int_or_string and not (schema.all_of or schema.one_of or schema.not_):
            return  # anyOf [integer, string]: already checked
        for branch in schema.all_of:
            walk = _branch(branch, value, path)
            for violation in walk.result.violations:
                self.fail(violation.path, violation.message)
        if schema.any_of and not any(not _branch(b, value, path).failed() for b in schema.any_of):
            self.fail(path, f"Invalid value: {_show(value)}: must validate at least one schema (anyOf)")
        if schema.one_of:
            passing = sum(not _branch(b, value, path).failed() for b in schema.one_of)
            if passing != 1:
                self.fail(
                    path, f"Invalid value: {_show(value)}: must validate one and only one schema (oneOf)"
                )
        if schema.not_ is not None and not _branch(schema.not_, value, path).failed():
            self.fail(path, f"Invalid value: {_show(value)}: must not validate the schema (not)")

    def object(self, schema: Schema, value: dict[str, Any], path: str) -> Any:
        properties = schema.properties or {}
        given = dict(value)
        for key in [k for k, v in given.items() if v is None]:
            child = properties.get(key)
            if child is None:
                child = schema.additional if isinstance(schema.additional, Schema) else None
            if child is not None and not child.nullable:
                del given[key]  # the API server drops a non-nullable null (then defaults it)
        for key, default in schema.defaults:
            if key not in given:
                given[key] = copy.deepcopy(default)
        count = len(given)
        if schema.min_properties is not None and count < schema.min_properties:
            self.fail(
                path, f"Invalid value: {count}: should have at least {schema.min_properties} properties"
            )
        if schema.max_properties is not None and count > schema.max_properties:
            self.fail(path, f"Too many: {count}: must have at most {schema.max_properties} items")
        for key in schema.required:
            if key not in given:
                self.fail(join_path(path, key), "Required value")
        if schema.embedded:  # apiVersion and kind required (metadata is not), whatever properties say
            for key in ("apiVersion", "kind"):
                if key not in given:
                    self.fail(join_path(path, key), "Required value")
                elif not isinstance(given[key], str):
                    self.fail(join_path(path, key), f"Invalid value: {_show(given[key])}: must be a string")
                elif not given[key]:
                    self.fail(join_path(path, key), 'Invalid value: "": must not be empty')
        seen: dict[str, Any] = {}
        for key, item in given.items():
            child = properties.get(key)
            where = join_path(path, key)
            if child is not None:
                seen[cel_name(key) if properties else key] = self.value(child, item, where)
            elif isinstance(schema.additional, Schema):
                seen[key] = self.value(schema.additional, item, where)
            elif (
                schema.additional is True
                or schema.preserve_unknown
                or (schema.embedded and key in ("apiVersion", "kind", "metadata"))
            ):
                seen[key] = item
            elif self.prune and (schema.type == "object" or schema.properties is not None):
                if not self.quiet:
                    self.fail(where, _unknown(key, properties), unknown=True)
            else:
                seen[key] = item  # no structure declared (a value-only branch)
        if schema.rules and not self.quiet:
            self.result.sites.append(Site(schema, seen, path))
        return seen

    def array(self, schema: Schema, value: list[Any], path: str) -> Any:
        size = len(value)
        if schema.min_items is not None and size < schema.min_items:
            self.fail(path, f"Invalid value: {size}: should have at least {schema.min_items} items")
        if schema.max_items is not None and size > schema.max_items:
            self.fail(path, f"Too many: {size}: must have at most {schema.max_items} items")
        if schema.list_type == "set":
            self.unique(path, value, lambda item: item)
        elif schema.list_type == "map" and schema.list_map_keys:
            keys = schema.list_map_keys
            self.unique(path, value, lambda item: tuple(as_dict(item).get(k) for k in keys), keys)
        items = [
            self.value(schema.items, item, f"{path}[{i}]") if schema.items is not None else item
            for i, item in enumerate(value)
        ]
        if schema.rules and not self.quiet:
            self.result.sites.append(Site(schema, items, path))
        return items

    def unique(self, path: str, value: list[Any], key: Any, names: tuple[str, ...] = ()) -> None:
        seen: list[Any] = []
        for i, item in enumerate(value):
            identity = key(item)
            if any(_same(identity, other) for other in seen):
                shown = (
                    ", ".join(f"{n}={_show(v)}" for n, v in zip(names, identity, strict=True))
                    if names
                    else _show(identity)
                )
                self.fail(f"{path}[{i}]", f"Duplicate value: {shown}")
            else:
                seen.append(identity)


def _num(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def _unknown(key: str, known: Mapping[str, Schema]) -> str:
    import difflib  # only when a field is unknown (start-up)

    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.75)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"unknown field {_show(key)}: the API server drops it{hint}"


def _branch(schema: Schema, value: Any, path: str) -> _Walk:
    walk = _Walk(quiet=True)
    walk.value(schema, value, path)
    return walk


def validate(
    schema: Schema, obj: Mapping[str, Any], *, skip_status: bool = False, prune: bool = True
) -> Result:
    """``obj`` (a custom resource) against ``schema`` (its CRD version's), as a create request:
    ``apiVersion``, ``kind`` and ``metadata`` are the API server's, ``status`` is skipped when the
    CRD has a status subresource (``skip_status``: a create ignores it), unknown fields are kept
    without a word when the CRD does not prune (``prune`` False: ``preserveUnknownFields``)."""
    walk = _Walk(quiet=False, prune=prune)
    properties = dict(schema.properties or {})
    root = Schema(
        type="object",
        properties=properties,
        additional=schema.additional,
        required=tuple(r for r in schema.required if r not in ("apiVersion", "kind", "metadata")),
        preserve_unknown=schema.preserve_unknown,
        min_properties=None,
        rules=schema.rules,
        all_of=schema.all_of,
        any_of=schema.any_of,
        one_of=schema.one_of,
        not_=schema.not_,
    )
    root.properties = {k: v for k, v in properties.items() if k not in ("apiVersion", "kind", "metadata")}
    body = {k: v for k, v in obj.items() if k not in ("apiVersion", "kind", "metadata")}
    if skip_status:
        body.pop("status", None)
        root.properties.pop("status", None)
        root.required = tuple(r for r in root.required if r != "status")
    seen = walk.value(root, body, "")
    if not isinstance(seen, dict):
        return walk.result
    metadata = as_dict(obj.get("metadata"))
    shown_meta: dict[str, Any] = {}
    meta_schema = properties.get("metadata")
    for key in ("name", "generateName"):
        if key not in metadata:
            continue
        child = (meta_schema.properties or {}).get(key) if meta_schema is not None else None
        if child is not None:
            shown_meta[key] = walk.value(child, metadata[key], f"metadata.{key}")
        else:
            shown_meta[key] = metadata[key]
    seen = {"apiVersion": obj.get("apiVersion"), "kind": obj.get("kind"), "metadata": shown_meta, **seen}
    # The root's rules see the whole object: move its site (made on the body) to the full value.
    walk.result.sites = [Site(s.schema, seen, "") if s.schema is root else s for s in walk.result.sites]
    return walk.result
