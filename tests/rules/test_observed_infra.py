"""Node, claim, Job and autoscaler rules: what their case files cannot show (exact messages,
evidence, causes, the dump's time, the graph queries they add) and bad input that must not raise."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from conftest import graph_from_yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer import pipeline
from analyzer.findings.fingerprint import fingerprint
from analyzer.graph import query
from analyzer.model import ObjectRef
from analyzer.model.times import age, newest, timestamp
from analyzer.rules.catalog import load_catalog
from analyzer.rules.evaluate import evaluate
from analyzer.rules.finding import Evidence, Finding, Severity
from analyzer.rules.predicates.hpa_not_scaling import hpa_conditions

RULES = ("node-not-ready", "node-pressure", "pvc-unbound", "job-failed", "hpa-not-scaling")
CATALOG = [r for r in load_catalog() if r.id in RULES]


def findings(tmp_path: Path, text: str, rule: str) -> list[Finding]:
    path = tmp_path / "dump.yaml"
    path.write_text(text, encoding="utf-8")
    return [f for f in pipeline.analyse([str(path)]).report.findings if f.rule == rule]


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# Times -----------------------------------------------------------------------------------------

TIMES = [
    ("canonical", "2025-09-13T05:12:00Z", "2025-09-13T05:12:00"),
    ("fractions of a second", "2025-09-13T05:12:00.123456789Z", "2025-09-13T05:12:00.123456"),
    ("an offset", "2025-09-13T07:12:00+02:00", "2025-09-13T05:12:00"),
    ("a negative offset without colon", "2025-09-13T00:12:00-0500", "2025-09-13T05:12:00"),
    ("no offset: UTC", "2025-09-13 05:12:00", "2025-09-13T05:12:00"),
]


@pytest.mark.parametrize(("text", "want"), [c[1:] for c in TIMES], ids=[c[0] for c in TIMES])
def test_timestamp(text: str, want: str) -> None:
    assert timestamp(text) == utc(want)


@pytest.mark.parametrize("value", [None, 12, "yesterday", "2025-13-01T00:00:00Z", "2025-02-30T00:00:00Z", ""])
def test_timestamp_of_anything_else_is_none(value: object) -> None:
    assert timestamp(value) is None


def test_newest_compares_canonical_text_and_parsed_offsets_alike() -> None:
    assert newest(["2025-09-13T05:00:00Z", "2025-09-13T07:30:00+02:00", None, 5, "x"]) == utc(
        "2025-09-13T05:30:00"
    )
    assert newest(["2025-09-13T05:00:00Z", "2025-09-13T06:30:00+02:00"]) == utc("2025-09-13T05:00:00")
    assert newest([None, "soon"]) is None


def test_age() -> None:
    assert [
        age(utc("2025-01-03T02:00:00") - utc(t)) for t in ("2025-01-03T01:59:20", "2025-01-03T01:48:00")
    ] == [
        "40s",
        "12m",
    ]
    assert age(utc("2025-01-03T02:00:00") - utc("2025-01-01T03:00:00")) == "47h"
    assert age(utc("2025-01-03T02:00:00") - utc("2025-01-01T02:00:00")) == "2 days"


DUMP = """
apiVersion: v1
kind: Event
metadata: {name: e1, namespace: shop, creationTimestamp: "2025-09-13T04:00:00Z"}
involvedObject: {kind: Pod, name: api-1}
lastTimestamp: "2025-09-13T05:00:00Z"
---
apiVersion: events.k8s.io/v1
kind: Event
metadata: {name: e2, namespace: shop}
regarding: {kind: Pod, name: api-1}
series: {count: 3, lastObservedTime: "2025-09-13T05:10:00Z"}
---
apiVersion: v1
kind: Node
metadata: {name: n1, creationTimestamp: "2025-01-01T00:00:00Z"}
status:
  conditions: [{type: Ready, status: "True", lastHeartbeatTime: "2025-09-13T05:20:00Z"}]
---
apiVersion: v1
kind: Pod
metadata: {name: api-1, namespace: shop}
spec: {nodeName: n1, containers: [{name: api, image: api:1}]}
status:
  startTime: "2025-09-12T00:00:00Z"
  containerStatuses:
    - name: api
      state: {running: {startedAt: "2025-09-13T07:25:00+02:00"}}
      lastState: {terminated: {finishedAt: "2025-09-13T05:24:00Z"}}
"""


def test_observed_at_is_the_newest_time_of_the_dump() -> None:
    assert graph_from_yaml(DUMP).observed_at() == utc("2025-09-13T05:25:00")


def test_observed_at_is_computed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = graph_from_yaml(DUMP)
    calls: list[object] = []
    real = query.times_in

    def counting(raw: dict[str, object]) -> object:
        calls.append(raw)
        return real(raw)

    monkeypatch.setattr(query, "times_in", counting)
    first = graph.observed_at()
    read = len(calls)
    assert graph.observed_at() == first and read == 4 and len(calls) == read


def test_a_manifest_records_no_time() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, creationTimestamp: null}\n"
    assert graph_from_yaml(text).observed_at() is None


# Graph queries ---------------------------------------------------------------------------------


def test_pods_on_a_node() -> None:
    graph = graph_from_yaml(DUMP)
    node = graph.get(("", "Node", None, "n1"))
    assert node is not None
    assert [p.name for p in graph.pods_on(node)] == ["api-1"]
    assert graph.pods_on(ObjectRef("v1", "Node", None, "n2")) == []


CLAIMS = """
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web, namespace: shop}
spec:
  volumeClaimTemplates: [{metadata: {name: data}}, {metadata: {name: logs}}, {metadata: {}}, 7]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db-web, namespace: shop}
spec: {volumeClaimTemplates: [{metadata: {name: data}}]}
"""


@pytest.mark.parametrize(
    ("namespace", "claim", "made_by"),
    [
        ("shop", "data-web-0", [("web", "data")]),
        ("shop", "logs-web-12", [("web", "logs")]),
        ("shop", "data-db-web-3", [("db-web", "data")]),
        ("shop", "data-web-x", []),
        ("shop", "data-web", []),
        ("shop", "cache-web-0", []),
        ("other", "data-web-0", []),
    ],
)
def test_claim_templates(namespace: str, claim: str, made_by: list[tuple[str, str]]) -> None:
    graph = graph_from_yaml(CLAIMS)
    found = graph.claim_templates(ObjectRef("v1", "PersistentVolumeClaim", namespace, claim))
    assert [(sts.name, template) for sts, template in found] == made_by


# Messages, evidence, causes --------------------------------------------------------------------


def test_node_not_ready_message_and_evidence(tmp_path: Path) -> None:
    text = """
apiVersion: v1
kind: Node
metadata: {name: n1}
status:
  conditions:
    - {type: Ready, status: "False", reason: KubeletNotReady, message: container runtime is down,
       lastTransitionTime: "2025-09-13T05:12:00Z"}
---
apiVersion: v1
kind: Event
metadata: {name: n1.1, namespace: default}
involvedObject: {kind: Node, name: n1}
type: Normal
reason: NodeNotReady
message: Node n1 status is now NodeNotReady
lastTimestamp: "2025-09-13T05:12:30Z"
"""
    [found] = findings(tmp_path, text, "node-not-ready")
    assert found.message == (
        "Node n1 is not Ready: Ready=False (KubeletNotReady: container runtime is down) "
        "since 2025-09-13T05:12:00Z; no pod of the snapshot is bound to it."  # the Event: 30s later
    )
    assert found.severity is Severity.ERROR
    assert found.evidence == (
        Evidence(
            "condition", "Ready=False since 2025-09-13T05:12:00Z: KubeletNotReady: container runtime is down"
        ),
    )  # a Normal Event is not quoted


def test_node_not_ready_says_how_long_before_the_dump(tmp_path: Path) -> None:
    text = """
apiVersion: v1
kind: Node
metadata: {name: n1}
status:
  conditions:
    - {type: Ready, status: Unknown, reason: NodeStatusUnknown, lastTransitionTime: "2025-09-10T05:12:00Z"}
    - {type: MemoryPressure, status: Unknown, lastHeartbeatTime: "2025-09-13T06:00:00Z"}
"""
    [found] = findings(tmp_path, text, "node-not-ready")
    assert "since 2025-09-10T05:12:00Z (3 days before the dump);" in found.message


def test_node_pressure_and_cordon_are_two_findings(tmp_path: Path) -> None:
    text = """
apiVersion: v1
kind: Node
metadata: {name: n1}
spec: {unschedulable: true}
status:
  conditions:
    - {type: DiskPressure, status: "True", message: kubelet has disk pressure}
    - {type: PIDPressure, status: "True"}
"""
    found = sorted(findings(tmp_path, text, "node-pressure"), key=lambda f: f.severity.rank)
    assert [(f.severity, f.message) for f in found] == [
        (
            Severity.INFO,
            "Node n1 is cordoned (spec.unschedulable: true): it takes no new pods; "
            "no pod of the snapshot is bound to it.",
        ),
        (
            Severity.WARNING,
            "Node n1 reports DiskPressure (kubelet has disk pressure), PIDPressure; "
            "no pod of the snapshot is bound to it.",
        ),
    ]


def test_pvc_names_who_waits_and_counts_the_rest(tmp_path: Path) -> None:
    pods = "".join(
        f"""---
apiVersion: v1
kind: Pod
metadata: {{name: reader-{i}, namespace: shop}}
spec:
  containers: [{{name: r, image: r:1}}]
  volumes: [{{name: d, persistentVolumeClaim: {{claimName: shared}}}}]
status: {{phase: {"Succeeded" if i == 5 else "Pending"}}}
"""
        for i in range(6)
    )
    text = (
        """
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: shared, namespace: shop}
spec: {storageClassName: "", accessModes: [ReadOnlyMany, ReadWriteOnce]}
status: {phase: Pending}
"""
        + pods
    )
    [found] = findings(tmp_path, text, "pvc-unbound")
    assert found.message == (
        'PersistentVolumeClaim shared is Pending (no storage class ("": only pre-provisioned volumes '
        "without a class), no size requested, ReadOnlyMany/ReadWriteOnce): Pod reader-0, Pod reader-1, "
        "Pod reader-2, Pod reader-3 and 1 more wait for it."
    )
    assert [r.name for r in found.related] == [f"reader-{i}" for i in range(5)]  # not the finished one


def test_pvc_quotes_its_events_and_those_of_the_first_pod_waiting(tmp_path: Path) -> None:
    text = """
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: shop}
spec: {storageClassName: fast, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
status: {phase: Pending}
---
apiVersion: v1
kind: Pod
metadata: {name: db-0, namespace: shop}
spec:
  containers: [{name: db, image: db:1}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
status: {phase: Pending}
---
apiVersion: v1
kind: Event
metadata: {name: e1, namespace: shop}
involvedObject: {kind: PersistentVolumeClaim, name: data}
type: Warning
reason: ProvisioningFailed
message: storageclass.storage.k8s.io "fast" not found
count: 4
lastTimestamp: "2025-09-13T05:00:00Z"
---
apiVersion: v1
kind: Event
metadata: {name: e2, namespace: shop}
involvedObject: {kind: Pod, name: db-0}
type: Warning
reason: FailedScheduling
message: "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims."
lastTimestamp: "2025-09-13T05:01:00Z"
"""
    [found] = findings(tmp_path, text, "pvc-unbound")
    assert found.evidence == (
        Evidence(
            "event",
            'ProvisioningFailed x4 (last 2025-09-13T05:00:00Z): storageclass.storage.k8s.io "fast" not found',
        ),
        Evidence(
            "event",
            "FailedScheduling x1 (last 2025-09-13T05:01:00Z): 0/3 nodes are available: pod has unbound "
            "immediate PersistentVolumeClaims.",
            ObjectRef("v1", "Pod", "shop", "db-0"),
        ),
    )


def test_pvc_without_the_wait_for_consumer_class_in_the_snapshot_is_reported(tmp_path: Path) -> None:
    text = """
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: c, namespace: shop}
spec: {storageClassName: local-wffc}
status: {phase: Pending}
"""
    [found] = findings(tmp_path, text, "pvc-unbound")
    assert "storage class local-wffc, " in found.message  # not "(not in the snapshot)": no class is


JOB_DUMP = """
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: ops, uid: cj1, creationTimestamp: "2025-09-01T00:00:00Z"}
spec: {schedule: "0 2 * * *", jobTemplate: {spec: {template: {spec: {containers: [{name: b, image: b:1}]}}}}}
status: {lastScheduleTime: "2025-09-13T02:00:00Z"}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: nightly-1
  namespace: ops
  uid: j1
  ownerReferences: [{apiVersion: batch/v1, kind: CronJob, name: nightly, uid: cj1, controller: true}]
spec: {template: {spec: {containers: [{name: b, image: b:1}]}}}
status:
  startTime: "2025-09-13T02:00:00Z"
  failed: 2
  conditions:
    - {type: Failed, status: "True", reason: BackoffLimitExceeded,
       message: Job has reached the specified backoff limit}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: nightly-0
  namespace: ops
  ownerReferences: [{apiVersion: batch/v1, kind: CronJob, name: nightly, uid: cj1, controller: true}]
spec: {template: {spec: {containers: [{name: b, image: b:1}]}}}
status:
  startTime: "2025-09-12T02:00:00Z"
  conditions: [{type: Complete, status: "True"}]
"""
JOB_PODS = "".join(
    f"""---
apiVersion: v1
kind: Pod
metadata:
  name: nightly-1-{suffix}
  namespace: ops
  creationTimestamp: "{created}"
  ownerReferences: [{{apiVersion: batch/v1, kind: Job, name: nightly-1, uid: j1, controller: true}}]
spec: {{containers: [{{name: b, image: b:1}}]}}
status:
  phase: {phase}
  containerStatuses: [{{name: b, state: {{terminated: {{reason: Error, exitCode: {code}}}}}}}]
"""
    for suffix, created, phase, code in (
        ("a", "2025-09-13T02:00:00Z", "Failed", 1),
        ("b", "2025-09-13T02:01:00Z", "Failed", 2),
        ("c", "2025-09-13T02:00:30Z", "Succeeded", 0),
    )
)


def test_failed_job_is_because_of_its_failed_pods_and_quotes_the_last_one(tmp_path: Path) -> None:
    found = {f.object.name: f for f in findings(tmp_path, JOB_DUMP + JOB_PODS, "job-failed")}
    job = found["nightly-1"]
    assert job.message == (
        "Job nightly-1 failed: BackoffLimitExceeded: Job has reached the specified backoff limit "
        "(2 pods failed, 0 succeeded)."
    )
    assert [r.name for r in job.because_of] == ["nightly-1-a", "nightly-1-b"]
    pod_b = ObjectRef("v1", "Pod", "ops", "nightly-1-b")
    assert Evidence("status", "container b terminated Error (exit code 2)", pod_b) in job.evidence
    cron = found["nightly"]
    assert (
        cron.message == "CronJob nightly ran its latest Job nightly-1, which failed (BackoffLimitExceeded)."
    )
    assert cron.because_of == (ObjectRef("batch/v1", "Job", "ops", "nightly-1"),)
    assert set(found) == {"nightly", "nightly-1"}  # nightly-0 completed; daily, scheduled today: not late


def test_latest_job_by_start_time_when_creation_times_are_absent(tmp_path: Path) -> None:
    swapped = JOB_DUMP.replace('startTime: "2025-09-12T02:00:00Z"', 'startTime: "2025-09-14T02:00:00Z"')
    found = findings(tmp_path, swapped, "job-failed")
    assert [f.object.name for f in found] == []  # nightly-0 (complete) is now the latest; nightly-1 history


def test_late_cronjob_message_is_measured_against_the_dump(tmp_path: Path) -> None:
    text = JOB_DUMP.replace(
        'lastScheduleTime: "2025-09-13T02:00:00Z"', 'lastScheduleTime: "2025-09-08T02:00:00Z"'
    )
    text = text.replace("status: {lastScheduleTime", "status: {active: [{name: nightly-1}], lastScheduleTime")
    late = [f for f in findings(tmp_path, text, "job-failed") if "scheduled" in f.message]
    assert [f.message for f in late] == [
        "CronJob nightly was last scheduled 5 days before the dump (2025-09-08T02:00:00Z), but its schedule "
        '"0 2 * * *" fires at least every 1d; 1 Job still active.'
    ]


def test_hpa_is_because_of_its_target_even_when_missing(tmp_path: Path) -> None:
    text = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec: {template: {spec: {containers: [{name: web, image: web:1}]}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: shop}
spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}, maxReplicas: 3}
status:
  conditions:
    - {type: AbleToScale, status: "False", reason: FailedGetScale,
       message: 'deployments/scale.apps "api" not found'}
    - {type: ScalingActive, status: "False", reason: FailedGetResourceMetric}
"""
    [found] = findings(tmp_path, text, "hpa-not-scaling")
    target = ObjectRef("apps/v1", "Deployment", "shop", "api")
    assert found.because_of == (target, found.object)  # hpa-target-missing sits on the autoscaler
    [missing] = findings(tmp_path, text, "hpa-target-missing")
    assert found.causes == (fingerprint(missing),)
    assert found.message == (
        "HorizontalPodAutoscaler api cannot scale Deployment api: AbleToScale=False (FailedGetScale: "
        'deployments/scale.apps "api" not found); ScalingActive=False (FailedGetResourceMetric).'
    )


def test_hpa_status_conditions_win_over_the_v1_annotation() -> None:
    text = """
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  name: api
  namespace: shop
  annotations:
    autoscaling.alpha.kubernetes.io/conditions: '[{"type": "ScalingActive", "status": "False"}]'
spec: {scaleTargetRef: {kind: Deployment, name: api}}
status: {conditions: [{type: ScalingActive, status: "True"}]}
"""
    graph = graph_from_yaml(text)
    [hpa] = graph.of_kind("autoscaling", "HorizontalPodAutoscaler")
    assert {k: c.status for k, c in hpa_conditions(hpa).items()} == {"ScalingActive": "True"}


# Bad input -------------------------------------------------------------------------------------

KEYS = [
    "type",
    "status",
    "reason",
    "message",
    "conditions",
    "phase",
    "lastScheduleTime",
    "lastTransitionTime",
    "startTime",
    "active",
    "failed",
    "containerStatuses",
    "state",
    "terminated",
    "exitCode",
    "name",
]
JUNK = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8), st.just("2025-09-13T05:12:00Z")),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)
    ),
    max_leaves=12,
)
SUBJECTS = [
    ("v1", "Node", None),
    ("v1", "PersistentVolumeClaim", "shop"),
    ("batch/v1", "Job", "shop"),
    ("batch/v1", "CronJob", "shop"),
    ("autoscaling/v1", "HorizontalPodAutoscaler", "shop"),
]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SUBJECTS), JUNK, JUNK, JUNK)
def test_fields_of_any_type_never_raise(
    subject: tuple[str, str, str | None], status: object, spec: object, note: object
) -> None:
    api_version, kind, namespace = subject
    metadata: dict[str, object] = {
        "name": "x",
        "annotations": {"autoscaling.alpha.kubernetes.io/conditions": yaml.safe_dump(note)},
    }
    if namespace:
        metadata["namespace"] = namespace
    owned = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {
            "name": "x-1",
            "namespace": "shop",
            "ownerReferences": [
                {"apiVersion": "batch/v1", "kind": "CronJob", "name": "x", "controller": True}
            ],
        },
        "status": status,
    }
    docs = [
        {"apiVersion": api_version, "kind": kind, "metadata": metadata, "spec": spec, "status": status},
        owned,
    ]
    graph = graph_from_yaml(yaml.safe_dump_all(docs))
    for finding in evaluate(CATALOG, graph).findings:
        assert finding.rule in RULES and finding.message
