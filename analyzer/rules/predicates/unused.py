"""unused: a ConfigMap, Secret, PersistentVolumeClaim or ServiceAccount that nothing of a live
namespace uses.

Used by: unused-configmap, unused-secret, unused-pvc, unused-serviceaccount.

Judged only in a live dump (:func:`analyzer.rules.predicates.dumps.is_dump`: Pods with a
status), every namespace of it (one without pods has none that could use the object); a
render holds templates, not what runs, and is not judged, as with the observed-state rules.
An object is used when any of these names it:

* a pod spec (Pods and pod templates: volumes, projected sources, env, envFrom,
  imagePullSecrets, serviceAccountName): the graph's ``references`` edges;
* an Ingress's ``tls[].secretName``; a ServiceAccount's ``secrets`` and ``imagePullSecrets``;
  a RoleBinding's or ClusterRoleBinding's ServiceAccount subject (permissions granted to an
  account are evidence that something outside the pods uses it: a CI job, a token);
* a PVC that a StatefulSet's ``volumeClaimTemplates`` make (kept for when it scales back);
* any other object of the namespace, or any cluster-scoped object, whose spec, data or
  annotations hold the name as a word of a value (a controller's ``--configmap=ns/name``
  argument, a custom resource's ``secretRef``, cert-manager's ``inject-ca-from: ns/name``).
  Names, labels, status, Events and Endpoints are not read: they describe, they do not use.

Never reported, because Kubernetes or Helm made them and read them through the API, not a pod
spec: objects with ownerReferences; Secrets of type ``kubernetes.io/service-account-token``
and ``bootstrap.kubernetes.io/token``; Helm release records (type ``helm.sh/release.v1``, or
label ``owner: helm``); ConfigMaps a controller publishes into every namespace
(``kube-root-ca.crt`` and the meshes' ``istio-ca-root-cert``, ``openshift-service-ca.crt``)
and leader-election locks (annotation ``control-plane.alpha.kubernetes.io/leader``); the
``default`` ServiceAccount, which the ServiceAccount controller makes in every namespace.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.objects import as_dict, as_list
from analyzer.rules.kinds import Kinds
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define
from analyzer.rules.predicates.dumps import is_dump

PUBLISHED_CONFIGMAPS = frozenset({"kube-root-ca.crt", "istio-ca-root-cert", "openshift-service-ca.crt"})
"""Published into every namespace by kube-controller-manager, istiod, OpenShift's CA operator."""
SYSTEM_SECRET_TYPES = frozenset(
    {"kubernetes.io/service-account-token", "bootstrap.kubernetes.io/token", "helm.sh/release.v1"}
)
LEADER_ANNOTATION = "control-plane.alpha.kubernetes.io/leader"
NOT_USERS = frozenset(
    {
        ("", "Event"),
        ("events.k8s.io", "Event"),
        ("", "Endpoints"),
        ("discovery.k8s.io", "EndpointSlice"),
        ("apiextensions.k8s.io", "CustomResourceDefinition"),
    }
)
"""Kinds whose text never uses an object: records of what happened or runs, schemas."""


class Params(PredicateParams):
    pass


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    if not is_dump(graph):
        return  # a render: templates, not what runs
    if _made_by_the_system(subject):
        return
    if graph.referrers(subject) or _named_by_objects(subject, graph):
        return
    if subject.kind == "PersistentVolumeClaim" and graph.claim_templates(subject):
        return
    if _mentioned(graph, subject):
        return
    yield Hit()


def _made_by_the_system(obj: K8sObject) -> bool:
    if obj.owner_references():
        return True
    kind = obj.kind
    if kind == "Secret":
        return obj.raw.get("type") in SYSTEM_SECRET_TYPES or obj.labels.get("owner") == "helm"
    if kind == "ConfigMap":
        return (
            obj.name in PUBLISHED_CONFIGMAPS
            or obj.labels.get("owner") == "helm"
            or LEADER_ANNOTATION in as_dict(obj.metadata.get("annotations"))
        )
    if kind == "ServiceAccount":
        return obj.name == "default"
    return False


def _named_by_objects(subject: K8sObject, graph: SnapshotGraph) -> bool:
    """Named by an Ingress's TLS, a ServiceAccount's secrets, or a binding's subjects."""
    ns, name = subject.namespace, subject.name
    if subject.kind == "Secret":
        for ingress in graph.of_kind("networking.k8s.io", "Ingress", ns) + graph.of_kind(
            "extensions", "Ingress", ns
        ):
            if any(as_dict(t).get("secretName") == name for t in as_list(ingress.spec.get("tls"))):
                return True
        for account in graph.of_kind("", "ServiceAccount", ns):
            listed = as_list(account.raw.get("secrets")) + as_list(account.raw.get("imagePullSecrets"))
            if any(as_dict(s).get("name") == name for s in listed):
                return True
    if subject.kind == "ServiceAccount":
        group = "rbac.authorization.k8s.io"
        for binding in graph.of_kind(group, "RoleBinding", ns) + graph.of_kind(group, "ClusterRoleBinding"):
            for who in as_list(binding.raw.get("subjects")):
                who = as_dict(who)
                named = who.get("kind") == "ServiceAccount" and who.get("name") == name
                if named and (who.get("namespace") or binding.namespace) == ns:
                    return True
    return False


@dataclass(frozen=True, slots=True)
class _Text:
    """The JSON of the spec, data and annotations of some objects, one after another."""

    text: str
    starts: list[int]
    """Where each object's JSON starts in ``text``."""
    objects: list[int]
    """The ``id`` of each object, in the same order."""

    def mentions(self, name: str, besides: K8sObject) -> bool:
        """Does an object other than ``besides`` hold ``name`` as a word of a value (not a key)?"""
        if name not in self.text:  # the common case, at C speed
            return False
        word = re.compile(rf"(?<![-a-z0-9.]){re.escape(name)}(?![-a-z0-9]|\.[a-z0-9]|\":)")
        return any(
            self.objects[bisect_right(self.starts, m.start()) - 1] != id(besides)
            for m in word.finditer(self.text)
        )


_TEXTS: WeakKeyDictionary[SnapshotGraph, dict[str | None, _Text]] = WeakKeyDictionary()


def _mentioned(graph: SnapshotGraph, subject: K8sObject) -> bool:
    """Is the subject's name a word of another object of its namespace or a cluster-scoped one?"""
    return any(_text(graph, ns).mentions(subject.name, subject) for ns in {subject.namespace, None})


def _text(graph: SnapshotGraph, namespace: str | None) -> _Text:
    """The text of the objects of ``namespace`` (built once per graph). Pods and templates a
    controller of the snapshot owns are read through that controller."""
    cache = _TEXTS.setdefault(graph, {})
    found = cache.get(namespace)
    if found is None:
        parts: list[str] = []
        starts: list[int] = []
        objects: list[int] = []
        at = 0
        for group, kind in list(graph.kinds()):
            if (group, kind) in NOT_USERS:
                continue
            every = (
                graph.of_kind(group, kind, namespace) if namespace is not None else graph.of_kind(group, kind)
            )
            for obj in every:
                if obj.namespace != namespace or graph.controller_of(obj) is not None:
                    continue
                used = {
                    k: v for k, v in obj.raw.items() if k not in ("apiVersion", "kind", "metadata", "status")
                }
                part = json.dumps([obj.metadata.get("annotations"), used], default=str) + "\n"
                parts.append(part)
                starts.append(at)
                objects.append(id(obj))
                at += len(part)
        found = cache[namespace] = _Text("".join(parts), starts, objects)
    return found


PREDICATE = define(
    "unused",
    Params,
    evaluate,
    kinds=Kinds.of(
        [("", "ConfigMap"), ("", "Secret"), ("", "PersistentVolumeClaim"), ("", "ServiceAccount")]
    ),
    facts=(),
)
