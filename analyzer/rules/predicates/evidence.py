"""Evidence for observed-state findings, quoted the same way by every predicate: the Events about
an object (reason, count, last message) and the last lines of a Pod's log.

Example: the Events of a crash-looping Pod give
``Evidence("event", "BackOff x1234 (last 2025-09-13T05:12:00Z): Back-off restarting failed container api")``.
"""

from __future__ import annotations

from collections.abc import Collection

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject, ObjectRef
from analyzer.model.events import EventInfo
from analyzer.model.status import Condition
from analyzer.rules.finding import Evidence

WIDTH = 200
"""Longest quoted line: Events and logs can be kilobytes long."""


def trim(text: str, width: int = WIDTH) -> str:
    """One line, at most ``width`` characters (an ellipsis says it was cut)."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def events(
    graph: SnapshotGraph,
    about: K8sObject | ObjectRef,
    reasons: Collection[str] = (),
    *,
    warnings_only: bool = True,
    limit: int = 3,
    other: bool = False,
) -> tuple[Evidence, ...]:
    """The latest ``limit`` Events about ``about`` (of ``reasons`` when given), newest last.
    With ``other``, each names its object (evidence gathered from a workload's Pods)."""
    chosen = [
        e
        for e in graph.events_of(about)
        if (not reasons or e.reason in reasons) and (not warnings_only or e.type != "Normal")
    ][-limit:]
    ref = about.ref if isinstance(about, K8sObject) else about
    return tuple(Evidence("event", describe(e), ref if other else None) for e in chosen)


def describe(event: EventInfo) -> str:
    """``BackOff x1234 (last 2025-09-13T05:12:00Z): Back-off restarting failed container``."""
    when = f" (last {event.last_seen})" if event.last_seen else ""
    return trim(f"{event.reason} x{event.count}{when}: {event.message}")


def log_tail(graph: SnapshotGraph, pod: K8sObject, lines: int = 5) -> tuple[Evidence, ...]:
    """The last non-empty ``lines`` lines of the Pod's log, when the dump held it, as one item."""
    text = graph.log_tail(pod)
    if not text:
        return ()
    kept = [trim(line) for line in text.splitlines() if line.strip() and not _banner(line)][-lines:]
    return (Evidence("log", "\n".join(kept)),) if kept else ()


def _banner(line: str) -> bool:
    """``==== START logs for container api of pod shop/api-1 ====`` and its END twin, which
    ``kubectl cluster-info dump`` writes around each container's log."""
    return line.startswith("==== ") and line.rstrip().endswith(" ====") and " logs for " in line


def condition(found: Condition, about: ObjectRef | None = None) -> Evidence:
    """A condition, quoted: ``Ready=Unknown since 2025-09-13T05:12:00Z: NodeStatusUnknown:
    Kubelet stopped posting node status.``"""
    since = f" since {found.last_transition}" if found.last_transition else ""
    said = "".join(f": {part}" for part in (found.reason, found.message) if part)
    return Evidence("condition", trim(f"{found.type}={found.status}{since}{said}"), about)
