"""The graph: one edge family at a time, with namespaces always compared."""

from __future__ import annotations

from conftest import graph_from_yaml

from analyzer.graph import EdgeKind

MANIFESTS = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, uid: d1}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: web:1
          envFrom: [{configMapRef: {name: web-env}}]
          env: [{name: PW, valueFrom: {secretKeyRef: {name: db, key: pw, optional: true}}}]
      volumes: [{name: data, persistentVolumeClaim: {claimName: web-data}}]
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-6b7
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: d1, controller: true}]
spec:
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: web:1}]}}
---
apiVersion: v1
kind: Pod
metadata:
  name: web-6b7-abcde
  namespace: shop
  labels: {app: web}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-6b7, uid: r1, controller: true}]
spec: {nodeName: node-1, containers: [{name: web, image: web:1}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-in-other-ns, namespace: other, labels: {app: web}}
spec: {containers: [{name: web, image: web:1}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-env, namespace: shop}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, maxReplicas: 3}
"""


def _names(objs: list[object]) -> list[str]:
    return sorted(o.ref.display() for o in objs)  # type: ignore[attr-defined]


def test_service_selects_pods_and_templates_of_its_namespace_only() -> None:
    graph = graph_from_yaml(MANIFESTS)
    svc = graph.snapshot.get(("", "Service", "shop", "web"))
    assert svc is not None
    assert _names(graph.targets(svc, EdgeKind.SELECTS)) == [
        "Deployment/shop/web",
        "Pod/shop/web-6b7-abcde",
        "ReplicaSet/shop/web-6b7",
    ]


def test_owner_chain_and_node() -> None:
    graph = graph_from_yaml(MANIFESTS)
    pod = graph.snapshot.get(("", "Pod", "shop", "web-6b7-abcde"))
    rs = graph.snapshot.get(("apps", "ReplicaSet", "shop", "web-6b7"))
    assert pod is not None and rs is not None
    assert _names(graph.targets(pod, EdgeKind.OWNED_BY)) == ["ReplicaSet/shop/web-6b7"]
    assert _names(graph.targets(rs, EdgeKind.OWNED_BY)) == ["Deployment/shop/web"]
    # The node is not in the snapshot: a missing node, not a crash.
    edges = list(graph.edges_from(pod, EdgeKind.RUNS_ON))
    assert [(e.target.display(), e.missing) for e in edges] == [("Node/node-1", True)]


def test_references_keep_optional_and_mark_missing_targets() -> None:
    graph = graph_from_yaml(MANIFESTS)
    deploy = graph.snapshot.get(("apps", "Deployment", "shop", "web"))
    assert deploy is not None
    refs = {
        (e.target.display(), e.missing, e.attrs["optional"], e.attrs["via"])
        for e in graph.edges_from(deploy, EdgeKind.REFERENCES)
    }
    assert refs == {
        ("ConfigMap/shop/web-env", False, False, "envFrom of container web"),
        ("Secret/shop/db", True, True, "env PW of container web"),
        ("PersistentVolumeClaim/shop/web-data", True, False, "volume data"),
        ("ServiceAccount/shop/web", True, False, "serviceAccountName"),
    }


def test_ingress_and_hpa_edges() -> None:
    graph = graph_from_yaml(MANIFESTS)
    ingress = graph.snapshot.get(("networking.k8s.io", "Ingress", "shop", "web"))
    hpa = graph.snapshot.get(("autoscaling", "HorizontalPodAutoscaler", "shop", "web"))
    assert ingress is not None and hpa is not None
    [route] = list(graph.edges_from(ingress, EdgeKind.ROUTES_TO))
    assert (route.target.display(), route.attrs["port"], route.missing) == ("Service/shop/web", 80, False)
    assert _names(graph.targets(hpa, EdgeKind.SCALES)) == ["Deployment/shop/web"]


def test_pod_without_owner_in_snapshot_is_a_root() -> None:
    graph = graph_from_yaml(MANIFESTS)
    roots = sorted(
        t.owner.ref.display() for ns in ("shop", "other") for t in graph.templates_in(ns, roots_only=True)
    )
    assert roots == ["Deployment/shop/web", "Pod/other/web-in-other-ns"]
