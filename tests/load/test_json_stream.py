"""Large JSON files are read window by window, and pretty-printed arrays decoded in batches:
both must give exactly what decoding the whole text at once gives, lines included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analyzer.load import load_inputs, parsers, sources
from analyzer.load.decode import DAMAGE
from analyzer.load.parsers import json_text


def pods(n: int) -> dict[str, object]:
    items = [
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": f"p{i}", "namespace": "ns", "labels": {"app": f"a{i % 7}"}},
            "spec": {
                "containers": [{"name": "c", "image": "nginx", "args": ["x" * (i % 50), "}", "\n        }"]}]
            },
        }
        for i in range(n)
    ]
    return {"apiVersion": "v1", "kind": "List", "items": items, "metadata": {"resourceVersion": ""}}


def located(path: Path) -> list[tuple[str, int | None, object]]:
    result = load_inputs([str(path)])
    assert result.skipped == []
    return [(o.data["metadata"]["name"], o.location.line, o.data["spec"]) for o in result.objects]


@pytest.mark.parametrize("indent", [4, 2, None], ids=["kubectl", "indent-2", "minified"])
def test_streamed_and_batched_json_equals_whole_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, indent: int | None
) -> None:
    path = tmp_path / "pods.json"
    path.write_text(json.dumps(pods(700), indent=indent) + "\n")
    whole = located(path)
    # the expected lines, found independently: each item's "apiVersion" key, in order
    if indent:
        expected = [
            n + 1
            for n, line in enumerate(path.read_text().splitlines())
            if line.strip().startswith('"apiVersion": "v1",') and line.startswith(" " * (2 * indent + indent))
        ]
        assert [line for _, line, _ in whole] == expected
    monkeypatch.setattr(sources, "STREAM_FROM", 1000)
    monkeypatch.setattr(json_text, "WINDOW_CHARS", 3000)
    monkeypatch.setattr(json_text, "BATCH", 5)
    assert located(path) == whole


def test_a_truncated_streamed_file_keeps_the_lines_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cut.json"
    text = json.dumps(pods(50), indent=4)
    path.write_text(text[: len(text) // 2])
    monkeypatch.setattr(sources, "STREAM_FROM", 1000)
    monkeypatch.setattr(json_text, "WINDOW_CHARS", 2000)
    result = load_inputs([str(path)])
    [skip] = result.skipped
    assert skip.reason.startswith("invalid JSON") and "truncated" in skip.reason
    assert skip.line == text[: len(text) // 2].count("\n") + 1


@pytest.mark.parametrize("streamed", [False, True], ids=["whole", "streamed"])
@pytest.mark.parametrize("damaged", [[3], [0, 699], [100, 101, 350]], ids=["one", "first-last", "three"])
def test_damaged_items_are_stepped_over_in_both_modes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, streamed: bool, damaged: list[int]
) -> None:
    """A run of NUL bytes inside an item (a crashed disk) costs that item only, whether the file
    is decoded whole or window by window, batched or not; each damaged item is one skipped entry
    at the line of its damage."""
    path = tmp_path / "pods.json"
    text = json.dumps(pods(700), indent=4) + "\n"
    path.write_text(text)
    clean = {name: line for name, line, _ in located(path)}
    data = text.encode()
    lines = []
    for index in damaged:
        at = data.index(f'"name": "p{index}"'.encode())
        lines.append(data.count(b"\n", 0, at) + 1)
        data = data[:at] + b"\0" * 12 + data[at + 12 :]
    path.write_bytes(data)
    if streamed:
        monkeypatch.setattr(sources, "STREAM_FROM", 1000)
        monkeypatch.setattr(json_text, "WINDOW_CHARS", 3000)
        monkeypatch.setattr(json_text, "BATCH", 5)
    result = load_inputs([str(path)])
    assert [(s.line, s.reason) for s in result.skipped] == [(line, DAMAGE) for line in lines]
    kept = {o.data["metadata"]["name"]: o.location.line for o in result.objects}
    assert kept == {name: line for name, line in clean.items() if int(name[1:]) not in damaged}


def test_damaged_json_is_not_read_again_as_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """YAML refuses NUL bytes: a damaged JSON dump is not parsed a second time (PyYAML reads
    about 1 MB/s), and keeps what the JSON parser kept."""
    text = json.dumps(pods(50), indent=4).encode()
    at = text.index(b'"name": "p7"')
    path = tmp_path / "pods.json"
    path.write_bytes(text[:at] + b"\0" * 12 + text[at + 12 :])
    monkeypatch.setattr(parsers, "parse_yaml", lambda text: pytest.fail("read again as YAML"))
    result = load_inputs([str(path)])
    assert len(result.objects) == 49 and [s.reason for s in result.skipped] == [DAMAGE]
