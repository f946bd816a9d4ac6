"""unused: a ConfigMap, Secret, PersistentVolumeClaim or ServiceAccount that nothing of a live
namespace uses.

Used by: unused-configmap, unused-secret, unused-pvc, unused-serviceaccount.

Judged only in a live dump (:func:`analyzer.rules.predicates.dumps.is_dump`: Pods with a
status), every namespace of it (one without pods has none that could use the object); a
render holds templates, not what runs, and is not judged, as with the observed-state rules. An object is used
when any of these names it:

* a pod spec (Pods and pod templates: volumes, projected sources, env, envFrom,
  imagePullSecrets, serviceAccountName): the graph's ``references`` edges;
* an Ingress's ``tls[].secretName``; a ServiceAccount's ``secrets`` and ``imagePullSecrets``;
  a RoleBinding's or ClusterRoleBinding's ServiceAccount subject (permissions granted to an
  account are evidence that something outside the pods uses it: a CI job, a token);
* a PVC that a StatefulSet's ``volumeClaimTemplates`` make (kept for when it scales back);
* any other object of the namespace, or any cluster-scoped object, whose spec, data or
  annotations hold the name as a word (a controller's ``--configmap=ns/name`` argument, a
  custom resource's ``secretRef``, cert-manager's ``inject-ca-from: ns/name``). Names, labels,
  status and Events are not read: they describe, they do not use.

Never reported, because Kubernetes or Helm made them and read them through the API, not a pod
spec: objects with ownerReferences; Secrets of type ``kubernetes.io/service-account-token``
and ``bootstrap.kubernetes.io/token``; Helm release records (type ``helm.sh/release.v1``, or
label ``owner: helm``); ConfigMaps a controller publishes into every namespace
(``kube-root-ca.crt`` and the meshes' ``istio-ca-root-cert``, ``openshift-service-ca.crt``)
and leader-election locks (annotation ``control-plane.alpha.kubernetes.io/leader``); the
``default`` ServiceAccount, which the ServiceAccount controller makes in every namespace.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
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
    {("", "Event"), ("events.k8s.io", "Event"), ("apiextensions.k8s.io", "CustomResourceDefinition")}
)
"""Kinds whose text never uses an object: records of what happened, schemas."""
WORD = re.compile(r"[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?")
"""A DNS-1123 name: how a name appears inside a longer string (``ns/name``, ``--flag=name``)."""
MANY = "*"


class Params(PredicateParams):
    pass


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    if _made_by_the_system(subject):
        return
    if not is_dump(graph):
        return  # a render: templates, not what runs
    if graph.referrers(subject) or _named_by_objects(subject, graph):
        return
    if subject.kind == "PersistentVolumeClaim" and graph.claim_templates(subject):
        return
    mentioned = _words(graph, subject.namespace).get(subject.name)
    if mentioned is not None and mentioned != id(subject):
        return
    pods = len(graph.of_kind("", "Pod", subject.namespace))
    yield Hit({"pods": f"{pods} pod{'s' if pods != 1 else ''}"})


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


_WORDS: WeakKeyDictionary[SnapshotGraph, dict[str | None, dict[str, int | str]]] = WeakKeyDictionary()


def _words(graph: SnapshotGraph, namespace: str | None) -> dict[str, int | str]:
    """Every word of the spec, data and annotations of the objects of ``namespace`` and of the
    cluster-scoped ones, each with the ``id`` of the one object that holds it (``MANY`` for
    several). Pods and templates a controller of the snapshot owns are read through it."""
    cache = _WORDS.setdefault(graph, {})
    found = cache.get(namespace)
    if found is None:
        found = cache[namespace] = dict(_words(graph, None)) if namespace is not None else {}
        for group, kind in list(graph.kinds()):
            if (group, kind) in NOT_USERS:
                continue
            objects = (
                graph.of_kind(group, kind, namespace) if namespace is not None else graph.of_kind(group, kind)
            )
            for obj in objects:
                if obj.namespace != namespace or graph.controller_of(obj) is not None:
                    continue
                for word in _words_of(obj):
                    if found.setdefault(word, id(obj)) != id(obj):
                        found[word] = MANY
    return found


def _words_of(obj: K8sObject) -> set[str]:
    words: set[str] = set()
    stack: list[object] = [as_dict(obj.metadata.get("annotations"))]
    stack += [
        value for key, value in obj.raw.items() if key not in ("apiVersion", "kind", "metadata", "status")
    ]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            words.update(WORD.findall(value))
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return words


PREDICATE = define(
    "unused",
    Params,
    evaluate,
    kinds=Kinds.of(
        [("", "ConfigMap"), ("", "Secret"), ("", "PersistentVolumeClaim"), ("", "ServiceAccount")]
    ),
    facts=("pods",),
)
