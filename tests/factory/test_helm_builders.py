"""kubefactory.helm: records as Helm 3 writes them (base64 of gzip of the JSON, base64 again in a
Secret, gzip header time 0) and manifests as charts render them (no status, no defaults)."""

from __future__ import annotations

import base64
import gzip
import json

import kubefactory as kf
from kubefactory import helm as kh


def web_release() -> dict[str, object]:
    return kh.release(
        "web",
        "shop",
        2,
        "deployed",
        kh.chart_metadata("web", "1.4.0", "2.1.0"),
        config={"password": "x"},
        manifest="---\n# Source: web/templates/service.yaml\nkind: Service\n",
        first="2025-06-02T09:00:07Z",
        last="2025-06-03T09:00:07Z",
        templates=["templates/service.yaml"],
    )


def test_a_secret_record_is_base64_of_base64_of_gzip_of_the_json() -> None:
    rel = web_release()
    meta = {"name": kh.record_name("web", 2), "labels": kh.record_labels("web", "deployed", 2)}
    secret = kh.release_secret(meta, kh.encode(rel))
    assert secret["type"] == "helm.sh/release.v1"
    assert meta["name"] == "sh.helm.release.v1.web.v2"
    assert meta["labels"] == {"name": "web", "owner": "helm", "status": "deployed", "version": "2"}
    inner = base64.b64decode(base64.b64decode(secret["data"]["release"]))
    assert inner[:3] == b"\x1f\x8b\x08" and inner[4:8] == b"\x00\x00\x00\x00"  # gzip, time 0
    assert json.loads(gzip.decompress(inner)) == rel == kh.decode_secret(secret)
    assert rel["info"]["description"] == "Upgrade complete"  # type: ignore[index]
    assert list(rel) == ["name", "info", "chart", "config", "manifest", "hooks", "version", "namespace"]


def test_a_configmap_record_is_base64_once() -> None:
    rel = web_release()
    cm = kh.release_configmap({"name": "sh.helm.release.v1.web.v2"}, kh.encode(rel))
    assert json.loads(gzip.decompress(base64.b64decode(cm["data"]["release"]))) == rel
    assert kh.decode_configmap(cm) == rel


def test_rendered_drops_what_the_api_server_and_controllers_write() -> None:
    svc = kf.service(
        kf.object_meta(
            "web",
            uid="u",
            resource_version="1",
            created="2025-06-02T09:00:07Z",
            namespace="shop",
            annotations={"meta.helm.sh/release-name": "web", "team": "shop"},
        ),
        cluster_ip="10.0.0.1",
        ports=[kf.service_port("http", 80, "http")],
        selector={"app": "web"},
    )
    out = kh.rendered(svc)
    assert out == {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "namespace": "shop", "annotations": {"team": "shop"}},
        "spec": {
            "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http"}],
            "selector": {"app": "web"},
            "type": "ClusterIP",
        },
    }
    out["spec"]["selector"]["app"] = "changed"
    assert svc["spec"]["selector"] == {"app": "web"}  # a copy


def test_a_manifest_joins_documents_with_their_source() -> None:
    text = kh.manifest(
        "web", [("templates/a.yaml", {"kind": "ConfigMap"}), ("templates/b.yaml", {"kind": "Service"})]
    )
    assert (
        text == "---\n# Source: web/templates/a.yaml\nkind: ConfigMap\n"
        "---\n# Source: web/templates/b.yaml\nkind: Service\n"
    )
