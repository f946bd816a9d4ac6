"""GraphStore, the object graph's store: nodes by identity, parallel edges kept, edges leaving and
arriving at a node in the order they were added; and the edges SnapshotGraph reads from it."""

from __future__ import annotations

import pytest
from conftest import graph_from_yaml

from analyzer.graph.edges import EdgeKind
from analyzer.graph.store import GraphStore
from analyzer.model import ObjectRef

POD = ObjectRef("v1", "Pod", "shop", "web-1")
CONFIG = ObjectRef("v1", "ConfigMap", "shop", "web-env")
SECRET = ObjectRef("v1", "Secret", "shop", "web-tls")


def store() -> GraphStore:
    graph = GraphStore()
    for ref in (POD, CONFIG, SECRET):
        graph.add_node(ref.key, ref, None)
    return graph


def test_edges_come_out_in_insertion_order_parallel_edges_kept() -> None:
    graph = store()
    graph.add_edge(POD.key, CONFIG.key, EdgeKind.REFERENCES, {"via": "volume a"})
    graph.add_edge(POD.key, SECRET.key, EdgeKind.REFERENCES, {"via": "env B"})
    graph.add_edge(POD.key, CONFIG.key, EdgeKind.REFERENCES, {"via": "envFrom"})
    out = graph.out_edges(POD.key)
    assert [(e.other, e.attrs["via"]) for e in out] == [
        (CONFIG.key, "volume a"),
        (SECRET.key, "env B"),
        (CONFIG.key, "envFrom"),
    ]
    assert [(e.other, e.attrs["via"]) for e in graph.in_edges(CONFIG.key)] == [
        (POD.key, "volume a"),
        (POD.key, "envFrom"),
    ]
    assert graph.in_edges(POD.key) == []
    assert graph.node(CONFIG.key).ref is CONFIG


def test_an_unknown_key_has_no_edges_and_an_edge_needs_both_ends() -> None:
    graph = store()
    stranger = ObjectRef("v1", "Pod", "shop", "stranger").key
    assert stranger not in graph
    assert graph.out_edges(stranger) == [] and graph.in_edges(stranger) == []
    with pytest.raises(KeyError, match="stranger"):
        graph.add_edge(POD.key, stranger, EdgeKind.REFERENCES, {})
    assert graph.out_edges(POD.key) == []


def test_snapshot_graph_reads_references_in_insertion_order_a_missing_target_without_object() -> None:
    graph = graph_from_yaml(
        """
apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: shop}
spec:
  volumes: [{name: a, configMap: {name: web-env}}]
  containers:
    - name: web
      image: web:1
      env: [{name: B, valueFrom: {secretKeyRef: {name: web-tls, key: k}}}]
      envFrom: [{configMapRef: {name: web-env}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-env, namespace: shop}
"""
    )
    pod = graph.get(POD.key)
    assert pod is not None
    edges = graph.references(pod)
    assert [(e.target.kind, e.target.name, e.via, e.missing) for e in edges] == [
        ("ConfigMap", "web-env", "volume a", False),
        ("Secret", "web-tls", "env B of container web", True),
        ("ConfigMap", "web-env", "envFrom of container web", False),
        ("ServiceAccount", "default", "serviceAccountName", True),
    ]
    assert [e.source_obj for e in graph.referrers(CONFIG)] == [pod, pod]
    assert graph.referrers(SECRET)[0].target_obj is None
