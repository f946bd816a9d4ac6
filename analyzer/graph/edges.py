"""The kinds of edge in the snapshot graph, and one edge as rules see it. Every edge points from
the object that *names* or *selects* to the object named or selected."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from analyzer.model import K8sObject, ObjectRef


class EdgeKind(str, Enum):
    OWNED_BY = "owned-by"  # Pod -> ReplicaSet -> Deployment, Job -> CronJob (ownerReferences)
    SELECTS = "selects"  # Service/PDB/NetworkPolicy -> Pod or pod-template owner
    REFERENCES = "references"  # pod spec -> ConfigMap/Secret/PVC/ServiceAccount; StatefulSet -> Service
    ROUTES_TO = "routes-to"  # Ingress/HTTPRoute/GRPCRoute -> Service
    SCALES = "scales"  # HorizontalPodAutoscaler -> its scale target
    MONITORS = "monitors"  # ServiceMonitor -> Service, PodMonitor -> Pod or template owner
    RUNS_ON = "runs-on"  # Pod -> Node (spec.nodeName)
    REGARDING = "regarding"  # Event -> the object it reports on (involvedObject / regarding)


@dataclass(frozen=True, slots=True)
class Edge:
    """One edge. ``target_obj`` is None when the target is missing from the snapshot."""

    kind: EdgeKind
    source: ObjectRef
    target: ObjectRef
    source_obj: K8sObject | None
    target_obj: K8sObject | None
    attrs: Mapping[str, object]

    @property
    def missing(self) -> bool:
        return self.target_obj is None

    @property
    def via(self) -> str:
        """Where the source names the target (``volume t``, ``rule a.example/``), references and routes."""
        value = self.attrs.get("via")
        return "" if value is None else str(value)

    @property
    def optional(self) -> bool:
        """``optional: true`` on a reference: the pod runs without the target."""
        return self.attrs.get("optional") is True

    @property
    def port(self) -> int | str | None:
        """The Service port a route names, by number or by name (None: not given)."""
        value = self.attrs.get("port")
        return value if isinstance(value, (int, str)) else None

    @property
    def controller(self) -> bool:
        """An owner reference marked ``controller: true``."""
        return self.attrs.get("controller") is True
