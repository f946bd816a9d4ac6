"""Kubernetes' deprecated API versions: the table of the Deprecated API Migration Guide
(https://kubernetes.io/docs/reference/using-api/deprecation-guide/), one row per kind and
apiVersion, for rule ``deprecated-api``.

``deprecated`` is the release from which the API server warns about the version (the release
its replacement was the one to use); ``removed`` the first release that no longer serves it;
``replacement`` the apiVersion to write instead, None when the API is gone without one
(PodSecurityPolicy: Pod Security Admission is not an object to migrate to).

>>> lookup("batch/v1beta1", "CronJob").replacement
'batch/v1'
"""

from __future__ import annotations

from typing import NamedTuple

from analyzer.model.versions import KubeVersion


class Deprecation(NamedTuple):
    api_version: str
    kind: str
    deprecated: KubeVersion
    removed: KubeVersion
    replacement: str | None


def _rows(
    api_version: str, kinds: str, deprecated: str, removed: str, replacement: str | None
) -> list[Deprecation]:
    dep, rem = (KubeVersion(1, int(v.split(".")[1])) for v in (deprecated, removed))
    return [Deprecation(api_version, kind, dep, rem, replacement) for kind in kinds.split()]


TABLE: tuple[Deprecation, ...] = tuple(
    row
    for rows in (
        # Removed in 1.16
        _rows("extensions/v1beta1", "DaemonSet Deployment ReplicaSet", "1.9", "1.16", "apps/v1"),
        _rows("apps/v1beta1", "Deployment StatefulSet", "1.9", "1.16", "apps/v1"),
        _rows("apps/v1beta2", "DaemonSet Deployment ReplicaSet StatefulSet", "1.9", "1.16", "apps/v1"),
        _rows("extensions/v1beta1", "NetworkPolicy", "1.9", "1.16", "networking.k8s.io/v1"),
        _rows("extensions/v1beta1", "PodSecurityPolicy", "1.11", "1.16", None),
        # Removed in 1.22
        _rows(
            "admissionregistration.k8s.io/v1beta1",
            "MutatingWebhookConfiguration ValidatingWebhookConfiguration",
            "1.16",
            "1.22",
            "admissionregistration.k8s.io/v1",
        ),
        _rows(
            "apiextensions.k8s.io/v1beta1",
            "CustomResourceDefinition",
            "1.16",
            "1.22",
            "apiextensions.k8s.io/v1",
        ),
        _rows("apiregistration.k8s.io/v1beta1", "APIService", "1.19", "1.22", "apiregistration.k8s.io/v1"),
        _rows("authentication.k8s.io/v1beta1", "TokenReview", "1.19", "1.22", "authentication.k8s.io/v1"),
        _rows(
            "authorization.k8s.io/v1beta1",
            "LocalSubjectAccessReview SelfSubjectAccessReview SubjectAccessReview",
            "1.19",
            "1.22",
            "authorization.k8s.io/v1",
        ),
        _rows(
            "certificates.k8s.io/v1beta1",
            "CertificateSigningRequest",
            "1.19",
            "1.22",
            "certificates.k8s.io/v1",
        ),
        _rows("coordination.k8s.io/v1beta1", "Lease", "1.19", "1.22", "coordination.k8s.io/v1"),
        _rows("extensions/v1beta1", "Ingress", "1.14", "1.22", "networking.k8s.io/v1"),
        _rows("networking.k8s.io/v1beta1", "Ingress IngressClass", "1.19", "1.22", "networking.k8s.io/v1"),
        _rows(
            "rbac.authorization.k8s.io/v1beta1",
            "ClusterRole ClusterRoleBinding Role RoleBinding",
            "1.17",
            "1.22",
            "rbac.authorization.k8s.io/v1",
        ),
        _rows("scheduling.k8s.io/v1beta1", "PriorityClass", "1.14", "1.22", "scheduling.k8s.io/v1"),
        _rows(
            "storage.k8s.io/v1beta1",
            "CSIDriver CSINode StorageClass VolumeAttachment",
            "1.19",
            "1.22",
            "storage.k8s.io/v1",
        ),
        # Removed in 1.25
        _rows("batch/v1beta1", "CronJob", "1.21", "1.25", "batch/v1"),
        _rows("discovery.k8s.io/v1beta1", "EndpointSlice", "1.21", "1.25", "discovery.k8s.io/v1"),
        _rows("events.k8s.io/v1beta1", "Event", "1.19", "1.25", "events.k8s.io/v1"),
        _rows("autoscaling/v2beta1", "HorizontalPodAutoscaler", "1.22", "1.25", "autoscaling/v2"),
        _rows("policy/v1beta1", "PodDisruptionBudget", "1.21", "1.25", "policy/v1"),
        _rows("policy/v1beta1", "PodSecurityPolicy", "1.21", "1.25", None),
        _rows("node.k8s.io/v1beta1", "RuntimeClass", "1.20", "1.25", "node.k8s.io/v1"),
        # Removed in 1.26
        _rows(
            "flowcontrol.apiserver.k8s.io/v1beta1",
            "FlowSchema PriorityLevelConfiguration",
            "1.23",
            "1.26",
            "flowcontrol.apiserver.k8s.io/v1",
        ),
        _rows("autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.23", "1.26", "autoscaling/v2"),
        # Removed in 1.27
        _rows("storage.k8s.io/v1beta1", "CSIStorageCapacity", "1.24", "1.27", "storage.k8s.io/v1"),
        # Removed in 1.29
        _rows(
            "flowcontrol.apiserver.k8s.io/v1beta2",
            "FlowSchema PriorityLevelConfiguration",
            "1.26",
            "1.29",
            "flowcontrol.apiserver.k8s.io/v1",
        ),
        # Removed in 1.32
        _rows(
            "flowcontrol.apiserver.k8s.io/v1beta3",
            "FlowSchema PriorityLevelConfiguration",
            "1.29",
            "1.32",
            "flowcontrol.apiserver.k8s.io/v1",
        ),
    )
    for row in rows
)

_BY_KEY: dict[tuple[str, str], Deprecation] = {(d.api_version, d.kind): d for d in TABLE}


def lookup(api_version: str, kind: str) -> Deprecation | None:
    """The deprecation of ``kind`` at ``api_version``, or None when that version is not deprecated."""
    return _BY_KEY.get((api_version, kind))
