"""kubefactory: the builders shared by bench/synth.py and fixtures/blueocean/generate.py.

Both generators' outputs are checked byte for byte elsewhere (tests/bench/test_synth.py,
tests/test_blueocean.py); here, what the generators rely on: deterministic identity, the
sharing rule (given values kept, created ones fresh), fixed key order, and both scripts
finding the package when run as scripts."""

from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import yaml

import kubefactory as kf

REPO = Path(__file__).resolve().parents[2]


def test_random_identity_follows_the_stream() -> None:
    first, second = random.Random(7), random.Random(7)
    uids = [kf.random_uid(first) for _ in range(50)]
    assert uids == [kf.random_uid(second) for _ in range(50)]
    assert len(set(uids)) == 50
    for value in uids:
        assert uuid.UUID(value).version == 4 and uuid.UUID(value).variant == uuid.RFC_4122
    suffix = kf.random_suffix(first, 10)
    assert len(suffix) == 10 and set(suffix) <= set(kf.NAME_ALPHABET)
    assert len(kf.random_hex(first)) == 64 and set(kf.random_hex(first, 8)) <= set(kf.HEX)


def test_hashed_identity_depends_on_the_parts_only() -> None:
    assert kf.hashed("Pod", "ns", "a") == kf.hashed("Pod", "ns", "a") != kf.hashed("Pod", "ns", "b")
    assert set(kf.hashed("x", n=32, alphabet=kf.HEX)) <= set(kf.HEX)
    assert 0 <= kf.hashed_int("x", n=2) < 100
    assert kf.hashed_uid("Node", None, "n1") == str(uuid.UUID(kf.hashed_uid("Node", None, "n1")))


def test_clock() -> None:
    base = 1736150400
    clock = kf.Clock.from_epoch(base)
    for seconds in (0, 59, 86400 * 120 + 17):
        assert clock.at(seconds) == time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(base + seconds))
    assert clock.at(days=1, minutes=2) == "2025-01-07T08:02:00Z"


def test_builders_keep_what_they_are_given_and_create_the_rest_afresh() -> None:
    env = [kf.env_value("A", "1")]
    ports = [kf.container_port("http", 8080)]
    one = kf.container("c", "img:1", resources=kf.resources({"cpu": "1"}, {}), env=env, ports=ports)
    two = kf.container("c", "img:1", resources=kf.resources({"cpu": "1"}, {}), env=env, ports=ports)
    assert one["env"] is env and one["ports"] is ports
    labels = {"app": "x"}
    metas = [kf.object_meta("x", uid="u", resource_version="1", created="t", labels=labels) for _ in "ab"]
    assert metas[0]["labels"] == labels and metas[0]["labels"] is not labels  # labels are copied
    specs = [kf.pod_template_spec([one]), kf.pod_template_spec([two])]
    assert specs[0]["securityContext"] is not specs[1]["securityContext"]
    # Nothing shared that was not given: one object alone dumps without YAML anchors.
    obj = kf.deployment(
        metas[0],
        replicas=1,
        selector=labels,
        template=kf.pod_template(labels, kf.pod_template_spec([kf.container("c", "i", resources={})])),
        status=kf.deployment_status([], replicas=1, updated=1, ready=1),
    )
    assert "&id" not in yaml.safe_dump(obj)


def test_a_pod_spec_completes_its_template_without_changing_it() -> None:
    template = kf.pod_template_spec(
        [
            kf.container("a", "i", resources={}, mounts=[kf.volume_mount("v", "/v")]),
            kf.container("b", "i", resources={}),
        ],
        volumes=[kf.empty_dir_volume("v")],
        tolerations=[kf.toleration("dedicated", "infra")],
    )
    before = copy.deepcopy(template)
    spec = kf.pod_spec(
        template,
        token="kube-api-access-abcde",
        claims=[kf.claim_volume("data", "data-x-0")],
        tolerations=kf.daemon_tolerations(),
        node="node-1",
    )
    assert template == before
    assert [v["name"] for v in spec["volumes"]] == ["data", "v", "kube-api-access-abcde"]
    for c in spec["containers"]:
        assert c["volumeMounts"][-1]["name"] == "kube-api-access-abcde"
    assert spec["tolerations"][0] is template["tolerations"][0]
    # The DaemonSet controller's NoExecute tolerations, for ever: the API server adds none of its own.
    assert spec["tolerations"][1:] == kf.daemon_tolerations()
    assert all("tolerationSeconds" not in t for t in spec["tolerations"])
    plain = kf.pod_spec(template, token="kube-api-access-abcde")
    assert [t.get("tolerationSeconds") for t in plain["tolerations"]] == [None, 300, 300]
    everything = kf.pod_spec(kf.pod_template_spec([], tolerations=kf.tolerate_everything()), token="t")
    assert everything["tolerations"] == [{"operator": "Exists"}]
    assert kf.daemon_tolerations(host_network=True)[-1]["key"] == "node.kubernetes.io/network-unavailable"
    assert list(spec)[-1] == "nodeName" and spec["nodeName"] == "node-1"


def test_key_order_is_fixed() -> None:
    c = kf.container(
        "app",
        "i",
        resources={},
        args=["--x"],
        ports=[kf.container_port("http", 80)],
        env=[kf.env_value("A", "1")],
        env_from=[{"configMapRef": {"name": "c"}}],
        readiness=kf.probe(kf.tcp_socket(80), 10),
    )
    assert list(c) == [
        "args",
        "image",
        "imagePullPolicy",
        "name",
        "ports",
        "resources",
        "terminationMessagePath",
        "terminationMessagePolicy",
        "envFrom",
        "env",
        "readinessProbe",
    ]
    meta = kf.object_meta(
        "n", uid="u", resource_version="1", created="t", namespace="ns", generation=1, annotations={}
    )
    assert list(meta) == [
        "creationTimestamp",
        "name",
        "resourceVersion",
        "uid",
        "namespace",
        "annotations",
        "generation",
    ]


def test_statuses() -> None:
    conditions = kf.pod_conditions(
        sandbox="t1", initialized="t0", ready="t2", scheduled="t0", unready=["app"]
    )
    ready = {c["type"]: c for c in conditions}["Ready"]
    assert ready["status"] == "False" and ready["message"] == "containers with unready status: [app]"
    creating = kf.running_pod_status([], [], host_ip="10.0.0.1", pod_ip=None, qos="Burstable", started="t")
    assert "podIP" not in creating and "podIPs" not in creating  # the API server omits them
    ds = kf.daemonset({}, selector={}, template={}, desired=3, scheduled=3, ready=2)
    assert ds["status"]["numberUnavailable"] == 1
    assert "replicas" not in kf.deployment_status([], replicas=0, updated=0, ready=0)
    lb = kf.service(
        {}, cluster_ip="10.0.0.1", ports=[kf.service_port("http", 80, "http")], load_balancer_ip="1.2.3.4"
    )
    assert lb["spec"]["type"] == "LoadBalancer" and lb["spec"]["ports"][0]["nodePort"] == 31080


def stripped_run(script: str, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``script`` as ``python script args`` does, from ``cwd``, with the repository root taken
    off ``sys.path`` (as it is where kubesnap is not installed in editable mode)."""
    code = (
        "import runpy, sys\n"
        f"root = {str(REPO)!r}\n"
        "sys.path[:] = [p for p in sys.path if p not in ('', '.', root)]\n"
        f"sys.argv = [{script!r}, *{args!r}]\n"
        f"runpy.run_path({script!r}, run_name='__main__')\n"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_synth_runs_as_a_script_from_anywhere(tmp_path: Path) -> None:
    out = tmp_path / "c.json"
    args = ["--pods", "60", "--format", "json", "--out", str(out), "--jobs", "1"]
    result = stripped_run(str(REPO / "bench" / "synth.py"), args, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Pod 60" in result.stdout
    assert len(json.loads(out.read_text(encoding="utf-8"))["items"]) > 60


@pytest.mark.parametrize("where", ["repository root", "elsewhere"])
def test_blueocean_runs_as_a_script(tmp_path: Path, where: str) -> None:
    script = REPO / "fixtures" / "blueocean" / "generate.py"
    if where == "elsewhere":
        result = stripped_run(str(script), [str(tmp_path)], tmp_path)
    else:
        result = subprocess.run(
            [sys.executable, "fixtures/blueocean/generate.py", str(tmp_path)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert result.returncode == 0, result.stderr
    for state in ("before", "after"):
        for name in ("nodes.yaml", "resources.yaml", "events.yaml"):
            committed = (REPO / "fixtures" / "blueocean" / state / name).read_bytes()
            assert (tmp_path / state / name).read_bytes() == committed
