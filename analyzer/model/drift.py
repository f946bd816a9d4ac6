"""Drift: how a live object differs from the form its Helm release rendered, in the fields that
matter for the graph only (what selects what, what runs, what is mounted and referenced).

Compared: a Service's ``spec.selector`` and ``spec.ports`` (name, port, targetPort, protocol);
a workload's ``spec.selector``, pod template labels, ``spec.replicas`` (unless an autoscaler
owns them), container images by container name (init containers too), volumes (name and source:
kind and the ConfigMap, Secret or claim named) and env references (``configMapKeyRef`` /
``secretKeyRef`` names and keys, ``envFrom``). What the API server defaults is not drift: a port
without protocol is TCP, targetPort defaults to port, replicas to 1; nodePort, clusterIP,
imagePullPolicy and the rest are not compared at all::

    >>> [d.describe("prometheus", 3) for d in differences(live_service, rendered_service)]
    ['selector is app=prometheus, release prometheus rev 3 rendered app.kubernetes.io/name=prometheus']

Values are described, never Secret data: an env reference names a Secret and a key, no value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from analyzer.model.objects import K8sObject, as_dict, as_list, str_map
from analyzer.model.workloads import TEMPLATE_PATHS, pod_template

NONE = "none"

REPLICA_KINDS = frozenset(
    {
        ("apps", "Deployment"),
        ("apps", "StatefulSet"),
        ("apps", "ReplicaSet"),
        ("extensions", "Deployment"),
        ("extensions", "ReplicaSet"),
        ("", "ReplicationController"),
    }
)
"""Kinds whose ``spec.replicas`` (default 1) is compared."""

SELECTOR_KINDS = frozenset(
    {
        ("apps", "Deployment"),
        ("apps", "StatefulSet"),
        ("apps", "DaemonSet"),
        ("apps", "ReplicaSet"),
        ("extensions", "Deployment"),
        ("extensions", "DaemonSet"),
        ("extensions", "ReplicaSet"),
        ("", "ReplicationController"),
    }
)
"""Kinds whose own ``spec.selector`` is compared (a Job's is generated unless manualSelector)."""

JOB_LABELS = (
    "controller-uid",
    "job-name",
    "batch.kubernetes.io/controller-uid",
    "batch.kubernetes.io/job-name",
)
"""Template labels the API server adds to a Job (and its selector): not drift."""

PLURAL_FIELDS = frozenset({"ports", "template labels"})

SERVICE_ACCOUNT_VOLUME = "kube-api-access-"
"""The projected token volume the API server adds to every Pod."""


@dataclass(frozen=True, slots=True)
class Difference:
    """One field where the live object differs from its rendered form.

    ``field`` names the part (``selector``, ``image of container app``), ``live`` and
    ``rendered`` describe both values; ``selects`` is true when the difference changes what
    the object selects or which objects select its pods (selectors, template labels).
    """

    field: str
    live: str
    rendered: str
    selects: bool = False

    def describe(self, release: str, revision: int) -> str:
        """``selector is app=x, release r rev 3 rendered app.kubernetes.io/name=x``."""
        verb = "are" if self.field in PLURAL_FIELDS else "is"
        return f"{self.field} {verb} {self.live}, release {release} rev {revision} rendered {self.rendered}"


def differences(live: K8sObject, rendered: K8sObject, *, scaled: bool = False) -> list[Difference]:
    """Every difference between ``live`` and ``rendered`` (the same object in a release's
    manifest), in a fixed order. ``scaled``: an autoscaler owns the replicas (not compared)."""
    key = (live.ref.group, live.ref.kind)
    if key == ("", "Service"):
        return _service(live.spec, rendered.spec)
    if key not in TEMPLATE_PATHS and key != ("", "Pod"):
        return []
    found: list[Difference] = []
    if key in SELECTOR_KINDS or (key == ("batch", "Job") and rendered.spec.get("manualSelector") is True):
        _compare(found, "selector", _label_selector(live.spec), _label_selector(rendered.spec), selects=True)
    live_template, rendered_template = pod_template(live), pod_template(rendered)
    if live_template is None or rendered_template is None:
        return found
    ignored = JOB_LABELS if key == ("batch", "Job") else ()
    _compare_maps(
        found,
        "template labels",
        {k: v for k, v in live_template.labels.items() if k not in ignored},
        {k: v for k, v in rendered_template.labels.items() if k not in ignored},
    )
    if key in REPLICA_KINDS and not scaled:
        _compare(found, "replicas", _replicas(live.spec), _replicas(rendered.spec))
    found.extend(_pod_spec(live_template.spec, rendered_template.spec, pod=key == ("", "Pod")))
    return found


def changes_selection(found: list[Difference]) -> bool:
    """Does one of the differences change a selector or the labels pods are selected by?"""
    return any(d.selects for d in found)


# -- Services ---------------------------------------------------------------------------------


def _service(live: Mapping[str, Any], rendered: Mapping[str, Any]) -> list[Difference]:
    found: list[Difference] = []
    _compare_maps(found, "selector", str_map(live.get("selector")), str_map(rendered.get("selector")))
    live_ports, rendered_ports = _ports(live), _ports(rendered)
    if sorted(live_ports) != sorted(rendered_ports):
        found.append(Difference("ports", ", ".join(live_ports) or NONE, ", ".join(rendered_ports) or NONE))
    return found


def _ports(spec: Mapping[str, Any]) -> list[str]:
    """Each port as ``name 80->http/TCP`` (protocol TCP and targetPort = port when unset)."""
    described = []
    for raw in as_list(spec.get("ports")):
        port = as_dict(raw)
        number = _scalar(port.get("port"))
        target = _scalar(port.get("targetPort")) or number
        protocol = _scalar(port.get("protocol")) or "TCP"
        name = _scalar(port.get("name"))
        described.append(f"{name + ' ' if name else ''}{number}->{target}/{protocol}")
    return described


# -- Workloads --------------------------------------------------------------------------------


def _label_selector(spec: Mapping[str, Any]) -> str:
    """``spec.selector`` as written: a map (ReplicationController) or a LabelSelector."""
    raw = spec.get("selector")
    data = as_dict(raw)
    if "matchLabels" not in data and "matchExpressions" not in data:
        return ",".join(f"{k}={v}" for k, v in sorted(str_map(raw).items())) or NONE
    parts = [f"{k}={v}" for k, v in sorted(str_map(data.get("matchLabels")).items())]
    for expression in as_list(data.get("matchExpressions")):
        item = as_dict(expression)
        values = ",".join(sorted(str(v) for v in as_list(item.get("values"))))
        parts.append(
            f"{item.get('key')} {item.get('operator')} ({values})"
            if values
            else f"{item.get('key')} {item.get('operator')}"
        )
    return ",".join(sorted(parts)) or NONE


def _replicas(spec: Mapping[str, Any]) -> str:
    value = spec.get("replicas")
    return "1" if value is None else str(value)


def _pod_spec(live: Mapping[str, Any], rendered: Mapping[str, Any], *, pod: bool) -> list[Difference]:
    found: list[Difference] = []
    live_images, rendered_images = _images(live), _images(rendered)
    for name in _union(live_images, rendered_images):
        _compare(
            found,
            f"image of container {name}",
            live_images.get(name, "absent"),
            rendered_images.get(name, "absent"),
        )
    live_volumes, rendered_volumes = _volumes(live, pod), _volumes(rendered, pod)
    for name in _union(live_volumes, rendered_volumes):
        _compare(
            found, f"volume {name}", live_volumes.get(name, "absent"), rendered_volumes.get(name, "absent")
        )
    live_env, rendered_env = _env(live), _env(rendered)
    for name in _union(live_env, rendered_env):
        have, want = live_env.get(name, frozenset()), rendered_env.get(name, frozenset())
        if have != want:
            found.append(Difference(f"env of container {name}", _listing(have - want), _listing(want - have)))
    return found


def _containers(spec: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        as_dict(c)
        for key in ("initContainers", "containers")
        for c in as_list(spec.get(key))
        if isinstance(c, dict)
    ]


def _images(spec: Mapping[str, Any]) -> dict[str, str]:
    return {str(c.get("name")): _scalar(c.get("image")) or NONE for c in _containers(spec)}


def _volumes(spec: Mapping[str, Any], pod: bool) -> dict[str, str]:
    """Volume name -> ``configMap x`` / ``secret y`` / ``persistentVolumeClaim z`` / ``emptyDir``."""
    found: dict[str, str] = {}
    for raw in as_list(spec.get("volumes")):
        volume = as_dict(raw)
        name = _scalar(volume.get("name"))
        if not name or (pod and name.startswith(SERVICE_ACCOUNT_VOLUME)):
            continue
        sources = sorted(k for k in volume if k != "name")
        kind = sources[0] if sources else NONE
        source = as_dict(volume.get(kind))
        named = _scalar(source.get(VOLUME_NAME_FIELDS.get(kind, "")))
        found[name] = f"{kind} {named}" if named else kind
    return found


VOLUME_NAME_FIELDS = {"configMap": "name", "secret": "secretName", "persistentVolumeClaim": "claimName"}


def _env(spec: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    """Container name -> its references: ``X from secret s/key``, ``all of configMap c``."""
    found: dict[str, frozenset[str]] = {}
    for container in _containers(spec):
        refs: set[str] = set()
        for raw in as_list(container.get("env")):
            var = as_dict(raw)
            source = as_dict(var.get("valueFrom"))
            for field, kind in (("configMapKeyRef", "configMap"), ("secretKeyRef", "secret")):
                ref = as_dict(source.get(field))
                if ref:
                    refs.add(f"{var.get('name')} from {kind} {ref.get('name')}/{ref.get('key')}")
        for raw in as_list(container.get("envFrom")):
            item = as_dict(raw)
            prefix = _scalar(item.get("prefix"))
            for field, kind in (("configMapRef", "configMap"), ("secretRef", "secret")):
                ref = as_dict(item.get(field))
                if ref:
                    refs.add(f"all of {kind} {ref.get('name')}" + (f" as {prefix}*" if prefix else ""))
        if refs:
            found[str(container.get("name"))] = frozenset(refs)
    return found


# -- helpers ----------------------------------------------------------------------------------


def _compare(found: list[Difference], field: str, live: str, rendered: str, *, selects: bool = False) -> None:
    if live != rendered:
        found.append(Difference(field, live, rendered, selects))


def _compare_maps(
    found: list[Difference], field: str, live: Mapping[str, str], rendered: Mapping[str, str]
) -> None:
    """Label maps: equal whatever their order; each described in its written order."""
    if dict(live) != dict(rendered):
        found.append(Difference(field, _pairs(live), _pairs(rendered), selects=True))


def _pairs(labels: Mapping[str, str]) -> str:
    """``a=1,b=2`` in written order, ``none`` when empty."""
    return ",".join(f"{k}={v}" for k, v in labels.items()) or NONE


def _scalar(value: object) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value)


def _union(a: Mapping[str, object], b: Mapping[str, object]) -> list[str]:
    return sorted(set(a) | set(b))


def _listing(items: frozenset[str]) -> str:
    return ", ".join(sorted(items)) or NONE
