"""The health and capacity summary (findings/health.py): per namespace and per node pool, in the
JSON report and at the head of the text report; nothing for an input without status."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli

NODES = """
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Node
    metadata: {name: gke-a, labels: {cloud.google.com/gke-nodepool: web}}
    status:
      allocatable: {cpu: "2", memory: 4Gi, pods: "110"}
      conditions: [{type: Ready, status: "True"}]
  - apiVersion: v1
    kind: Node
    metadata: {name: gke-b, labels: {cloud.google.com/gke-nodepool: web}}
    status:
      allocatable: {cpu: 1500m, memory: 2Gi, pods: "110"}
      conditions: [{type: Ready, status: "False"}]
  - apiVersion: v1
    kind: Node
    metadata: {name: karp-1, labels: {karpenter.sh/nodepool: batch}}
    status:
      allocatable: {cpu: "4", memory: 8Gi, pods: "58"}
      conditions: [{type: Ready, status: "True"}]
"""

PODS = """
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata: {name: web-1, namespace: shop, labels: {app: web}}
    spec:
      nodeName: gke-a
      containers: [{name: web, image: web:1, resources: {requests: {cpu: 500m, memory: 1Gi}}}]
    status:
      phase: Running
      conditions: [{type: Ready, status: "True"}]
      containerStatuses: [{name: web, ready: true, restartCount: 1, state: {running: {}}}]
  - apiVersion: v1
    kind: Pod
    metadata: {name: web-2, namespace: shop, labels: {app: web}}
    spec:
      nodeName: gke-b
      containers: [{name: web, image: web:1, resources: {requests: {cpu: 500m, memory: 1Gi}}}]
    status:
      phase: Running
      conditions: [{type: Ready, status: "False"}]
      containerStatuses:
        - {name: web, ready: false, restartCount: 7, state: {waiting: {reason: CrashLoopBackOff}}}
  - apiVersion: v1
    kind: Pod
    metadata: {name: job-1, namespace: batch}
    spec:
      containers: [{name: job, image: job:1}]
    status:
      phase: Pending
      conditions: [{type: PodScheduled, status: "False", reason: Unschedulable}]
  - apiVersion: v1
    kind: Pod
    metadata: {name: done-1, namespace: batch}
    spec:
      nodeName: karp-1
      containers: [{name: job, image: job:1, resources: {requests: {cpu: "3"}}}]
    status: {phase: Succeeded}
  - apiVersion: v1
    kind: Service
    metadata: {name: web, namespace: shop}
    spec: {selector: {app: web}, ports: [{port: 80}]}
  - apiVersion: v1
    kind: Service
    metadata: {name: api, namespace: shop}
    spec: {selector: {app: api}, ports: [{port: 80}]}
"""


def cluster(tmp_path: Path) -> Path:
    (tmp_path / "nodes.yaml").write_text(NODES, encoding="utf-8")
    (tmp_path / "pods.yaml").write_text(PODS, encoding="utf-8")
    return tmp_path


def test_json_health_per_namespace_and_pool(tmp_path: Path) -> None:
    _, out = run_cli(["check", str(cluster(tmp_path)), "--format", "json", "--fail-on", "never"])
    health = json.loads(out)["health"]
    spaces = {n["namespace"]: n for n in health["namespaces"]}
    assert spaces["shop"] == {
        "namespace": "shop",
        "pods": {"running": 1, "pending": 0, "failing": 1},
        "restarts": 8,
        "services": {"good": 1, "total": 2},
        "workloads": {"good": 0, "total": 0},
    }
    assert spaces["batch"]["pods"] == {"running": 0, "pending": 1, "failing": 0}
    pools = {p["pool"]: p for p in health["pools"]}
    assert pools["web"] == {
        "pool": "web",
        "nodes": {"good": 1, "total": 2},
        "pods": {"requested": 2, "allocatable": 220},
        "cpu_millicores": {"requested": 1000, "allocatable": 3500},
        "memory_bytes": {"requested": 2 * 2**30, "allocatable": 6 * 2**30},
    }
    # A finished pod takes no capacity.
    assert pools["batch"]["cpu_millicores"] == {"requested": 0, "allocatable": 4000}


def test_text_opens_with_the_health_summary(tmp_path: Path) -> None:
    _, out = run_cli(["check", str(cluster(tmp_path)), "--fail-on", "never"])
    lines = out.splitlines()
    assert lines[0] == "health"
    table = "\n".join(lines[:10])
    assert "web        1/2          2 / 220     1 of 3500m (29%)" in table
    assert "shop       1             0        1        8         1/2" in table


def test_a_render_without_status_has_no_health(tmp_path: Path) -> None:
    manifest = tmp_path / "m.yaml"
    manifest.write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}}\n",
        encoding="utf-8",
    )
    _, out = run_cli(["check", str(manifest), "--format", "json", "--fail-on", "never"])
    assert json.loads(out)["health"] is None
    _, text = run_cli(["check", str(manifest), "--fail-on", "never"])
    assert "health" not in text and "node pool" not in text
