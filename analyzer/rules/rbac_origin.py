"""Objects a workload of the input writes at run time, as its own RBAC shows.

argo-cd's manifests hold no Secret ``argocd-redis``, yet every argo-cd component reads it: the
redis Deployment's init container creates it on first start. The manifests say so in RBAC: Role
``argocd-redis`` may ``create`` secrets and names ``argocd-redis`` in a rule's
``resourceNames`` (to read it back), and a RoleBinding gives that Role to ServiceAccount
``argocd-redis``, which the redis Deployment runs as. No list of such projects is kept; the
evidence is read from the input, and all of it is required:

* a Role of the object's namespace (or a ClusterRole given there by a RoleBinding, or
  cluster-wide by a ClusterRoleBinding) that may ``create`` the object's resource (``secrets``,
  ``configmaps``) and names the object itself in some rule's ``resourceNames``;
* a binding of that role to a ServiceAccount of the namespace;
* a Pod or workload of the namespace that runs as that ServiceAccount.

A Role that may create any Secret but names none is no evidence (most operators have one), and
a missing object named by a Role nobody runs as stays an error. In a live dump (the namespace's
pods have a status) nothing is allowed: the workload has run, and what exists decides.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.objects import as_dict, as_list
from analyzer.rules.operators import live

RBAC = "rbac.authorization.k8s.io"
RESOURCES = {"Secret": "secrets", "ConfigMap": "configmaps"}


@dataclass(frozen=True, slots=True)
class RbacOrigin:
    """The workload that may write the missing object, and the role that lets it."""

    workload: K8sObject
    account: str
    role: K8sObject

    def describe(self) -> str:
        w = self.workload.ref
        return (
            f"probably created at run time by {w.kind} {w.name}: its ServiceAccount {self.account} "
            f"may create it ({self.role.kind} {self.role.name} names it)"
        )


def rbac_origin(graph: SnapshotGraph, kind: str, name: str, namespace: str | None) -> RbacOrigin | None:
    """The first workload (by kind and name) of ``namespace`` whose RBAC lets it create the
    ``kind`` object ``name`` and names it; None when the input shows none."""
    resource = RESOURCES.get(kind)
    if resource is None or namespace is None or live(graph, namespace):
        return None
    for role, account in _grants(graph, namespace):
        if not _creates_and_names(role, resource, name):
            continue
        for template in graph.templates_in(namespace, roots_only=True):
            spec = template.spec
            if str(spec.get("serviceAccountName") or spec.get("serviceAccount") or "default") == account:
                return RbacOrigin(template.owner, account, role)
    return None


def _grants(graph: SnapshotGraph, namespace: str) -> Iterator[tuple[K8sObject, str]]:
    """(role, ServiceAccount of ``namespace``) for every binding that applies there."""
    bindings = [
        *graph.of_kind(RBAC, "RoleBinding", namespace),
        *graph.of_kind(RBAC, "ClusterRoleBinding", None),
    ]
    for binding in bindings:
        ref = as_dict(binding.raw.get("roleRef"))
        role_kind, role_name = ref.get("kind"), ref.get("name")
        if role_kind == "Role" and binding.kind == "RoleBinding":
            role = graph.get((RBAC, "Role", namespace, str(role_name)))
        elif role_kind == "ClusterRole":
            role = graph.get((RBAC, "ClusterRole", None, str(role_name)))
        else:
            continue
        if not isinstance(role, K8sObject):
            continue
        for subject in as_list(binding.raw.get("subjects")):
            subject = as_dict(subject)
            where = subject.get("namespace") or (namespace if binding.kind == "RoleBinding" else None)
            if subject.get("kind") == "ServiceAccount" and where == namespace and subject.get("name"):
                yield role, str(subject["name"])


def _creates_and_names(role: K8sObject, resource: str, name: str) -> bool:
    creates = names = False
    for rule in as_list(role.raw.get("rules")):
        rule = as_dict(rule)
        if not _has(rule, "apiGroups", "") or not _has(rule, "resources", resource):
            continue
        if _has(rule, "verbs", "create"):
            creates = True
        if name in as_list(rule.get("resourceNames")):
            names = True
    return creates and names


def _has(rule: dict[str, object], field: str, value: str) -> bool:
    values = as_list(rule.get(field))
    return value in values or "*" in values
