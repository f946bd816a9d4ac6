"""Scheduling feasibility: each check, the cluster's free capacity, and the per-constraint summary."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from analyzer.load.types import Location
from analyzer.model import K8sObject, ObjectRef
from analyzer.model.scheduling import (
    Exclusion,
    Taint,
    build_cluster,
    host_ports,
    judge,
    node_exclusions,
    node_pool,
    node_view,
    pinned_node,
    port_exclusion,
    requirement_holds,
    tolerates,
)


def node(
    name: str,
    pool: str | None = None,
    labels: dict[str, str] | None = None,
    taints: list[dict[str, Any]] | None = None,
    unschedulable: bool = False,
    cpu: str = "4",
    memory: str = "8Gi",
    pods: str = "110",
) -> dict[str, Any]:
    all_labels = {"kubernetes.io/hostname": name, **(labels or {})}
    if pool:
        all_labels["doks.digitalocean.com/node-pool"] = pool
    spec: dict[str, Any] = {"taints": taints or []}
    if unschedulable:
        spec["unschedulable"] = True
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "labels": all_labels},
        "spec": spec,
        "status": {"allocatable": {"cpu": cpu, "memory": memory, "pods": pods}},
    }


def pod(name: str, node_name: str, cpu: str = "1", phase: str = "Running") -> K8sObject:
    raw = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "app"},
        "spec": {
            "nodeName": node_name,
            "containers": [{"name": "c", "resources": {"requests": {"cpu": cpu}}}],
        },
        "status": {"phase": phase},
    }
    return K8sObject(ObjectRef("v1", "Pod", "app", name), raw, Location("pods.yaml", 1))


def cluster(*nodes: dict[str, Any], bound: tuple[K8sObject, ...] = ()) -> Any:
    return build_cluster(list(nodes), lambda name: [p for p in bound if p.spec.get("nodeName") == name])


INFRA_TAINT = {"key": "dedicated", "value": "infra", "effect": "NoSchedule"}


# Node pools -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "value"),
    [
        ("doks.digitalocean.com/node-pool", "infra-pool"),
        ("cloud.google.com/gke-nodepool", "default-pool"),
        ("eks.amazonaws.com/nodegroup", "ng-1"),
        ("kubernetes.azure.com/agentpool", "agentpool"),
        ("karpenter.sh/nodepool", "general"),
    ],
)
def test_node_pool_from_each_provider_label(label: str, value: str) -> None:
    assert node_pool({label: value, "kubernetes.io/os": "linux"}) == value


def test_node_without_pool_label_has_no_pool() -> None:
    assert node_pool({"kubernetes.io/hostname": "n1"}) is None
    assert node_view(node("n1")).pool is None
    assert node_view(node("n1", pool="api-pool")).pool == "api-pool"


def test_node_view_of_malformed_nodes_never_raises() -> None:
    for raw in (
        {},
        {"spec": "x", "status": [], "metadata": None},
        {"spec": {"taints": ["x", {"effect": "NoSchedule"}]}},
    ):
        view = node_view(raw)
        assert view.taints == ()
        assert view.allocatable == {}


# Taints and tolerations -------------------------------------------------------------------------

TAINT = Taint("dedicated", "infra", "NoSchedule")


@pytest.mark.parametrize(
    ("toleration", "expected"),
    [
        ({"key": "dedicated", "operator": "Equal", "value": "infra", "effect": "NoSchedule"}, True),
        ({"key": "dedicated", "value": "infra"}, True),  # operator defaults to Equal, empty effect: all
        ({"key": "dedicated", "operator": "Equal", "value": "db"}, False),
        ({"key": "dedicated", "operator": "Exists"}, True),
        ({"key": "dedicated", "operator": "Exists", "effect": "NoExecute"}, False),
        ({"operator": "Exists"}, True),  # empty key with Exists tolerates everything
        ({"key": "other", "operator": "Exists"}, False),
        ({"key": "dedicated", "operator": "Sometimes", "value": "infra"}, False),
    ],
)
def test_tolerates(toleration: dict[str, Any], expected: bool) -> None:
    assert tolerates(toleration, TAINT) is expected


def test_prefer_no_schedule_does_not_block_but_no_execute_does() -> None:
    soft = node_view(node("n1", taints=[{"key": "spot", "value": "true", "effect": "PreferNoSchedule"}]))
    hard = node_view(node("n2", taints=[{"key": "spot", "value": "true", "effect": "NoExecute"}]))
    assert node_exclusions({}, soft) == []
    assert node_exclusions({}, hard) == [Exclusion("taint", "spot=true:NoExecute")]


def test_cordoned_node_excludes_all_but_daemonset_pods() -> None:
    view = node_view(node("n1", unschedulable=True))
    assert node_exclusions({}, view) == [Exclusion("cordoned", "")]
    spec: dict[str, Any] = {"containers": [{"name": "c"}]}
    assert judge(spec, cluster(node("n1", unschedulable=True)), daemonset=True).hosts == 1
    tolerating = {"tolerations": [{"key": "node.kubernetes.io/unschedulable", "operator": "Exists"}]}
    assert node_exclusions(tolerating, view) == []


def test_cordoned_node_is_counted_once_not_again_for_its_unschedulable_taint() -> None:
    view = node_view(
        node(
            "n1",
            unschedulable=True,
            taints=[{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}],
        )
    )
    assert node_exclusions({}, view) == [Exclusion("cordoned", "")]


def test_daemonset_tolerations_do_not_cover_a_custom_taint() -> None:
    verdict = judge({}, cluster(node("infra", pool="infra-pool", taints=[INFRA_TAINT])), daemonset=True)
    assert verdict.hosts == 0
    assert (
        verdict.summary()
        == "0 of 1 node can host it: 1 has untolerated taint dedicated=infra:NoSchedule (pool infra-pool)"
    )


# nodeSelector and node affinity -----------------------------------------------------------------


def test_node_selector_needs_every_pair() -> None:
    view = node_view(node("n1", labels={"disk": "ssd", "zone": "a"}))
    assert node_exclusions({"nodeSelector": {"disk": "ssd"}}, view) == []
    assert node_exclusions({"nodeSelector": {"disk": "ssd", "zone": "b"}}, view) == [
        Exclusion("node selector", "disk=ssd, zone=b")
    ]


@pytest.mark.parametrize(
    ("requirement", "expected"),
    [
        ({"key": "zone", "operator": "In", "values": ["a", "b"]}, True),
        ({"key": "zone", "operator": "In", "values": ["c"]}, False),
        ({"key": "zone", "operator": "NotIn", "values": ["c"]}, True),
        ({"key": "missing", "operator": "NotIn", "values": ["c"]}, True),
        ({"key": "zone", "operator": "Exists"}, True),
        ({"key": "missing", "operator": "Exists"}, False),
        ({"key": "missing", "operator": "DoesNotExist"}, True),
        ({"key": "zone", "operator": "DoesNotExist"}, False),
        ({"key": "cores", "operator": "Gt", "values": ["8"]}, True),
        ({"key": "cores", "operator": "Gt", "values": ["16"]}, False),
        ({"key": "cores", "operator": "Lt", "values": ["32"]}, True),
        ({"key": "cores", "operator": "Lt", "values": ["16"]}, False),
        ({"key": "zone", "operator": "Gt", "values": ["1"]}, False),  # not an integer
        ({"key": "cores", "operator": "Gt", "values": ["1", "2"]}, False),  # exactly one value
        ({"key": "cores", "operator": "Gt", "values": ["1_0"]}, False),
        ({"key": "zone", "operator": "Like", "values": ["a"]}, False),
    ],
)
def test_requirement_operators(requirement: dict[str, Any], expected: bool) -> None:
    assert requirement_holds(requirement, {"zone": "a", "cores": "16"}) is expected


def affinity(*terms: dict[str, Any]) -> dict[str, Any]:
    return {
        "affinity": {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": list(terms)}
            }
        }
    }


def test_terms_are_ored_and_expressions_anded() -> None:
    spec = affinity(
        {
            "matchExpressions": [
                {"key": "zone", "operator": "In", "values": ["a"]},
                {"key": "gpu", "operator": "Exists"},
            ]
        },
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n3"]}]},
    )
    nodes = [node("n1", labels={"zone": "a", "gpu": "1"}), node("n2", labels={"zone": "a"}), node("n3")]
    verdict = judge(spec, cluster(*nodes))
    assert verdict.hosts == 2
    assert set(verdict.excluded) == {"n2"}
    assert verdict.excluded["n2"].detail == "zone In [a] and gpu Exists or metadata.name In [n3]"


def test_an_empty_term_matches_no_node_and_empty_terms_constrain_nothing() -> None:
    assert judge(affinity({}), cluster(node("n1"))).hosts == 0
    assert judge(affinity(), cluster(node("n1"))).hosts == 1
    assert judge({"affinity": {"nodeAffinity": "x"}}, cluster(node("n1"))).hosts == 1


def test_pinned_node_of_a_daemonset_pod() -> None:
    spec = affinity(
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["infra-pool-frhxr"]}]}
    )
    assert pinned_node(spec) == "infra-pool-frhxr"
    assert pinned_node({}) is None


# Resources ---------------------------------------------------------------------------------------


def requesting(cpu: str, memory: str = "1Gi") -> dict[str, Any]:
    return {"containers": [{"name": "c", "resources": {"requests": {"cpu": cpu, "memory": memory}}}]}


def test_free_capacity_subtracts_non_terminal_bound_pods() -> None:
    bound = (
        pod("a", "n1", cpu="3"),
        pod("done", "n1", cpu="3", phase="Succeeded"),
        pod("b", "n2", cpu="500m"),
    )
    nodes = cluster(node("n1"), node("n2"), bound=bound)
    free = nodes.free(nodes.by_name["n1"])
    assert free["cpu"] == Fraction(1)
    assert free["pods"] == Fraction(109)
    verdict = judge(requesting("2"), nodes)
    assert verdict.hosts == 1
    assert verdict.excluded == {"n1": Exclusion("free", "cpu")}


def test_allocatable_ignores_bound_pods() -> None:
    nodes = cluster(node("n1"), bound=(pod("a", "n1", cpu="4"),))
    assert judge(requesting("2"), nodes, resources="allocatable").hosts == 1
    assert judge(requesting("2"), nodes, resources="free").hosts == 0
    assert judge(requesting("8"), nodes, resources=None).hosts == 1


def test_a_full_node_has_no_room_for_another_pod() -> None:
    nodes = cluster(node("n1", pods="1"), bound=(pod("a", "n1", cpu="0"),))
    verdict = judge(requesting("0", "0"), nodes)
    assert verdict.excluded == {"n1": Exclusion("pods", "1 pods bound")}
    assert verdict.summary() == "0 of 1 node can host it: 1 is full (1 pods bound)"


def test_an_extended_resource_the_node_lacks_is_short() -> None:
    spec = {"containers": [{"name": "c", "resources": {"limits": {"nvidia.com/gpu": "1"}}}]}
    verdict = judge(spec, cluster(node("n1")))
    assert verdict.excluded == {"n1": Exclusion("free", "nvidia.com/gpu")}


# The summary ---------------------------------------------------------------------------------------


def test_summary_names_each_constraint_with_its_count_and_pools() -> None:
    nodes = [node(f"app-{i}", pool="applications-pool") for i in range(14)]
    nodes += [node(f"mon-{i}", pool="monitoring-pool") for i in range(3)]
    nodes += [node("infra-1", pool="infra-pool", taints=[INFRA_TAINT])]
    spec = {"nodeSelector": {"doks.digitalocean.com/node-pool": "infra-pool"}, **requesting("500m")}
    verdict = judge(spec, cluster(*nodes))
    assert verdict.summary() == (
        "0 of 18 nodes can host it: "
        "17 do not match nodeSelector doks.digitalocean.com/node-pool=infra-pool "
        "(pools applications-pool 14, monitoring-pool 3), "
        "1 has untolerated taint dedicated=infra:NoSchedule (pool infra-pool)"
    )


def test_summary_of_resources_names_the_requests() -> None:
    verdict = judge(requesting("6", "1Gi"), cluster(node("n1"), node("n2", cpu="2")))
    assert verdict.summary() == "0 of 2 nodes can host it: 2 have too little free cpu (requests cpu 6)"


def test_summary_keeps_the_largest_groups() -> None:
    nodes = [
        node(f"n{i}", labels={"zone": str(i)}, taints=[{"key": f"t{i}", "effect": "NoSchedule"}])
        for i in range(6)
    ]
    verdict = judge({}, cluster(*nodes))
    assert verdict.reasons(groups=4)[-1] == "2 more for other reasons"
    assert len(verdict.reasons(groups=4)) == 5


def test_first_host_only_stops_early() -> None:
    nodes = cluster(node("n1"), node("n2"), node("n3", cpu="1"), node("n4", taints=[INFRA_TAINT]))
    verdict = judge(requesting("2"), nodes, first_host_only=True)
    assert verdict.hosts == 1
    # placement is known for every node; resources only up to the first host
    assert verdict.excluded == {"n4": Exclusion("taint", "dedicated=infra:NoSchedule")}
    assert judge(requesting("2"), nodes).hosts == 2
    assert judge(requesting("2"), nodes).excluded["n3"] == Exclusion("free", "cpu")


def test_placements_are_cached_by_the_spec_parts_that_decide_them() -> None:
    nodes = cluster(node("n1"), node("n2", taints=[INFRA_TAINT]))
    judge({"containers": [{"name": "a"}]}, nodes)
    judge({"containers": [{"name": "b"}]}, nodes)
    assert len(nodes.placements) == 1
    judge({"tolerations": [{"operator": "Exists"}]}, nodes)
    assert len(nodes.placements) == 2


# Host ports ----------------------------------------------------------------------------------------


def test_host_ports_of_a_pod() -> None:
    spec = {
        "hostNetwork": True,
        "containers": [
            {"name": "a", "ports": [{"containerPort": 9100}, {"containerPort": 53, "protocol": "UDP"}]},
            {"name": "b", "ports": [{"containerPort": 80, "hostPort": 8080, "hostIP": "10.0.0.1"}, "x"]},
        ],
    }
    assert host_ports(spec) == {("", "TCP", 9100), ("", "UDP", 53), ("10.0.0.1", "TCP", 8080)}
    assert host_ports({"containers": [{"ports": [{"containerPort": 80}]}]}) == set()


def test_a_host_port_taken_on_the_node_excludes_it() -> None:
    taken = pod("exporter", "n1", cpu="0")
    taken.raw["spec"]["containers"][0]["ports"] = [{"containerPort": 9100, "hostPort": 9100}]
    nodes = cluster(node("n1"), node("n2"), bound=(taken,))
    spec = {"containers": [{"name": "c", "ports": [{"containerPort": 9100, "hostPort": 9100}]}]}
    verdict = judge(spec, nodes)
    assert verdict.excluded == {"n1": Exclusion("host ports", "9100/TCP")}
    assert verdict.summary() == "1 of 2 nodes can host it: 1 has host port 9100/TCP taken"
    assert port_exclusion({("10.0.0.1", "TCP", 9100)}, {("10.0.0.2", "TCP", 9100)}) is None
    assert port_exclusion({("10.0.0.1", "UDP", 9100)}, {("", "TCP", 9100)}) is None
    assert judge(spec, nodes, resources="allocatable").hosts == 2


def test_verdicts_sharing_a_placement_keep_their_own_resource_groups() -> None:
    nodes = cluster(
        node("a1", pool="apps"),
        node("a2", pool="apps", cpu="1"),
        node("i1", pool="infra", taints=[INFRA_TAINT]),
    )
    small, large = judge(requesting("500m"), nodes), judge(requesting("2"), nodes)
    assert (
        small.summary()
        == "2 of 3 nodes can host it: 1 has untolerated taint dedicated=infra:NoSchedule (pool infra)"
    )
    assert large.summary() == (
        "1 of 3 nodes can host it: 1 has untolerated taint dedicated=infra:NoSchedule (pool infra), "
        "1 has too little free cpu (requests cpu 2; pool apps)"
    )
    assert judge(requesting("500m"), nodes).summary() == small.summary()
