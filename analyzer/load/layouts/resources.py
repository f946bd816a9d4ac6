"""Resource names -> kinds: the built-in kinds of Kubernetes (and of OpenShift, whose dumps name
folders the same way), looked up by the name a folder gives them, and the kinds the CRDs of an
input declare. Dumps name folders for a kind in several ways, all accepted: the resource plural
(``pods``, ``networkpolicies``), the kind (``pod``, ``NetworkPolicy``), a short name and its
plural (``pvc``, ``pvcs``, ``crd``), with hyphens or underscores (``network-policy``,
``custom-resource-definitions``). An unknown name gives None: a kind is never guessed.

    >>> lookup("pvcs").kind, lookup("network-policy").api_version
    ('PersistentVolumeClaim', 'networking.k8s.io/v1')
    >>> lookup("ingresses", "config.openshift.io").api_version
    'config.openshift.io/v1'
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Resource:
    group: str
    version: str
    kind: str
    plural: str
    short: tuple[str, ...] = ()

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    def names(self) -> set[str]:
        """Every folder name that means this resource, normalised (:func:`normal`)."""
        names = {self.plural, self.kind.lower(), self.plural.removesuffix("s")}
        for short in self.short:
            names |= {short, short + "s"}
        return {normal(name) for name in names}


def _group(group: str, version: str, *kinds: tuple[str, str, tuple[str, ...]]) -> list[Resource]:
    return [Resource(group, version, kind, plural, short) for kind, plural, short in kinds]


BUILT_IN: tuple[Resource, ...] = (
    # Kubernetes first: a name without a group means the Kubernetes kind (events -> core Event).
    *_group(
        "",
        "v1",
        ("Pod", "pods", ("po",)),
        ("Service", "services", ("svc",)),
        ("Endpoints", "endpoints", ("ep",)),
        ("ConfigMap", "configmaps", ("cm",)),
        ("Secret", "secrets", ()),
        ("ServiceAccount", "serviceaccounts", ("sa",)),
        ("PersistentVolumeClaim", "persistentvolumeclaims", ("pvc",)),
        ("PersistentVolume", "persistentvolumes", ("pv",)),
        ("Node", "nodes", ("no",)),
        ("Namespace", "namespaces", ("ns",)),
        ("Event", "events", ("ev",)),
        ("LimitRange", "limitranges", ("limits",)),
        ("ResourceQuota", "resourcequotas", ("quota",)),
        ("ReplicationController", "replicationcontrollers", ("rc",)),
        ("PodTemplate", "podtemplates", ()),
    ),
    *_group(
        "apps",
        "v1",
        ("Deployment", "deployments", ("deploy",)),
        ("ReplicaSet", "replicasets", ("rs",)),
        ("StatefulSet", "statefulsets", ("sts",)),
        ("DaemonSet", "daemonsets", ("ds",)),
        ("ControllerRevision", "controllerrevisions", ()),
    ),
    *_group("batch", "v1", ("Job", "jobs", ()), ("CronJob", "cronjobs", ("cj",))),
    *_group("autoscaling", "v2", ("HorizontalPodAutoscaler", "horizontalpodautoscalers", ("hpa",))),
    *_group(
        "networking.k8s.io",
        "v1",
        ("Ingress", "ingresses", ("ing",)),
        ("NetworkPolicy", "networkpolicies", ("netpol",)),
        ("IngressClass", "ingressclasses", ()),
    ),
    *_group("policy", "v1", ("PodDisruptionBudget", "poddisruptionbudgets", ("pdb",))),
    *_group(
        "rbac.authorization.k8s.io",
        "v1",
        ("Role", "roles", ()),
        ("RoleBinding", "rolebindings", ()),
        ("ClusterRole", "clusterroles", ()),
        ("ClusterRoleBinding", "clusterrolebindings", ()),
    ),
    *_group(
        "storage.k8s.io",
        "v1",
        ("StorageClass", "storageclasses", ("sc",)),
        ("VolumeAttachment", "volumeattachments", ()),
        ("CSIDriver", "csidrivers", ()),
        ("CSINode", "csinodes", ()),
    ),
    *_group(
        "apiextensions.k8s.io", "v1", ("CustomResourceDefinition", "customresourcedefinitions", ("crd",))
    ),
    *_group(
        "admissionregistration.k8s.io",
        "v1",
        ("MutatingWebhookConfiguration", "mutatingwebhookconfigurations", ()),
        ("ValidatingWebhookConfiguration", "validatingwebhookconfigurations", ()),
    ),
    *_group("scheduling.k8s.io", "v1", ("PriorityClass", "priorityclasses", ("pc",))),
    *_group("coordination.k8s.io", "v1", ("Lease", "leases", ())),
    *_group("discovery.k8s.io", "v1", ("EndpointSlice", "endpointslices", ())),
    *_group(
        "certificates.k8s.io", "v1", ("CertificateSigningRequest", "certificatesigningrequests", ("csr",))
    ),
    *_group("apiregistration.k8s.io", "v1", ("APIService", "apiservices", ())),
    *_group("node.k8s.io", "v1", ("RuntimeClass", "runtimeclasses", ())),
    *_group("events.k8s.io", "v1", ("Event", "events", ("ev",))),
    # OpenShift's own APIs (must-gather and Insights archives are OpenShift's).
    *_group(
        "config.openshift.io",
        "v1",
        ("APIServer", "apiservers", ()),
        ("Authentication", "authentications", ()),
        ("ClusterOperator", "clusteroperators", ("co",)),
        ("ClusterVersion", "clusterversions", ()),
        ("Console", "consoles", ()),
        ("DNS", "dnses", ()),
        ("FeatureGate", "featuregates", ()),
        ("Image", "images", ()),
        ("Infrastructure", "infrastructures", ()),
        ("Ingress", "ingresses", ()),
        ("Network", "networks", ()),
        ("OAuth", "oauths", ()),
        ("OperatorHub", "operatorhubs", ()),
        ("Project", "projects", ()),
        ("Proxy", "proxies", ()),
        ("Scheduler", "schedulers", ()),
    ),
    *_group("image.openshift.io", "v1", ("ImageStream", "imagestreams", ("is",))),
    *_group("route.openshift.io", "v1", ("Route", "routes", ())),
    *_group("apps.openshift.io", "v1", ("DeploymentConfig", "deploymentconfigs", ("dc",))),
    *_group(
        "security.openshift.io", "v1", ("SecurityContextConstraints", "securitycontextconstraints", ("scc",))
    ),
    *_group(
        "imageregistry.operator.openshift.io",
        "v1",
        ("Config", "configs", ()),
        ("ImagePruner", "imagepruners", ()),
    ),
    *_group(
        "machineconfiguration.openshift.io",
        "v1",
        ("MachineConfig", "machineconfigs", ("mc",)),
        ("MachineConfigPool", "machineconfigpools", ("mcp",)),
        ("KubeletConfig", "kubeletconfigs", ()),
        ("ContainerRuntimeConfig", "containerruntimeconfigs", ("ctrcfg",)),
    ),
    *_group(
        "machine.openshift.io",
        "v1beta1",
        ("Machine", "machines", ()),
        ("MachineSet", "machinesets", ()),
        ("MachineHealthCheck", "machinehealthchecks", ("mhc",)),
    ),
)

CORE_GROUP_FOLDERS = ("core", "")
"""How must-gather names the core group's folder (``namespaces/<ns>/core/pods.yaml``)."""


def normal(name: str) -> str:
    """A folder name as compared: lower case, without ``-`` and ``_``."""
    return name.lower().replace("-", "").replace("_", "")


@functools.cache
def _index() -> dict[str, tuple[Resource, ...]]:
    index: dict[str, list[Resource]] = {}
    for resource in BUILT_IN:
        for name in resource.names():
            index.setdefault(name, []).append(resource)
    return {name: tuple(found) for name, found in index.items()}


def lookup(name: str, group: str | None = None) -> Resource | None:
    """The built-in resource a folder ``name`` means, of ``group`` when given (``core`` is the
    core group), else the first of the table (Kubernetes before OpenShift); None if unknown."""
    found = _index().get(normal(name), ())
    if group is None:
        return found[0] if found else None
    wanted = "" if group in CORE_GROUP_FOLDERS else group
    return next((resource for resource in found if resource.group == wanted), None)


def is_builtin_group(name: str) -> bool:
    """Whether ``name`` is the group of a kind of :data:`BUILT_IN` (``core`` for the core group)."""
    return name in CORE_GROUP_FOLDERS or any(resource.group == name for resource in BUILT_IN)


def is_group(name: str) -> bool:
    """Whether a folder name is an API group: ``core``, a built-in group without a dot
    (``apps``, ``batch``...) or any dotted name (``longhorn.io``)."""
    return name in CORE_GROUP_FOLDERS[:1] or "." in name or any(r.group == name for r in BUILT_IN)


def crd_resources(values: Iterable[Any]) -> dict[str, Resource]:
    """``<plural>.<group>`` -> resource for each CRD among ``values`` (CRDs, with or without
    their kind, or lists of them), at the version it stores (else the first it serves)."""
    found: dict[str, Resource] = {}
    for value in values:
        items = value.get("items") if isinstance(value, dict) and "items" in value else [value]
        for crd in items if isinstance(items, list) else ():
            spec = crd.get("spec") if isinstance(crd, dict) else None
            if (
                not isinstance(spec, dict)
                or crd.get("kind", "CustomResourceDefinition") != "CustomResourceDefinition"
            ):
                continue
            names, group = spec.get("names"), spec.get("group")
            if not isinstance(names, dict) or not isinstance(group, str) or not group:
                continue
            kind, plural = names.get("kind"), names.get("plural")
            version = _stored_version(spec)
            if isinstance(kind, str) and kind and isinstance(plural, str) and plural and version:
                found[f"{plural}.{group}"] = Resource(group, version, kind, plural)
    return found


def _stored_version(spec: dict[str, Any]) -> str | None:
    versions = spec.get("versions")
    named = (
        [v for v in versions if isinstance(v, dict) and isinstance(v.get("name"), str)]
        if isinstance(versions, list)
        else []
    )
    for version in named:
        if version.get("storage") is True:
            return str(version["name"])
    if named:
        return str(named[0]["name"])
    legacy = spec.get("version")  # apiextensions.k8s.io/v1beta1
    return legacy if isinstance(legacy, str) and legacy else None
