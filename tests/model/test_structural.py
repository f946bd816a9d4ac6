"""The structural-schema walker: what the API server refuses or prunes in a custom resource, at
which path, and what the CRD's CEL rules see (defaulted, pruned, names escaped)."""

from __future__ import annotations

from typing import Any

import yaml

from analyzer.model.structural import Violation, cel_name, compile_schema, validate

SCHEMA = yaml.safe_load(
    """
type: object
properties:
  metadata:
    type: object
    properties:
      name: {type: string, maxLength: 10}
      labels: {type: object, maxProperties: 0}
  spec:
    type: object
    properties:
      replicas: {type: integer, minimum: 1, maximum: 5, default: 1}
      ratio: {type: number, exclusiveMaximum: true, maximum: 1}
      size: {type: integer, format: int32}
      name: {type: string, minLength: 2, pattern: '^[a-z]+$'}
      ip: {type: string, format: ipv4}
      ports:
        type: array
        maxItems: 2
        items:
          type: object
          required: [port]
          properties:
            name: {type: string}
            port: {type: integer}
      labels:
        type: object
        additionalProperties: {type: string}
      free: {type: object, x-kubernetes-preserve-unknown-fields: true}
      choice:
        type: object
        properties:
          a: {type: string}
          b: {type: string}
        oneOf:
          - required: [a]
          - required: [b]
      dash-name: {type: string}
      namespace: {type: string}
"""
)


def problems(obj: dict[str, Any], schema: dict[str, Any] = SCHEMA) -> list[tuple[str, str]]:
    return [(v.path, v.message) for v in validate(compile_schema(schema), obj).violations]


def cr(spec: dict[str, Any], **metadata: Any) -> dict[str, Any]:
    return {
        "apiVersion": "example.com/v1",
        "kind": "Thing",
        "metadata": {"name": "t", **metadata},
        "spec": spec,
    }


def test_a_valid_resource_has_no_violation() -> None:
    spec = {"replicas": 3, "ratio": 0.5, "name": "web", "ports": [{"port": 80}], "labels": {"a": "b"}}
    assert problems(cr({**spec, "free": {"x": {"y": 1}}, "choice": {"a": "1"}, "size": 7})) == []


def test_types_bounds_and_formats_name_the_field() -> None:
    found = problems(
        cr(
            {
                "replicas": 9,
                "ratio": 1,
                "name": "Web",
                "size": 2**40,
                "ip": "10.0.0.300",
                "ports": [{}, {}, {}],
            }
        )
    )
    assert found == [
        ("spec.replicas", "Invalid value: 9: should be less than or equal to 5"),
        ("spec.ratio", "Invalid value: 1: should be less than 1"),
        ("spec.name", "Invalid value: \"Web\": should match '^[a-z]+$'"),
        ("spec.size", "Invalid value: 1099511627776: out of the int32 range"),
        ("spec.ip", 'Invalid value: "10.0.0.300": must be of format ipv4'),
        ("spec.ports", "Too many: 3: must have at most 2 items"),
        ("spec.ports[0].port", "Required value"),
        ("spec.ports[1].port", "Required value"),
        ("spec.ports[2].port", "Required value"),
    ]


def test_a_map_value_and_a_key_that_is_not_a_name_are_bracketed() -> None:
    assert problems(cr({"labels": {"app.kubernetes.io/name": 3}})) == [
        ('spec.labels["app.kubernetes.io/name"]', "Invalid value: 3: must be of type string")
    ]


def test_an_unknown_field_is_pruned_with_the_closest_name() -> None:
    result = validate(compile_schema(SCHEMA), cr({"replica": 2, "zzz": 1}))
    assert result.violations == [
        Violation(
            "spec.replica", 'unknown field "replica": the API server drops it (did you mean replicas?)', True
        ),
        Violation("spec.zzz", 'unknown field "zzz": the API server drops it', True),
    ]


def test_one_of_needs_exactly_one_branch() -> None:
    assert problems(cr({"choice": {"a": "1", "b": "2"}})) == [
        ("spec.choice", "Invalid value: an object: must validate one and only one schema (oneOf)")
    ]
    assert problems(cr({"choice": {}})) == [
        ("spec.choice", "Invalid value: an object: must validate one and only one schema (oneOf)")
    ]


def test_metadata_is_the_api_servers_except_name_constraints() -> None:
    # labels is not checked against the schema's maxProperties: ObjectMeta is the server's own.
    assert problems(cr({}, labels={"a": "b"}, annotations={"x": "y"})) == []
    assert problems({**cr({}), "metadata": {"name": "much-too-long-name"}}) == [
        ("metadata.name", "Too long: may not be more than 10 chars (18)")
    ]


def test_a_null_in_a_non_nullable_field_is_dropped_then_defaulted() -> None:
    schema = {
        "type": "object",
        "properties": {
            "spec": {
                "type": "object",
                "required": ["mode"],
                "x-kubernetes-validations": [{"rule": "true"}],
                "properties": {
                    "mode": {"type": "string", "default": "fast"},
                    "note": {"type": "string"},
                    "ratio": {"type": "number"},
                    "dash-name": {"type": "string"},
                    "namespace": {"type": "string"},
                },
            }
        },
    }
    result = validate(
        compile_schema(schema),
        cr({"mode": None, "note": None, "ratio": 1, "dash-name": "x", "namespace": "n"}),
    )
    assert result.violations == []
    (site,) = result.sites
    assert site.path == "spec"
    assert site.value == {"mode": "fast", "ratio": 1.0, "dash__dash__name": "x", "__namespace__": "n"}
    assert isinstance(site.value["ratio"], float)


def test_root_rules_see_the_object_with_name_only_in_metadata() -> None:
    schema = {"type": "object", "x-kubernetes-validations": [{"rule": "true"}], "properties": {"spec": {}}}
    result = validate(compile_schema(schema), cr({"a": 1}, labels={"x": "y"}))
    (site,) = result.sites
    assert site.path == ""
    assert site.value["metadata"] == {"name": "t"}
    assert site.value["spec"] == {"a": 1}


def test_status_is_skipped_with_a_status_subresource() -> None:
    schema = {
        "type": "object",
        "properties": {"status": {"type": "object", "properties": {"ok": {"type": "boolean"}}}},
    }
    obj = {**cr({}), "status": {"ok": "yes"}}
    assert problems(obj, schema) == [
        ("spec", 'unknown field "spec": the API server drops it'),
        ("status.ok", 'Invalid value: "yes": must be of type boolean'),
    ]
    assert [v.path for v in validate(compile_schema(schema), obj, skip_status=True).violations] == ["spec"]


def test_a_pattern_re2_refuses_is_a_problem_not_an_exception() -> None:
    schema = compile_schema(
        {"type": "object", "properties": {"spec": {"type": "string", "pattern": "(?<=a)b"}}}
    )
    assert schema.problems == ["spec: pattern '(?<=a)b' is not an RE2 expression"]
    assert validate(schema, {"spec": "b"}).violations == []


def test_bad_input_never_raises() -> None:
    for schema in (None, [], {"type": 3, "properties": [], "items": "x", "required": "a"}, {"enum": 5}):
        for obj in ({}, {"spec": None}, {"spec": [1, {"a": None}]}, {"metadata": "x"}):
            validate(compile_schema(schema), obj)


def test_cel_names_are_escaped_as_kubernetes_does() -> None:
    assert [cel_name(n) for n in ("a-b", "a.b", "a/b", "a__b", "namespace", "plain", "x y")] == [
        "a__dash__b",
        "a__dot__b",
        "a__slash__b",
        "a__underscores__b",
        "__namespace__",
        "plain",
        "x y",
    ]
