"""The seed audit's recommendations, found on the blueocean dump at the strict profile: no
NetworkPolicy isolates any namespace, and no container has a CPU limit (fixtures/blueocean/
audit.kubesnap.yaml). Counted here from the dump itself, not from kubesnap."""

from __future__ import annotations

import json

import yaml
from conftest import REPO, run_cli

BLUEOCEAN = REPO / "fixtures" / "blueocean"
WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet"}


def audit() -> list[dict[str, object]]:
    config = str(BLUEOCEAN / "audit.kubesnap.yaml")
    code, out = run_cli(["check", str(BLUEOCEAN / "before"), "--config", config, "--format", "json"])
    assert code == 1, out
    return json.loads(out)["findings"]  # type: ignore[no-any-return]


def workloads() -> list[dict[str, object]]:
    docs = yaml.safe_load((BLUEOCEAN / "before" / "resources.yaml").read_text(encoding="utf-8"))
    return [item for item in docs["items"] if item["kind"] in WORKLOADS]


def test_every_namespace_with_workloads_lacks_a_network_policy() -> None:
    namespaces = sorted({str(w["metadata"]["namespace"]) for w in workloads()})  # type: ignore[index]
    found = sorted(
        str(f["message"]).split(":")[0].removeprefix("Namespace ")
        for f in audit()
        if f["rule"] == "namespace-without-networkpolicy"
    )
    assert found == namespaces
    assert {"api", "onlyoneapi", "saas", "saas-dev", "monitoring"} <= set(found)


def test_every_workload_without_cpu_limits_is_named() -> None:
    def without_cpu_limit(workload: dict[str, object]) -> bool:
        containers = workload["spec"]["template"]["spec"]["containers"]  # type: ignore[index]
        return any("cpu" not in c.get("resources", {}).get("limits", {}) for c in containers)

    expected = sorted(
        f"{w['kind']}/{w['metadata']['namespace']}/{w['metadata']['name']}"  # type: ignore[index]
        for w in workloads()
        if without_cpu_limit(w)
    )
    found = sorted(
        "/".join(str(f["object"][k]) for k in ("kind", "namespace", "name"))  # type: ignore[index]
        for f in audit()
        if f["rule"] == "container-resources-missing"
    )
    assert found == expected
    assert len(found) >= 20


def test_at_the_default_profile_neither_is_reported() -> None:
    code, out = run_cli(["check", str(BLUEOCEAN / "before"), "--format", "json"])
    assert code == 1, out
    rules = {f["rule"] for f in json.loads(out)["findings"]}
    assert not rules & {"namespace-without-networkpolicy", "container-resources-missing"}
