"""The query API rules use: every relation in both directions, and what each edge family
declares it leaves from."""

from __future__ import annotations

import pytest
from conftest import graph_from_yaml

from analyzer.graph import EDGE_SOURCES, EdgeKind, SnapshotGraph
from analyzer.model import K8sObject, ObjectRef

MANIFESTS = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: web:1, envFrom: [{configMapRef: {name: web-env}}]}]
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-6b7
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, controller: true}]
spec:
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: web:1}]}}
---
apiVersion: v1
kind: Pod
metadata:
  name: web-6b7-abcde
  namespace: shop
  uid: pod-uid-2
  labels: {app: web}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-6b7, controller: true}]
spec: {nodeName: node-1, containers: [{name: web, image: web:1}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-env, namespace: shop}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}]}}]
---
apiVersion: v1
kind: Event
metadata: {name: web-6b7-abcde.2, namespace: shop}
involvedObject: {apiVersion: v1, kind: Pod, namespace: shop, name: web-6b7-abcde, uid: pod-uid-2}
type: Warning
reason: BackOff
message: Back-off restarting failed container
count: 301
lastTimestamp: "2026-12-02T10:00:00Z"
---
apiVersion: events.k8s.io/v1
kind: Event
metadata: {name: web-6b7-abcde.1, namespace: shop}
regarding: {kind: Pod, namespace: shop, name: web-6b7-abcde}
type: Normal
reason: Pulled
note: Container image already present
series: {count: 3, lastObservedTime: "2026-12-01T09:00:00Z"}
---
apiVersion: v1
kind: Event
metadata: {name: web-6b7-abcde.0, namespace: shop}
involvedObject: {kind: Pod, name: web-6b7-abcde, uid: pod-uid-1}
reason: Killing
message: the pod of the same name before it was created again
---
apiVersion: v1
kind: Event
metadata: {name: node-1.0, namespace: default}
involvedObject: {kind: Node, name: node-1}
type: Warning
reason: NodeNotReady
---
apiVersion: v1
kind: Event
metadata: {name: gone.0, namespace: shop}
involvedObject: {kind: Pod, name: gone-pod}
reason: Scheduled
"""


@pytest.fixture(scope="module")
def graph() -> SnapshotGraph:
    return graph_from_yaml(MANIFESTS)


def obj(
    graph: SnapshotGraph, kind: str, name: str, group: str = "", namespace: str | None = "shop"
) -> K8sObject:
    found = graph.get((group, kind, namespace, name))
    assert found is not None, (kind, name)
    return found


def names(objects: list[K8sObject]) -> list[str]:
    return sorted(o.ref.display() for o in objects)


def test_selection_both_ways_with_templates(graph: SnapshotGraph) -> None:
    svc, pod = obj(graph, "Service", "web"), obj(graph, "Pod", "web-6b7-abcde")
    assert names(graph.selected(svc)) == [
        "Deployment/shop/web",
        "Pod/shop/web-6b7-abcde",
        "ReplicaSet/shop/web-6b7",
    ]
    assert sorted(t.owner.name for t in graph.selected_templates(svc)) == ["web", "web-6b7", "web-6b7-abcde"]
    assert names(graph.selected_by(pod)) == ["Service/shop/web"]


def test_owners_controller_root_and_owned(graph: SnapshotGraph) -> None:
    pod, deploy = obj(graph, "Pod", "web-6b7-abcde"), obj(graph, "Deployment", "web", "apps")
    [owner] = graph.owners(pod)
    assert (owner.target.display(), owner.controller, owner.missing) == (
        "ReplicaSet/shop/web-6b7",
        True,
        False,
    )
    assert graph.root_of(pod) is deploy
    assert graph.root_of(deploy) is deploy
    assert names(graph.owned(deploy)) == ["ReplicaSet/shop/web-6b7"]
    roots = [t.owner.name for t in graph.templates_in("shop", roots_only=True)]
    assert roots == ["web"]
    assert len(graph.templates_in("shop")) == 3


def test_references_and_routes_both_ways(graph: SnapshotGraph) -> None:
    deploy, cm = obj(graph, "Deployment", "web", "apps"), obj(graph, "ConfigMap", "web-env")
    refs = {(e.target.display(), e.missing, e.optional, e.via) for e in graph.references(deploy)}
    assert refs == {
        ("ConfigMap/shop/web-env", False, False, "envFrom of container web"),
        ("ServiceAccount/shop/default", True, False, "serviceAccountName"),
    }
    [back] = graph.referrers(cm)
    assert (back.source_obj, back.via) == (deploy, "envFrom of container web")
    # A missing object is reached by its ref; every pod spec names its ServiceAccount.
    account = ObjectRef("v1", "ServiceAccount", "shop", "default")
    assert sorted(e.source.name for e in graph.referrers(account)) == ["web", "web-6b7", "web-6b7-abcde"]
    ingress, svc = obj(graph, "Ingress", "web", "networking.k8s.io"), obj(graph, "Service", "web")
    [route] = graph.routes(ingress)
    assert (route.target_obj, route.port, route.via) == (svc, "http", "rule */")
    assert [e.source_obj for e in graph.routed_from(svc)] == [ingress]


def test_events_of_an_object_oldest_first_same_uid_only(graph: SnapshotGraph) -> None:
    pod = obj(graph, "Pod", "web-6b7-abcde")
    events = graph.events_of(pod)
    assert [(e.reason, e.type, e.count, e.message) for e in events] == [
        ("Pulled", "Normal", 3, "Container image already present"),
        ("BackOff", "Warning", 301, "Back-off restarting failed container"),
    ]
    node = ObjectRef("v1", "Node", None, "node-1")  # cluster-scoped, and not in the snapshot
    assert [e.reason for e in graph.events_of(node)] == ["NodeNotReady"]
    gone = ObjectRef("v1", "Pod", "shop", "gone-pod")
    assert [e.reason for e in graph.events_of(gone)] == ["Scheduled"]
    assert graph.events_of(obj(graph, "Service", "web")) == []


def test_lookups_and_coverage(graph: SnapshotGraph) -> None:
    assert [o.name for o in graph.of_kind("", "Service", "shop")] == ["web"]
    assert graph.of_kind("", "Service", "elsewhere") == []
    # None is the cluster scope, not every namespace: a cluster-scoped subject's namespace
    # passed as it is finds no namespaced object.
    assert graph.of_kind("", "Service", None) == []
    assert [o.name for o in graph.of_kind("", "Service")] == ["web"]
    scoped = graph_from_yaml("kind: Node\napiVersion: v1\nmetadata: {name: n1}\n")
    assert (
        [o.name for o in scoped.of_kind("", "Node", None)]
        == [o.name for o in scoped.of_kind("", "Node")]
        == ["n1"]
    )
    assert graph.covers("", "ConfigMap", "shop") and not graph.covers("", "Secret", "shop")
    assert graph.covers_pods("shop") and not graph.covers_pods("default")
    assert ("apps", "Deployment") in set(graph.kinds())
    svc = obj(graph, "Service", "web")
    assert graph.copies(svc) == [svc]


def test_every_edge_family_declares_its_sources() -> None:
    assert set(EDGE_SOURCES) == set(EdgeKind)


def test_edges_leave_only_from_declared_kinds(graph: SnapshotGraph) -> None:
    assert graph.snapshot.objects
    for source in graph.snapshot.objects:
        for edge in graph.edges_from(source):
            declared = EDGE_SOURCES[edge.kind]
            assert declared is None or (source.ref.group, source.kind) in declared, (edge.kind, source)
