"""Timestamps as the API server writes them (RFC 3339: ``2025-09-13T05:12:00Z``, with fractions
of a second or an offset), read on any Python from 3.10, and ages for messages.

Example: ``timestamp("2025-09-13T05:12:00.5+02:00")`` is 03:12:00.5 UTC that day;
``timestamp("yesterday")`` and ``timestamp(None)`` are None; ``age(timedelta(hours=50))`` is
``"2 days"``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

from analyzer.model.objects import as_dict, as_list

RFC3339 = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:([Zz])|([+-])(\d\d):?(\d\d))?$"
)


def timestamp(value: object) -> datetime | None:
    """``value`` as an aware UTC datetime; None when it is not an RFC 3339 time (a time without
    an offset is taken as UTC)."""
    if not isinstance(value, str):
        return None
    match = RFC3339.match(value.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.group(1, 2, 3, 4, 5, 6))
    micro = int((match.group(7) or "0")[:6].ljust(6, "0"))
    offset = timedelta()
    if match.group(9):
        offset = timedelta(hours=int(match.group(10)), minutes=int(match.group(11)))
        offset = -offset if match.group(9) == "-" else offset
    try:
        when = datetime(year, month, day, hour, minute, min(second, 59), micro, tzinfo=timezone.utc)
    except ValueError:
        return None
    return when - offset


EVENT_TIMES = ("lastTimestamp", "eventTime", "deprecatedLastTimestamp", "firstTimestamp")
STATUS_TIMES = ("startTime", "lastScheduleTime", "lastSuccessfulTime", "completionTime")
CONDITION_TIMES = ("lastTransitionTime", "lastHeartbeatTime", "lastProbeTime", "lastUpdateTime")
CANONICAL = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def times_in(raw: dict[str, Any]) -> Iterator[object]:
    """The moments an object records (read as written): its creationTimestamp; an Event's
    times; ``status`` start, schedule and completion times; its conditions' transition, heartbeat
    and probe times; its containers' start and finish times."""
    yield as_dict(raw.get("metadata")).get("creationTimestamp")
    if raw.get("kind") == "Event":
        yield from (raw.get(k) for k in EVENT_TIMES)
        yield as_dict(raw.get("series")).get("lastObservedTime")
    status = as_dict(raw.get("status"))
    if not status:
        return
    yield from (status.get(k) for k in STATUS_TIMES)
    for condition in as_list(status.get("conditions")):
        condition = as_dict(condition)
        yield from (condition.get(k) for k in CONDITION_TIMES)
    for key in ("initContainerStatuses", "containerStatuses"):
        for container in as_list(status.get(key)):
            for state in (as_dict(container).get("state"), as_dict(container).get("lastState")):
                for detail in as_dict(state).values():
                    detail = as_dict(detail)
                    yield detail.get("startedAt")
                    yield detail.get("finishedAt")


def newest(values: Iterable[object]) -> datetime | None:
    """The latest of the RFC 3339 times among ``values`` (others ignored). Canonical UTC times
    (``2025-09-13T05:12:00Z``, nearly all of a dump) are compared as text, parsed once."""
    best_text = ""
    best: datetime | None = None
    for value in values:
        if not isinstance(value, str) or not value:
            continue
        if len(value) == 20 and CANONICAL.match(value):
            best_text = max(best_text, value)
            continue
        when = timestamp(value)
        if when is not None and (best is None or when > best):
            best = when
    text_time = timestamp(best_text) if best_text else None
    if text_time is None or (best is not None and best > text_time):
        return best
    return text_time


def iso(when: datetime) -> str:
    """``2025-09-13T05:12:00Z`` (UTC, whole seconds)."""
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def age(gap: timedelta) -> str:
    """A rounded-down age: ``40s``, ``12m``, ``5h``, ``2 days`` (from 48 hours on)."""
    seconds = max(0, int(gap.total_seconds()))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 48 * 3600:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400} days"
