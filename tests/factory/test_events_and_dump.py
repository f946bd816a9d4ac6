"""kubefactory's Events and cluster-info dump printer, and the BlueOcean fixture they write: every
status count agrees with the pods, every Event names an object of the dump by its uid, and the
cluster-info dump holds the before/ objects of the kinds kubectl dumps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import kubefactory as kf

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "blueocean"
Obj = dict[str, Any]


def items(path: Path) -> list[Obj]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return list(yaml.load(path.read_text(encoding="utf-8"), Loader=loader)["items"])


def ready(pod: Obj) -> bool:
    return any(c["type"] == "Ready" and c["status"] == "True" for c in pod["status"].get("conditions", []))


# --------------------------------------------------------------------------- kubefactory


def test_event_names_are_the_object_and_the_first_time_in_hex_nanoseconds() -> None:
    assert kf.event_name("web-1", "1970-01-01T00:00:01Z", 5) == "web-1.3b9aca05"


def test_recorders_shapes() -> None:
    about = kf.involved("Pod", "web-1", "u", "7", namespace="shop", field_path="spec.containers{app}")
    assert list(about) == ["apiVersion", "fieldPath", "kind", "name", "namespace", "resourceVersion", "uid"]
    old = kf.event(
        {}, about, "BackOff", "m", kind="Warning", component="kubelet", host="n1", first="a", last="b"
    )
    assert old["eventTime"] is None and old["source"] == {"component": "kubelet", "host": "n1"}
    assert (old["reportingComponent"], old["reportingInstance"], old["count"]) == ("kubelet", "n1", 1)
    controller = kf.event(
        {},
        about,
        "ScalingReplicaSet",
        "m",
        kind="Normal",
        component="deployment-controller",
        first="a",
        last="a",
    )
    assert controller["reportingInstance"] == "" and "host" not in controller["source"]
    once = kf.series_event(
        {},
        about,
        "FailedScheduling",
        "m",
        kind="Warning",
        controller="default-scheduler",
        instance="s",
        action="Scheduling",
        first="t.1Z",
    )
    assert "series" not in once and "count" not in once and once["source"] == {}
    assert once["firstTimestamp"] is None and once["lastTimestamp"] is None and once["eventTime"] == "t.1Z"
    again = kf.series_event(
        {},
        about,
        "FailedScheduling",
        "m",
        kind="Warning",
        controller="default-scheduler",
        instance="s",
        action="Scheduling",
        first="t.1Z",
        last="t.9Z",
        count=4,
    )
    assert again["series"] == {"count": 4, "lastObservedTime": "t.9Z"}


def test_typed_lists_as_kubectl_prints_them() -> None:
    pod = {"apiVersion": "v1", "kind": "Pod", "status": {}, "spec": {}, "metadata": {"uid": "u", "name": "p"}}
    listed = kf.typed_list("Pod", "v1", [pod], "42")
    assert list(listed) == ["kind", "apiVersion", "metadata", "items"] and listed["kind"] == "PodList"
    [item] = listed["items"]
    assert list(item) == ["metadata", "spec", "status"] and list(item["metadata"]) == ["name", "uid"]
    assert pod["kind"] == "Pod"  # the object given is left as it is
    text = kf.go_json({"message": "a <b> & c"})
    assert text == '{\n    "message": "a \\u003cb\\u003e \\u0026 c"\n}\n'
    assert kf.container_log("ns", "p", "c", "") == (
        "==== START logs for container c of pod ns/p ====\n==== END logs for container c of pod ns/p ====\n"
    )


def test_deployment_conditions() -> None:
    assert [kf.min_available(n) for n in (0, 1, 3, 4, 8)] == [0, 1, 3, 3, 6]
    stuck = kf.deployment_conditions("web-1", available=False, created="a", settled="b", deadline="c")
    available, progressing = stuck
    assert (available["status"], available["reason"]) == ("False", "MinimumReplicasUnavailable")
    assert (progressing["status"], progressing["reason"]) == ("False", "ProgressDeadlineExceeded")
    assert progressing["message"] == 'ReplicaSet "web-1" has timed out progressing.'
    at_zero = kf.deployment_conditions("web-1", available=True, created="a", settled="b")
    assert [(c["type"], c["status"], c["reason"]) for c in at_zero] == [
        ("Available", "True", "MinimumReplicasAvailable"),
        ("Progressing", "True", "NewReplicaSetAvailable"),
    ]


# --------------------------------------------------------------------------- the fixture


@pytest.mark.parametrize("state", ["before", "after"])
def test_workload_status_counts_agree_with_their_pods(state: str) -> None:
    objects = items(FIXTURE / state / "resources.yaml")
    pods_of: dict[str, list[Obj]] = {}
    for o in objects:
        for ref in o["metadata"].get("ownerReferences", []):
            pods_of.setdefault(ref["uid"], []).append(o)
    checked = 0
    for o in objects:
        status, owned = o.get("status", {}), pods_of.get(o["metadata"]["uid"], [])
        if o["kind"] == "ReplicaSet":
            assert status["replicas"] == len(owned) == o["spec"]["replicas"]
            assert (
                status.get("readyReplicas", 0) == status.get("availableReplicas", 0) == sum(map(ready, owned))
            )
        elif o["kind"] == "Deployment":
            pods = [p for rs in owned for p in pods_of.get(rs["metadata"]["uid"], [])]
            n_ready = sum(map(ready, pods))
            assert status.get("replicas", 0) == len(pods)
            assert status.get("readyReplicas", 0) == status.get("availableReplicas", 0) == n_ready
            assert status.get("unavailableReplicas", 0) == len(pods) - n_ready
            conditions = {c["type"]: c for c in status["conditions"]}
            available = n_ready >= kf.min_available(o["spec"]["replicas"])
            assert conditions["Available"]["status"] == str(available)
            assert conditions["Available"]["reason"] == (
                "MinimumReplicasAvailable" if available else "MinimumReplicasUnavailable"
            )
        elif o["kind"] == "DaemonSet":
            n_ready = sum(map(ready, owned))
            assert status["desiredNumberScheduled"] == status["currentNumberScheduled"] == len(owned)
            assert status["numberReady"] == status["numberAvailable"] == n_ready
            assert status.get("numberUnavailable", 0) == len(owned) - n_ready
        elif o["kind"] == "StatefulSet":
            assert status["readyReplicas"] == sum(map(ready, owned)) == status["replicas"]
        else:
            continue
        checked += 1
    assert checked > 40


def test_the_seed_audit_statuses() -> None:
    objects = {(o["kind"], o["metadata"]["name"]): o for o in items(FIXTURE / "before" / "resources.yaml")}
    exporter = objects["DaemonSet", "prometheus-node-exporter"]["status"]
    assert (exporter["numberReady"], exporter["currentNumberScheduled"], exporter["numberUnavailable"]) == (
        26,
        27,
        1,
    )
    api = {c["type"]: c for c in objects["Deployment", "public-api"]["status"]["conditions"]}
    assert (api["Progressing"]["status"], api["Progressing"]["reason"]) == (
        "False",
        "ProgressDeadlineExceeded",
    )
    for name in ("konqer-api", "kreach-api"):
        zero = objects["Deployment", name]["status"]
        assert "replicas" not in zero and all(c["status"] == "True" for c in zero["conditions"])
    pending = objects["Pod", "prometheus-node-exporter-7gml4"]["status"]
    [scheduled] = pending["conditions"]
    assert (scheduled["type"], scheduled["status"], scheduled["reason"]) == (
        "PodScheduled",
        "False",
        "Unschedulable",
    )
    creating = next(
        o for (k, n), o in objects.items() if k == "Pod" and n.startswith("public-api-nnjtxmj6pm")
    )
    assert creating["status"]["phase"] == "Pending" and "podIP" not in creating["status"]


@pytest.mark.parametrize("state", ["before", "after"])
def test_every_event_names_an_object_of_the_dump_by_uid(state: str) -> None:
    objects = {o["metadata"]["uid"]: o for o in items(FIXTURE / state / "resources.yaml")}
    events = items(FIXTURE / state / "events.yaml")
    assert events
    for e in events:
        target = objects[e["involvedObject"]["uid"]]
        assert (target["kind"], target["metadata"]["name"]) == (
            e["involvedObject"]["kind"],
            e["involvedObject"]["name"],
        )
        assert e["metadata"]["namespace"] == target["metadata"]["namespace"]
        assert e["metadata"]["name"].startswith(target["metadata"]["name"] + ".")
        if e["reason"] == "FailedScheduling":
            [condition] = target["status"]["conditions"]
            assert e["message"] == condition["message"] and e["series"]["count"] > 1
    keys = [(e["metadata"]["namespace"], e["metadata"]["name"]) for e in events]
    assert keys == sorted(keys)


def test_before_events_give_each_symptom() -> None:
    by_reason: dict[str, list[Obj]] = {}
    for e in items(FIXTURE / "before" / "events.yaml"):
        by_reason.setdefault(e["reason"], []).append(e)
    assert {e["involvedObject"]["name"].rsplit("-", 1)[0] for e in by_reason["BackOff"]} == {
        "public-api-g6jvqj84cg",
        "promtail",
    }
    [mount] = by_reason["FailedMount"]
    assert (
        mount["message"]
        == 'MountVolume.SetUp failed for volume "email-templates" : configmap "email-templates" not found'
    )
    [unhealthy] = by_reason["Unhealthy"]
    assert unhealthy["involvedObject"]["fieldPath"] == "spec.containers{opencost}"
    assert all(
        e["type"] == "Normal" for reason in ("Pulled", "Created", "Started") for e in by_reason[reason]
    )
    assert {e["type"] for e in by_reason["BackOff"] + by_reason["FailedScheduling"]} == {"Warning"}
    [scaled] = by_reason["ScalingReplicaSet"]
    assert scaled["type"] == "Normal" and scaled["source"] == {"component": "deployment-controller"}
    assert (
        scaled["involvedObject"]["kind"] == "Deployment"
        and scaled["involvedObject"]["apiVersion"] == "apps/v1"
    )


def test_the_cluster_info_dump_holds_before_objects_of_the_kinds_kubectl_dumps() -> None:
    dump = FIXTURE / "cluster-info-dump"
    before = items(FIXTURE / "before" / "resources.yaml") + items(FIXTURE / "before" / "events.yaml")
    nodes = json.loads((dump / "nodes.json").read_text(encoding="utf-8"))
    assert nodes["kind"] == "NodeList" and len(nodes["items"]) == 27
    seen: dict[str, Obj] = {}
    for namespace in sorted(p for p in dump.iterdir() if p.is_dir()):
        for file, kind, api in kf.NAMESPACED:
            listed = json.loads((namespace / f"{file}.json").read_text(encoding="utf-8"))
            assert (listed["kind"], listed["apiVersion"]) == (f"{kind}List", api)
            for item in listed["items"]:
                assert "kind" not in item and item["metadata"]["namespace"] == namespace.name
                seen[item["metadata"]["uid"]] = {"kind": kind, "apiVersion": api, **item}
            if kind == "Pod":
                for item in listed["items"]:
                    assert (namespace / item["metadata"]["name"] / "logs.txt").is_file()
    kinds = {kind for _, kind, _ in kf.NAMESPACED}
    expected = {o["metadata"]["uid"]: o for o in before if o["kind"] in kinds}
    assert seen.keys() == expected.keys()
    for key, o in expected.items():
        assert seen[key] == o, key
    opencost = next((dump / "monitoring").glob("opencost-*/logs.txt")).read_text(encoding="utf-8")
    assert (
        "prometheus-server.monitoring.svc.cluster.local:80" in opencost and "connection refused" in opencost
    )


def test_a_node_under_pressure() -> None:
    conditions = kf.node_conditions(lambda: "t9", "t0", pressure={"MemoryPressure": "t5"})
    by_type = {c["type"]: c for c in conditions}
    memory = by_type["MemoryPressure"]
    assert (memory["status"], memory["reason"], memory["lastTransitionTime"]) == (
        "True",
        "KubeletHasInsufficientMemory",
        "t5",
    )
    assert by_type["DiskPressure"]["status"] == "False" and by_type["Ready"]["status"] == "True"
    assert kf.pressure_taint("DiskPressure") == {
        "effect": "NoSchedule",
        "key": "node.kubernetes.io/disk-pressure",
    }
