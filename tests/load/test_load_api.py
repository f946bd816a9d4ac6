"""The public face of the load stage: what it exports, the order it keeps, and the promise that
nothing ever raises."""

from __future__ import annotations

from pathlib import Path

import pytest

import analyzer.load
from analyzer.load import LoadResult, Location, RawObject, Skipped, load_inputs, sources, types

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\n"


def test_public_api() -> None:
    assert sorted(analyzer.load.__all__) == [
        "LoadResult",
        "Location",
        "Progress",
        "RawObject",
        "Skipped",
        "load_inputs",
        "load_named",
    ]
    assert (LoadResult, Location, RawObject, Skipped) == (
        types.LoadResult,
        types.Location,
        types.RawObject,
        types.Skipped,
    )


def test_order_is_input_then_document_then_item(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text(
        CM % "b1" + "---\n" + "kind: List\napiVersion: v1\nitems:\n- " + CM.replace("\n", "\n  ") % "b2"
    )
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "z.yaml").write_text(CM % "a-z")
    (tmp_path / "a" / "y.json").write_text(
        '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a-y"}}'
    )
    result = load_inputs([str(tmp_path / "b.yaml"), str(tmp_path / "a")])
    assert [o.data["metadata"]["name"] for o in result.objects] == ["b1", "b2", "a-y", "a-z"]
    assert [(Path(o.location.file).name, o.location.line) for o in result.objects] == [
        ("b.yaml", 1),
        ("b.yaml", 8),
        ("y.json", 1),
        ("z.yaml", 1),
    ]


def test_an_internal_error_costs_one_file_and_says_so(boom_when_read: Path) -> None:
    result = load_inputs([str(boom_when_read)])
    assert [o.data["metadata"]["name"] for o in result.objects] == ["a"]
    assert [(Path(s.file).name, s.line, s.reason) for s in result.skipped] == [
        ("boom.yaml", None, "internal error while reading (RuntimeError)")
    ]


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "big.yaml").write_text(CM % "big")
    monkeypatch.setattr(sources, "MAX_FILE_BYTES", 10)
    [skip] = load_inputs([str(tmp_path / "big.yaml")]).skipped
    assert skip.reason == "file larger than 10 bytes: not read (raise the limit with --max-file-size)"


def test_a_big_broken_json_file_is_not_tried_as_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "{'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'single-quoted'}}\n"
    (tmp_path / "in.json").write_text(text)
    assert [o.data["metadata"]["name"] for o in load_inputs([str(tmp_path / "in.json")]).objects] == [
        "single-quoted"
    ]
    monkeypatch.setattr(analyzer.load.parsers, "JSON_AS_YAML_MAX", 10)
    result = load_inputs([str(tmp_path / "in.json")])
    assert [(s.line, s.reason) for s in result.skipped] == [
        (1, "invalid JSON: Expecting property name enclosed in double quotes")
    ]


def test_files_in_memory_are_read_under_their_names() -> None:
    loaded = analyzer.load.load_named(
        [("k8s/b.yaml", (CM % "b1" + "---\n" + CM % "b2").encode()), ("a.yaml", b"\xff\xfe\x00oops: [")]
    )
    assert [(o.data["metadata"]["name"], o.location) for o in loaded.objects] == [
        ("b1", Location("k8s/b.yaml", 1)),
        ("b2", Location("k8s/b.yaml", 5)),
    ]
    assert loaded.files == ["k8s/b.yaml", "a.yaml"]
    assert [s.file for s in loaded.skipped] == ["a.yaml"]
