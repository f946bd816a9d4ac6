"""The loader: every input shape, exact lines, and bad input as normal input."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from conftest import CORPUS, needs_corpus

from analyzer.load import load_inputs
from analyzer.load.types import LoadResult
from analyzer.model import build_snapshot


def load_text(tmp_path: Path, text: str, name: str = "in.yaml") -> LoadResult:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_inputs([str(path)])


def where(result: LoadResult) -> list[tuple[str, str, int | None]]:
    return [(o.data["kind"], o.data["metadata"]["name"], o.location.line) for o in result.objects]


def test_multi_document_lines_are_each_first_key(tmp_path: Path) -> None:
    result = load_text(
        tmp_path,
        "# leading comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n\n"
        "kind: Secret\napiVersion: v1\nmetadata:\n  name: b\n---\n",
    )
    assert where(result) == [("ConfigMap", "a", 3), ("Secret", "b", 8)]
    assert result.documents == 2 and result.skipped == []


def test_list_and_typed_list_items_have_own_lines_and_kinds(tmp_path: Path) -> None:
    text = """apiVersion: v1
items:
- apiVersion: v1
  kind: Pod
  metadata:
    name: p1
- metadata:
    name: p2
  apiVersion: v1
kind: PodList
metadata:
  resourceVersion: ""
---
apiVersion: v1
kind: LimitRangeList
items: null
"""
    result = load_text(tmp_path, text)
    assert where(result) == [("Pod", "p1", 3), ("Pod", "p2", 7)]
    assert result.skipped == []


def test_plain_list_item_without_kind_is_skipped_with_its_line(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n"
        "  metadata: {name: ok}\n- metadata: {name: nokind}\n"
    )
    result = load_text(tmp_path, text)
    assert where(result) == [("Pod", "ok", 4)]
    # The item inherits the List's apiVersion, but a plain List gives no kind.
    assert [(s.line, s.reason) for s in result.skipped] == [(7, "not a Kubernetes object: no kind")]


def test_json_list_items_lines_as_kubectl_writes_them(tmp_path: Path) -> None:
    items = [{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"p{i}"}} for i in range(3)]
    text = json.dumps({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {}}, indent=4)
    result = load_text(tmp_path, text, "pods.json")
    lines = text.splitlines()
    expected = [i + 1 for i, line in enumerate(lines) if line == '            "apiVersion": "v1",']
    assert [o.location.line for o in result.objects] == expected
    assert len(expected) == 3


def test_bare_json_array_and_invalid_json(tmp_path: Path) -> None:
    result = load_text(
        tmp_path, '[\n {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n"}}\n]', "a.json"
    )
    assert where(result) == [("Node", "n", 2)]
    bad = load_text(tmp_path, '{"apiVersion": "v1",\n "kind": "Pod"', "b.json")
    assert bad.objects == []
    assert [(s.file.endswith("b.json"), s.line) for s in bad.skipped] == [(True, 2)]
    assert bad.skipped[0].reason.startswith("invalid JSON")


def test_bad_document_between_good_ones(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: first}\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [broken\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: last}\n"
    )
    result = load_text(tmp_path, text)
    assert where(result) == [("ConfigMap", "first", 1), ("ConfigMap", "last", 9)]
    [skip] = result.skipped
    assert skip.line == 8 and skip.reason.startswith("invalid YAML")


def test_non_objects_are_skipped_with_reasons(tmp_path: Path) -> None:
    text = (
        "- a\n- b\n---\njust a string\n---\napiVersion: v1\nkind: Pod\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata: {generateName: web-}\n---\n"
        "apiVersion: v1\nkind: Pod\nmetadata: [x]\n---\n# only a comment\n"
    )
    result = load_text(tmp_path, text)
    assert result.objects == []
    assert [(s.line, s.reason) for s in result.skipped] == [
        (1, "2 list items skipped (not a Kubernetes object: a list item is a string)"),
        (4, "not a Kubernetes object: the document is a string"),
        (6, "not a Kubernetes object: no metadata"),
        (9, "not a Kubernetes object: metadata.name missing (only generateName)"),
        (13, "not a Kubernetes object: metadata is not a mapping"),
    ]


def test_yaml_semantics_timestamps_stay_strings_and_booleans_are_yaml11(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  creationTimestamp: 2025-06-02T09:14:07Z\n"
        "data:\n  on: yes\n  port: 0755\n  ratio: 1.5\n  nothing: ~\n  anchor: &x hello\n  alias: *x\n"
    )
    [obj] = load_text(tmp_path, text).objects
    assert obj.data["metadata"]["creationTimestamp"] == "2025-06-02T09:14:07Z"
    assert obj.data["data"] == {
        True: True,
        "port": 493,
        "ratio": 1.5,
        "nothing": None,
        "anchor": "hello",
        "alias": "hello",
    }


def test_managed_fields_last_applied_and_secret_values_dropped(tmp_path: Path) -> None:
    text = """apiVersion: v1
kind: Secret
metadata:
  name: s
  managedFields: [{manager: kubectl}]
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"data":{"pw":"c2VjcmV0"}}'
    keep: me
data: {pw: c2VjcmV0}
stringData: {token: plain}
"""
    [obj] = load_text(tmp_path, text).objects
    assert obj.data["metadata"] == {"name": "s", "annotations": {"keep": "me"}}
    assert obj.data["data"] == {"pw": "<redacted>"} and obj.data["stringData"] == {"token": "<redacted>"}


def test_helm_source_comments_are_attached(tmp_path: Path) -> None:
    text = """---
# Source: chart/templates/sa.yaml
apiVersion: v1
kind: ServiceAccount
metadata: {name: a}
---
# Source: chart/templates/empty.yaml
---
apiVersion: v1
kind: ConfigMap
metadata: {name: no-source}
---
# Source: chart/templates/svc.yaml
apiVersion: v1
kind: Service
metadata: {name: b}
"""
    result = load_text(tmp_path, text)
    assert [(o.data["metadata"]["name"], o.helm_source) for o in result.objects] == [
        ("a", "chart/templates/sa.yaml"),
        ("no-source", None),
        ("b", "chart/templates/svc.yaml"),
    ]


@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")]
)
def test_byte_order_marks(tmp_path: Path, encoding: str, bom: bytes) -> None:
    path = tmp_path / "ps.yaml"
    path.write_bytes(bom + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n".encode(encoding))
    assert where(load_inputs([str(path)])) == [("ConfigMap", "a", 1)]


def test_binary_and_invalid_utf8_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "bin.yaml").write_bytes(b"apiVersion: v1\x00\x01\x02")
    (tmp_path / "latin1.yaml").write_bytes(b"name: caf\xe9\n")
    result = load_inputs([str(tmp_path)])
    reasons = {Path(s.file).name: s.reason for s in result.skipped}
    assert reasons == {
        "bin.yaml": "binary file (NUL character at offset 14)",
        "latin1.yaml": "not valid UTF-8 text (byte 9)",
    }


def test_directory_walk_is_sorted_recursive_and_relative_to_argument(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "z.yml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: z}\n")
    (tmp_path / "a.json").write_text('{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}')
    (tmp_path / ".git" / "x.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hidden}\n")
    (tmp_path / "notes.txt").write_text("not read")
    monkeypatch.chdir(tmp_path.parent)
    result = load_inputs([tmp_path.name])
    assert result.files == [f"{tmp_path.name}/a.json", f"{tmp_path.name}/b/z.yml"]
    assert [o.data["metadata"]["name"] for o in result.objects] == ["a", "z"]


def test_archive_read_in_memory_with_unsafe_members_skipped(tmp_path: Path) -> None:
    archive = tmp_path / "dump.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, body in (
            ("good.yaml", b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: good}\n"),
            ("../evil.yaml", b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: evil}\n"),
            ("/abs.yaml", b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: abs}\n"),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
        link = tarfile.TarInfo("link.yaml")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tar.addfile(link)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = load_inputs([str(archive)])
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing extracted
    assert [(o.location.file, o.data["metadata"]["name"]) for o in result.objects] == [
        (f"{archive}:good.yaml", "good")
    ]
    assert sorted(s.file for s in result.skipped) == [f"{archive}:../evil.yaml", f"{archive}:/abs.yaml"]


def test_damaged_archive(tmp_path: Path) -> None:
    path = tmp_path / "cut.tar.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage")
    [skip] = load_inputs([str(path)]).skipped
    assert skip.file == str(path) and "tar archive" in skip.reason


def test_stdin_and_missing_path() -> None:
    stdin = io.BytesIO(b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: piped}\n")
    result = load_inputs(["-", "does/not/exist.yaml"], stdin)
    assert [(o.location.file, o.location.line) for o in result.objects] == [("<stdin>", 1)]
    assert [(s.file, s.reason) for s in result.skipped] == [
        ("does/not/exist.yaml", "no such file or directory")
    ]


def test_cluster_info_dump_logs_are_kept(tmp_path: Path) -> None:
    ns = tmp_path / "shop"
    (ns / "api-1").mkdir(parents=True)
    (ns / "pods.json").write_text(
        json.dumps(
            {
                "kind": "PodList",
                "apiVersion": "v1",
                "items": [{"metadata": {"name": "api-1", "namespace": "shop"}}],
            }
        )
    )
    (ns / "api-1" / "logs.txt").write_text("\n".join(f"line {i}" for i in range(100)))
    result = load_inputs([str(tmp_path)])
    assert where(result) == [("Pod", "api-1", 1)]
    tail = result.logs[("shop", "api-1")]
    assert tail.splitlines()[0] == "line 50" and tail.splitlines()[-1] == "line 99"
    snapshot = build_snapshot(result)
    [pod] = snapshot.objects
    assert snapshot.log_tail(pod) == tail


@needs_corpus()
def test_pyyaml_rejected_equals_scalar_loads() -> None:
    path = CORPUS / "kube-prometheus/manifests/setup/0alertmanagerConfigCustomResourceDefinition.yaml"
    result = load_inputs([str(path)])
    assert result.skipped == []
    assert [o.data["kind"] for o in result.objects] == ["CustomResourceDefinition"]
    assert "=" in json.dumps(result.objects[0].data)


@needs_corpus()
def test_insights_archive_pods_get_their_kind_from_the_path() -> None:
    pods = CORPUS / "insights-operator-archive-sample/docs/insights-archive-sample/config/pod"
    result = load_inputs([str(pods)])
    assert result.objects and {o.data["kind"] for o in result.objects} == {"Pod"}


@needs_corpus()
def test_helm_sources_in_real_render() -> None:
    render = CORPUS / "kubeflow-vendored-upstream/common/cert-manager/base/upstream/cert-manager.yaml"
    result = load_inputs([str(render)])
    sources = [o.helm_source for o in result.objects]
    assert sum(s is not None for s in sources) >= 40
    assert all(s is None or s.startswith("cert-manager/templates/") for s in sources)
