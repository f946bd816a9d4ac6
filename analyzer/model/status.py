"""What an object's ``status`` says, read the same way by every observed-state rule: conditions,
a Pod's container states, readiness.

Example: a Pod whose ``status.conditions`` hold ``{type: Ready, status: "False"}`` and whose
container ``api`` is ``waiting: {reason: CrashLoopBackOff}`` after 301 restarts gives
``pod_ready(pod) is False`` and one :class:`ContainerState` with ``waiting == "CrashLoopBackOff"``,
``restarts == 301`` and the last termination's reason and exit code.
"""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.model.objects import K8sObject, as_dict, as_list


@dataclass(frozen=True, slots=True)
class Condition:
    type: str
    status: str
    """``True``, ``False`` or ``Unknown`` (as written)."""
    reason: str
    message: str
    last_transition: str


def conditions(obj: K8sObject) -> dict[str, Condition]:
    """``status.conditions`` by type (the last one written wins, as the API server keeps one)."""
    return conditions_in(obj.status.get("conditions"))


def conditions_in(items: object) -> dict[str, Condition]:
    """A list of conditions by type, wherever it is written (an autoscaling/v1 HPA keeps them as
    JSON in an annotation); anything but a list of mappings gives none."""
    found: dict[str, Condition] = {}
    for raw in as_list(items):
        item = as_dict(raw)
        kind = item.get("type")
        if isinstance(kind, str) and kind:
            found[kind] = Condition(
                type=kind,
                status=_text(item.get("status")),
                reason=_text(item.get("reason")),
                message=_text(item.get("message")),
                last_transition=_text(item.get("lastTransitionTime") or item.get("lastUpdateTime")),
            )
    return found


def condition_is(obj: K8sObject, kind: str, status: str) -> bool:
    found = conditions(obj).get(kind)
    return found is not None and found.status == status


@dataclass(frozen=True, slots=True)
class ContainerState:
    """One entry of ``containerStatuses`` (or ``initContainerStatuses``)."""

    name: str
    init: bool
    image: str
    ready: bool
    restarts: int
    waiting: str
    """The reason of ``state.waiting`` ("" when not waiting)."""
    waiting_message: str
    running: bool
    terminated: str
    """The reason of ``state.terminated`` ("" when not terminated)."""
    last_reason: str
    """The reason of ``lastState.terminated`` (``OOMKilled``, ``Error``, ...; "" when none)."""
    last_exit_code: int | None
    exit_code: int | None = None
    """The exit code of ``state.terminated`` (None when not terminated or not written)."""
    last_finished: str = ""
    """When the last termination ended (``lastState.terminated.finishedAt``, as written)."""


def container_states(pod: K8sObject) -> list[ContainerState]:
    """Init containers first, then containers, in the order the status lists them."""
    found: list[ContainerState] = []
    for field, init in (("initContainerStatuses", True), ("containerStatuses", False)):
        for raw in as_list(pod.status.get(field)):
            item = as_dict(raw)
            state = as_dict(item.get("state"))
            last = as_dict(as_dict(item.get("lastState")).get("terminated"))
            waiting, terminated = as_dict(state.get("waiting")), as_dict(state.get("terminated"))
            code, now = last.get("exitCode"), terminated.get("exitCode")
            found.append(
                ContainerState(
                    name=_text(item.get("name")) or "?",
                    init=init,
                    image=_text(item.get("image")),
                    ready=item.get("ready") is True,
                    restarts=count(item.get("restartCount")),
                    waiting=_text(waiting.get("reason")) if "waiting" in state else "",
                    waiting_message=_text(waiting.get("message")),
                    running="running" in state,
                    terminated=_text(terminated.get("reason")) if "terminated" in state else "",
                    last_reason=_text(last.get("reason")),
                    last_exit_code=code if isinstance(code, int) and not isinstance(code, bool) else None,
                    exit_code=now if isinstance(now, int) and not isinstance(now, bool) else None,
                    last_finished=_text(last.get("finishedAt")),
                )
            )
    return found


def phase(pod: K8sObject) -> str:
    """``status.phase`` as written ("" when absent: a manifest, not a live object)."""
    return _text(pod.status.get("phase"))


def pod_ready(pod: K8sObject) -> bool | None:
    """The Pod's ``Ready`` condition; None when the status does not say (a manifest). (Read
    straight from the list: it is asked of every Pod of a dump.)"""
    ready = None
    for item in as_list(pod.status.get("conditions")):
        if isinstance(item, dict) and item.get("type") == "Ready":
            ready = item.get("status") == "True"  # the last one written wins, as in conditions()
    return ready


def restarts(pod: K8sObject) -> int:
    """The restarts of every container of the Pod, init containers included."""
    status = pod.status
    return sum(
        count(item.get("restartCount"))
        for field in ("initContainerStatuses", "containerStatuses")
        for item in as_list(status.get(field))
        if isinstance(item, dict)
    )


def pod_terminal(pod: K8sObject) -> bool:
    """Succeeded or Failed: a finished Pod (a Job's) is no longer expected to be ready."""
    return phase(pod) in ("Succeeded", "Failed")


# What kubectl shows of a Pod (pods and workloads rules) -----------------------------------------

STARTING = frozenset({"ContainerCreating", "PodInitializing"})
"""Waiting reasons of a container on its normal way to running."""


def pod_state(pod: K8sObject) -> str:
    """A short state of the Pod, close to the STATUS column of ``kubectl get pods``: the reason
    an init container (``Init:CrashLoopBackOff``) or a container (``ImagePullBackOff``,
    ``OOMKilled``) waits or terminated, ``Pending: Unschedulable``, ``Terminating``,
    ``Running, not ready``, else the phase ("" for a manifest).

    Example: a Pod whose container ``api`` waits in CrashLoopBackOff gives ``CrashLoopBackOff``;
    one whose only container waits in ContainerCreating gives ``ContainerCreating``.
    """
    if pod.metadata.get("deletionTimestamp"):
        return "Terminating"
    states = container_states(pod)
    for state in states:
        if state.init and state.waiting and state.waiting not in STARTING:
            return f"Init:{state.waiting}"
        if state.init and state.terminated and state.terminated != "Completed":
            return f"Init:{state.terminated}"
    main = [s for s in states if not s.init]
    waiting = [s.waiting for s in main if s.waiting]
    if waiting:
        return next((w for w in waiting if w not in STARTING), waiting[0])
    terminated = next((s.terminated for s in main if s.terminated), "")
    if terminated:
        return terminated
    scheduled = conditions(pod).get("PodScheduled")
    if phase(pod) == "Pending" and scheduled is not None and scheduled.status == "False":
        return f"Pending: {scheduled.reason or 'not scheduled'}"
    if phase(pod) == "Running" and pod_ready(pod) is False:
        return "Running, not ready"
    return phase(pod)


def count(value: object, default: int = 0) -> int:
    """A status count as written (``readyReplicas``, ``restartCount``); ``default`` when it is
    absent (the API omits zero counts) or not an integer."""
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _text(value: object) -> str:
    return "" if value is None else str(value)
