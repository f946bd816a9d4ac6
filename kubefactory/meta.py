"""Object metadata, owner references, Helm's marks and the ``kind: List`` envelope."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

Obj = dict[str, Any]
"""A Kubernetes object, or a part of one, as JSON holds it."""


def object_meta(
    name: str,
    *,
    uid: str,
    resource_version: str,
    created: str,
    namespace: str | None = None,
    labels: Mapping[str, str] | None = None,
    annotations: Mapping[str, str] | None = None,
    finalizers: list[str] | None = None,
    generate_name: str | None = None,
    generation: int | None = None,
    owner_references: list[Obj] | None = None,
) -> Obj:
    """``metadata``: the labels are copied, the other values kept as given; ``namespace`` and
    ``labels`` only when not empty, the optional fields whenever given (an empty
    ``annotations`` too: ``annotations: {}``)."""
    meta: Obj = {"creationTimestamp": created, "name": name, "resourceVersion": resource_version, "uid": uid}
    if namespace:
        meta["namespace"] = namespace
    if labels:
        meta["labels"] = dict(labels)
    optional = (
        ("annotations", annotations),
        ("finalizers", finalizers),
        ("generateName", generate_name),
        ("generation", generation),
        ("ownerReferences", owner_references),
    )
    meta.update((key, value) for key, value in optional if value is not None)
    return meta


def controller_ref(kind: str, name: str, uid: str, api_version: str = "apps/v1") -> Obj:
    """The owner reference a controller sets on what it creates."""
    return {
        "apiVersion": api_version,
        "blockOwnerDeletion": True,
        "controller": True,
        "kind": kind,
        "name": name,
        "uid": uid,
    }


def helm_labels(chart: str, version: str) -> dict[str, str]:
    """The labels a Helm chart adds to the objects it installs (besides the recommended ones)."""
    return {"app.kubernetes.io/managed-by": "Helm", "helm.sh/chart": f"{chart}-{version}"}


def helm_annotations(release: str, namespace: str) -> dict[str, str]:
    """The annotations Helm sets on the objects of a release."""
    return {"meta.helm.sh/release-name": release, "meta.helm.sh/release-namespace": namespace}


def object_list(items: Sequence[Obj]) -> Obj:
    """The ``kind: List`` that ``kubectl get -o yaml|json`` prints."""
    return {"apiVersion": "v1", "items": list(items), "kind": "List", "metadata": {"resourceVersion": ""}}
