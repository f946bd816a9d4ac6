"""Helm release records as YAML text, for tests: the Secret (``type: helm.sh/release.v1``, its
``data.release`` base64 of base64 of gzip of the release JSON) or the ConfigMap (configmap
driver: base64 of gzip, labelled ``owner: helm``) Helm 3 writes for one revision of a release::

    text = release_record("web", "shop", 3, manifest(("web/templates/svc.yaml", SERVICE_YAML)))

Only the standard library; gzip with a fixed header time, so the text is deterministic.
"""

from __future__ import annotations

import base64
import gzip
import json
from typing import Any


def manifest(*documents: tuple[str, str]) -> str:
    """A rendered manifest: each ``(template path, YAML text)`` after ``---`` and
    ``# Source: <path>``, as Helm stores it in the release."""
    return "".join(f"---\n# Source: {path}\n{text.strip()}\n" for path, text in documents)


def release_json(
    name: str,
    namespace: str,
    revision: int,
    manifest_text: str,
    *,
    status: str = "deployed",
    chart: str | None = None,
    chart_version: str = "1.0.0",
    app_version: str = "1.0.0",
    config: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The release JSON Helm stores (the fields the decoding reads, and ``config``)."""
    return {
        "name": name,
        "info": {"status": status, "last_deployed": "2026-11-02T09:00:00Z"},
        "chart": {"metadata": {"name": chart or name, "version": chart_version, "appVersion": app_version}},
        "config": config or {},
        "manifest": manifest_text,
        "version": revision,
        "namespace": namespace,
    }


def release_record(
    name: str,
    namespace: str,
    revision: int,
    manifest_text: str,
    *,
    driver: str = "secret",
    **fields: Any,
) -> str:
    """The YAML text of the record of one revision (``driver``: ``secret`` or ``configmap``);
    ``fields`` go to :func:`release_json` (status, chart, chart_version, app_version, config)."""
    body = json.dumps(release_json(name, namespace, revision, manifest_text, **fields), separators=(",", ":"))
    encoded = base64.b64encode(gzip.compress(body.encode(), mtime=0)).decode("ascii")
    status = fields.get("status", "deployed")
    head = (
        f"metadata:\n  name: sh.helm.release.v1.{name}.v{revision}\n  namespace: {namespace}\n"
        f"  labels: {{name: {name}, owner: helm, status: {status}, version: '{revision}'}}\n"
    )
    if driver == "configmap":
        return f"apiVersion: v1\nkind: ConfigMap\n{head}data:\n  release: {encoded}\n"
    twice = base64.b64encode(encoded.encode("ascii")).decode("ascii")
    return f"apiVersion: v1\nkind: Secret\ntype: helm.sh/release.v1\n{head}data:\n  release: {twice}\n"
