"""Events as ``kubectl get events -o yaml`` prints them (``v1`` Event).

Two recorders write them, with two shapes:

- :func:`event`: client-go's ``record`` package (the kubelet, the controllers): ``count``,
  ``firstTimestamp`` and ``lastTimestamp``, ``source`` (``component`` and, for the kubelet, ``host``),
  ``reportingComponent``/``reportingInstance`` copied from the source, ``eventTime: null``;
- :func:`series_event`: the ``events.k8s.io`` recorder (the scheduler), read through the v1 API:
  ``eventTime``, a ``series`` when repeated, ``action``, no count, ``firstTimestamp: null``,
  ``lastTimestamp: null``, ``source: {}``.

Example: ``event(meta, pod_ref(...), "BackOff", "Back-off restarting ...", kind="Warning",
component="kubelet", host="node-1", first=..., last=..., count=12)``.
"""

from __future__ import annotations

from datetime import datetime

from kubefactory.ids import TIME_FORMAT
from kubefactory.meta import Obj


def event_name(involved: str, first: str, nanos: int) -> str:
    """The name a recorder gives an Event: ``<object>.<hex of the Unix time in ns of its first
    occurrence>`` (``first`` to the second, ``nanos`` the fraction)."""
    seconds = int((datetime.strptime(first, TIME_FORMAT) - datetime(1970, 1, 1)).total_seconds())
    return f"{involved}.{seconds * 1_000_000_000 + nanos:x}"


def involved(
    kind: str,
    name: str,
    uid: str,
    resource_version: str,
    *,
    namespace: str | None,
    api_version: str = "v1",
    field_path: str | None = None,
) -> Obj:
    """The ``involvedObject`` of an Event (``field_path``: ``spec.containers{app}`` for a container;
    ``api_version`` and ``resource_version`` left out when empty, as in the kubelet's Events about
    its Node, whose ``uid`` is the node's name)."""
    out: Obj = {"apiVersion": api_version} if api_version else {}
    if field_path:
        out["fieldPath"] = field_path
    out["kind"] = kind
    out["name"] = name
    if namespace:
        out["namespace"] = namespace
    if resource_version:
        out["resourceVersion"] = resource_version
    out["uid"] = uid
    return out


def event(
    metadata: Obj,
    about: Obj,
    reason: str,
    message: str,
    *,
    kind: str,
    component: str,
    first: str,
    last: str,
    count: int = 1,
    host: str | None = None,
) -> Obj:
    """An Event of client-go's ``record`` recorder (kubelet: ``host`` is its node)."""
    source: Obj = {"component": component}
    if host:
        source["host"] = host
    return {
        "apiVersion": "v1",
        "count": count,
        "eventTime": None,
        "firstTimestamp": first,
        "involvedObject": about,
        "kind": "Event",
        "lastTimestamp": last,
        "message": message,
        "metadata": metadata,
        "reason": reason,
        "reportingComponent": component,
        "reportingInstance": host or "",
        "source": source,
        "type": kind,
    }


def series_event(
    metadata: Obj,
    about: Obj,
    reason: str,
    message: str,
    *,
    kind: str,
    controller: str,
    instance: str,
    action: str,
    first: str,
    last: str | None = None,
    count: int = 1,
) -> Obj:
    """An Event of the ``events.k8s.io`` recorder read as v1: ``first`` and ``last`` are micro-time
    strings (``2025-09-13T07:58:07.123456Z``); a ``series`` when it happened more than once."""
    out: Obj = {
        "action": action,
        "apiVersion": "v1",
        "eventTime": first,
        "firstTimestamp": None,
        "involvedObject": about,
        "kind": "Event",
        "lastTimestamp": None,
        "message": message,
        "metadata": metadata,
        "reason": reason,
        "reportingComponent": controller,
        "reportingInstance": instance,
    }
    if count > 1 and last:
        out["series"] = {"count": count, "lastObservedTime": last}
    out["source"] = {}
    out["type"] = kind
    return out
