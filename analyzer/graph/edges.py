"""The kinds of edge in the snapshot graph. Every edge points from the object that *names* or
*selects* to the object named or selected."""

from __future__ import annotations

from enum import Enum


class EdgeKind(str, Enum):
    OWNED_BY = "owned-by"  # Pod -> ReplicaSet -> Deployment, Job -> CronJob (ownerReferences)
    SELECTS = "selects"  # Service/PDB/NetworkPolicy -> Pod or pod-template owner
    REFERENCES = "references"  # pod spec -> ConfigMap/Secret/PVC/ServiceAccount; StatefulSet -> Service
    ROUTES_TO = "routes-to"  # Ingress/HTTPRoute/GRPCRoute -> Service
    SCALES = "scales"  # HorizontalPodAutoscaler -> its scale target
    MONITORS = "monitors"  # ServiceMonitor -> Service, PodMonitor -> Pod or template owner
    RUNS_ON = "runs-on"  # Pod -> Node (spec.nodeName)
