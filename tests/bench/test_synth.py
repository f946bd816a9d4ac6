"""bench/synth.py: deterministic, consistent synthetic clusters, streamed exactly as kubectl prints them."""

from __future__ import annotations

import importlib.util
import json
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
PODS = 120
SMALL = 30  # for the comparisons with PyYAML's pure-Python emitter and loader


def load_synth() -> ModuleType:
    name = "kubesnap_bench_synth"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / "synth.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses resolve their module through sys.modules
    spec.loader.exec_module(module)
    return module


synth = load_synth()


@cache
def objects(pods: int = PODS, seed: int = 0) -> tuple[dict[str, Any], ...]:
    return tuple(synth.cluster_objects(pods, seed))


def whole(items: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "items": list(items), "kind": "List", "metadata": {"resourceVersion": ""}}


def of_kind(kind: str, pods: int = PODS) -> list[dict[str, Any]]:
    return [o for o in objects(pods) if o["kind"] == kind]


def write(
    tmp_path: Path, fmt: str, pods: int = PODS, seed: int = 0, jobs: int = 1
) -> tuple[str, dict[str, int]]:
    path = tmp_path / f"{fmt}-{pods}-{seed}-{jobs}.out"
    counts = synth.write_cluster(path, pods, fmt, seed=seed, jobs=jobs)
    return path.read_text(encoding="utf-8"), counts


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The small cluster in each format, written once for the module."""
    folder = tmp_path_factory.mktemp("synth")
    return {fmt: write(folder, fmt, SMALL)[0] for fmt in synth.FORMATS}


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    paths = [tmp_path / name for name in ("first.json", "second.json", "other.json")]
    for path, seed in zip(paths, (0, 0, 1), strict=True):
        synth.write_cluster(path, SMALL, "json", seed=seed)
    first, second, other = (path.read_bytes() for path in paths)
    assert first == second
    assert first != other


def test_worker_processes_write_the_same_bytes(tmp_path: Path, written: dict[str, str]) -> None:
    assert write(tmp_path, "yaml-list", SMALL, jobs=2)[0] == written["yaml-list"]


def test_streamed_json_equals_json_dumps_of_the_whole_list(tmp_path: Path, written: dict[str, str]) -> None:
    assert written["json"] == json.dumps(whole(objects(SMALL)), indent=4, sort_keys=True) + "\n"
    text, _ = write(tmp_path, "json", PODS, jobs=2)
    assert text == json.dumps(whole(objects()), indent=4, sort_keys=True) + "\n"


def test_streamed_yaml_list_equals_yaml_dump_of_the_whole_list(written: dict[str, str]) -> None:
    text = written["yaml-list"]
    assert text.startswith("apiVersion: v1\nitems:\n- apiVersion: v1\n")
    assert text == yaml.dump(whole(objects(SMALL)), default_flow_style=False, sort_keys=True)


def test_yaml_docs_equal_yaml_dump_all(written: dict[str, str]) -> None:
    text = written["yaml-docs"]
    assert text == yaml.dump_all(list(objects(SMALL)), default_flow_style=False, sort_keys=True)


def test_three_formats_hold_the_same_objects(written: dict[str, str]) -> None:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    listed = yaml.load(written["yaml-list"], Loader=loader)
    docs = list(yaml.load_all(written["yaml-docs"], Loader=loader))
    as_json = json.loads(written["json"])
    assert listed == as_json
    assert docs == as_json["items"] == list(objects(SMALL))


@pytest.mark.parametrize("pods", [60, 300])
def test_counts_scale_with_the_pods(pods: int) -> None:
    kinds: dict[str, int] = {}
    for o in objects(pods):
        kinds[o["kind"]] = kinds.get(o["kind"], 0) + 1
    assert kinds["Pod"] == pods  # exact for N >= 50
    assert kinds["Node"] == max(3, round(pods / 30))
    assert kinds["Namespace"] == max(3, round(pods / 500))
    assert kinds["Service"] == kinds["Endpoints"] == kinds["EndpointSlice"]
    assert kinds["Deployment"] == kinds["ReplicaSet"]
    assert kinds["StatefulSet"] >= 1
    assert kinds["DaemonSet"] >= 1
    workloads = kinds["Deployment"] + kinds["StatefulSet"] + kinds["DaemonSet"]
    assert workloads <= kinds["Service"] <= 2 * workloads + 1
    assert kinds["ConfigMap"] > kinds["Namespace"]


def test_counts_returned_by_write_cluster(tmp_path: Path) -> None:
    _, counts = write(tmp_path, "json")
    expected: dict[str, int] = {}
    for o in objects():
        expected[o["kind"]] = expected.get(o["kind"], 0) + 1
    assert counts == expected


def key(o: dict[str, Any]) -> tuple[str, str]:
    return (o["metadata"].get("namespace", ""), o["metadata"]["name"])


def test_objects_are_unique_and_listed_kind_by_kind_in_namespace_name_order() -> None:
    seen = {(o["kind"], *key(o)) for o in objects()}
    assert len(seen) == len(objects())
    for kind in {o["kind"] for o in objects()}:
        keys = [key(o) for o in of_kind(kind)]
        assert keys == sorted(keys), kind
    assert len({o["metadata"]["uid"] for o in objects()}) == len(objects())


def test_every_owner_reference_names_an_existing_owner() -> None:
    by_uid = {o["metadata"]["uid"]: o for o in objects()}
    for o in objects():
        for ref in o["metadata"].get("ownerReferences", []):
            target = by_uid[ref["uid"]]
            assert (target["kind"], target["metadata"]["name"]) == (ref["kind"], ref["name"])
            assert target["metadata"].get("namespace") == o["metadata"].get("namespace")
    for pod in of_kind("Pod"):
        (ref,) = pod["metadata"]["ownerReferences"]
        assert ref["controller"] is True
        assert ref["kind"] in ("ReplicaSet", "StatefulSet", "DaemonSet")
    for rs in of_kind("ReplicaSet"):
        assert rs["metadata"]["ownerReferences"][0]["kind"] == "Deployment"


def selects(selector: dict[str, str], pod: dict[str, Any]) -> bool:
    labels = pod["metadata"].get("labels", {})
    return all(labels.get(k) == v for k, v in selector.items())


def test_services_select_pods_except_the_broken_ones() -> None:
    broken = synth.broken_services(PODS)
    services = [s for s in of_kind("Service") if "selector" in s["spec"]]
    assert len(broken) == max(1, round(0.05 * len([s for s in services if s["spec"]["clusterIP"] != "None"])))
    assert broken
    for svc in services:
        ns = svc["metadata"]["namespace"]
        matched = [
            p
            for p in of_kind("Pod")
            if p["metadata"]["namespace"] == ns and selects(svc["spec"]["selector"], p)
        ]
        if key(svc) in broken:
            assert matched == [], key(svc)
        else:
            assert matched, key(svc)


def test_broken_fraction_is_an_argument() -> None:
    assert synth.broken_services(PODS, broken_fraction=0) == set()
    everything = synth.broken_services(PODS, broken_fraction=1)
    assert len(everything) > len(synth.broken_services(PODS))


def test_pod_references_exist() -> None:
    names = {(o["kind"], *key(o)) for o in objects()}
    checked = 0
    for pod in of_kind("Pod"):
        ns = pod["metadata"]["namespace"]
        spec = pod["spec"]
        refs = [("ServiceAccount", spec["serviceAccountName"])]
        for vol in spec["volumes"]:
            if "configMap" in vol:
                refs.append(("ConfigMap", vol["configMap"]["name"]))
            if "secret" in vol:
                refs.append(("Secret", vol["secret"]["secretName"]))
            if "persistentVolumeClaim" in vol:
                refs.append(("PersistentVolumeClaim", vol["persistentVolumeClaim"]["claimName"]))
            for source in vol.get("projected", {}).get("sources", []):
                if "configMap" in source:
                    refs.append(("ConfigMap", source["configMap"]["name"]))
        for c in spec["containers"]:
            for env in c.get("env", []):
                source = env.get("valueFrom", {})
                if "configMapKeyRef" in source:
                    refs.append(("ConfigMap", source["configMapKeyRef"]["name"]))
                if "secretKeyRef" in source:
                    refs.append(("Secret", source["secretKeyRef"]["name"]))
            for env_from in c.get("envFrom", []):
                if "configMapRef" in env_from:
                    refs.append(("ConfigMap", env_from["configMapRef"]["name"]))
                if "secretRef" in env_from:
                    refs.append(("Secret", env_from["secretRef"]["name"]))
        for kind, name in refs:
            assert (kind, ns, name) in names, (pod["metadata"]["name"], kind, name)
            checked += 1
        if "nodeName" in spec:
            assert ("Node", "", spec["nodeName"]) in names
    assert checked > 4 * PODS


def test_configmap_key_references_name_existing_keys() -> None:
    data = {key(c): c["data"] for c in of_kind("ConfigMap")}
    for pod in of_kind("Pod"):
        for c in pod["spec"]["containers"]:
            for env in c.get("env", []):
                ref = env.get("valueFrom", {}).get("configMapKeyRef")
                if ref:
                    assert ref["key"] in data[(pod["metadata"]["namespace"], ref["name"])]


def test_endpoints_and_slices_point_at_existing_pods() -> None:
    pods = {key(p): p for p in of_kind("Pod")}
    broken = synth.broken_services(PODS)
    addresses = 0
    for ep in of_kind("Endpoints"):
        for subset in ep.get("subsets", []):
            for address in subset.get("addresses", []) + subset.get("notReadyAddresses", []):
                if "targetRef" not in address:
                    continue  # the kubernetes Service
                ref = address["targetRef"]
                pod = pods[(ref["namespace"], ref["name"])]
                assert pod["metadata"]["uid"] == ref["uid"]
                assert pod["status"]["podIP"] == address["ip"]
                addresses += 1
        if key(ep) in broken:
            assert "subsets" not in ep
    assert addresses > PODS // 2
    for eps in of_kind("EndpointSlice"):
        service = eps["metadata"]["labels"]["kubernetes.io/service-name"]
        assert any(key(s) == (eps["metadata"]["namespace"], service) for s in of_kind("Service"))
        for endpoint in eps["endpoints"] or []:
            if "targetRef" in endpoint:
                ref = endpoint["targetRef"]
                assert pods[(ref["namespace"], ref["name"])]["metadata"]["uid"] == ref["uid"]


def test_statefulsets_have_their_headless_service_and_bound_claims() -> None:
    services = {key(s): s for s in of_kind("Service")}
    claims = {key(c): c for c in of_kind("PersistentVolumeClaim")}
    for sts in of_kind("StatefulSet"):
        ns = sts["metadata"]["namespace"]
        assert services[(ns, sts["spec"]["serviceName"])]["spec"]["clusterIP"] == "None"
        for i in range(sts["spec"]["replicas"]):
            assert claims[(ns, f"data-{sts['metadata']['name']}-{i}")]["status"]["phase"] == "Bound"


def test_ingresses_and_autoscalers_point_at_existing_targets() -> None:
    pods = 300
    services = {key(s): s for s in of_kind("Service", pods)}
    deployments = {key(d) for d in of_kind("Deployment", pods)}
    ingresses, hpas = of_kind("Ingress", pods), of_kind("HorizontalPodAutoscaler", pods)
    assert ingresses and hpas
    for ing in ingresses:
        ns = ing["metadata"]["namespace"]
        for rule in ing["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                ports = services[(ns, backend["name"])]["spec"]["ports"]
                port = backend["port"]
                assert any(p["name"] == port.get("name") or p["port"] == port.get("number") for p in ports)
    for hpa in hpas:
        assert (hpa["metadata"]["namespace"], hpa["spec"]["scaleTargetRef"]["name"]) in deployments


def test_pods_look_like_kubectl_output() -> None:
    pods = of_kind("Pod", 300)
    phases = [p["status"]["phase"] for p in pods]
    crashing = [
        p
        for p in pods
        for s in p["status"].get("containerStatuses", [])
        if s["state"].get("waiting", {}).get("reason") == "CrashLoopBackOff"
    ]
    assert "Pending" in phases and crashing
    for pod in pods:
        assert "managedFields" not in pod["metadata"]
        assert isinstance(pod["metadata"]["resourceVersion"], str)
        token = [v for v in pod["spec"]["volumes"] if v["name"].startswith("kube-api-access-")]
        assert len(token) == 1 and len(token[0]["projected"]["sources"]) == 3
        if pod["status"]["phase"] == "Pending":
            assert "nodeName" not in pod["spec"]
            assert pod["status"]["conditions"][0]["reason"] == "Unschedulable"
        else:
            assert {c["type"] for c in pod["status"]["conditions"]} >= {
                "Initialized",
                "Ready",
                "ContainersReady",
                "PodScheduled",
            }
        labels = pod["metadata"]["labels"]
        owner = pod["metadata"]["ownerReferences"][0]["kind"]
        assert "app.kubernetes.io/name" in labels
        if owner == "ReplicaSet":
            assert "pod-template-hash" in labels
        if owner == "StatefulSet":
            assert labels["statefulset.kubernetes.io/pod-name"] == pod["metadata"]["name"]
            assert "apps.kubernetes.io/pod-index" in labels


def test_pod_ips_are_unique_except_on_the_host_network() -> None:
    pods = of_kind("Pod", 300)
    ips = [p["status"]["podIP"] for p in pods if "podIP" in p["status"] and not p["spec"].get("hostNetwork")]
    assert len(ips) == len(set(ips)) > 250


def test_secret_values_carry_the_marker() -> None:
    import base64

    secrets = of_kind("Secret")
    assert secrets
    for secret in secrets:
        decoded = [base64.b64decode(v).decode() for v in secret["data"].values()]
        assert any(synth.MARKER in value for value in decoded)


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "c.json"
    assert synth.main(["--pods", "60", "--format", "json", "--out", str(out), "--jobs", "1"]) == 0
    assert "Pod 60" in capsys.readouterr().out
    assert len(json.loads(out.read_text(encoding="utf-8"))["items"]) > 60
