"""node-condition: what a Node's ``status.conditions`` say is wrong with it.

Used by: node-not-ready (``check: ready``: Ready False or Unknown, since when, how many Pods of
the snapshot are bound to it) and node-pressure (``check: pressure``: MemoryPressure,
DiskPressure, PIDPressure or NetworkUnavailable True, each with its message; a cordoned node,
``spec.unschedulable: true``, is an info hit). A Node without ``status`` (a manifest) is not
judged.

Example: a Node whose Ready condition is ``Unknown`` (NodeStatusUnknown, since 05:12) with 14
Pods bound gives facts ``problem="Ready=Unknown (NodeStatusUnknown: Kubelet stopped posting node
status.) since 2025-09-13T05:12:00Z (7h before the dump)"`` and ``pods="14 pods of the snapshot
are bound to it"``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Literal

from pydantic import Field

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.status import Condition, conditions
from analyzer.model.times import age, timestamp
from analyzer.rules.finding import Severity
from analyzer.rules.kinds import Kinds
from analyzer.rules.predicates import evidence
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define

PRESSURES = ("MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable")
NODE_EVENTS = ("NodeNotReady", "NodeStatusUnknown", "Rebooted", "SystemOOM", "ContainerGCFailed")
PRESSURE_EVENTS = (
    "EvictionThresholdMet",
    "FreeDiskSpaceFailed",
    "ImageGCFailed",
    "NodeHasDiskPressure",
    "NodeHasInsufficientMemory",
    "NodeHasInsufficientPID",
    "SystemOOM",
)


class Params(PredicateParams):
    check: Literal["ready", "pressure"] = Field(
        description="ready: the Ready condition is False or Unknown; pressure: a resource pressure "
        "condition or NetworkUnavailable is True (a cordoned node is info)."
    )


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    if not subject.has_status:
        return
    found = conditions(subject)

    def bound() -> str:  # asked only of a node with a problem: most have none
        return _bound(len(graph.pods_on(subject)))

    if params.check == "ready":
        yield from _not_ready(subject, graph, found, bound)
    else:
        yield from _pressure(subject, graph, found, bound)


def _not_ready(
    subject: K8sObject, graph: SnapshotGraph, found: dict[str, Condition], bound: Callable[[], str]
) -> Iterator[Hit]:
    ready = found.get("Ready")
    if ready is None or ready.status == "True":
        return
    said = ": ".join(part for part in (ready.reason, evidence.trim(ready.message, 160)) if part)
    since = ready.last_transition or "an unknown time"
    changed, now = timestamp(ready.last_transition), graph.observed_at()
    if changed is not None and now is not None and now - changed >= timedelta(minutes=1):
        since += f" ({age(now - changed)} before the dump)"
    yield Hit(
        {
            "problem": f"Ready={ready.status or '?'}" + (f" ({said})" if said else "") + f" since {since}",
            "pods": bound(),
        },
        evidence=(evidence.condition(ready), *evidence.events(graph, subject, NODE_EVENTS)),
    )


def _bound(count: int) -> str:
    if count == 0:
        return "no pod of the snapshot is bound to it"
    if count == 1:
        return "1 pod of the snapshot is bound to it"
    return f"{count} pods of the snapshot are bound to it"


def _pressure(
    subject: K8sObject, graph: SnapshotGraph, found: dict[str, Condition], bound: Callable[[], str]
) -> Iterator[Hit]:
    pressed = [found[kind] for kind in PRESSURES if kind in found and found[kind].status == "True"]
    if pressed:
        named = ", ".join(
            c.type + (f" ({evidence.trim(c.message, 120)})" if c.message else "") for c in pressed
        )
        yield Hit(
            {"problem": f"reports {named}", "pods": bound()},
            evidence=tuple(evidence.condition(c) for c in pressed)
            + evidence.events(graph, subject, PRESSURE_EVENTS),
        )
    if subject.spec.get("unschedulable") is True:
        yield Hit(
            {"problem": "is cordoned (spec.unschedulable: true): it takes no new pods", "pods": bound()},
            severity=Severity.INFO,
        )


PREDICATE = define(
    "node-condition",
    Params,
    evaluate,
    kinds=Kinds.of([("", "Node")]),
    facts=("problem", "pods"),
)
