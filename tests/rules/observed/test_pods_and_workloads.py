"""pod-crashloop, pod-image-pull-failure, workload-unavailable, workload-scaled-to-zero: what a rule
case file cannot show (evidence from Events and log tails, because_of, message details), and bad
input that must not raise."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import graph_from_yaml

from analyzer import pipeline
from analyzer.graph import build_graph
from analyzer.load import load_inputs
from analyzer.model import K8sObject, build_snapshot
from analyzer.model.status import container_states, pod_state
from analyzer.rules.catalog import Rule, builtin_rules_dir, load_rule_file
from analyzer.rules.evaluate import evaluate
from analyzer.rules.finding import Finding
from analyzer.rules.predicates.container_failing import describe

IDS = ("pod-crashloop", "pod-image-pull-failure", "workload-unavailable", "workload-scaled-to-zero")
RULES: dict[str, Rule] = {
    i: load_rule_file(builtin_rules_dir() / "observed-state" / f"{i}.yaml") for i in IDS
}


def findings(text: str, rule: str) -> list[Finding]:
    return [f for f in evaluate([RULES[rule]], graph_from_yaml(text)).findings if f.rule == rule]


def only(text: str, rule: str) -> Finding:
    [found] = findings(text, rule)
    return found


def pod(name: str, statuses: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """A live Pod of namespace ``shop`` with these containerStatuses (and extra top-level keys
    merged into metadata, spec or status)."""
    obj: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "shop", "uid": f"uid-{name}"},
        "spec": {"containers": [{"name": s["name"], "image": "shop/app:1"} for s in statuses]},
        "status": {"phase": "Running", "containerStatuses": statuses},
    }
    for part, values in extra.items():
        obj[part].update(values)
    return obj


def event(
    about: str, reason: str, message: str, count: int, when: str, kind: str = "Pod", **more: Any
) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": f"{about}.{reason}.{when}", "namespace": "shop"},
        "involvedObject": {"apiVersion": "v1" if kind == "Pod" else "apps/v1", "kind": kind, "name": about}
        | {"namespace": "shop", **more},
        "type": "Warning",
        "reason": reason,
        "message": message,
        "count": count,
        "lastTimestamp": when,
    }


def dump(*objects: dict[str, Any]) -> str:
    return yaml.safe_dump_all(objects, sort_keys=False)


CRASHING = {
    "name": "api",
    "ready": False,
    "restartCount": 301,
    "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting failed"}},
    "lastState": {"terminated": {"reason": "Error", "exitCode": 1}},
}

# -- pod-crashloop -----------------------------------------------------------------------------


def test_crashloop_quotes_the_pods_backoff_probe_and_kill_events_newest_last() -> None:
    killing = event("api-1", "Killing", "Container api failed liveness probe, will be restarted", 9, "t3")
    killing["type"] = "Normal"  # the kubelet writes Killing as Normal: quoted all the same
    text = dump(
        pod("api-1", [CRASHING]),
        event("api-1", "BackOff", "Back-off restarting failed container api", 1234, "t4"),
        event("api-1", "Unhealthy", "Liveness probe failed: connection refused", 40, "t2"),
        killing,
        event("api-1", "FailedMount", "MountVolume.SetUp failed", 3, "t5"),
        event("api-2", "BackOff", "another pod's", 1, "t9"),
    )
    found = only(text, "pod-crashloop")
    assert found.message == (
        "container api of Pod shop/api-1: CrashLoopBackOff, 301 restarts, "
        "last terminated Error (exit code 1)."
    )
    assert [(e.kind, e.text) for e in found.evidence] == [
        ("event", "Unhealthy x40 (last t2): Liveness probe failed: connection refused"),
        ("event", "Killing x9 (last t3): Container api failed liveness probe, will be restarted"),
        ("event", "BackOff x1234 (last t4): Back-off restarting failed container api"),
    ]
    assert found.layer.value == "pod"


def test_crashloop_events_of_an_earlier_pod_of_the_same_name_are_left_out() -> None:
    text = dump(
        pod("api-1", [CRASHING]),
        event("api-1", "BackOff", "the pod before", 7, "t1", uid="uid-old"),
        event("api-1", "BackOff", "this pod", 8, "t2", uid="uid-api-1"),
    )
    assert [e.text for e in only(text, "pod-crashloop").evidence] == ["BackOff x8 (last t2): this pod"]


def test_crashloop_quotes_the_last_log_lines_of_a_cluster_info_dump(tmp_path: Path) -> None:
    root = tmp_path / "dump"
    (root / "shop" / "api-1").mkdir(parents=True)
    (root / "shop" / "pods.json").write_text(
        json.dumps({"kind": "PodList", "apiVersion": "v1", "items": [pod("api-1", [CRASHING])]})
    )
    events = {
        "kind": "EventList",
        "apiVersion": "v1",
        "items": [event("api-1", "BackOff", "Back-off", 5, "t1")],
    }
    (root / "shop" / "events.json").write_text(json.dumps(events))
    log = "".join(f"line {i}\n" for i in range(20)) + "\n   \nError: template email/welcome.html not found\n"
    (root / "shop" / "api-1" / "logs.txt").write_text(log)
    graph = build_graph(build_snapshot(load_inputs([str(root)])))
    [found] = evaluate([RULES["pod-crashloop"]], graph).findings
    assert [(e.kind, e.text) for e in found.evidence] == [
        ("event", "BackOff x5 (last t1): Back-off"),
        ("log", "line 16\nline 17\nline 18\nline 19\nError: template email/welcome.html not found"),
    ]


def test_image_pull_failure_quotes_no_log() -> None:
    statuses = [{"name": "api", "image": "x:404", "state": {"waiting": {"reason": "ErrImagePull"}}}]
    text = dump(
        pod("api-1", statuses), event("api-1", "Failed", 'Failed to pull image "x:404": not found', 2, "t1")
    )
    found = only(text, "pod-image-pull-failure")
    assert found.message == "container api of Pod shop/api-1 cannot pull image x:404: ErrImagePull."
    quoted = 'Failed x2 (last t1): Failed to pull image "x:404": not found'
    assert [e.text for e in found.evidence] == [quoted]


OWNED = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop, uid: d1}
spec:
  selector: {matchLabels: {app: api}}
  template: {metadata: {labels: {app: api}}, spec: {containers: [{name: api}]}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: api-7d9f
  namespace: shop
  uid: rs1
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: api, uid: d1, controller: true}]
spec:
  replicas: 1
  selector: {matchLabels: {app: api}}
  template: {metadata: {labels: {app: api}}, spec: {containers: [{name: api}]}}
---
apiVersion: v1
kind: Node
metadata: {name: node-1}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: api-env, namespace: shop}
---
apiVersion: v1
kind: Pod
metadata:
  name: api-7d9f-x2k
  namespace: shop
  labels: {app: api}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: api-7d9f, uid: rs1, controller: true}]
spec:
  nodeName: node-1
  serviceAccountName: api
  containers:
    - name: api
      image: shop/api:1
      envFrom: [{configMapRef: {name: api-env}}, {secretRef: {name: api-db}}]
      volumeMounts: [{name: data, mountPath: /data}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: api-data}}]
status:
  phase: Running
  containerStatuses:
    - {name: api, restartCount: 7, state: {waiting: {reason: CrashLoopBackOff}}}
"""


def test_crashloop_is_because_of_its_root_workload_what_it_needs_and_its_node() -> None:
    found = only(OWNED, "pod-crashloop")
    assert [r.display() for r in found.because_of] == [
        "Deployment/shop/api",
        "PersistentVolumeClaim/shop/api-data",
        "ConfigMap/shop/api-env",
        "Secret/shop/api-db",
        "Node/node-1",
    ]


def test_a_pod_without_owner_is_not_its_own_cause() -> None:
    assert only(dump(pod("api-1", [CRASHING])), "pod-crashloop").because_of == ()


def test_every_failing_container_is_named_worst_first_init_containers_too() -> None:
    statuses = [
        {"name": "sidecar", "restartCount": 6, "state": {"running": {}}, "ready": False},
        {"name": "api", "restartCount": 2, "state": {"waiting": {"reason": "CrashLoopBackOff"}}},
        {"name": "fine", "restartCount": 0, "state": {"running": {}}, "ready": True},
    ]
    init = [
        {
            "name": "migrate",
            "restartCount": 30,
            "state": {"terminated": {"reason": "Error", "exitCode": 2}},
            "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled"}},
        }
    ]
    found = only(dump(pod("api-1", statuses, status={"initContainerStatuses": init})), "pod-crashloop")
    assert found.message == (
        "container api of Pod shop/api-1: CrashLoopBackOff, 2 restarts"
        "; also init container migrate: terminated Error (exit code 2), 30 restarts,"
        " last terminated OOMKilled (exit code 137)"
        "; also container sidecar: running, 6 restarts."
    )
    assert found.severity.value == "error"


def test_restarts_alone_while_running_ready_is_a_warning_and_the_threshold_is_a_param() -> None:
    flapping = {"name": "web", "ready": True, "restartCount": 5, "state": {"running": {}}}
    assert only(dump(pod("web-1", [flapping])), "pod-crashloop").severity.value == "warning"
    below = {**flapping, "restartCount": 4}
    assert findings(dump(pod("web-1", [below])), "pod-crashloop") == []
    assert RULES["pod-crashloop"].params.restarts == 5  # type: ignore[attr-defined]


DESCRIBE_CASES = [
    (
        "CrashLoopBackOff, 1 restart",
        {"restartCount": 1, "state": {"waiting": {"reason": "CrashLoopBackOff"}}},
    ),
    (
        "CrashLoopBackOff, 0 restarts, last terminated with exit code 139",
        {
            "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off"}},
            "lastState": {"terminated": {"exitCode": 139}},
        },
    ),
    (
        'CreateContainerConfigError, 6 restarts: secret "db" not found',
        {
            "restartCount": 6,
            "state": {
                "waiting": {"reason": "CreateContainerConfigError", "message": 'secret "db" not found'}
            },
        },
    ),
    (
        "terminated OOMKilled (exit code 137), 8 restarts",
        {"restartCount": 8, "state": {"terminated": {"reason": "OOMKilled", "exitCode": 137}}},
    ),
    ("waiting, 9 restarts", {"restartCount": 9, "state": {"waiting": {}}}),
    (
        "running, 12 restarts, last terminated Error (exit code 255) at 2021-07-08T11:00:00Z",
        {
            "restartCount": 12,
            "state": {"running": {"startedAt": "2021-07-08T11:00:05Z"}},
            "lastState": {
                "terminated": {"reason": "Error", "exitCode": 255, "finishedAt": "2021-07-08T11:00:00Z"}
            },
        },
    ),
    (
        "CrashLoopBackOff, 3 restarts, last terminated Error (exit code 1)",
        {
            "restartCount": 3,
            "state": {"waiting": {"reason": "CrashLoopBackOff"}},
            "lastState": {
                "terminated": {"reason": "Error", "exitCode": 1, "finishedAt": "2021-07-08T11:00:00Z"}
            },
        },
    ),
    (
        "running, 5 restarts, last terminated Completed",
        {
            "restartCount": 5,
            "state": {"running": {}},
            "lastState": {"terminated": {"reason": "Completed", "exitCode": "0"}},
        },
    ),
]


@pytest.mark.parametrize(("expected", "status"), DESCRIBE_CASES, ids=[c[0] for c in DESCRIBE_CASES])
def test_describe_a_container_state(expected: str, status: dict[str, Any]) -> None:
    [state] = container_states(live(pod("p", [{"name": "c", **status}])))
    assert describe(state) == expected


def live(raw: dict[str, Any]) -> K8sObject:
    [obj] = graph_from_yaml(dump(raw)).of_kind("", "Pod")
    return obj


POD_STATES = [
    (
        "CrashLoopBackOff",
        pod(
            "p",
            [
                {"name": "a", "state": {"waiting": {"reason": "ContainerCreating"}}},
                {"name": "b", "state": {"waiting": {"reason": "CrashLoopBackOff"}}},
            ],
        ),
    ),
    ("ContainerCreating", pod("p", [{"name": "a", "state": {"waiting": {"reason": "ContainerCreating"}}}])),
    (
        "Init:ErrImagePull",
        pod(
            "p",
            [{"name": "a", "state": {"waiting": {"reason": "PodInitializing"}}}],
            status={
                "initContainerStatuses": [{"name": "i", "state": {"waiting": {"reason": "ErrImagePull"}}}]
            },
        ),
    ),
    (
        "Init:Error",
        pod(
            "p",
            [],
            status={"initContainerStatuses": [{"name": "i", "state": {"terminated": {"reason": "Error"}}}]},
        ),
    ),
    ("OOMKilled", pod("p", [{"name": "a", "state": {"terminated": {"reason": "OOMKilled"}}}])),
    (
        "Pending: Unschedulable",
        pod(
            "p",
            [],
            status={
                "phase": "Pending",
                "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable"}],
            },
        ),
    ),
    (
        "Running, not ready",
        pod(
            "p",
            [{"name": "a", "state": {"running": {}}}],
            status={"conditions": [{"type": "Ready", "status": "False"}]},
        ),
    ),
    ("Terminating", pod("p", [], metadata={"deletionTimestamp": "2025-09-13T05:00:00Z"})),
    ("Running", pod("p", [{"name": "a", "state": {"running": {}}}])),
]


@pytest.mark.parametrize(("expected", "raw"), POD_STATES, ids=[c[0] for c in POD_STATES])
def test_pod_state(expected: str, raw: dict[str, Any]) -> None:
    assert pod_state(live(raw)) == expected


# -- workload-unavailable ------------------------------------------------------------------------


def deployment(
    name: str, replicas: object, status: dict[str, Any] | None, namespace: str = "shop"
) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": namespace, "uid": f"d-{name}"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [{"name": "c"}]}},
        },
    }
    if status is not None:
        obj["status"] = status
    return obj


def replicaset(name: str, owner: str, replicas: int) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": name,
            "namespace": "shop",
            "uid": f"rs-{name}",
            "ownerReferences": [
                {"apiVersion": "apps/v1", "kind": "Deployment", "name": owner, "controller": True}
            ],
        },
        "spec": {"replicas": replicas},
        "status": {"replicas": replicas},
    }


def owned_pod(name: str, owner: str, kind: str, state: dict[str, Any], **extra: Any) -> dict[str, Any]:
    raw = pod(name, [{"name": "c", "state": state}], **extra)
    raw["metadata"]["ownerReferences"] = [
        {"apiVersion": "apps/v1", "kind": kind, "name": owner, "controller": True}
    ]
    raw["status"].setdefault("conditions", [{"type": "Ready", "status": "False"}])
    return raw


def test_workload_names_its_pods_not_ready_links_them_and_quotes_its_replicasets_events() -> None:
    crash = {"waiting": {"reason": "CrashLoopBackOff"}}
    ready: dict[str, Any] = {"running": {}}
    text = dump(
        deployment(
            "api",
            3,
            {
                "availableReplicas": 1,
                "conditions": [
                    {
                        "type": "Progressing",
                        "status": "False",
                        "reason": "ProgressDeadlineExceeded",
                        "message": 'ReplicaSet "api-new" has timed out progressing.',
                    }
                ],
            },
        ),
        replicaset("api-old", "api", 2),
        replicaset("api-new", "api", 1),
        replicaset("api-older", "api", 0),
        owned_pod("api-old-a", "api-old", "ReplicaSet", crash),
        owned_pod(
            "api-old-b",
            "api-old",
            "ReplicaSet",
            ready,
            status={"conditions": [{"type": "Ready", "status": "True"}]},
        ),
        owned_pod("api-old-c", "api-old", "ReplicaSet", crash, metadata={"deletionTimestamp": "t0"}),
        event(
            "api-new",
            "FailedCreate",
            'Error creating: pods "api-new-" is forbidden: exceeded quota',
            12,
            "t5",
            kind="ReplicaSet",
        ),
        event("api-older", "FailedCreate", "an old revision's", 1, "t1", kind="ReplicaSet"),
        event("api", "SomethingElse", "about the Deployment", 1, "t2", kind="Deployment"),
    )
    found = only(text, "workload-unavailable")
    assert found.message == (
        "Deployment api: 1 of 3 available; not ready: api-old-a (CrashLoopBackOff)"
        "; rollout stuck (ProgressDeadlineExceeded)."
    )
    assert [r.display() for r in found.because_of] == ["Deployment/shop/api", "Pod/shop/api-old-a"]
    assert [(e.kind, e.text, e.object.display() if e.object else None) for e in found.evidence] == [
        (
            "condition",
            'Progressing=False ProgressDeadlineExceeded: ReplicaSet "api-new" has timed out progressing.',
            None,
        ),
        ("event", "SomethingElse x1 (last t2): about the Deployment", None),
        (
            "event",
            'FailedCreate x12 (last t5): Error creating: pods "api-new-" is forbidden: exceeded quota',
            "ReplicaSet/shop/api-new",
        ),
    ]
    assert found.layer.value == "aggregate"


def test_only_so_many_pods_are_named() -> None:
    pods = [
        owned_pod(
            f"agent-{i}",
            "agent",
            "DaemonSet",
            {"waiting": {"reason": "ErrImagePull"}},
            spec={"nodeName": f"n{i}"},
        )
        for i in range(7)
    ]
    ds = {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": "shop"},
        "spec": {},
        "status": {"desiredNumberScheduled": 7, "numberReady": 0},
    }
    found = only(dump(ds, *pods), "workload-unavailable")
    assert found.message == (
        "DaemonSet agent: 0 of 7 ready; not ready: agent-0 (ErrImagePull), agent-1 (ErrImagePull), "
        "agent-2 (ErrImagePull), agent-3 (ErrImagePull), agent-4 (ErrImagePull) and 2 more."
    )
    assert [r.name for r in found.because_of] == [f"agent-{i}" for i in range(7)]  # not the DaemonSet


def test_a_replicaset_a_deployment_controls_is_reported_through_it_once() -> None:
    rs = replicaset("api-7d9f", "api", 2) | {"status": {"replicas": 2, "readyReplicas": 0}}
    text = dump(deployment("api", 2, {"replicas": 2}), rs)
    assert [f.object.display() for f in findings(text, "workload-unavailable")] == ["Deployment/shop/api"]


def test_a_workload_without_pods_where_the_namespace_has_pods_says_so() -> None:
    other = owned_pod("x-1", "x", "ReplicaSet", {"running": {}})
    found = only(dump(deployment("api", 1, {"observedGeneration": 2}), other), "workload-unavailable")
    assert found.message == "Deployment api: 0 of 1 available; no pod of it exists."
    assert [r.display() for r in found.because_of] == ["Deployment/shop/api"]


# -- workload-scaled-to-zero ---------------------------------------------------------------------


def service(name: str, selector: dict[str, str]) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": "shop"},
        "spec": {"selector": selector},
    }


def labelled(obj: dict[str, Any], **labels: str) -> dict[str, Any]:
    obj["spec"]["template"]["metadata"]["labels"].update(labels)
    return obj


def test_scaled_to_zero_names_only_the_services_it_leaves_empty_and_relates_them() -> None:
    text = dump(
        labelled(deployment("dev-api", 0, None), tier="api"),
        labelled(deployment("dev-worker", 0, None), tier="worker"),
        labelled(deployment("prod-api", 2, None), tier="api"),
        service("dev-api", {"app": "dev-api"}),
        service("shared", {"tier": "api"}),  # prod-api's pods keep it served
        service("workers", {"tier": "worker"}),
    )
    got = {f.object.name: f for f in findings(text, "workload-scaled-to-zero")}
    assert set(got) == {"dev-api", "dev-worker"}
    assert got["dev-api"].message == (
        "Deployment dev-api is scaled to zero (spec.replicas: 0); "
        "Service dev-api therefore has no endpoints, on purpose."
    )
    assert [r.display() for r in got["dev-api"].related] == ["Service/shop/dev-api"]
    assert got["dev-worker"].message.endswith("; Service workers therefore has no endpoints, on purpose.")
    assert got["dev-api"].layer.value == "configuration" and got["dev-api"].severity.value == "info"


# -- bad input is normal input -------------------------------------------------------------------

GARBAGE: list[object] = [None, 7, "x", [], [1, "a", None], {"a": []}, True]


@pytest.mark.parametrize("value", GARBAGE, ids=[repr(v) for v in GARBAGE])
def test_no_rule_raises_on_status_fields_of_the_wrong_type(value: object) -> None:
    objects: list[dict[str, Any]] = []
    for field in ("containerStatuses", "initContainerStatuses", "conditions", "phase"):
        raw = pod(f"p-{field.lower()}", [CRASHING])
        raw["status"][field] = value
        objects.append(raw)
    crashing = pod(
        "p-state", [{**CRASHING, "state": value, "lastState": {"terminated": value}, "restartCount": value}]
    )
    objects.append(crashing)
    for field in (
        "availableReplicas",
        "readyReplicas",
        "conditions",
        "desiredNumberScheduled",
        "numberReady",
    ):
        objects.append(deployment(f"d-{field.lower()}", 2, {field: value}))
        objects.append(
            {
                "apiVersion": "apps/v1",
                "kind": "DaemonSet",
                "metadata": {"name": f"ds-{field.lower()}", "namespace": "shop"},
                "spec": value,
                "status": {field: value, "desiredNumberScheduled": 2},
            }
        )
    objects.append(deployment("zero-ish", value, {"replicas": value}))
    text = dump(*objects)
    for rule in IDS:
        findings(text, rule)  # never raises


# -- chains of causes (with every built-in rule) ------------------------------------------------

MISSING_TEMPLATES = """
apiVersion: v1
kind: ConfigMap
metadata: {name: public-api-config, namespace: onlyoneapi}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: public-api, namespace: onlyoneapi, uid: d1}
spec:
  replicas: 1
  selector: {matchLabels: {app: public-api}}
  template:
    metadata: {labels: {app: public-api}}
    spec:
      containers:
        - {name: api, image: api:2, volumeMounts: [{name: email, mountPath: /app/templates}]}
      volumes: [{name: email, configMap: {name: email-templates}}]
status: {replicas: 1, unavailableReplicas: 1}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: public-api-5c4b
  namespace: onlyoneapi
  uid: rs1
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: public-api, uid: d1, controller: true}]
spec: {replicas: 1}
status: {replicas: 1}
---
apiVersion: v1
kind: Pod
metadata:
  name: public-api-5c4b-q8m
  namespace: onlyoneapi
  labels: {app: public-api}
  ownerReferences:
    - {apiVersion: apps/v1, kind: ReplicaSet, name: public-api-5c4b, uid: rs1, controller: true}
spec:
  containers:
    - {name: api, image: api:2, volumeMounts: [{name: email, mountPath: /app/templates}]}
  volumes: [{name: email, configMap: {name: email-templates}}]
status:
  phase: Pending
  conditions: [{type: Ready, status: "False"}]
  containerStatuses:
    - {name: api, ready: false, restartCount: 0, state: {waiting: {reason: ContainerCreating}}}
---
apiVersion: v1
kind: Event
metadata: {name: public-api-5c4b-q8m.1, namespace: onlyoneapi}
involvedObject: {kind: Pod, name: public-api-5c4b-q8m, namespace: onlyoneapi}
type: Warning
reason: FailedMount
message: 'MountVolume.SetUp failed for volume "email" : configmap "email-templates" not found'
count: 11820
lastTimestamp: "2025-09-13T07:57:45Z"
"""


def test_a_workload_whose_pods_never_start_is_explained_by_its_own_configuration(tmp_path: Path) -> None:
    path = tmp_path / "dump.yaml"
    path.write_text(MISSING_TEMPLATES, encoding="utf-8")
    report = pipeline.analyse([str(path)]).report
    [unavailable] = [f for f in report.findings if f.rule == "workload-unavailable"]
    assert unavailable.message == (
        "Deployment public-api: 0 of 1 available; not ready: public-api-5c4b-q8m (ContainerCreating)."
    )
    # a pod still creating has no finding of its own: the workload quotes why
    assert [(e.text, e.object.display() if e.object else None) for e in unavailable.evidence] == [
        (
            'FailedMount x11820 (last 2025-09-13T07:57:45Z): MountVolume.SetUp failed for volume "email" :'
            ' configmap "email-templates" not found',
            "Pod/onlyoneapi/public-api-5c4b-q8m",
        )
    ]
    roots = {(r.finding.rule, r.finding.object.display()): r for r in report.root_causes}
    missing = roots[("missing-reference", "Deployment/onlyoneapi/public-api")]
    assert [(f.rule, f.object.display()) for f in missing.explains] == [
        ("workload-unavailable", "Deployment/onlyoneapi/public-api")
    ]
