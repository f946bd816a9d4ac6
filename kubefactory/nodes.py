"""Nodes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from kubefactory.meta import Obj

HEALTHY_NODE = (
    ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
    ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
    ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
)
"""The kubelet's conditions of a healthy node: (type, status, reason, message)."""
CONTAINERD_OK = (
    "FrequentContainerdRestart",
    "False",
    "NoFrequentContainerdRestart",
    "containerd is functioning properly",
)
"""The condition node-problem-detector adds when containerd does not keep restarting."""


def node_labels(
    name: str, instance_type: str, region: str, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The well-known labels of a linux/amd64 node, with ``extra``, in alphabetical order."""
    labels = {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/instance-type": instance_type,
        "beta.kubernetes.io/os": "linux",
        "failure-domain.beta.kubernetes.io/region": region,
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "node.kubernetes.io/instance-type": instance_type,
        "topology.kubernetes.io/region": region,
        **(extra or {}),
    }
    return dict(sorted(labels.items()))


def node_annotations(extra: Mapping[str, str]) -> dict[str, str]:
    """The annotations every node carries, with ``extra``, in alphabetical order."""
    annotations = {
        "node.alpha.kubernetes.io/ttl": "0",
        "volumes.kubernetes.io/controller-managed-attach-detach": "true",
        **extra,
    }
    return dict(sorted(annotations.items()))


def taint(key: str, value: str) -> Obj:
    """A ``NoSchedule`` taint."""
    return {"effect": "NoSchedule", "key": key, "value": value}


def node_spec(provider_id: str, *, pod_cidr: str | None = None, taints: Sequence[Obj] = ()) -> Obj:
    spec: Obj = {} if pod_cidr is None else {"podCIDR": pod_cidr, "podCIDRs": [pod_cidr]}
    spec["providerID"] = provider_id
    if taints:
        spec["taints"] = list(taints)
    return spec


def node_resources(
    cpu: str, memory: str, storage: str, *, hugepages: Sequence[str] = ("2Mi",), pods: str = "110"
) -> dict[str, str]:
    """A node's ``capacity`` or ``allocatable``; ``hugepages``: the page sizes it lists (none free)."""
    resources = {"cpu": cpu, "ephemeral-storage": storage}
    resources.update((f"hugepages-{size}", "0") for size in hugepages)
    resources.update(memory=memory, pods=pods)
    return resources


PRESSURE = {
    "MemoryPressure": ("True", "KubeletHasInsufficientMemory", "kubelet has insufficient memory available"),
    "DiskPressure": ("True", "KubeletHasDiskPressure", "kubelet has disk pressure"),
    "PIDPressure": ("True", "KubeletHasInsufficientPID", "kubelet has insufficient PID available"),
}
"""The kubelet's conditions of a node under pressure: type -> (status, reason, message)."""
PRESSURE_TAINTS = {
    "MemoryPressure": "node.kubernetes.io/memory-pressure",
    "DiskPressure": "node.kubernetes.io/disk-pressure",
    "PIDPressure": "node.kubernetes.io/pid-pressure",
}
"""The taint the node lifecycle controller puts on a node while a pressure condition is True."""


def node_conditions(
    heartbeat: Callable[[], str],
    since: str,
    *,
    problem_detector: bool = False,
    pressure: Mapping[str, str] | None = None,
) -> list[Obj]:
    """The conditions of a healthy node (with node-problem-detector's: its containerd one first),
    each heard from at ``heartbeat()`` and so since ``since``; ``pressure``: the pressure
    conditions (:data:`PRESSURE`) that are True, each with the time it became so."""
    table = ((CONTAINERD_OK,) if problem_detector else ()) + HEALTHY_NODE
    out = []
    for kind, status, reason, message in table:
        changed = since
        if pressure and kind in pressure:
            (status, reason, message), changed = PRESSURE[kind], pressure[kind]
        out.append(
            {
                "lastHeartbeatTime": heartbeat(),
                "lastTransitionTime": changed,
                "message": message,
                "reason": reason,
                "status": status,
                "type": kind,
            }
        )
    return out


def pressure_taint(condition: str) -> Obj:
    """The ``NoSchedule`` taint of a node whose ``condition`` (``MemoryPressure``...) is True."""
    return {"effect": "NoSchedule", "key": PRESSURE_TAINTS[condition]}


def node_info(
    *,
    boot_id: str,
    machine_id: str,
    system_uuid: str,
    kubelet: str,
    runtime: str,
    kernel: str,
    os_image: str,
) -> Obj:
    """``status.nodeInfo`` of a linux/amd64 node running kubelet and kube-proxy ``kubelet``."""
    return {
        "architecture": "amd64",
        "bootID": boot_id,
        "containerRuntimeVersion": runtime,
        "kernelVersion": kernel,
        "kubeProxyVersion": kubelet,
        "kubeletVersion": kubelet,
        "machineID": machine_id,
        "operatingSystem": "linux",
        "osImage": os_image,
        "systemUUID": system_uuid,
    }


def node(
    metadata: Obj,
    spec: Obj,
    *,
    addresses: Sequence[tuple[str, str]],
    capacity: dict[str, str],
    allocatable: dict[str, str],
    conditions: list[Obj],
    info: Obj,
    images: list[Obj] | None = None,
) -> Obj:
    """A Node; ``addresses``: (type, address) pairs in the order listed."""
    status: Obj = {
        "addresses": [{"address": address, "type": kind} for kind, address in addresses],
        "allocatable": allocatable,
        "capacity": capacity,
        "conditions": conditions,
        "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
    }
    if images is not None:
        status["images"] = images
    status["nodeInfo"] = info
    return {"apiVersion": "v1", "kind": "Node", "metadata": metadata, "spec": spec, "status": status}
