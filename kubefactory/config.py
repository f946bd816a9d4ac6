"""Namespaces, ServiceAccounts, ConfigMaps, Secrets and PersistentVolumeClaims."""

from __future__ import annotations

from kubefactory.ids import b64
from kubefactory.meta import Obj


def namespace(metadata: Obj) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": metadata,
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    }


def service_account(metadata: Obj) -> Obj:
    return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": metadata}


def configmap(metadata: Obj, data: dict[str, str]) -> Obj:
    """A ConfigMap holding ``data`` (kept as given)."""
    return {"apiVersion": "v1", "data": data, "kind": "ConfigMap", "metadata": metadata}


def secret(metadata: Obj, data: dict[str, str], kind: str = "Opaque") -> Obj:
    """A Secret of type ``kind`` holding ``data``'s values (plain text, stored in base64)."""
    return {
        "apiVersion": "v1",
        "data": {key: b64(value) for key, value in data.items()},
        "kind": "Secret",
        "metadata": metadata,
        "type": kind,
    }


def claim_spec(size: str, storage_class: str) -> Obj:
    """The spec of a claim of ``size`` (``20Gi``) on one node at a time."""
    return {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": size}},
        "storageClassName": storage_class,
        "volumeMode": "Filesystem",
    }


def bound_claim(metadata: Obj, *, size: str, storage_class: str, volume: str) -> Obj:
    """A PersistentVolumeClaim of ``size`` bound to PersistentVolume ``volume``."""
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": metadata,
        "spec": {**claim_spec(size, storage_class), "volumeName": volume},
        "status": {"accessModes": ["ReadWriteOnce"], "capacity": {"storage": size}, "phase": "Bound"},
    }
