"""Identity, namespace defaulting, CRD scope and coverage."""

from __future__ import annotations

from conftest import snapshot_from_yaml

from analyzer.model import build_snapshot


def test_namespace_defaulting_and_cluster_scope() -> None:
    snap = snapshot_from_yaml(
        """
apiVersion: v1
kind: ConfigMap
metadata: {name: a}
---
apiVersion: v1
kind: Node
metadata: {name: n1}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: viewer, namespace: ignored}
""",
        namespace="argocd",
    )
    assert sorted(o.ref.display() for o in snap.objects) == [
        "ClusterRole/viewer",
        "ConfigMap/argocd/a",
        "Node/n1",
    ]


def test_identity_includes_api_group() -> None:
    snap = snapshot_from_yaml(
        """
apiVersion: v1
kind: Node
metadata: {name: w1}
---
apiVersion: longhorn.io/v1beta2
kind: Node
metadata: {name: w1, namespace: longhorn-system}
"""
    )
    assert all(len(copies) == 1 for copies in snap.by_key.values())
    assert snap.get(("longhorn.io", "Node", "longhorn-system", "w1")) is not None
    assert snap.get(("", "Node", None, "w1")) is not None


def test_crd_scope_decides_namespace_of_custom_resources() -> None:
    snap = snapshot_from_yaml(
        """
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: clusterwidgets.example.com}
spec: {group: example.com, scope: Cluster, names: {kind: ClusterWidget, plural: clusterwidgets}}
---
apiVersion: example.com/v1
kind: ClusterWidget
metadata: {name: w}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
"""
    )
    assert snap.get(("example.com", "ClusterWidget", None, "w")) is not None
    assert snap.get(("example.com", "Widget", "default", "w")) is not None


def test_coverage_per_kind_and_namespace() -> None:
    snap = snapshot_from_yaml(
        """
apiVersion: v1
kind: ConfigMap
metadata: {name: a, namespace: one}
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: two}
spec: {containers: [{name: c, image: x}]}
"""
    )
    assert snap.covers("", "ConfigMap", "one")
    assert not snap.covers("", "ConfigMap", "two")
    assert not snap.covers("", "Secret")
    assert snap.covers_pods("two") and not snap.covers_pods("one")
    assert not any(o.has_status for o in snap.objects)


def test_log_tail_is_attached_to_its_pod() -> None:
    from analyzer.load.types import LoadResult, Location, RawObject

    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "api-1", "namespace": "shop"}}
    loaded = LoadResult(objects=[RawObject(pod, Location("pods.json", 1))], logs={("shop", "api-1"): "boom"})
    snap = build_snapshot(loaded)
    assert snap.log_tail(snap.objects[0]) == "boom"
