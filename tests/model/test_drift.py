"""Drift between a live object and its rendered form: a table of (live, rendered) pairs and the
exact differences they give, API server defaults and controller-written fields included."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from analyzer.load.types import Location
from analyzer.model import K8sObject, ObjectRef
from analyzer.model.drift import changes_selection, differences


def obj(kind: str, spec: dict[str, Any], api_version: str = "apps/v1", name: str = "web") -> K8sObject:
    raw = {
        "apiVersion": api_version,
        "kind": kind,
        "metadata": {"name": name, "namespace": "shop"},
        "spec": spec,
    }
    return K8sObject(ObjectRef(api_version, kind, "shop", name), raw, Location("x.yaml", 1))


def service(spec: dict[str, Any]) -> K8sObject:
    return obj("Service", spec, "v1")


def deployment(**changes: Any) -> K8sObject:
    spec: dict[str, Any] = {
        "replicas": 2,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web", "tier": "front"}},
            "spec": {
                "initContainers": [{"name": "migrate", "image": "shop/migrate:1"}],
                "containers": [
                    {
                        "name": "web",
                        "image": "shop/web:1",
                        "env": [
                            {
                                "name": "DB_PASSWORD",
                                "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}},
                            },
                            {"name": "MODE", "value": "fast"},
                        ],
                        "envFrom": [{"configMapRef": {"name": "web-config"}}],
                    }
                ],
                "volumes": [
                    {"name": "config", "configMap": {"name": "web-config"}},
                    {"name": "data", "persistentVolumeClaim": {"claimName": "web-data"}},
                ],
            },
        },
    }
    for path, value in changes.items():
        node = spec
        parts = path.split("__")
        for part in parts[:-1]:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(parts[-1])] = value
        elif value is None:
            del node[parts[-1]]
        else:
            node[parts[-1]] = value
    return obj("Deployment", spec)


def described(live: K8sObject, rendered: K8sObject, scaled: bool = False) -> list[str]:
    return [d.describe("web", 3) for d in differences(live, rendered, scaled=scaled)]


PORTS = [{"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"}]

SERVICE_CASES = [
    (
        "hand-made selector",
        {"selector": {"app": "prometheus", "component": "server"}, "ports": PORTS},
        {
            "selector": {"app.kubernetes.io/name": "prometheus", "app.kubernetes.io/instance": "prometheus"},
            "ports": PORTS,
        },
        [
            "selector is app=prometheus,component=server, release web rev 3 rendered "
            "app.kubernetes.io/name=prometheus,app.kubernetes.io/instance=prometheus"
        ],
    ),
    (
        "selector in another order is the same",
        {"selector": {"b": "2", "a": "1"}},
        {"selector": {"a": "1", "b": "2"}},
        [],
    ),
    (
        "selector removed",
        {"ports": PORTS},
        {"selector": {"app": "web"}, "ports": PORTS},
        ["selector is none, release web rev 3 rendered app=web"],
    ),
    (
        "defaulted protocol and targetPort, assigned nodePort and clusterIP",
        {
            "clusterIP": "10.0.0.7",
            "type": "NodePort",
            "ports": [{"port": 80, "targetPort": 80, "protocol": "TCP", "nodePort": 30080}],
        },
        {"type": "NodePort", "ports": [{"port": 80}]},
        [],
    ),
    (
        "targetPort changed",
        {"ports": [{"name": "http", "port": 80, "targetPort": 9090, "protocol": "TCP"}]},
        {"ports": [{"name": "http", "port": 80, "targetPort": 8080}]},
        ["ports are http 80->9090/TCP, release web rev 3 rendered http 80->8080/TCP"],
    ),
    (
        "protocol changed",
        {"ports": [{"port": 53, "protocol": "UDP"}]},
        {"ports": [{"port": 53}]},
        ["ports are 53->53/UDP, release web rev 3 rendered 53->53/TCP"],
    ),
    (
        "ports in another order are the same",
        {"ports": [{"port": 443}, {"port": 80}]},
        {"ports": [{"port": 80}, {"port": 443}]},
        [],
    ),
    (
        "a port added by hand",
        {"ports": [{"port": 80}, {"port": 9100, "name": "metrics"}]},
        {"ports": [{"port": 80}]},
        ["ports are 80->80/TCP, metrics 9100->9100/TCP, release web rev 3 rendered 80->80/TCP"],
    ),
    (
        "wrong types never raise",
        {"selector": "app=x", "ports": "80"},
        {"selector": None, "ports": [7]},
        ["ports are none, release web rev 3 rendered ->/TCP"],
    ),
]


@pytest.mark.parametrize(
    ("case", "live", "rendered", "expected"), SERVICE_CASES, ids=[c[0] for c in SERVICE_CASES]
)
def test_service_pairs(
    case: str, live: dict[str, Any], rendered: dict[str, Any], expected: list[str]
) -> None:
    assert described(service(live), service(rendered)) == expected


WORKLOAD_CASES: list[tuple[str, dict[str, Any], list[str], bool]] = [
    ("identical", {}, [], False),
    (
        "workload selector",
        {"selector": {"matchLabels": {"app": "web2"}}},
        ["selector is app=web2, release web rev 3 rendered app=web"],
        True,
    ),
    (
        "template labels",
        {"template__metadata__labels": {"app": "web"}},
        ["template labels are app=web, release web rev 3 rendered app=web,tier=front"],
        True,
    ),
    ("replicas", {"replicas": 5}, ["replicas is 5, release web rev 3 rendered 2"], False),
    (
        "image of a container",
        {"template__spec__containers__0__image": "shop/web:2-hotfix"},
        ["image of container web is shop/web:2-hotfix, release web rev 3 rendered shop/web:1"],
        False,
    ),
    (
        "image of an init container",
        {"template__spec__initContainers__0": {"name": "migrate", "image": "shop/migrate:9"}},
        ["image of container migrate is shop/migrate:9, release web rev 3 rendered shop/migrate:1"],
        False,
    ),
    (
        "volume source renamed",
        {"template__spec__volumes__0": {"name": "config", "configMap": {"name": "web-config-old"}}},
        ["volume config is configMap web-config-old, release web rev 3 rendered configMap web-config"],
        False,
    ),
    (
        "volume source kind changed",
        {"template__spec__volumes__1": {"name": "data", "emptyDir": {}}},
        ["volume data is emptyDir, release web rev 3 rendered persistentVolumeClaim web-data"],
        False,
    ),
    (
        "volume defaults written by the API server",
        {
            "template__spec__volumes__0": {
                "name": "config",
                "configMap": {"name": "web-config", "defaultMode": 420},
            }
        },
        [],
        False,
    ),
    (
        "env secret reference",
        {
            "template__spec__containers__0__env": [
                {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db-v2", "key": "password"}}},
                {"name": "MODE", "value": "slow"},
            ]
        },
        [
            "env of container web is DB_PASSWORD from secret db-v2/password, "
            "release web rev 3 rendered DB_PASSWORD from secret db/password"
        ],
        False,
    ),
    (
        "envFrom dropped",
        {"template__spec__containers__0__envFrom": None},
        ["env of container web is none, release web rev 3 rendered all of configMap web-config"],
        False,
    ),
    (
        "imagePullPolicy and resources are not compared",
        {
            "template__spec__containers__0__imagePullPolicy": "Always",
            "template__spec__containers__0__resources": {"limits": {"cpu": "1"}},
            "template__spec__dnsPolicy": "ClusterFirst",
        },
        [],
        False,
    ),
]


@pytest.mark.parametrize(
    ("case", "changes", "expected", "selects"), WORKLOAD_CASES, ids=[c[0] for c in WORKLOAD_CASES]
)
def test_workload_pairs(case: str, changes: dict[str, Any], expected: list[str], selects: bool) -> None:
    found = differences(deployment(**changes), deployment())
    assert [d.describe("web", 3) for d in found] == expected
    assert changes_selection(found) is selects


def test_replicas_default_to_one_and_an_autoscaler_owns_them() -> None:
    assert described(deployment(replicas=1), deployment(replicas=None)) == []
    assert described(deployment(replicas=4), deployment(replicas=None)) == [
        "replicas is 4, release web rev 3 rendered 1"
    ]
    assert described(deployment(replicas=4), deployment(), scaled=True) == []


def test_a_container_added_by_hand_is_named() -> None:
    live = deployment()
    containers = live.raw["spec"]["template"]["spec"]["containers"]
    containers.append({"name": "debug", "image": "busybox"})
    assert described(live, deployment()) == [
        "image of container debug is busybox, release web rev 3 rendered absent"
    ]


def test_several_differences_in_a_fixed_order() -> None:
    live = deployment(replicas=3, selector={"matchLabels": {"app": "x"}})
    live.raw["spec"]["template"]["spec"]["containers"][0]["image"] = "shop/web:2"
    fields = [d.field for d in differences(live, deployment())]
    assert fields == ["selector", "replicas", "image of container web"]


def test_job_labels_the_api_server_adds_are_not_drift() -> None:
    rendered_spec = {
        "template": {
            "metadata": {"labels": {"app": "migrate"}},
            "spec": {"containers": [{"name": "m", "image": "m:1"}]},
        }
    }
    live_spec = copy.deepcopy(rendered_spec)
    live_spec["selector"] = {"matchLabels": {"batch.kubernetes.io/controller-uid": "abc"}}
    live_spec["template"]["metadata"]["labels"].update(
        {
            "batch.kubernetes.io/controller-uid": "abc",
            "controller-uid": "abc",
            "job-name": "m",
            "batch.kubernetes.io/job-name": "m",
        }
    )
    assert described(obj("Job", live_spec, "batch/v1"), obj("Job", rendered_spec, "batch/v1")) == []


def test_a_pods_service_account_token_volume_is_not_drift() -> None:
    rendered_spec = {"containers": [{"name": "c", "image": "c:1"}]}
    live_spec = {
        **rendered_spec,
        "volumes": [{"name": "kube-api-access-x7k2p", "projected": {"sources": []}}],
    }
    assert described(obj("Pod", live_spec, "v1"), obj("Pod", rendered_spec, "v1")) == []


def test_kinds_without_compared_fields_never_differ() -> None:
    live = obj("ConfigMap", {}, "v1")
    assert differences(live, obj("ConfigMap", {"x": 1}, "v1")) == []


def test_label_selector_expressions() -> None:
    expression = {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["b", "a"]}]}
    live = deployment(selector={"matchLabels": {"app": "web"}, **expression})
    assert described(live, deployment()) == [
        "selector is app=web,tier In (a,b), release web rev 3 rendered app=web"
    ]


def test_bad_input_never_raises() -> None:
    spec: dict[str, Any] = {
        "replicas": "three",
        "selector": ["app"],
        "template": {
            "metadata": {"labels": "app=web"},
            "spec": {
                "containers": ["web", {"name": "web", "image": ["x"], "env": ["bad", {"valueFrom": "x"}]}],
                "initContainers": {"name": "init"},
                "volumes": [1, {"name": "v", "secret": "not-a-mapping"}, {"name": "w"}],
            },
        },
    }
    live = obj("Deployment", spec)
    found = described(live, deployment())
    assert found[0] == "selector is none, release web rev 3 rendered app=web"
    assert "volume v is secret, release web rev 3 rendered absent" in found
    assert "volume w is none, release web rev 3 rendered absent" in found
    assert described(obj("Deployment", {"template": "x"}), obj("Deployment", {})) == []
