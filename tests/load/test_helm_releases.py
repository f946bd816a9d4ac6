"""Helm release records inside a dump: decoded before redaction (secret and configmap drivers),
only the listed fields kept, corrupt records skipped with a reason, the counted revision chosen."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path
from typing import Any

import pytest

import analyzer.load as load
from analyzer import pipeline
from analyzer.load.helm_records import MAX_JSON
from analyzer.model import K8sObject, ObjectRef
from analyzer.model.helm_releases import HelmRelease, claims_release, helm_managed

VALUES_MARKER = "VALUES-MARKER-7f3a"
MANIFEST_MARKER = "MANIFEST-MARKER-91c2"
CHART_MARKER = "CHART-MARKER-4d0e"


def manifest_of(name: str) -> str:
    return f"""---
# Source: {name}/templates/secret.yaml
apiVersion: v1
kind: Secret
metadata:
  name: {name}-auth
stringData:
  password: {MANIFEST_MARKER}
---
# Source: {name}/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: {name}
  labels:
    app.kubernetes.io/managed-by: Helm
spec:
  selector:
    app.kubernetes.io/name: {name}
---
# Source: {name}/templates/clusterrole.yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: {name}-reader
"""


def release_json(
    name: str, namespace: str, revision: int, status: str, manifest: str | None = None
) -> dict[str, Any]:
    return {
        "name": name,
        "namespace": namespace,
        "version": revision,
        "info": {"status": status, "last_deployed": f"2026-12-0{revision}T10:00:00Z", "notes": "x"},
        "chart": {
            "metadata": {"name": name, "version": f"1.{revision}.0", "appVersion": f"2.{revision}"},
            "values": {"token": CHART_MARKER},
            "templates": [
                {"name": "templates/x.yaml", "data": base64.b64encode(CHART_MARKER.encode()).decode()}
            ],
        },
        "config": {"adminPassword": VALUES_MARKER},
        "manifest": manifest_of(name) if manifest is None else manifest,
    }


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def secret_record(name: str, namespace: str, revision: int, payload: bytes) -> dict[str, Any]:
    """A secret-driver record whose Helm payload (before Helm's base64) is ``payload``."""
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "helm.sh/release.v1",
        "metadata": {
            "name": f"sh.helm.release.v1.{name}.v{revision}",
            "namespace": namespace,
            "labels": {"owner": "helm", "name": name, "version": str(revision)},
        },
        "data": {"release": b64(b64(payload).encode())},
    }


def configmap_record(name: str, namespace: str, revision: int, payload: bytes) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": f"sh.helm.release.v1.{name}.v{revision}",
            "namespace": namespace,
            "labels": {"owner": "helm", "name": name, "version": str(revision)},
        },
        "data": {"release": b64(payload)},
    }


def wrapped(name: str, namespace: str, revision: int, payload: bytes) -> dict[str, Any]:
    record = configmap_record(name, namespace, revision, payload)
    text = record["data"]["release"]
    record["data"]["release"] = "\n".join(text[i : i + 76] for i in range(0, len(text), 76))
    return record


def gz(release: dict[str, Any]) -> bytes:
    return gzip.compress(json.dumps(release).encode())


def dump(tmp_path: Path, items: list[dict[str, Any]]) -> Path:
    path = tmp_path / "dump.yaml"
    path.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}, indent=1))
    return path


def good_records() -> list[dict[str, Any]]:
    return [
        secret_record("web", "shop", 1, gz(release_json("web", "shop", 1, "superseded"))),
        secret_record("web", "shop", 2, gz(release_json("web", "shop", 2, "deployed"))),
        secret_record("web", "shop", 3, gz(release_json("web", "shop", 3, "failed"))),
        configmap_record("api", "tools", 1, gz(release_json("api", "tools", 1, "failed"))),
        configmap_record("api", "tools", 2, gz(release_json("api", "tools", 2, "pending-upgrade"))),
        # base64 wrapped at 76 characters, as the base64 tool writes it
        wrapped("api", "tools", 3, gz(release_json("api", "tools", 3, "superseded"))),
        # Helm versions that write the JSON without gzip
        secret_record("plain", "shop", 1, json.dumps(release_json("plain", "shop", 1, "deployed")).encode()),
    ]


def corrupt_records() -> list[dict[str, Any]]:
    bomb = gzip.compress(b"{" + b" " * (MAX_JSON + 10) + b"}")
    no_status = release_json("nostatus", "shop", 1, "deployed")
    del no_status["info"]["status"]
    bad_b64 = secret_record("badb64", "shop", 1, b"")
    bad_b64["data"]["release"] = "not base64 at all!"
    return [
        bad_b64,
        configmap_record("notgz", "tools", 1, b"\x00\x01garbage"),
        secret_record("cut", "shop", 1, gz(release_json("cut", "shop", 1, "deployed"))[:40]),
        secret_record("notjson", "shop", 1, gzip.compress(b"{not json")),
        secret_record("nostatus", "shop", 1, gz(no_status)),
        secret_record("bomb", "shop", 1, bomb),
    ]


@pytest.fixture(scope="module")
def analysis(tmp_path_factory: pytest.TempPathFactory) -> pipeline.Analysis:
    tmp = tmp_path_factory.mktemp("releases")
    live = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": "hand-made",
            "namespace": "shop",
            "annotations": {"meta.helm.sh/release-name": "web", "meta.helm.sh/release-namespace": "shop"},
        },
        "spec": {"selector": {"app": "web"}},
    }
    web = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "shop"}}
    return pipeline.analyse([str(dump(tmp, [*good_records(), *corrupt_records(), live, web]))])


def test_records_decode_with_exactly_the_listed_fields(tmp_path: Path) -> None:
    loaded = load.load_inputs([str(dump(tmp_path, good_records()))])
    records = [o.release for o in loaded.objects]
    assert [(r.name, r.namespace, r.revision, r.status) for r in records if r] == [
        ("web", "shop", 1, "superseded"),
        ("web", "shop", 2, "deployed"),
        ("web", "shop", 3, "failed"),
        ("api", "tools", 1, "failed"),
        ("api", "tools", 2, "pending-upgrade"),
        ("api", "tools", 3, "superseded"),
        ("plain", "shop", 1, "deployed"),
    ]
    web2 = records[1]
    assert web2 is not None
    assert (web2.chart, web2.chart_version, web2.app_version, web2.last_deployed) == (
        "web",
        "1.2.0",
        "2.2",
        "2026-12-02T10:00:00Z",
    )
    assert [(o.data["kind"], o.data["metadata"]["name"], o.helm_source) for o in web2.objects] == [
        ("Secret", "web-auth", "web/templates/secret.yaml"),
        ("Service", "web", "web/templates/service.yaml"),
        ("ClusterRole", "web-reader", "web/templates/clusterrole.yaml"),
    ]
    assert web2.objects[0].data["stringData"] == {"password": "<redacted>"}
    assert all(o.location == loaded.objects[1].location for o in web2.objects)
    assert loaded.skipped == []


def test_the_record_objects_still_load_redacted(tmp_path: Path) -> None:
    loaded = load.load_inputs([str(dump(tmp_path, good_records()))])
    assert [(o.data["kind"], o.data["data"]) for o in loaded.objects] == [
        ("Secret", {"release": "<redacted>"}),
        ("Secret", {"release": "<redacted>"}),
        ("Secret", {"release": "<redacted>"}),
        ("ConfigMap", {"release": "<redacted>"}),
        ("ConfigMap", {"release": "<redacted>"}),
        ("ConfigMap", {"release": "<redacted>"}),
        ("Secret", {"release": "<redacted>"}),
    ]


def test_corrupt_records_are_skipped_with_a_reason_and_still_load(tmp_path: Path) -> None:
    path = dump(tmp_path, corrupt_records())
    loaded = load.load_inputs([str(path)])
    assert [o.data["metadata"]["name"] for o in loaded.objects if o.release is None] == [
        "sh.helm.release.v1.badb64.v1",
        "sh.helm.release.v1.notgz.v1",
        "sh.helm.release.v1.cut.v1",
        "sh.helm.release.v1.notjson.v1",
        "sh.helm.release.v1.nostatus.v1",
        "sh.helm.release.v1.bomb.v1",
    ]
    assert all(o.release is None for o in loaded.objects)
    assert [(s.file, s.reason) for s in loaded.skipped] == [
        (str(path), "Helm release record sh.helm.release.v1.badb64.v1: data.release is not base64"),
        (str(path), "Helm release record sh.helm.release.v1.notgz.v1: not gzip data"),
        (str(path), "Helm release record sh.helm.release.v1.cut.v1: gzip data cut short"),
        (str(path), "Helm release record sh.helm.release.v1.notjson.v1: not JSON"),
        (str(path), "Helm release record sh.helm.release.v1.nostatus.v1: no info.status"),
        (
            str(path),
            "Helm release record sh.helm.release.v1.bomb.v1: "
            "decompressed release over 64 MiB refused (a zip bomb?)",
        ),
    ]
    lines = [s.line for s in loaded.skipped]
    assert lines == [o.location.line for o in loaded.objects] and all(lines)


def test_a_record_inside_a_manifest_is_not_decoded(tmp_path: Path) -> None:
    inner = secret_record("inner", "shop", 1, gz(release_json("inner", "shop", 1, "deployed")))
    manifest = "---\n# Source: outer/templates/r.yaml\n" + json.dumps(inner) + "\n"
    outer = secret_record("outer", "shop", 1, gz(release_json("outer", "shop", 1, "deployed", manifest)))
    loaded = load.load_inputs([str(dump(tmp_path, [outer]))])
    record = loaded.objects[0].release
    assert record is not None
    assert [(o.data["metadata"]["name"], o.release, o.data["data"]) for o in record.objects] == [
        ("sh.helm.release.v1.inner.v1", None, {"release": "<redacted>"})
    ]


def test_the_snapshot_keeps_every_revision_and_the_graph_counts_one(analysis: pipeline.Analysis) -> None:
    graph = analysis.graph
    assert [(r.namespace, r.name, r.revision) for r in analysis.snapshot.releases] == [
        ("shop", "plain", 1),
        ("shop", "web", 1),
        ("shop", "web", 2),
        ("shop", "web", 3),
        ("tools", "api", 1),
        ("tools", "api", 2),
        ("tools", "api", 3),
    ]
    assert [(r.namespace, r.name, r.revision, r.status) for r in graph.releases()] == [
        ("shop", "plain", 1, "deployed"),
        ("shop", "web", 2, "deployed"),  # not the failed revision 3
        ("tools", "api", 3, "superseded"),  # none deployed: the latest
    ]
    assert [(r.revision, r.status) for r in graph.release_history("shop", "web")] == [
        (1, "superseded"),
        (2, "deployed"),
        (3, "failed"),
    ]
    assert graph.release_history("shop", "absent") == []


def test_a_release_as_the_model_holds_it(analysis: pipeline.Analysis) -> None:
    web = next(r for r in analysis.graph.releases() if r.name == "web")
    assert isinstance(web, HelmRelease)
    assert (web.chart, web.chart_version, web.app_version) == ("web", "1.2.0", "2.2")
    assert web.record == ObjectRef("v1", "Secret", "shop", "sh.helm.release.v1.web.v2")
    assert web.location is not None and web.location.file.endswith("dump.yaml")
    assert [(o.ref, o.helm_source) for o in web.objects] == [
        (ObjectRef("v1", "Secret", "shop", "web-auth"), "web/templates/secret.yaml"),
        (ObjectRef("v1", "Service", "shop", "web"), "web/templates/service.yaml"),
        (
            ObjectRef("rbac.authorization.k8s.io/v1", "ClusterRole", None, "web-reader"),
            "web/templates/clusterrole.yaml",
        ),
    ]
    assert web.objects[0].raw["stringData"] == {"password": "<redacted>"}


def test_release_of_and_rendered(analysis: pipeline.Analysis) -> None:
    graph = analysis.graph
    live_web = graph.get(("", "Service", "shop", "web"))
    hand_made = graph.get(("", "Service", "shop", "hand-made"))
    assert live_web is not None and hand_made is not None
    release = graph.release_of(live_web)
    assert release is not None and (release.name, release.revision) == ("web", 2)
    rendered = graph.rendered(live_web)
    assert rendered is not None and rendered.spec == {"selector": {"app.kubernetes.io/name": "web"}}
    assert rendered.helm_source == "web/templates/service.yaml"
    # not in the manifest: found by its annotations, and nothing rendered
    claimed = graph.release_of(hand_made)
    assert claimed is not None and (claimed.name, claimed.revision) == ("web", 2)
    assert graph.rendered(hand_made) is None
    assert graph.release_of(ObjectRef("v1", "ConfigMap", "shop", "nobody")) is None


def test_claims_release_and_helm_managed() -> None:
    def obj(namespace: str | None, labels: dict[str, str], annotations: dict[str, str]) -> K8sObject:
        meta = {"name": "x", "labels": labels, "annotations": annotations}
        from analyzer.load.types import Location

        return K8sObject(ObjectRef("v1", "Service", namespace, "x"), {"metadata": meta}, Location("f"))

    both = {"meta.helm.sh/release-name": "web", "meta.helm.sh/release-namespace": "shop"}
    assert claims_release(obj("other", {}, both)) == ("shop", "web")
    assert claims_release(obj("other", {}, {"meta.helm.sh/release-name": "web"})) == ("other", "web")
    assert claims_release(obj(None, {}, {"meta.helm.sh/release-name": "web"})) is None
    assert claims_release(obj("shop", {"app.kubernetes.io/managed-by": "Helm"}, {})) is None
    assert helm_managed(obj("shop", {"app.kubernetes.io/managed-by": "Helm"}, {}))
    assert helm_managed(obj("shop", {"helm.sh/chart": "web-1.2.0"}, {}))
    assert helm_managed(obj("shop", {}, both))
    assert not helm_managed(obj("shop", {"app.kubernetes.io/managed-by": "kustomize"}, {}))


def test_no_secret_reaches_the_snapshot(analysis: pipeline.Analysis) -> None:
    held = [o.raw for o in analysis.snapshot.objects]
    held += [o.raw for r in analysis.snapshot.releases for o in r.objects]
    held += [repr(r) for r in analysis.snapshot.releases]
    held += [o.data for o in analysis.loaded.objects]
    held += [repr(o.release) for o in analysis.loaded.objects]
    text = json.dumps(held, default=str)
    for marker in (VALUES_MARKER, MANIFEST_MARKER, CHART_MARKER):
        assert marker not in text
    assert "adminPassword" not in text  # not even the values' keys


def test_records_read_by_two_processes_as_by_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i, record in enumerate([*good_records(), *corrupt_records()[:2]]):
        (tmp_path / f"r{i}.json").write_text(json.dumps(record))
    monkeypatch.setattr(load, "PARALLEL_FROM", 1)
    one, two = (load.load_inputs([str(tmp_path)], jobs=jobs) for jobs in (1, 2))
    assert [o.release for o in one.objects] == [o.release for o in two.objects]
    assert sum(1 for o in two.objects if o.release is not None) == 7
    assert one.skipped == two.skipped and len(two.skipped) == 2
