"""A large pretty-printed JSON List is read by two processes, each half of its items
(:mod:`analyzer.load.parsers.json_halves`): exactly what one process reads, lines included, or
nothing (the caller then reads it whole, and reports any damage as always)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from test_json_stream import pods

from analyzer.load import load_inputs, sources
from analyzer.load.decode import DAMAGE
from analyzer.load.parsers import json_halves, json_text
from analyzer.load.parsers.json_halves import parse_json_halves

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forks")


@pytest.fixture(autouse=True)
def small(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small files take the large files' path: streamed, in halves, in small windows."""
    monkeypatch.setattr(sources, "STREAM_FROM", 1000)
    monkeypatch.setattr(json_halves, "SPLIT_FROM", 1000)
    monkeypatch.setattr(json_text, "WINDOW_CHARS", 3000)
    monkeypatch.setattr(json_text, "BATCH", 5)


def read(path: Path, jobs: int) -> tuple[list[tuple[object, object]], list[tuple[object, ...]], int]:
    result = load_inputs([str(path)], jobs=jobs)
    return (
        [(o.data, o.location) for o in result.objects],
        [(s.file, s.line, s.reason) for s in result.skipped],
        result.documents,
    )


@pytest.mark.parametrize(
    ("indent", "bom"), [(4, b""), (2, b""), (4, b"\xef\xbb\xbf")], ids=["kubectl", "indent-2", "bom"]
)
def test_halves_give_what_one_process_reads(tmp_path: Path, indent: int, bom: bytes) -> None:
    path = tmp_path / "pods.json"
    path.write_bytes(bom + (json.dumps(pods(701), indent=indent) + "\n").encode())
    halves = parse_json_halves(str(path), len(bom), "utf-8")
    assert halves is not None  # read in two halves, not handed back
    [doc] = halves
    with path.open("rb") as handle:
        handle.seek(len(bom))
        assert halves == json_text.parse_json_stream(handle, "utf-8")
    assert [item["metadata"]["name"] for item in doc.value["items"]] == [f"p{i}" for i in range(701)]
    assert read(path, jobs=2) == read(path, jobs=1)


def test_the_lines_are_those_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "pods.json"
    text = json.dumps(pods(300), indent=4) + "\n"
    path.write_text(text)
    lines = text.splitlines()
    result = load_inputs([str(path)], jobs=2)
    for obj in result.objects[::37] + result.objects[-1:]:
        assert obj.location is not None
        assert lines[obj.location.line - 1].strip() == '"apiVersion": "v1",'
        assert f'"name": "{obj.data["metadata"]["name"]}"' in "".join(
            lines[obj.location.line : obj.location.line + 4]
        )


@pytest.mark.parametrize("where", [0.3, 0.8], ids=["first half", "second half"])
def test_damage_in_either_half_is_reported_as_one_process_reports_it(tmp_path: Path, where: float) -> None:
    path = tmp_path / "pods.json"
    data = (json.dumps(pods(700), indent=4) + "\n").encode()
    at = data.index(b'"name": "p', int(len(data) * where))
    path.write_bytes(data[:at] + b"\0" * 12 + data[at + 12 :])
    assert parse_json_halves(str(path), 0, "utf-8") is None
    objects, skipped, _ = read(path, jobs=2)
    assert len(objects) == 699 and [reason for *_, reason in skipped] == [DAMAGE]
    assert read(path, jobs=2) == read(path, jobs=1)


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(pods(400), indent=4) + "\n" + json.dumps(pods(400), indent=4) + "\n",
        json.dumps(pods(700)),
        json.dumps(pods(700)["items"], indent=4),
        json.dumps({"kind": "List", "metadata": {"a": 1}, "items": pods(400)["items"]}, indent=4),
        json.dumps(pods(700), indent=4)[:-5000],
    ],
    ids=["two lists appended", "minified", "a bare array", "a mapping before the items", "truncated"],
)
def test_other_layouts_are_read_by_one_process(tmp_path: Path, text: str) -> None:
    path = tmp_path / "pods.json"
    path.write_text(text)
    assert parse_json_halves(str(path), 0, "utf-8") is None
    assert read(path, jobs=2) == read(path, jobs=1)


def test_the_copys_failure_costs_nothing_but_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "pods.json"
    path.write_text(json.dumps(pods(500), indent=4))
    monkeypatch.setattr(json_halves, "_copy", lambda *args: os._exit(1))
    assert parse_json_halves(str(path), 0, "utf-8") is None
    assert read(path, jobs=2) == read(path, jobs=1)
    with pytest.raises(ChildProcessError):  # no copy is left behind
        os.waitpid(-1, os.WNOHANG)


def test_one_job_reads_in_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "pods.json"
    path.write_text(json.dumps(pods(500), indent=4))
    monkeypatch.setattr(json_halves, "parse_json_halves", lambda *args: pytest.fail("read in halves"))
    monkeypatch.setattr("analyzer.load.parse_json_halves", lambda *args: pytest.fail("read in halves"))
    objects, skipped, _ = read(path, jobs=1)
    assert len(objects) == 500 and skipped == []


@pytest.mark.parametrize("refused", ["mmap", "fork"])
def test_without_shared_memory_or_a_process_it_reads_in_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refused: str
) -> None:
    """Overcommit refused, or no process left to fork: the file is still read, in one process."""
    path = tmp_path / "pods.json"
    path.write_text(json.dumps(pods(300), indent=4))

    def refuse(*args: object) -> None:
        raise OSError(12, "Cannot allocate memory")

    if refused == "mmap":
        monkeypatch.setattr(json_halves.mmap, "mmap", refuse)
    else:
        monkeypatch.setattr(json_halves.os, "fork", refuse)
    assert parse_json_halves(str(path), 0, "utf-8") is None
    objects, skipped, _ = read(path, jobs=2)
    assert len(objects) == 300 and skipped == []
