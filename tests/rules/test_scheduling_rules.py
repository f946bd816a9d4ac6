"""pod-unschedulable and daemonset-incomplete: their messages, evidence and causal hints, on the
seed audit's cluster and on small manifests; bad input never raises; the cost stays linear."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from analyzer import pipeline
from analyzer.model import ObjectRef
from analyzer.rules.evaluate import evaluate
from analyzer.rules.finding import Finding, Layer, Severity

BLUEOCEAN = Path(__file__).resolve().parents[2] / "fixtures" / "blueocean"
RULES = ("pod-unschedulable", "daemonset-incomplete")


def findings(tmp_path: Path, text: str, rule: str | None = None) -> list[Finding]:
    path = tmp_path / "in.yaml"
    path.write_text(text, encoding="utf-8")
    found = pipeline.analyse([str(path)]).report.findings
    return [f for f in found if f.rule in ((rule,) if rule else RULES)]


# The seed audit ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def blueocean() -> list[Finding]:
    report = pipeline.analyse([str(BLUEOCEAN / "before")]).report
    return [f for f in report.findings if f.rule in RULES]


def test_blueocean_pending_node_exporter_pod_names_the_taint_and_the_counts(blueocean: list[Finding]) -> None:
    pod = [f for f in blueocean if f.rule == "pod-unschedulable"]
    assert [f.object.display() for f in pod] == ["Pod/monitoring/prometheus-node-exporter-7gml4"]
    message = pod[0].message
    assert message.startswith(
        "Pod prometheus-node-exporter-7gml4 cannot be scheduled: Pending; the scheduler says"
    )
    assert "1 node(s) had untolerated taint {dedicated: infra}" in message
    assert "preemption" not in message
    assert message.endswith(
        "from its spec 0 of 27 nodes can host it: "
        "26 do not match node affinity (metadata.name In [infra-pool-frhxr]), "
        "1 has untolerated taint dedicated=infra:NoSchedule (pool infra-pool)."
    )
    assert pod[0].severity is Severity.ERROR
    assert pod[0].layer is Layer.POD
    assert pod[0].because_of == (ObjectRef("apps/v1", "DaemonSet", "monitoring", "prometheus-node-exporter"),)
    assert pod[0].evidence[0].kind == "condition"
    assert pod[0].evidence[0].text.startswith("PodScheduled=False Unschedulable: 0/27 nodes are available")


def test_blueocean_node_exporter_daemonset_covers_26_of_27(blueocean: list[Finding]) -> None:
    ds = [f for f in blueocean if f.rule == "daemonset-incomplete"]
    assert [f.object.display() for f in ds] == ["DaemonSet/monitoring/prometheus-node-exporter"]
    # the status counts are the fixture's (how the controller counts a Pending pod varies)
    assert re.fullmatch(
        r"DaemonSet prometheus-node-exporter is incomplete: "
        r"scheduled on 2[67] of 27 desired nodes \(2[67] ready\); .*",
        ds[0].message,
    )
    assert ds[0].message.endswith(
        "its pod prometheus-node-exporter-7gml4 is Pending for node infra-pool-frhxr (pool infra-pool), "
        "which has untolerated taint dedicated=infra:NoSchedule; its spec covers 26 of 27 nodes "
        "(1 has untolerated taint dedicated=infra:NoSchedule (pool infra-pool))."
    )
    pending = ObjectRef("v1", "Pod", "monitoring", "prometheus-node-exporter-7gml4")
    assert ds[0].because_of == (pending,)
    assert ds[0].related == (pending,)
    assert ds[0].severity is Severity.WARNING
    assert ds[0].layer is Layer.AGGREGATE


# Small manifests -----------------------------------------------------------------------------------

NODES = """
apiVersion: v1
kind: Node
metadata: {name: app-1, labels: {eks.amazonaws.com/nodegroup: apps}}
status: {allocatable: {cpu: "2", memory: 4Gi, pods: "10"}}
---
apiVersion: v1
kind: Node
metadata: {name: gpu-1, labels: {eks.amazonaws.com/nodegroup: gpu, accelerator: nvidia}}
spec: {taints: [{key: nvidia.com/gpu, effect: NoSchedule}]}
status: {allocatable: {cpu: "8", memory: 32Gi, pods: "10", nvidia.com/gpu: "1"}}
"""

PENDING_POD = """
apiVersion: v1
kind: Pod
metadata: {name: trainer-0, namespace: ml, uid: u-trainer}
spec:
  nodeSelector: {accelerator: nvidia}
  containers: [{name: train, image: trainer:1, resources: {limits: {nvidia.com/gpu: "1"}}}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: datasets}}]
status:
  phase: Pending
  conditions:
    - type: PodScheduled
      status: "False"
      reason: Unschedulable
      message: >-
        0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector,
        1 node(s) had untolerated taint {nvidia.com/gpu: }.
---
apiVersion: v1
kind: Event
metadata: {name: trainer-0.1, namespace: ml}
involvedObject: {kind: Pod, name: trainer-0, namespace: ml, uid: u-trainer}
reason: FailedScheduling
type: Warning
count: 12
lastTimestamp: "2025-09-13T07:00:00Z"
message: "0/2 nodes are available: 1 node(s) had untolerated taint {nvidia.com/gpu: }."
"""


def test_pending_pod_quotes_failed_scheduling_events_and_names_its_claim(tmp_path: Path) -> None:
    [finding] = findings(tmp_path, NODES + "---" + PENDING_POD)
    assert finding.message == (
        'Pod trainer-0 cannot be scheduled: Pending; the scheduler says "0/2 nodes are available: '
        "1 node(s) didn't match Pod's node affinity/selector, "
        '1 node(s) had untolerated taint {nvidia.com/gpu: }."; '
        "from its spec 0 of 2 nodes can host it: "
        "1 has untolerated taint nvidia.com/gpu:NoSchedule (pool gpu), "
        "1 does not match nodeSelector accelerator=nvidia (pool apps)."
    )
    assert [e.kind for e in finding.evidence] == ["condition", "event"]
    assert finding.evidence[1].text.startswith("FailedScheduling x12 (last 2025-09-13T07:00:00Z): 0/2 nodes")
    assert finding.because_of == (ObjectRef("v1", "PersistentVolumeClaim", "ml", "datasets"),)


def test_pending_pod_without_nodes_quotes_the_scheduler_only(tmp_path: Path) -> None:
    [finding] = findings(tmp_path, PENDING_POD)
    assert "from its spec" not in finding.message
    assert finding.message.endswith('{nvidia.com/gpu: }.".')


def test_a_toleration_fixes_it(tmp_path: Path) -> None:
    fixed = PENDING_POD.split("status:")[0].replace(
        "  nodeSelector: {accelerator: nvidia}",
        "  nodeSelector: {accelerator: nvidia}\n  tolerations: [{key: nvidia.com/gpu, operator: Exists}]",
    )
    assert "tolerations" in fixed
    assert findings(tmp_path, NODES + "---" + fixed) == []
    assert len(findings(tmp_path, NODES + "---" + PENDING_POD.split("status:")[0])) == 1


TEMPLATE = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: trainer, namespace: ml}
spec:
  selector: {matchLabels: {app: trainer}}
  template:
    metadata: {labels: {app: trainer}}
    spec:
      nodeSelector: {eks.amazonaws.com/nodegroup: gpu-large}
      containers: [{name: train, image: trainer:1}]
"""


def test_a_render_without_nodes_is_not_judged_from_the_spec(tmp_path: Path) -> None:
    assert findings(tmp_path, TEMPLATE) == []
    [finding] = findings(tmp_path, NODES + "---" + TEMPLATE)
    assert finding.message == (
        "Deployment trainer cannot be scheduled: its pod template fits no node: 0 of 2 nodes can host it: "
        "1 has untolerated taint nvidia.com/gpu:NoSchedule (pool gpu), "
        "1 does not match nodeSelector eks.amazonaws.com/nodegroup=gpu-large (pool apps)."
    )
    assert finding.because_of == ()


def test_pods_of_a_workload_point_at_it(tmp_path: Path) -> None:
    text = (
        NODES
        + "---"
        + TEMPLATE.replace("{name: trainer, namespace: ml}", "{name: trainer, namespace: ml, uid: d1}")
    )
    text += """---
apiVersion: v1
kind: Pod
metadata:
  name: trainer-abc
  namespace: ml
  labels: {app: trainer}
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: trainer, uid: d1, controller: true}]
spec:
  nodeSelector: {eks.amazonaws.com/nodegroup: gpu-large}
  containers: [{name: train, image: trainer:1}]
"""
    by_object = {f.object.name: f for f in findings(tmp_path, text)}
    assert set(by_object) == {"trainer", "trainer-abc"}
    assert by_object["trainer-abc"].because_of == (ObjectRef("apps/v1", "Deployment", "ml", "trainer"),)
    assert by_object["trainer-abc"].message.startswith(
        "Pod trainer-abc cannot be scheduled: not bound to a node, and 0 of 2"
    )


def test_daemonset_near_miss_and_render_are_silent(tmp_path: Path) -> None:
    design = """
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: dcgm-exporter, namespace: ml}
spec:
  selector: {matchLabels: {app: dcgm}}
  template:
    metadata: {labels: {app: dcgm}}
    spec:
      nodeSelector: {accelerator: nvidia}
      tolerations: [{key: nvidia.com/gpu, operator: Exists}]
      containers: [{name: dcgm, image: dcgm:1}]
status: {desiredNumberScheduled: 1, currentNumberScheduled: 1, numberReady: 1}
"""
    assert findings(tmp_path, NODES + "---" + design) == []
    short = design.replace(
        "currentNumberScheduled: 1, numberReady: 1", "currentNumberScheduled: 0, numberReady: 0"
    )
    [finding] = findings(tmp_path, NODES + "---" + short)
    assert finding.message == (
        "DaemonSet dcgm-exporter is incomplete: scheduled on 0 of 1 desired nodes (0 ready); its spec covers "
        "1 of 2 nodes (1 does not match nodeSelector accelerator=nvidia (pool apps))."
    )


BAD = """
apiVersion: v1
kind: Node
metadata: {name: weird, labels: [1, 2]}
spec: {taints: "everything", unschedulable: "yes"}
status: {allocatable: {cpu: lots, memory: [], pods: -1}}
---
apiVersion: v1
kind: Node
metadata: {name: weirder}
spec: {taints: [{key: k, effect: NoSchedule, value: [1]}, 7]}
status: "broken"
---
apiVersion: v1
kind: Pod
metadata: {name: odd, namespace: x}
spec:
  nodeSelector: [a]
  tolerations: {key: k}
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
          - 7
          - {matchExpressions: "x"}
          - {matchFields: [{key: metadata.name, operator: Gt, values: [x]}]}
  containers: [{name: c, resources: {requests: {cpu: [1], memory: 1e999999}}}, "nope"]
  initContainers: {a: b}
  overhead: 5
status: {phase: Pending, conditions: [{type: PodScheduled, status: "False", message: 7}, "x"]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: odd, namespace: x}
spec: {template: "no"}
status: {desiredNumberScheduled: "3", currentNumberScheduled: null, numberReady: true}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: odd2, namespace: x}
spec: {template: {spec: {nodeSelector: {a: b}, containers: [{name: c}]}}}
status: {desiredNumberScheduled: 3, currentNumberScheduled: 1}
"""


def test_bad_input_never_raises(tmp_path: Path) -> None:
    got = sorted((f.rule, f.object.name) for f in findings(tmp_path, BAD))
    assert got == [("daemonset-incomplete", "odd2"), ("pod-unschedulable", "odd")]


def test_cost_is_linear_in_pods_and_nodes(tmp_path: Path) -> None:
    """400 nodes and 4000 pods bound to them, 300 root Deployments sharing a few shapes, 50 Pending
    pods: every Deployment and pending pod is judged in well under a second of rule time."""
    parts = []
    for n in range(400):
        pool = f"pool-{n % 8}"
        parts.append(
            f"apiVersion: v1\nkind: Node\n"
            f"metadata: {{name: n{n}, labels: {{karpenter.sh/nodepool: {pool}}}}}\n"
            'status: {allocatable: {cpu: "8", memory: 32Gi, pods: "110"}}'
        )
    for p in range(4000):
        parts.append(
            f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p{p}, namespace: a}}\n"
            f"spec: {{nodeName: n{p % 400}, "
            "containers: [{name: c, resources: {requests: {cpu: 100m}}}]}\n"
            "status: {phase: Running}"
        )
    for d in range(300):
        parts.append(
            f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d{d}, namespace: a}}\n"
            f"spec: {{template: {{spec: {{nodeSelector: {{karpenter.sh/nodepool: pool-{d % 10}}}, "
            "containers: [{name: c, resources: {requests: {cpu: 500m}}}]}}}"
        )
    for p in range(50):
        parts.append(
            f"apiVersion: v1\nkind: Pod\nmetadata: {{name: pending{p}, namespace: a}}\n"
            "spec: {containers: [{name: c, resources: {requests: {cpu: '9'}}}]}\nstatus: {phase: Pending}"
        )
    path = tmp_path / "big.yaml"
    path.write_text("\n---\n".join(parts), encoding="utf-8")
    analysis = pipeline.analyse([str(path)])
    rules = [r for r in analysis.rules if r.id in RULES]
    start = time.perf_counter()
    result = evaluate(rules, analysis.graph)
    elapsed = time.perf_counter() - start
    names = sorted({f.object.name for f in result.findings})
    assert len(names) == 60 + 50  # pools 8 and 9 do not exist: 60 Deployments; every pending pod
    # A guard against a hang (a quadratic placement), not a speed target: about 0.02 s normally.
    assert elapsed < 120, f"took {elapsed:.1f} s: hung?"
