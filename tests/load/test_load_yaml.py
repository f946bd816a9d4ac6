"""YAML: first-key lines, safe_load semantics with Kubernetes' strings, recovery after a broken
document, and the guards against alias bombs and deep nesting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import CORPUS, CORPUS_REQUIRED, load_text

from analyzer.load import LoadResult, load_inputs, yaml_backend

needs_corpus = CORPUS_REQUIRED


def where(result: LoadResult) -> list[tuple[str, str, int | None]]:
    return [(o.data["kind"], o.data["metadata"]["name"], o.location.line) for o in result.objects]


def skips(result: LoadResult) -> list[tuple[int | None, str]]:
    return [(s.line, s.reason) for s in result.skipped]


def test_each_object_is_located_at_its_first_key(tmp_path: Path) -> None:
    result = load_text(
        tmp_path,
        "# leading comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n\n"
        "# about b\nkind: Secret\napiVersion: v1\nmetadata:\n  name: b\n---\n---\n"
        "--- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}\n",
    )
    assert where(result) == [("ConfigMap", "a", 3), ("Secret", "b", 9), ("ConfigMap", "c", 15)]
    assert result.documents == 3  # the empty documents are not counted
    assert result.skipped == []


def test_timestamps_stay_strings_and_the_rest_is_yaml_1_1(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  creationTimestamp: 2025-06-02T09:14:07Z\n"
        "  annotations: {day: 2024-01-31, plain: '='}\n"
        "data:\n  on: yes\n  port: 0755\n  hex: 0x1F\n  ratio: 1.5\n  nothing: ~\n  anchor: &x hello\n"
        "  alias: *x\n  base: &b {k: 1}\n  merged: {<<: *b, j: 2}\n  eq: =\n"
    )
    [obj] = load_text(tmp_path, text).objects
    assert obj.data["metadata"]["creationTimestamp"] == "2025-06-02T09:14:07Z"
    assert obj.data["metadata"]["annotations"] == {"day": "2024-01-31", "plain": "="}
    assert obj.data["data"] == {
        True: True,
        "port": 493,
        "hex": 31,
        "ratio": 1.5,
        "nothing": None,
        "anchor": "hello",
        "alias": "hello",
        "base": {"k": 1},
        "merged": {"k": 1, "j": 2},
        "eq": "=",
    }


@needs_corpus
def test_the_equals_scalar_pyyaml_rejects_is_the_string_equals() -> None:
    path = CORPUS / "kube-prometheus/manifests/setup/0alertmanagerConfigCustomResourceDefinition.yaml"
    result = load_inputs([str(path)])
    assert result.skipped == []
    [crd] = result.objects
    assert (crd.data["kind"], crd.data["metadata"]["name"], crd.location.line) == (
        "CustomResourceDefinition",
        "alertmanagerconfigs.monitoring.coreos.com",
        1,
    )
    assert '["!=", "=", "=~", "!~"]' in json.dumps(crd.data)


def test_a_broken_document_between_two_good_ones(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: first}\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [broken\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: last}\n"
    )
    result = load_text(tmp_path, text)
    assert where(result) == [("ConfigMap", "first", 1), ("ConfigMap", "last", 9)]
    # PyYAML notices the unclosed '[' at the next '---': reported on the broken document's last line.
    assert skips(result) == [
        (7, "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)")
    ]
    assert result.documents == 2


def test_every_good_document_after_several_broken_ones_is_read(tmp_path: Path) -> None:
    good = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\n"
    text = "---\n".join(
        [
            good % "a",
            "a: b: c\n",
            good % "b",
            "key: 'unclosed\n",
            "# nothing\n",
            good % "c",
            "x: *nope\n",
            good % "d",
        ]
    )
    result = load_text(tmp_path, text)
    assert [name for _, name, _ in where(result)] == ["a", "b", "c", "d"]
    assert skips(result) == [
        (5, "invalid YAML: mapping values are not allowed in this context"),
        (11, "invalid YAML: found unexpected end of stream (while scanning a quoted scalar)"),
        (19, "invalid YAML: found undefined alias (a plain value starting with '*' must be quoted)"),
    ]


def test_a_forbidden_character_costs_only_its_own_document(tmp_path: Path) -> None:
    # libyaml refuses a control character before reading any document of the stream.
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nx: \x07\n---\n" + (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n"
    )
    result = load_text(tmp_path, text)
    assert [name for _, name, _ in where(result)] == ["a", "b"]
    assert skips(result) == [
        (5, "invalid YAML: unacceptable character #x0007: control characters are not allowed")
    ]


def test_a_value_that_does_not_fit_its_tag_is_reported_without_the_value(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {pw: !!float hunter2}\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: next}\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tagged}\ndata: {x: !vault abc}\n"
    )
    result = load_text(tmp_path, text)
    assert where(result) == [("ConfigMap", "next", 6)]
    assert skips(result) == [
        (1, "invalid YAML: a value does not fit its tag (ValueError)"),
        (13, "invalid YAML: could not determine a constructor for the tag '!vault'"),
    ]
    assert "hunter2" not in repr(result)


def test_billion_laughs_is_refused_before_it_is_built(tmp_path: Path) -> None:
    lines = [
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata: {name: lol}",
        'l0: &l0 ["lol","lol","lol","lol"]',
    ]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
    text = "\n".join(lines) + "\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: after}\n"
    result = load_text(tmp_path, text)
    assert where(result) == [("ConfigMap", "after", 15)]
    assert skips(result) == [(1, "too many aliases (billion-laughs guard)")]


def test_the_guard_counts_what_aliases_add_not_the_size_of_the_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yaml_backend, "MAX_ALIAS_NODES", 20)
    big = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n" + "".join(
        f"  k{i}: v\n" for i in range(50)
    )
    small_alias = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: small, labels: &l {a: b}}\nx: *l\n"
    ten_keys = ", ".join(f"k{i}: v" for i in range(10))
    big_alias = (
        f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: big-alias}}\nb: &b {{{ten_keys}}}\nc: *b\n"
    )
    result = load_text(tmp_path, "---\n".join([big, small_alias, big_alias]))
    assert [o.data["metadata"]["name"] for o in result.objects] == ["big", "small"]
    assert skips(result) == [(61, "too many aliases (billion-laughs guard)")]


def test_many_small_aliases_are_fine(tmp_path: Path) -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok, labels: &l {a: b}}\n"
    text += "".join(f"x{i}: *l\n" for i in range(1000))
    [obj] = load_text(tmp_path, text).objects
    assert obj.data["x999"] == {"a": "b"}


def test_a_document_that_contains_itself_is_refused(tmp_path: Path) -> None:
    result = load_text(tmp_path, "apiVersion: v1\nkind: ConfigMap\nmetadata: &m {name: loop, self: *m}\n")
    assert result.objects == []
    assert skips(result) == [(1, "an alias refers to a node that contains it (recursive document)")]


def test_deep_nesting_is_a_skipped_document_not_a_crash(tmp_path: Path) -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nx: " + "[" * 5000 + "]" * 5000 + "\n"
    result = load_text(tmp_path, text)
    assert where(result) == [("ConfigMap", "a", 1)]
    [skip] = result.skipped
    assert skip.line == 5 and skip.reason.startswith("invalid YAML: exceeded maximum nesting depth")


def test_the_pure_python_parser_gives_the_same_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class PurePythonLoader(yaml.SafeLoader):
        """PyYAML's pure-Python parser, with kubesnap's constructors copied in below."""

    for tag, constructor in yaml_backend.KubeLoader.yaml_constructors.items():
        PurePythonLoader.add_constructor(tag, constructor)
    monkeypatch.setattr(yaml_backend, "KubeLoader", PurePythonLoader)
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, creationTimestamp: 2025-01-01T00:00:00Z}\n"
        "data: {eq: =}\n---\nx: " + "[" * 3000 + "]" * 3000 + "\n---\nname: *secret-ish\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n"
    )
    result = load_text(tmp_path, text)
    assert where(result) == [("ConfigMap", "a", 1), ("ConfigMap", "b", 10)]
    assert result.objects[0].data["metadata"]["creationTimestamp"] == "2025-01-01T00:00:00Z"
    assert result.objects[0].data["data"] == {"eq": "="}
    assert skips(result) == [
        (6, "document nested too deeply"),
        (8, "invalid YAML: found undefined alias (a plain value starting with '*' must be quoted)"),
    ]


def test_merge_keys_do_not_move_list_item_lines(tmp_path: Path) -> None:
    text = """apiVersion: v1
kind: List
defaults: &d {apiVersion: v1, kind: ConfigMap}
items:
- <<: *d
  metadata: {name: a}
- metadata: {name: b}
  <<: *d
"""
    assert where(load_text(tmp_path, text)) == [("ConfigMap", "a", 5), ("ConfigMap", "b", 7)]
