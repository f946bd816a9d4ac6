"""ingress-tls-secret-missing: an Ingress names in ``spec.tls[].secretName`` a Secret that is not
in its namespace, so the controller serves its default (self-signed) certificate for those hosts.

Used by: ingress-tls-secret-missing.

Judged only where the snapshot holds Secrets in the Ingress's namespace (otherwise a coverage
gap: a dump taken without read access to Secrets holds none). A ``tls`` entry without
``secretName`` asks for the controller's default certificate on purpose.

cert-manager writes the Secret itself, by principle and with evidence from the input: a
``cert-manager.io`` Certificate of the namespace whose ``spec.secretName`` is that name, or an
Ingress annotated for cert-manager's ingress-shim (``cert-manager.io/issuer``,
``cert-manager.io/cluster-issuer``, ``kubernetes.io/tls-acme: "true"``), which makes such a
Certificate. In manifests that is silence (the Secret appears once issued); in a live dump (the
namespace's pods are present) the Secret should be there, so a missing one is an info finding:
issuance has not finished or failed (``kubectl describe certificate``). A Secret name derived
from a custom resource's name is info too, as for ``missing-reference``.
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject, ObjectRef
from analyzer.model.objects import as_dict, as_list
from analyzer.rules.finding import Severity
from analyzer.rules.kinds import Kinds
from analyzer.rules.operators import live, name_origin
from analyzer.rules.predicates.base import Gap, Hit, Outcome, PredicateParams, define

SHIM_ANNOTATIONS = ("cert-manager.io/issuer", "cert-manager.io/cluster-issuer")
ACME_ANNOTATION = "kubernetes.io/tls-acme"


class Params(PredicateParams):
    pass


def tls_secrets(ingress: K8sObject) -> dict[str, list[str]]:
    """Each ``tls[].secretName`` of an Ingress, with the hosts it serves, in order."""
    found: dict[str, list[str]] = {}
    for entry in as_list(ingress.spec.get("tls")):
        entry = as_dict(entry)
        name = entry.get("secretName")
        if isinstance(name, str) and name and "/" not in name:
            hosts = found.setdefault(name, [])
            hosts.extend(h for h in as_list(entry.get("hosts")) if isinstance(h, str) and h not in hosts)
    return found


def cert_manager_evidence(graph: SnapshotGraph, ingress: K8sObject, secret: str) -> str | None:
    """Why cert-manager will write ``secret``, from the input; None when nothing says so."""
    for cert in graph.of_kind("cert-manager.io", "Certificate", ingress.namespace):
        if cert.spec.get("secretName") == secret:
            return f"Certificate {cert.name} writes it"
    annotations = ingress.annotations
    for key in SHIM_ANNOTATIONS:
        if annotations.get(key):
            return f"annotation {key}: {annotations[key]} asks cert-manager to issue it"
    if annotations.get(ACME_ANNOTATION) == "true":
        return f"annotation {ACME_ANNOTATION}: true asks cert-manager to issue it"
    return None


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    wanted = tls_secrets(subject)
    if not wanted:
        return
    if not graph.covers("", "Secret", subject.namespace):
        yield Gap("Secret", subject.namespace)
        return
    missing: list[str] = []
    pending: list[str] = []
    related: list[ObjectRef] = []
    for name, hosts in wanted.items():
        ref = ObjectRef("v1", "Secret", subject.namespace, name)
        if graph.get(ref.key) is not None:
            continue
        served = f"hosts {', '.join(hosts)}" if hosts else "no host named"
        evidence = cert_manager_evidence(graph, subject, name)
        if evidence is None:
            origin = name_origin(graph, name, subject.namespace, subject)
            evidence = None if origin is None else origin.describe()
            if origin is not None and origin.resource is not None:
                related.append(origin.resource.ref)
        elif not live(graph, subject.namespace):
            continue  # a render: cert-manager writes the Secret once the certificate is issued
        else:
            evidence += ", not issued yet"
        related.append(ref)
        if evidence is None:
            missing.append(f"{name} ({served})")
        else:
            pending.append(f"{name} ({served}; {evidence})")
    if missing or pending:
        facts = {"secrets": "; ".join(missing + pending)}
        yield Hit(facts, tuple(related), None if missing else Severity.INFO)


PREDICATE = define(
    "tls-secret-missing",
    Params,
    evaluate,
    kinds=Kinds.of([("networking.k8s.io", "Ingress"), ("extensions", "Ingress")]),
    facts=("secrets",),
)
