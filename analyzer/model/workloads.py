"""Pod templates, extracted the same way from every kind that carries one.

A Pod is its own template (observed state); Deployment, StatefulSet, DaemonSet, ReplicaSet,
ReplicationController and Job carry ``spec.template``; CronJob carries
``spec.jobTemplate.spec.template`` (desired state).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from analyzer.model.objects import K8sObject, as_dict, as_list, str_map

TEMPLATE_PATHS: dict[tuple[str, str], tuple[str, ...]] = {
    ("apps", "Deployment"): ("spec", "template"),
    ("apps", "StatefulSet"): ("spec", "template"),
    ("apps", "DaemonSet"): ("spec", "template"),
    ("apps", "ReplicaSet"): ("spec", "template"),
    ("extensions", "Deployment"): ("spec", "template"),
    ("extensions", "DaemonSet"): ("spec", "template"),
    ("extensions", "ReplicaSet"): ("spec", "template"),
    ("", "ReplicationController"): ("spec", "template"),
    ("batch", "Job"): ("spec", "template"),
    ("batch", "CronJob"): ("spec", "jobTemplate", "spec", "template"),
    ("", "PodTemplate"): ("template",),
}

CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")


@dataclass(frozen=True, slots=True)
class PodTemplate:
    """The labels and pod spec that an object runs (or would run) its pods with."""

    owner: K8sObject
    labels: dict[str, str]
    spec: dict[str, Any]
    generated: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Labels the controller adds to each pod it creates, with their possible values."""

    @property
    def is_pod(self) -> bool:
        return self.owner.ref.kind == "Pod" and self.owner.ref.group == ""

    def containers(self) -> list[dict[str, Any]]:
        """Every container of every list (init, regular, ephemeral), mappings only."""
        found: list[dict[str, Any]] = []
        for key in CONTAINER_LISTS:
            found.extend(c for c in as_list(self.spec.get(key)) if isinstance(c, dict))
        return found

    def volume_names(self) -> set[str]:
        names = {str(v.get("name")) for v in as_list(self.spec.get("volumes")) if isinstance(v, dict)}
        if self.owner.ref.kind == "StatefulSet":
            for claim in as_list(self.owner.spec.get("volumeClaimTemplates")):
                name = as_dict(as_dict(claim).get("metadata")).get("name")
                if name:
                    names.add(str(name))
        return names


def pod_template(obj: K8sObject) -> PodTemplate | None:
    """The pod template of ``obj``, or None when its kind carries none."""
    ref = obj.ref
    if ref.kind == "Pod" and ref.group == "":
        return PodTemplate(obj, obj.labels, obj.spec)
    path = TEMPLATE_PATHS.get((ref.group, ref.kind))
    if path is None:
        return None
    node: object = obj.raw
    for part in path:
        node = as_dict(node).get(part)
    template = as_dict(node)
    if not template:
        return None
    labels = str_map(as_dict(template.get("metadata")).get("labels"))
    return PodTemplate(obj, labels, as_dict(template.get("spec")), _generated_labels(obj))


MAX_ORDINALS = 1000


def _generated_labels(obj: K8sObject) -> dict[str, frozenset[str]]:
    """StatefulSet pods get ``statefulset.kubernetes.io/pod-name: <name>-<i>`` and
    ``apps.kubernetes.io/pod-index: <i>``; Services often select one replica by them."""
    if obj.ref.kind != "StatefulSet":
        return {}
    replicas = obj.spec.get("replicas", 1)
    count = replicas if isinstance(replicas, int) and not isinstance(replicas, bool) else 1
    ordinals = range(min(max(count, 1), MAX_ORDINALS))
    return {
        "statefulset.kubernetes.io/pod-name": frozenset(f"{obj.name}-{i}" for i in ordinals),
        "apps.kubernetes.io/pod-index": frozenset(str(i) for i in ordinals),
    }
