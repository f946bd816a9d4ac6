"""JSON: kubectl's indented Lists with each item's own line, bare arrays, streams of values,
and what happens when JSON fails."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import load_text

from analyzer.load import LoadResult


def pod(name: str) -> dict[str, object]:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": {"containers": []}}


def test_list_items_are_located_at_their_first_key_as_kubectl_indents_them(tmp_path: Path) -> None:
    items = [pod("p0"), pod("p1"), pod("p2")]
    text = json.dumps({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {}}, indent=4)
    result = load_json(tmp_path, text)
    assert text.splitlines()[4] == '            "apiVersion": "v1",'  # line 5: the first item's first key
    assert [(o.data["metadata"]["name"], o.location.line) for o in result.objects] == [
        ("p0", 5),
        ("p1", 15),
        ("p2", 25),
    ]
    assert result.documents == 1 and result.skipped == []


def test_typed_list_items_get_kind_and_api_version(tmp_path: Path) -> None:
    text = json.dumps(
        {
            "kind": "PodList",
            "apiVersion": "v1",
            "items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}],
        },
        indent=2,
    )
    result = load_json(tmp_path, text)
    assert [(o.data["apiVersion"], o.data["kind"], o.location.line) for o in result.objects] == [
        ("v1", "Pod", 6),
        ("v1", "Pod", 11),
    ]


def test_a_bare_array_is_read_like_list_items(tmp_path: Path) -> None:
    text = '[\n  {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"}},\n\n'
    text += '  {\n    "apiVersion": "v1", "kind": "Node", "metadata": {"name": "n2"}}\n]\n'
    result = load_json(tmp_path, text)
    assert [(o.data["metadata"]["name"], o.location.line) for o in result.objects] == [("n1", 2), ("n2", 5)]
    assert result.documents == 1


def test_values_one_after_the_other_are_documents(tmp_path: Path) -> None:
    text = json.dumps(pod("a"), indent=2) + "\n" + json.dumps(pod("b"), indent=2) + "\n"
    result = load_json(tmp_path, text)
    assert [(o.data["metadata"]["name"], o.location.line) for o in result.objects] == [("a", 2), ("b", 12)]
    assert result.documents == 2


def test_a_truncated_file_keeps_what_came_before_and_names_the_line(tmp_path: Path) -> None:
    text = json.dumps(pod("whole"), indent=2) + "\n" + json.dumps(pod("cut"), indent=2)[:60]
    result = load_json(tmp_path, text)
    assert [o.data["metadata"]["name"] for o in result.objects] == ["whole"]
    [skip] = result.skipped
    assert (
        skip.reason
        == "invalid JSON: Expecting property name enclosed in double quotes (the text ends: truncated?)"
    )
    assert (skip.line, len(text.splitlines())) == (15, 15)


def test_json_that_fails_is_read_as_yaml(tmp_path: Path) -> None:
    text = "{\n  # written by hand\n  'apiVersion': 'v1', kind: ConfigMap,\n  metadata: {name: hand},\n}\n"
    result = load_json(tmp_path, text)
    assert [(o.data["metadata"]["name"], o.location.line) for o in result.objects] == [("hand", 3)]


def test_json_that_is_not_yaml_either_reports_the_json_error(tmp_path: Path) -> None:
    result = load_json(tmp_path, '{"apiVersion": "v1",\n "kind": "Pod"\n "metadata": {"name": "x"}}\n')
    assert result.objects == []
    assert [(s.line, s.reason) for s in result.skipped] == [(3, "invalid JSON: Expecting ',' delimiter")]


def test_a_stray_character_after_a_complete_value_keeps_the_value(tmp_path: Path) -> None:
    result = load_json(tmp_path, '{"apiVersion": "v1",\n "kind": "Pod",\n "metadata": {"name": "x"}}\n}\n')
    assert [o.data["metadata"]["name"] for o in result.objects] == ["x"]
    assert [(s.line, s.reason) for s in result.skipped] == [(4, "invalid JSON: Expecting value")]


def test_json_looking_yaml_file_is_parsed_as_json(tmp_path: Path) -> None:
    text = '\n  {"kind": "ConfigMap", "apiVersion": "v1",\n   "metadata": {"name": "j"}}'
    result = load_json(tmp_path, text, "looks-like.yaml")
    assert [(o.data["metadata"]["name"], o.location.line) for o in result.objects] == [("j", 2)]


def test_too_deep_json_is_skipped(tmp_path: Path) -> None:
    result = load_json(tmp_path, '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert result.objects == []
    [skip] = result.skipped
    assert skip.line == 1 and skip.reason in ("document nested too deeply",)


def load_json(tmp_path: Path, text: str, name: str = "in.json") -> LoadResult:
    return load_text(tmp_path, text, name)
