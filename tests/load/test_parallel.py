"""Several files parsed by two processes give exactly what one process gives, in input order."""

from __future__ import annotations

from pathlib import Path

import pytest

import analyzer.load as load

GOOD = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s, namespace: ns%d}\ndata: {k: v}\n"


def test_two_processes_read_like_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(12):
        docs = [GOOD % (f"cm{i}-{j}", i % 3) for j in range(20)]
        if i == 5:
            docs.insert(3, "a: b: c\n")  # a broken document in the middle of one file
        (tmp_path / f"f{i:02}.yaml").write_text("---\n".join(docs))
    (tmp_path / "bin.yaml").write_bytes(b"\x00\x01binary")
    monkeypatch.setattr(load, "PARALLEL_FROM", 1)

    def outcome(jobs: int) -> tuple[object, ...]:
        result = load.load_inputs([str(tmp_path)], jobs=jobs)
        objects = [(o.data["metadata"]["name"], o.location) for o in result.objects]
        return objects, result.skipped, result.files, result.documents

    one, two = outcome(1), outcome(2)
    assert one == two
    objects, skipped, files, _ = two
    assert len(objects) == 240 and objects[0][0] == "cm0-0" and objects[-1][0] == "cm11-19"
    assert [(s.file.rsplit("/", 1)[-1], s.line) for s in skipped] == [("bin.yaml", None), ("f05.yaml", 16)]
    assert files[0].endswith("bin.yaml") and len(files) == 13
