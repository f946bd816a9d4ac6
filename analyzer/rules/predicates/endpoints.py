"""Does a Service have a ready endpoint? One judgement, shared by ``service-no-ready-endpoints``
and ``dependency-unavailable`` so that both always agree.

The evidence, best first: the Service's EndpointSlices (``endpoints[].conditions.ready``; an
unset ``ready`` counts as ready, as the API says), its Endpoints (``addresses`` against
``notReadyAddresses``), and otherwise the readiness of the Pods its selector matches (finished
Pods do not count). A Service whose selected workloads are all at ``replicas: 0`` has no endpoint
on purpose. Without any live evidence (a manifest: no Endpoints, no status) it is not judged.

Example: Service ``monitoring/opencost`` whose Endpoints hold only ``notReadyAddresses`` for
pod ``opencost-x`` gives ``Availability(State.NOT_READY, source="Endpoints", pods=(opencost-x,))``
and ``detail()`` ``"none of the 1 pod it selects is ready: opencost-x (Running, container
opencost not ready, 40 restarts)"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from weakref import WeakKeyDictionary

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject, ObjectKey, ObjectRef
from analyzer.model.objects import as_dict, as_list
from analyzer.model.selectors import object_selector
from analyzer.model.status import conditions, container_states, phase, pod_ready, pod_terminal
from analyzer.rules.operators import selector_origin

SCALABLE = frozenset({"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"})
FINITE = frozenset({"Job", "CronJob"})
"""Their pods finish: no pod of theirs is no outage."""
NAMED = 3
"""Pods named in a message; the others are counted."""


class State(Enum):
    READY = "ready"
    SELECTS_NOTHING = "selects-nothing"
    NOT_READY = "not-ready"
    """It selects pods (or its endpoints list addresses), none ready."""
    NO_ADDRESS = "no-address"
    """Its endpoints list no address although pods it selects are ready (a port mismatch)."""
    SCALED_TO_ZERO = "scaled-to-zero"
    UNKNOWN = "unknown"
    """No selector, ExternalName, no live evidence, or pods a controller makes at run time."""


@dataclass(frozen=True, slots=True)
class Availability:
    state: State
    source: str = ""
    """``EndpointSlices``, ``Endpoints`` or ``pods``: what the judgement read."""
    pods: tuple[ObjectRef, ...] = ()
    """The not-ready pods (NOT_READY) or the ready ones the endpoints leave out (NO_ADDRESS)."""
    states: tuple[str, ...] = ()
    """What each of ``pods`` is doing (``CrashLoopBackOff, 301 restarts``), in the same order."""
    workloads: tuple[K8sObject, ...] = ()
    """Scaled to zero (SCALED_TO_ZERO), or wanting pods none of which exists (NOT_READY)."""
    summary: str = ""
    """What the EndpointSlices or Endpoints hold (``Endpoints of Service a/b: 0 ready, 1 not ready``)."""

    @property
    def broken(self) -> bool:
        """No endpoint, and not on purpose."""
        return self.state in (State.SELECTS_NOTHING, State.NOT_READY, State.NO_ADDRESS)

    def detail(self) -> str:
        """Why there is no ready endpoint, for a message."""
        if self.state is State.SELECTS_NOTHING:
            return "its selector matches no pod"
        if self.state is State.SCALED_TO_ZERO:
            names = ", ".join(_workload(w) for w in self.workloads)
            if len(self.workloads) == 1:
                return f"its only workload {names} is scaled to 0 (spec.replicas: 0)"
            return f"its workloads {names} are scaled to 0 (spec.replicas: 0)"
        if self.state is State.NO_ADDRESS:
            return (
                f"its {self.source} list no address although {_count(len(self.pods), 'pod')} it selects "
                f"{'is' if len(self.pods) == 1 else 'are'} ready ({_names(self.pods, ())}): "
                "its targetPort is probably not a port of their containers"
            )
        if self.state is State.NOT_READY:
            if not self.pods and self.workloads:
                wanted = ", ".join(_wants(w) for w in self.workloads)
                return f"no pod of its workloads exists ({wanted})"
            if not self.pods:
                return f"its {self.source} list no address"
            if len(self.pods) == 1:
                return f"its only pod is not ready: {_names(self.pods, self.states)}"
            return f"none of its {len(self.pods)} pods is ready: {_names(self.pods, self.states)}"
        return ""


_CACHE: WeakKeyDictionary[SnapshotGraph, dict[ObjectKey, Availability]] = WeakKeyDictionary()


def availability(graph: SnapshotGraph, service: K8sObject) -> Availability:
    """The judgement of ``service``, computed once per graph."""
    known = _CACHE.setdefault(graph, {})
    found = known.get(service.ref.key)
    if found is None:
        found = known[service.ref.key] = _judge(graph, service)
    return found


def _judge(graph: SnapshotGraph, service: K8sObject) -> Availability:
    if service.spec.get("type") == "ExternalName":
        return Availability(State.UNKNOWN)
    selector = object_selector(("", "Service"), service.ref.api_version, service.spec)
    if selector is None or selector.is_empty:
        return Availability(State.UNKNOWN)
    selected = graph.selected(service)
    if not selected:
        if not graph.covers_pods(service.namespace):
            return Availability(State.UNKNOWN)
        if selector_origin(graph, selector, service.namespace, service) is not None:
            return Availability(State.UNKNOWN)
        return Availability(State.SELECTS_NOTHING)
    pods = [o for o in selected if o.kind == "Pod" and o.ref.group == "" and not pod_terminal(o)]
    published = _published(graph, service)
    if published is not None:
        source, ready, waiting = published
        summary = (
            f"{source} of Service {service.namespace}/{service.name}: {ready} ready, {len(waiting)} not ready"
        )
        if ready:
            return Availability(State.READY, source, summary=summary)
        if waiting:
            listed = [graph.get(("", "Pod", service.namespace, name)) for name in waiting]
            refs = [ObjectRef("v1", "Pod", service.namespace, name) for name in waiting]
            unlisted = [p for p in pods if p.name not in set(waiting) and _not_serving(p)]
            states = [_pod_state(p) for p in listed + unlisted]
            return Availability(
                State.NOT_READY, source, (*refs, *(p.ref for p in unlisted)), tuple(states), summary=summary
            )
        serving = [p for p in pods if pod_ready(p) is True]
        if serving:
            return Availability(State.NO_ADDRESS, source, tuple(p.ref for p in serving), summary=summary)
        return _without_pods(graph, service, selected, pods, source, summary)
    if not any(o.has_status for o in selected):
        return Availability(State.UNKNOWN)  # a manifest: nothing says what runs
    if any(pod_ready(p) is True for p in pods):
        return Availability(State.READY, "pods")
    if service.spec.get("publishNotReadyAddresses") is True and any(phase(p) == "Running" for p in pods):
        return Availability(State.READY, "pods")  # it sends traffic to running pods, ready or not
    return _without_pods(graph, service, selected, pods, "pods", "")


def _not_serving(pod: K8sObject) -> bool:
    """Not ready, or Pending before any condition was written."""
    ready = pod_ready(pod)
    return ready is False or (ready is None and phase(pod) == "Pending")


def _without_pods(
    graph: SnapshotGraph,
    service: K8sObject,
    selected: list[K8sObject],
    pods: list[K8sObject],
    source: str,
    summary: str,
) -> Availability:
    """No address and no ready pod: scaled to zero on purpose, or pods missing or not ready."""
    if pods:
        return Availability(
            State.NOT_READY, source, tuple(p.ref for p in pods), tuple(map(_pod_state, pods)), summary=summary
        )
    counted = graph.covers("", "Pod", service.namespace)
    roots: dict[ObjectKey, K8sObject] = {}
    for obj in selected:
        if obj.kind == "Pod":
            continue  # finished (live ones were counted): their workloads are selected too
        root = graph.root_of(obj)
        roots.setdefault(root.ref.key, root)
    if roots and all(_replicas(r) == 0 for r in roots.values()):
        return Availability(State.SCALED_TO_ZERO, source, workloads=tuple(roots.values()), summary=summary)
    if not counted:  # the dump holds no Pod there: only its endpoints can tell
        return (
            Availability(State.NOT_READY, source, summary=summary) if summary else Availability(State.UNKNOWN)
        )
    wanting = tuple(r for r in roots.values() if r.kind not in FINITE and _replicas(r) != 0)
    if not wanting:
        return Availability(State.UNKNOWN)  # only finished work (a Job's pods) behind it
    return Availability(State.NOT_READY, source, workloads=wanting, summary=summary)


def _published(graph: SnapshotGraph, service: K8sObject) -> tuple[str, int, list[str]] | None:
    """(source, ready addresses, names of not-ready pods) from EndpointSlices or Endpoints."""
    slices = graph.endpoint_slices_of(service)
    if slices:
        ready, waiting = 0, []
        for item in slices:
            for endpoint in as_list(item.raw.get("endpoints")):
                endpoint = as_dict(endpoint)
                if as_dict(endpoint.get("conditions")).get("ready") is False:
                    waiting.append(_target(endpoint))
                else:
                    ready += 1
        return "EndpointSlices", ready, _unique(waiting)
    endpoints = graph.endpoints_of(service)
    if endpoints is None:
        return None
    ready, waiting = 0, []
    for subset in as_list(endpoints.raw.get("subsets")):
        subset = as_dict(subset)
        ready += len(as_list(subset.get("addresses")))
        waiting.extend(_target(as_dict(a)) for a in as_list(subset.get("notReadyAddresses")))
    return "Endpoints", ready, _unique(waiting)


def _target(address: dict[str, object]) -> str:
    """The pod an address stands for (its targetRef), else its IP."""
    ref = as_dict(address.get("targetRef"))
    if ref.get("kind") == "Pod" and ref.get("name"):
        return str(ref["name"])
    addresses = as_list(address.get("addresses"))
    return str(address.get("ip") or (addresses[0] if addresses else "?"))


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _pod_state(pod: K8sObject | None) -> str:
    """``CrashLoopBackOff, container api, 301 restarts``; ``Pending: Unschedulable``; ``Running,
    container opencost not ready, 40 restarts``; "" when the pod is not in the snapshot."""
    if pod is None:
        return ""
    current = phase(pod) or "no phase"
    for state in container_states(pod):
        if state.ready:
            continue
        restarts = f", {_count(state.restarts, 'restart')}" if state.restarts else ""
        if state.waiting:
            return f"{state.waiting}, container {state.name}{restarts}"
        if state.terminated:
            return f"{current}, container {state.name} terminated: {state.terminated}{restarts}"
        return f"{current}, container {state.name} not ready{restarts}"
    scheduled = conditions(pod).get("PodScheduled")
    if scheduled is not None and scheduled.status == "False":
        return f"{current}: {scheduled.reason or 'not scheduled'}"
    return f"{current}, not ready"


def _names(pods: tuple[ObjectRef, ...], states: tuple[str, ...]) -> str:
    shown = []
    for index, ref in enumerate(pods[:NAMED]):
        state = states[index] if index < len(states) else ""
        shown.append(f"{ref.name} ({state})" if state else ref.name)
    more = f" and {len(pods) - NAMED} more" if len(pods) > NAMED else ""
    return ", ".join(shown) + more


def _replicas(workload: K8sObject) -> int | None:
    """``spec.replicas`` of a scalable workload (1 when unset); None for other kinds."""
    if workload.kind not in SCALABLE:
        return None
    value = workload.spec.get("replicas", 1)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _wants(workload: K8sObject) -> str:
    replicas = _replicas(workload)
    if replicas is None:
        return f"{_workload(workload)} runs none"
    return f"{_workload(workload)} wants {_count(replicas, 'replica')}"


def _workload(obj: K8sObject) -> str:
    return f"{obj.kind} {obj.namespace}/{obj.name}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
