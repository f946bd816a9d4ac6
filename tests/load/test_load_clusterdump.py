"""``kubectl cluster-info dump --output-directory``: typed Lists per namespace, and the tail of
each pod's ``logs.txt``."""

from __future__ import annotations

import json
from pathlib import Path

from analyzer.load import load_inputs
from analyzer.model import build_snapshot


def write_dump(root: Path) -> None:
    (root / "shop" / "api-1").mkdir(parents=True)
    (root / "nodes.json").write_text(
        json.dumps(
            {"kind": "NodeList", "apiVersion": "v1", "items": [{"metadata": {"name": "n1"}}]}, indent=4
        )
    )
    (root / "shop" / "pods.json").write_text(
        json.dumps(
            {
                "kind": "PodList",
                "apiVersion": "v1",
                "items": [{"metadata": {"name": "api-1", "namespace": "shop"}}],
            },
            indent=4,
        )
    )
    (root / "shop" / "api-1" / "logs.txt").write_bytes(
        b"".join(b"line %d\n" % i for i in range(100)) + b"bad byte \xff\n"
    )
    (root / "shop" / "api-1" / "other.txt").write_text("not read")
    (root / "logs.txt").write_text("no namespace/pod shape: not read")


def test_dump_objects_and_log_tails(tmp_path: Path) -> None:
    write_dump(tmp_path / "dump")
    result = load_inputs([str(tmp_path / "dump")])
    assert [(o.data["kind"], o.data["metadata"]["name"], o.location.line) for o in result.objects] == [
        ("Node", "n1", 6),
        ("Pod", "api-1", 6),
    ]
    tail = result.logs[("shop", "api-1")]
    lines = tail.split("\n")
    assert len(lines) == 50 and lines[0] == "line 51" and lines[-1] == "bad byte \ufffd"
    assert list(result.logs) == [("shop", "api-1")]
    dump = str(tmp_path / "dump")
    assert result.files == [f"{dump}/nodes.json", f"{dump}/shop/api-1/logs.txt", f"{dump}/shop/pods.json"]
    assert result.skipped == [] and result.documents == 2


def test_the_model_finds_the_log_of_a_pod(tmp_path: Path) -> None:
    write_dump(tmp_path)
    result = load_inputs([str(tmp_path)])
    snapshot = build_snapshot(result)
    [pod] = [o for o in snapshot.objects if o.ref.kind == "Pod"]
    assert snapshot.log_tail(pod) == result.logs[("shop", "api-1")]


def test_a_log_given_by_name_is_read_as_a_manifest(tmp_path: Path) -> None:
    (tmp_path / "ns" / "pod").mkdir(parents=True)
    (tmp_path / "ns" / "pod" / "logs.txt").write_text("started\n")
    result = load_inputs([str(tmp_path / "ns" / "pod" / "logs.txt")])
    assert result.logs == {}
    assert [s.reason for s in result.skipped] == ["not a Kubernetes object: the document is a string"]


def test_only_the_end_of_a_big_log_is_read(tmp_path: Path) -> None:
    log = tmp_path / "ns" / "pod" / "logs.txt"
    log.parent.mkdir(parents=True)
    log.write_bytes(b"x" * 1_000_000 + b"\n" + b"".join(b"%d\n" % i for i in range(60)))
    tail = load_inputs([str(tmp_path)]).logs[("ns", "pod")]
    assert tail.split("\n") == [str(i) for i in range(10, 60)]
