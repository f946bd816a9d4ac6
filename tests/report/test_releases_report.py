"""Helm releases in the report: the JSON ``releases`` field and the text "helm releases" table,
only when the input holds release records; never a value of the release in any output."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from analyzer import pipeline
from analyzer.report import RENDERERS, RenderOptions
from analyzer.report.schema import validate

VALUES_MARKER = "VALUES-MARKER-c0ffee"
MANIFEST_MARKER = "MANIFEST-MARKER-beef"

MANIFEST = f"""---
# Source: shop/templates/secret.yaml
apiVersion: v1
kind: Secret
metadata:
  name: shop-db
data:
  password: {base64.b64encode(MANIFEST_MARKER.encode()).decode()}
stringData:
  plain: {MANIFEST_MARKER}
---
# Source: shop/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector:
    app: shop
"""


def release(name: str, revision: int, status: str) -> bytes:
    return gzip.compress(
        json.dumps(
            {
                "name": name,
                "namespace": "shop",
                "version": revision,
                "info": {"status": status},
                "chart": {
                    "metadata": {"name": name, "version": f"0.{revision}.0", "appVersion": "1.0"},
                    "values": {"password": VALUES_MARKER},
                },
                "config": {"password": VALUES_MARKER, "note": f"plain {VALUES_MARKER}"},
                "manifest": MANIFEST if name == "shop" else "",
            }
        ).encode()
    )


def record(kind: str, name: str, revision: int, payload: bytes) -> dict[str, Any]:
    helm = base64.b64encode(payload)
    obj: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": kind,
        "metadata": {
            "name": f"sh.helm.release.v1.{name}.v{revision}",
            "namespace": "shop",
            "labels": {"owner": "helm"},
        },
    }
    if kind == "Secret":
        obj["type"] = "helm.sh/release.v1"
        obj["data"] = {"release": base64.b64encode(helm).decode()}
    else:
        obj["data"] = {"release": helm.decode()}
    return obj


@pytest.fixture(scope="module")
def analysis(tmp_path_factory: pytest.TempPathFactory) -> pipeline.Analysis:
    items = [
        record("Secret", "shop", 1, release("shop", 1, "superseded")),
        record("Secret", "shop", 2, release("shop", 2, "deployed")),
        record("Secret", "shop", 3, release("shop", 3, "failed")),
        record("ConfigMap", "cache", 1, release("cache", 1, "failed")),
        record("ConfigMap", "cache", 2, b"not gzip at all"),
        {  # a live object: the report has a health summary
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "shop-0", "namespace": "shop", "labels": {"app": "shop"}},
            "spec": {"containers": [{"name": "app", "image": "shop:1"}]},
            "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]},
        },
    ]
    path = tmp_path_factory.mktemp("report") / "dump.json"
    path.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}, indent=1))
    return pipeline.analyse([str(path)])


def test_json_lists_the_releases(analysis: pipeline.Analysis) -> None:
    report = validate(RENDERERS["json"](analysis.report, RenderOptions()))
    assert report["releases"] == [
        {
            "name": "cache",
            "namespace": "shop",
            "chart": "cache",
            "chart_version": "0.1.0",
            "app_version": "1.0",
            "revision": 1,
            "status": "failed",
            "objects": 0,
            "revisions": [{"revision": 1, "status": "failed"}],
        },
        {
            "name": "shop",
            "namespace": "shop",
            "chart": "shop",
            "chart_version": "0.2.0",
            "app_version": "1.0",
            "revision": 2,
            "status": "deployed",
            "objects": 2,
            "revisions": [
                {"revision": 1, "status": "superseded"},
                {"revision": 2, "status": "deployed"},
                {"revision": 3, "status": "failed"},
            ],
        },
    ]
    assert [s["reason"] for s in report["inputs"]["skipped"]] == [
        "Helm release record sh.helm.release.v1.cache.v2: not gzip data"
    ]


def test_text_shows_the_table_after_the_health_summary(analysis: pipeline.Analysis) -> None:
    text = RENDERERS["text"](analysis.report, RenderOptions())
    start = text.index("helm releases\n")
    table = text[start:].split("\n\n")[0].splitlines()
    assert table == [
        "helm releases",
        "  release     chart  version  app  revision  status    objects  revisions",
        "  shop/cache  cache  0.1.0    1.0  1         failed    0        1 failed",
        "  shop/shop   shop   0.2.0    1.0  2         deployed  2        1 superseded, 2 deployed, 3 failed",
    ]
    assert text.startswith("health\n") and start > 0


def test_no_release_no_table_no_field(tmp_path: Path) -> None:
    path = tmp_path / "svc.yaml"
    path.write_text("apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {selector: {app: a}}\n")
    report = pipeline.analyse([str(path)]).report
    assert report.releases == []
    assert "releases" not in json.loads(RENDERERS["json"](report, RenderOptions()))
    assert "helm releases" not in RENDERERS["text"](report, RenderOptions())


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_no_value_of_a_release_in_any_output(analysis: pipeline.Analysis, fmt: str) -> None:
    out = RENDERERS[fmt](analysis.report, RenderOptions())
    encoded = base64.b64encode(MANIFEST_MARKER.encode()).decode()
    for secret in (VALUES_MARKER, MANIFEST_MARKER, encoded):
        assert secret not in out


def test_no_value_of_a_release_in_the_snapshot(analysis: pipeline.Analysis) -> None:
    held: list[Any] = [o.raw for o in analysis.snapshot.objects]
    held += [(repr(r), [o.raw for o in r.objects]) for r in analysis.snapshot.releases]
    text = json.dumps(held, default=str)
    encoded = base64.b64encode(MANIFEST_MARKER.encode()).decode()
    for secret in (VALUES_MARKER, MANIFEST_MARKER, encoded):
        assert secret not in text
    shop = next(r for r in analysis.graph.releases() if r.name == "shop")
    assert [o.raw.get("data") for o in shop.objects] == [{"password": "<redacted>"}, None]
    assert shop.objects[0].raw["stringData"] == {"plain": "<redacted>"}
