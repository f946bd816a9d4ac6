"""reference-missing: a pod spec names a ConfigMap, Secret, PersistentVolumeClaim or
ServiceAccount that is not in the snapshot.

Used by: missing-reference.

Checked once per root workload (a Pod of a ReplicaSet of a Deployment is the Deployment's
concern). A reference is reported only where the snapshot holds that kind in that namespace
(otherwise a coverage gap is recorded); ``optional: true`` references, the implicit objects
Kubernetes or a mesh creates in every namespace, and Secrets that a cert-manager Certificate of
the snapshot will write (``spec.secretName``) are not reported, nor are the references of a Pod
that has terminated or a Job that has completed or failed (they start no container again).
A reference whose name is derived from a custom resource's name (Strimzi's
``<cluster>-cluster-ca-cert``) is info (``via`` says which and why): its controller probably
creates it at run time (``analyzer.rules.operators``). So is a Secret or ConfigMap that a
workload of the namespace may create and its RBAC names (argo-cd's ``argocd-redis``:
``analyzer.rules.rbac_origin``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from pydantic import AfterValidator, Field

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.objects import as_list
from analyzer.rules.finding import Severity
from analyzer.rules.kinds import POD_SPEC_KINDS
from analyzer.rules.operators import name_origin
from analyzer.rules.predicates.base import Gap, Hit, Outcome, PredicateParams, define
from analyzer.rules.rbac_origin import rbac_origin

# What the graph's references edges point at (a StatefulSet's serviceName: Service).
REFERENCED_KINDS = ("ConfigMap", "Secret", "PersistentVolumeClaim", "ServiceAccount", "Service")


def _referenced_kind(kind: str) -> str:
    if kind not in REFERENCED_KINDS:
        raise ValueError(
            f"{kind!r} is not a kind a pod spec references (one of: {', '.join(REFERENCED_KINDS)})"
        )
    return kind


ReferencedKind = Annotated[str, AfterValidator(_referenced_kind)]


class Params(PredicateParams):
    kinds: list[ReferencedKind] = Field(
        ["ConfigMap", "Secret", "PersistentVolumeClaim", "ServiceAccount"],
        description="Referenced kinds to check.",
    )
    implicit: dict[ReferencedKind, list[str]] = Field(
        {
            "ConfigMap": ["kube-root-ca.crt", "istio-ca-root-cert", "openshift-service-ca.crt"],
            "ServiceAccount": ["default"],
        },
        description="Names that exist in every namespace without being in a snapshot.",
    )


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    if graph.controller_of(subject) is not None or finished(subject):
        return
    reported: set[tuple[str, str]] = set()
    for edge in graph.references(subject):
        kind = edge.target.kind
        if kind not in params.kinds or not edge.missing or edge.optional:
            continue
        if edge.target.name in params.implicit.get(kind, ()):
            continue
        if not graph.covers("", kind, subject.namespace):
            yield Gap(kind, subject.namespace)
            continue
        if kind == "Secret" and edge.target.name in _certificate_secrets(graph, subject.namespace):
            continue
        if (kind, edge.target.name) in reported:
            continue
        reported.add((kind, edge.target.name))
        facts = {"ref_kind": kind, "ref_name": edge.target.name, "via": edge.via}
        origin = name_origin(graph, edge.target.name, subject.namespace, subject)
        if origin is not None:
            related = (edge.target,) if origin.resource is None else (edge.target, origin.resource.ref)
            yield Hit({**facts, "via": f"{edge.via}; {origin.describe()}"}, related, Severity.INFO)
            continue
        writer = rbac_origin(graph, kind, edge.target.name, subject.namespace)
        if writer is not None:
            writers = (edge.target, writer.workload.ref, writer.role.ref)
            yield Hit({**facts, "via": f"{edge.via}; {writer.describe()}"}, writers, Severity.INFO)
            continue
        yield Hit(facts, (edge.target,))


def finished(obj: K8sObject) -> bool:
    """A Pod that has terminated or a Job that completed or failed starts no container again."""
    if obj.kind == "Pod":
        return obj.status.get("phase") in ("Succeeded", "Failed")
    if obj.kind == "Job":
        return any(
            isinstance(c, dict) and c.get("type") in ("Complete", "Failed") and c.get("status") == "True"
            for c in as_list(obj.status.get("conditions"))
        )
    return False


def _certificate_secrets(graph: SnapshotGraph, namespace: str | None) -> set[str]:
    return {
        str(cert.spec.get("secretName"))
        for cert in graph.of_kind("cert-manager.io", "Certificate", namespace)
    }


PREDICATE = define(
    "reference-missing",
    Params,
    evaluate,
    kinds=POD_SPEC_KINDS,
    facts=("ref_kind", "ref_name", "via"),
)
