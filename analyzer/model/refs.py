"""Object identity: ObjectRef, and which kinds are cluster-scoped."""

from __future__ import annotations

from dataclasses import dataclass, field

# Kinds that have no namespace, keyed by API group ("" is the core group).
CLUSTER_SCOPED: frozenset[tuple[str, str]] = frozenset(
    {
        ("", "Node"),
        ("", "Namespace"),
        ("", "PersistentVolume"),
        ("", "ComponentStatus"),
        ("storage.k8s.io", "StorageClass"),
        ("storage.k8s.io", "CSIDriver"),
        ("storage.k8s.io", "CSINode"),
        ("storage.k8s.io", "VolumeAttachment"),
        ("rbac.authorization.k8s.io", "ClusterRole"),
        ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
        ("scheduling.k8s.io", "PriorityClass"),
        ("networking.k8s.io", "IngressClass"),
        ("apiextensions.k8s.io", "CustomResourceDefinition"),
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy"),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"),
        ("apiregistration.k8s.io", "APIService"),
        ("node.k8s.io", "RuntimeClass"),
        ("policy", "PodSecurityPolicy"),
        ("certificates.k8s.io", "CertificateSigningRequest"),
        ("flowcontrol.apiserver.k8s.io", "FlowSchema"),
        ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"),
        ("gateway.networking.k8s.io", "GatewayClass"),
        ("cert-manager.io", "ClusterIssuer"),
        ("config.openshift.io", "ClusterOperator"),
        ("config.openshift.io", "ClusterVersion"),
        ("machineconfiguration.openshift.io", "MachineConfig"),
        ("machineconfiguration.openshift.io", "MachineConfigPool"),
        ("security.openshift.io", "SecurityContextConstraints"),
    }
)


def api_group(api_version: str) -> str:
    """The group part of an apiVersion: ``apps/v1`` -> ``apps``, ``v1`` -> ``""``."""
    group, sep, _ = api_version.rpartition("/")
    return group if sep else ""


ObjectKey = tuple[str, str, "str | None", str]
"""Identity used for indexes: (API group, kind, namespace or None, name)."""


@dataclass(frozen=True, slots=True, order=True)
class ObjectRef:
    """A reference to an object, present in the snapshot or not.

    Identity is (group, kind, namespace, name): two refs that differ only in the version of
    their apiVersion name the same object.
    """

    api_version: str
    kind: str
    namespace: str | None
    name: str
    key: ObjectKey = field(init=False, repr=False, compare=False)
    """(group, kind, namespace, name), computed once: every index and graph node uses it."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", (api_group(self.api_version), self.kind, self.namespace, self.name))

    @property
    def group(self) -> str:
        return self.key[0]

    def display(self) -> str:
        """``Kind/namespace/name`` (``Kind/name`` when cluster-scoped)."""
        if self.namespace is None:
            return f"{self.kind}/{self.name}"
        return f"{self.kind}/{self.namespace}/{self.name}"

    def to_json(self) -> dict[str, str | None]:
        return {
            "apiVersion": self.api_version,
            "kind": self.kind,
            "namespace": self.namespace,
            "name": self.name,
        }
