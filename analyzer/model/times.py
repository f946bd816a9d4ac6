"""Timestamps as the API server writes them (RFC 3339: ``2025-09-13T05:12:00Z``, with fractions
of a second or an offset), read on any Python from 3.10, and ages for messages.

Example: ``timestamp("2025-09-13T05:12:00.5+02:00")`` is 03:12:00.5 UTC that day;
``timestamp("yesterday")`` and ``timestamp(None)`` are None; ``age(timedelta(hours=50))`` is
``"2 days"``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
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
        when = datetime(year, month, day, hour, minute, min(second, 59), micro, tzinfo=UTC)
    except ValueError:
        return None
    return when - offset


EVENT_TIMES = ("lastTimestamp", "eventTime", "deprecatedLastTimestamp", "firstTimestamp")
STATUS_TIMES = ("startTime", "lastScheduleTime", "lastSuccessfulTime", "completionTime")
CONDITION_TIMES = ("lastTransitionTime", "lastHeartbeatTime", "lastProbeTime", "lastUpdateTime")


def times_in(raw: dict[str, Any]) -> list[str]:
    """The moments an object records, as written: its creationTimestamp; an Event's times;
    ``status`` start, schedule and completion times; its conditions' transition, heartbeat and
    probe times; its containers' start and finish times. (Read for every object of a dump: kept
    to plain loops.)"""
    found: list[str] = []
    add = found.append
    _pick(as_dict(raw.get("metadata")), ("creationTimestamp",), add)
    if raw.get("kind") == "Event":
        _pick(raw, EVENT_TIMES, add)
        _pick(as_dict(raw.get("series")), ("lastObservedTime",), add)
    status = raw.get("status")
    if not isinstance(status, dict) or not status:
        return found
    _pick(status, STATUS_TIMES, add)
    for condition in as_list(status.get("conditions")):
        if isinstance(condition, dict):
            _pick(condition, CONDITION_TIMES, add)
    for key in ("initContainerStatuses", "containerStatuses"):
        for container in as_list(status.get(key)):
            if not isinstance(container, dict):
                continue
            for state in (container.get("state"), container.get("lastState")):
                if isinstance(state, dict):
                    for detail in state.values():
                        if isinstance(detail, dict):
                            _pick(detail, ("startedAt", "finishedAt"), add)
    return found


def _pick(source: dict[str, Any], keys: tuple[str, ...], add: Callable[[str], None]) -> None:
    for key in keys:
        value = source.get(key)
        if isinstance(value, str) and value:
            add(value)


def newest(values: Iterable[object]) -> datetime | None:
    """The latest of the RFC 3339 times among ``values`` (others ignored). Canonical UTC times
    (``2025-09-13T05:12:00Z``, nearly all of a dump) are compared as text, the latest parsed once."""
    canonical: list[str] = []
    best: datetime | None = None
    for value in values:
        if not isinstance(value, str):
            continue
        if len(value) == 20 and value[10] == "T" and value[19] == "Z" and value[:4].isdigit():
            canonical.append(value)
            continue
        when = timestamp(value)
        if when is not None and (best is None or when > best):
            best = when
    text_time = timestamp(max(canonical)) if canonical else None
    if text_time is None and canonical:  # the latest-looking text was not a time after all
        text_time = max((t for t in map(timestamp, canonical) if t is not None), default=None)
    if text_time is None or (best is not None and best > text_time):
        return best
    return text_time


def iso(when: datetime) -> str:
    """``2025-09-13T05:12:00Z`` (UTC, whole seconds)."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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
