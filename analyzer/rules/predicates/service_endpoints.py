"""service-endpoints: a Service whose selector matches pods, none of them ready (read from its
EndpointSlices or Endpoints when the dump holds them, else from the pods: :mod:`.endpoints`).

Used by: service-no-ready-endpoints. A Service whose selector matches nothing is left to
service-selector-matches-nothing; one whose only workloads are at ``replicas: 0`` is info (no
endpoint on purpose), because of that workload. Not-ready pods are named with their state, and
the finding is because of them.

Example: Endpoints ``monitoring/opencost`` with only ``notReadyAddresses`` (pod ``opencost-x``,
Running, container not ready) gives one hit, because of Pod ``monitoring/opencost-x``.
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.rules.finding import Evidence, Severity
from analyzer.rules.kinds import Kinds
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define
from analyzer.rules.predicates.endpoints import State, availability
from analyzer.rules.predicates.evidence import events

PROBE_REASONS = ("Unhealthy", "BackOff", "FailedScheduling", "FailedMount", "FailedCreate")


class Params(PredicateParams):
    pass


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    found = availability(graph, subject)
    if found.state is State.SCALED_TO_ZERO:
        refs = tuple(w.ref for w in found.workloads)
        yield Hit({"problem": found.detail()}, refs, Severity.INFO, because_of=refs)
    elif found.state is State.NO_ADDRESS:
        # The Service's own ports are the suspect: service-port-mismatch on it explains this.
        yield Hit(
            {"problem": found.detail()},
            found.pods,
            evidence=_published(found.summary),
            because_of=(subject.ref,),
        )
    elif found.state is State.NOT_READY:
        evidence = list(_published(found.summary))
        for pod in found.pods[:3]:
            evidence.extend(events(graph, pod, PROBE_REASONS, limit=1, other=True))
        because = found.pods or tuple(w.ref for w in found.workloads)
        yield Hit({"problem": found.detail()}, because, evidence=tuple(evidence), because_of=because)


def _published(summary: str) -> tuple[Evidence, ...]:
    return (Evidence("status", summary),) if summary else ()


PREDICATE = define(
    "service-endpoints", Params, evaluate, kinds=Kinds.of([("", "Service")]), facts=("problem",)
)
