"""container-failing: a live Pod with a container (init containers too) that waits for one of the
given reasons, or, when ``restarts`` is set, that restarted at least that many times. One hit per
Pod, naming every failing container, the worst first.

Example: container ``api`` waiting in CrashLoopBackOff after 301 restarts, last terminated with
reason Error and exit code 1, gives the facts ``container=api``, ``restarts=301`` and
``state="CrashLoopBackOff, 301 restarts, last terminated Error (exit code 1)"``.

Used by: pod-crashloop (``waiting: [CrashLoopBackOff]``, ``restarts: 5``) and
pod-image-pull-failure (``waiting: [ErrImagePull, ImagePullBackOff, ...]``). A manifest without
``status`` and a finished Pod (Succeeded, Failed) are never judged.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import Field

from analyzer.graph import EdgeKind, SnapshotGraph
from analyzer.model import K8sObject, ObjectRef
from analyzer.model.objects import as_dict, as_list
from analyzer.model.status import ContainerState, container_states, pod_terminal
from analyzer.rules.finding import Evidence, Severity
from analyzer.rules.kinds import Kinds
from analyzer.rules.predicates import evidence
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define

NEEDED_KINDS = frozenset({"PersistentVolumeClaim", "ConfigMap", "Secret"})
"""What a Pod references whose own findings can explain its containers' failures."""

UNHELPFUL_MESSAGES = frozenset({"CrashLoopBackOff"})
"""Waiting reasons whose message adds nothing (``back-off 5m0s restarting failed container``)."""


class Params(PredicateParams):
    waiting: list[str] = Field(
        min_length=1, description="Waiting reasons (state.waiting.reason) that make a container failing."
    )
    restarts: int | None = Field(
        default=None,
        ge=1,
        description="Restarts that make a container failing by themselves (null: they never do).",
    )
    events: list[str] = Field(default=[], description="Reasons of the Pod's Events quoted as evidence.")
    logs: bool = Field(default=False, description="Quote the end of the Pod's log (a cluster-info dump's).")


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    if not _suspect(subject.status, params) or pod_terminal(subject):
        return
    failing = [s for s in container_states(subject) if _failing(s, params)]
    if not failing:
        return
    failing.sort(key=lambda s: (s.waiting not in params.waiting, -s.restarts))
    worst, others = failing[0], failing[1:]
    proof = evidence.events(graph, subject, params.events, warnings_only=False) if params.events else ()
    logs: tuple[Evidence, ...] = evidence.log_tail(graph, subject) if params.logs else ()
    yield Hit(
        {
            "container": worst.name,
            "container_kind": _kind(worst),
            "image": worst.image or _spec_image(subject, worst) or "?",
            "restarts": str(worst.restarts),
            "state": describe(worst),
            "containers": ", ".join(s.name for s in failing),
            "others": "".join(f"; also {_kind(s)} {s.name}: {describe(s)}" for s in others),
        },
        severity=None if _down(failing, params) else Severity.WARNING,
        evidence=proof + logs,
        because_of=needs(subject, graph),
    )


def describe(state: ContainerState) -> str:
    """``CrashLoopBackOff, 301 restarts, last terminated Error (exit code 1)``;
    ``ImagePullBackOff: Back-off pulling image "api:2.4"``; a container running again says when
    it last ended (``running, 7 restarts, last terminated Error (exit code 1) at <finishedAt>``)."""
    now = state.waiting
    if not now and state.terminated:
        now = f"terminated {_termination(state.terminated, state.exit_code)}"
    parts = [now or ("running" if state.running else "waiting")]
    if state.restarts or state.waiting == "CrashLoopBackOff":
        parts.append(f"{state.restarts} restart{'' if state.restarts == 1 else 's'}")
    last = _termination(state.last_reason, state.last_exit_code)
    if last:
        when = f" at {state.last_finished}" if state.running and state.last_finished else ""
        parts.append(f"last terminated {last}{when}")
    text = ", ".join(parts)
    if state.waiting and state.waiting_message and state.waiting not in UNHELPFUL_MESSAGES:
        text += f": {evidence.trim(state.waiting_message, 160)}"
    return text


def needs(pod: K8sObject, graph: SnapshotGraph) -> tuple[ObjectRef, ...]:
    """What a Pod's failure may come from: its root workload (not the Pod itself), the claims,
    ConfigMaps and Secrets it references, and the Node it is bound to (when in the snapshot)."""
    found: dict[tuple[str, str, str | None, str], ObjectRef] = {}
    root = graph.root_of(pod)
    if root is not pod:
        found[root.ref.key] = root.ref
    for edge in graph.references(pod):
        if edge.target.kind in NEEDED_KINDS and edge.target.group == "":
            found.setdefault(edge.target.key, edge.target)
    for node in graph.targets(pod, EdgeKind.RUNS_ON):
        found.setdefault(node.ref.key, node.ref)
    return tuple(found.values())


def _suspect(status: dict[str, Any], params: Params) -> bool:
    """Might a container fail? Read straight from the status, for speed: most Pods of a dump run."""
    for key in ("initContainerStatuses", "containerStatuses"):
        for item in as_list(status.get(key)):
            if not isinstance(item, dict):
                continue
            count = item.get("restartCount")
            if params.restarts is not None and type(count) is int and count >= params.restarts:
                return True
            if as_dict(as_dict(item.get("state")).get("waiting")).get("reason") in params.waiting:
                return True
    return False


def _failing(state: ContainerState, params: Params) -> bool:
    if state.waiting in params.waiting:
        return True
    return params.restarts is not None and state.restarts >= params.restarts


def _down(failing: list[ContainerState], params: Params) -> bool:
    """Is a failing container down? Not when every one failed for its restarts only and now
    runs ready, or (an init container) finished well: it crashed often, but serves; a warning."""
    return any(s.waiting in params.waiting or not ((s.running and s.ready) or _done(s)) for s in failing)


def _done(state: ContainerState) -> bool:
    """An init container that ran to completion (exit code 0) after its restarts."""
    return state.init and bool(state.terminated) and state.exit_code == 0


def _kind(state: ContainerState) -> str:
    return "init container" if state.init else "container"


def _termination(reason: str, code: int | None) -> str:
    """``Error (exit code 1)``, ``OOMKilled (exit code 137)``, ``with exit code 2``; "" for none."""
    if reason and code is not None:
        return f"{reason} (exit code {code})"
    return reason or ("" if code is None else f"with exit code {code}")


def _spec_image(pod: K8sObject, state: ContainerState) -> str:
    template = pod.spec.get("initContainers" if state.init else "containers")
    for container in template if isinstance(template, list) else []:
        if isinstance(container, dict) and container.get("name") == state.name:
            return str(container.get("image") or "")
    return ""


PREDICATE = define(
    "container-failing",
    Params,
    evaluate,
    kinds=Kinds.of([("", "Pod")]),
    facts=("container", "container_kind", "image", "restarts", "state", "containers", "others"),
)
