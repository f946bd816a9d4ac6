"""Events, read the same way from both APIs: ``v1`` Event (``involvedObject``, ``message``,
``count``, ``lastTimestamp``) and ``events.k8s.io/v1`` Event (``regarding``, ``note``,
``series.count`` or ``deprecatedCount``, ``series.lastObservedTime``).

Example: a v1 Event in namespace ``shop`` with ``involvedObject: {kind: Pod, name: api-1}``,
``type: Warning``, ``reason: BackOff`` is about ``Pod/shop/api-1``; one about a Node (cluster-
scoped) is about ``Node/<name>`` whatever namespace the Event was written in.
"""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.model.objects import K8sObject, as_dict
from analyzer.model.refs import CLUSTER_SCOPED, ObjectRef, api_group

EVENT_KINDS: tuple[tuple[str, str], ...] = (("", "Event"), ("events.k8s.io", "Event"))


@dataclass(frozen=True, slots=True)
class EventInfo:
    """What an Event says, about which object."""

    event: K8sObject
    regarding: ObjectRef | None
    uid: str | None
    """The uid of the object it is about, when recorded (a recreated Pod has another)."""
    type: str
    """``Normal`` or ``Warning`` ("" when absent)."""
    reason: str
    message: str
    count: int
    last_seen: str
    """The latest time it was observed, as written (RFC 3339), "" when absent."""


def read_event(obj: K8sObject) -> EventInfo | None:
    """The Event ``obj`` as :class:`EventInfo`; None when ``obj`` is not an Event."""
    if obj.kind != "Event" or obj.ref.group not in ("", "events.k8s.io"):
        return None
    raw = obj.raw
    series = as_dict(raw.get("series"))
    if obj.ref.group == "":
        about = as_dict(raw.get("involvedObject"))
        message, count = raw.get("message"), raw.get("count")
        times = (series.get("lastObservedTime"), raw.get("lastTimestamp"), raw.get("eventTime"))
    else:
        about = as_dict(raw.get("regarding"))
        message, count = raw.get("note"), raw.get("deprecatedCount")
        times = (series.get("lastObservedTime"), raw.get("deprecatedLastTimestamp"), raw.get("eventTime"))
    uid = about.get("uid")
    return EventInfo(
        event=obj,
        regarding=_regarding(obj, about),
        uid=str(uid) if uid else None,
        type=_text(raw.get("type")),
        reason=_text(raw.get("reason")),
        message=_text(message),
        count=_count(count, series.get("count")),
        last_seen=next((str(t) for t in times if t), ""),
    )


def _regarding(event: K8sObject, about: dict[str, object]) -> ObjectRef | None:
    kind, name = about.get("kind"), about.get("name")
    if not isinstance(kind, str) or not isinstance(name, str) or not kind or not name:
        return None
    api_version = str(about.get("apiVersion") or "v1")
    namespace: str | None = None
    if (api_group(api_version), kind) not in CLUSTER_SCOPED:
        given = about.get("namespace")
        namespace = str(given) if given else event.namespace
    return ObjectRef(api_version, kind, namespace, name)


def _count(*values: object) -> int:
    """The largest positive count recorded; 1 (it happened once) when none is."""
    counts = [v for v in values if isinstance(v, int) and not isinstance(v, bool) and v > 0]
    return max(counts, default=1)


def _text(value: object) -> str:
    return "" if value is None else str(value)
