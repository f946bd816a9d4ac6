"""Helm's release records, as Helm 3 stores them in the cluster, and rendered manifests.

A release record is the release JSON (name, info, chart, config, manifest, hooks, version,
namespace, in the Go struct's order) gzipped (header time 0, as Go's writer leaves it) and
base64-encoded: that text is ``data.release`` of a ConfigMap (configmap driver), and base64
again in a Secret's ``data`` (secret driver, the default). Example::

    rel = release("web", "shop", 2, "deployed", chart_metadata("web", "1.4.0", "2.1.0"),
                  config={}, manifest=manifest("web", [("deployment.yaml", deployment)]),
                  first="2025-06-02T09:00:07Z", last="2025-06-03T09:00:07Z")
    record = release_secret(metadata, rel)  # metadata of sh.helm.release.v1.web.v2
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Sequence
from typing import Any

import yaml

from kubefactory.meta import Obj

RECORD_TYPE = "helm.sh/release.v1"

SERVER_METADATA = (
    "creationTimestamp",
    "generation",
    "managedFields",
    "ownerReferences",
    "resourceVersion",
    "uid",
)
SERVER_ANNOTATIONS = (
    "deployment.kubernetes.io/revision",
    "deprecated.daemonset.template.generation",
    "meta.helm.sh/release-name",
    "meta.helm.sh/release-namespace",
)
DEFAULTED_SPEC = {
    "Service": (
        "clusterIP",
        "clusterIPs",
        "internalTrafficPolicy",
        "ipFamilies",
        "ipFamilyPolicy",
        "sessionAffinity",
        "allocateLoadBalancerNodePorts",
    ),
    "Deployment": ("progressDeadlineSeconds", "revisionHistoryLimit", "strategy"),
    "StatefulSet": (
        "persistentVolumeClaimRetentionPolicy",
        "podManagementPolicy",
        "revisionHistoryLimit",
        "updateStrategy",
    ),
    "DaemonSet": ("revisionHistoryLimit", "updateStrategy"),
}
DEFAULTED_POD = (
    "dnsPolicy",
    "restartPolicy",
    "schedulerName",
    "securityContext",
    "serviceAccount",
    "terminationGracePeriodSeconds",
)
DEFAULTED_CONTAINER = ("terminationMessagePath", "terminationMessagePolicy")


def record_name(release_name: str, revision: int) -> str:
    """``sh.helm.release.v1.<release>.v<revision>``."""
    return f"sh.helm.release.v1.{release_name}.v{revision}"


def record_labels(
    release_name: str, status: str, revision: int, modified: int | None = None
) -> dict[str, str]:
    """The labels Helm puts on a record (``modifiedAt``: Unix seconds, Helm 3.13 and later)."""
    labels = {"name": release_name, "owner": "helm", "status": status, "version": str(revision)}
    if modified is not None:
        labels = {"modifiedAt": str(modified), **labels}
    return labels


def rendered(obj: Obj) -> Obj:
    """``obj`` as its chart renders it: no status, none of the fields the API server or the
    controllers fill in (uid, defaults, Helm's own release annotations), nothing shared with
    ``obj`` (a deep copy)."""
    out: Obj = json.loads(json.dumps(obj))
    out.pop("status", None)
    meta = out.get("metadata", {})
    for key in SERVER_METADATA:
        meta.pop(key, None)
    annotations = {k: v for k, v in meta.pop("annotations", {}).items() if k not in SERVER_ANNOTATIONS}
    if annotations:
        meta["annotations"] = annotations
    spec = out.get("spec", {})
    for key in DEFAULTED_SPEC.get(out.get("kind", ""), ()):
        spec.pop(key, None)
    for port in spec.get("ports", []) if out.get("kind") == "Service" else []:
        port.pop("nodePort", None)
    template = spec.get("template", {})
    template.get("metadata", {}).pop("creationTimestamp", None)
    pod = template.get("spec", {})
    for key in DEFAULTED_POD:
        pod.pop(key, None)
    for container in pod.get("containers", []):
        for key in DEFAULTED_CONTAINER:
            container.pop(key, None)
    for claim in spec.get("volumeClaimTemplates", []):
        claim.pop("status", None)
        claim.get("metadata", {}).pop("creationTimestamp", None)
    return out


def manifest(chart: str, objects: Sequence[tuple[str, Obj]]) -> str:
    """The manifest of a release: each object after ``---`` and ``# Source: <chart>/<path>``,
    in the order given, as Helm joins its rendered templates (``path``: ``templates/x.yaml``)."""
    parts = []
    for path, obj in objects:
        body = yaml.safe_dump(obj, sort_keys=False, default_flow_style=False, width=1000)
        parts.append(f"---\n# Source: {chart}/{path}\n{body}")
    return "".join(parts)


def chart_metadata(name: str, version: str, app_version: str, description: str = "") -> Obj:
    """``chart.metadata`` as Helm stores it (Chart.yaml's fields, Go's order)."""
    return {
        "name": name,
        "version": version,
        "description": description or f"A Helm chart for {name}",
        "apiVersion": "v2",
        "appVersion": app_version,
        "type": "application",
    }


def release(
    name: str,
    namespace: str,
    revision: int,
    status: str,
    metadata: Obj,
    *,
    config: Obj,
    manifest: str,
    first: str,
    last: str,
    description: str | None = None,
    values: Obj | None = None,
    templates: Sequence[str] = (),
) -> Obj:
    """The release JSON: ``metadata`` is the chart's, ``config`` the user's values, ``templates``
    the chart's template paths (their bodies stored base64, as Helm does)."""
    described = description or ("Install complete" if revision == 1 else "Upgrade complete")
    chart_templates = [
        {"name": path, "data": base64.b64encode(f"{{{{- /* {path} */ -}}}}\n".encode()).decode()}
        for path in templates
    ]
    return {
        "name": name,
        "info": {
            "first_deployed": first,
            "last_deployed": last,
            "deleted": "",
            "description": described,
            "status": status,
        },
        "chart": {
            "metadata": metadata,
            "lock": None,
            "templates": chart_templates,
            "values": values or {},
            "schema": None,
            "files": [],
        },
        "config": config,
        "manifest": manifest,
        "hooks": [],
        "version": revision,
        "namespace": namespace,
    }


def encode(release_json: Any) -> str:
    """base64(gzip(JSON)): the ``release`` field of a ConfigMap record (a Secret's, before the
    Secret's own base64). Anything JSON can hold: a test may encode a broken value."""
    text = release_json if isinstance(release_json, str) else json.dumps(release_json, separators=(",", ":"))
    return base64.b64encode(gzip.compress(text.encode("utf-8"), mtime=0)).decode("ascii")


def release_secret(metadata: Obj, encoded: str) -> Obj:
    """A secret-driver record holding ``encoded`` (:func:`encode`'s text, base64 again in ``data``)."""
    return {
        "apiVersion": "v1",
        "data": {"release": base64.b64encode(encoded.encode("ascii")).decode("ascii")},
        "kind": "Secret",
        "metadata": metadata,
        "type": RECORD_TYPE,
    }


def release_configmap(metadata: Obj, encoded: str) -> Obj:
    """A configmap-driver record holding ``encoded`` as it is."""
    return {"apiVersion": "v1", "data": {"release": encoded}, "kind": "ConfigMap", "metadata": metadata}


def decode_secret(obj: Obj) -> Obj:
    """The release JSON of a secret-driver record (for tests: the standard library only)."""
    inner = base64.b64decode(obj["data"]["release"])
    return json.loads(gzip.decompress(base64.b64decode(inner)))  # type: ignore[no-any-return]


def decode_configmap(obj: Obj) -> Obj:
    """The release JSON of a configmap-driver record."""
    return json.loads(gzip.decompress(base64.b64decode(obj["data"]["release"])))  # type: ignore[no-any-return]
