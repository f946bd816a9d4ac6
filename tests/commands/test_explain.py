"""kubesnap explain: one object of the seed audit's dump, its relations both ways, its findings
with their causes, and the near misses of a selector that selects nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.cli import cli
from analyzer.model.selectors import from_map, near_miss

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "blueocean" / "before"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["explain", *args])
    return result.exit_code, result.stdout, result.stderr


def explained(target: str) -> dict:
    code, out, err = run(target, str(FIXTURE), "--format", "json")
    assert code == 0, err
    return json.loads(out)


def display(ref: dict) -> str:
    return "/".join(p for p in (ref["kind"], ref["namespace"], ref["name"]) if p)


def test_the_prometheus_service_its_findings_and_near_misses() -> None:
    data = explained("Service/monitoring/prometheus-server")
    assert data["location"]["line"] == 16599
    assert data["selector"] == "app=prometheus,component=server"
    assert [(f["rule"], f["severity"]) for f in data["findings"]] == [
        ("helm-release-drift", "error"),
        ("mixed-label-conventions", "warning"),
        ("service-selector-matches-nothing", "error"),
    ]
    [drift, _, selector] = data["findings"]
    assert drift["root_cause_of"] == 6 and drift["caused_by"] == []
    assert [c["rule"] for c in selector["caused_by"]] == ["helm-release-drift", "mixed-label-conventions"]
    assert ("dependency-unavailable", "Deployment/monitoring/opencost") in {
        (e["rule"], display(e["object"])) for e in selector["explains"]
    }
    assert selector["hint"].startswith("Make spec.selector a subset")
    # The near misses are the Deployment prometheus-server and what it made; the other
    # prometheus-* pods (alertmanager, node-exporter, pushgateway) carry no component=server.
    misses = {display(m["object"]): m["differences"] for m in data["near_misses"]}
    assert list(misses) == [
        "Deployment/monitoring/prometheus-server",
        "ReplicaSet/monitoring/prometheus-server-dwv5l96gh8",
        "Pod/monitoring/prometheus-server-dwv5l96gh8-cszc5",
    ]
    assert misses["Pod/monitoring/prometheus-server-dwv5l96gh8-cszc5"] == [
        "app.kubernetes.io/name=prometheus instead of app=prometheus",
        "app.kubernetes.io/component=server instead of component=server",
    ]
    assert [(f["rule"], display(f["object"])) for f in data["named_by"]] == [
        ("dependency-unavailable", "Deployment/monitoring/opencost")
    ]


def test_a_deployment_lists_the_services_selecting_it_and_the_configmaps_it_references() -> None:
    data = explained("deploy/onlyoneapi/public-api")
    relations = {(r["relation"], display(r["object"]), r["missing"]) for r in data["relations"]}
    assert ("selected by", "Service/onlyoneapi/public-api", False) in relations
    assert ("references", "ConfigMap/onlyoneapi/email-templates", True) in relations
    assert ("references", "ConfigMap/onlyoneapi/public-api-config", False) in relations
    assert ("owns", "ReplicaSet/onlyoneapi/public-api-nnjtxmj6pm", False) in relations
    [missing] = [r for r in data["relations"] if r["object"]["name"] == "email-templates"]
    assert missing["detail"] == "volume email-templates"
    # Every finding of the Deployment, its hardening warnings (layer risk: no securityContext,
    # no readiness probe behind Service public-api) with the two that break it.
    assert [f["rule"] for f in data["findings"]] == [
        "container-privilege-escalation",
        "container-run-as-root",
        "missing-reference",
        "probe-missing",
        "workload-unavailable",
    ]
    assert data["near_misses"] == [] and data["selector"] is None


def test_the_text_names_what_the_json_holds() -> None:
    code, out, _ = run("svc/monitoring/prometheus-server", str(FIXTURE))
    assert code == 0
    assert out.startswith("Service monitoring/prometheus-server\n  defined at     ")
    assert "  selector       app=prometheus,component=server (selects nothing)" in out
    assert "  Pod/monitoring/prometheus-server-dwv5l96gh8-cszc5  " in out
    assert "      app.kubernetes.io/component=server instead of component=server" in out
    assert "  error  [helm-release-drift]  root cause: explains 6 finding(s)" in out
    assert "      caused by: [helm-release-drift] Service/monitoring/prometheus-server" in out
    _, again, _ = run("svc/monitoring/prometheus-server", str(FIXTURE))
    assert again == out


def test_a_missing_object_is_explained_by_who_names_it() -> None:
    code, out, _ = run("cm/onlyoneapi/email-templates", str(FIXTURE))
    assert code == 0
    assert "not in the input: only named by the objects below" in out
    assert "  referenced by  Deployment/onlyoneapi/public-api  (volume email-templates)" in out
    assert "[missing-reference]" in out


def test_a_pod_shows_its_controllers_node_and_events() -> None:
    data = explained("Pod/onlyoneapi/public-api-g6jvqj84cg-w659p")
    assert [display(c) for c in data["controllers"]] == [
        "ReplicaSet/onlyoneapi/public-api-g6jvqj84cg",
        "Deployment/onlyoneapi/public-api",
    ]
    assert any(r["relation"] == "runs on" and r["object"]["kind"] == "Node" for r in data["relations"])
    assert any(e.startswith("Warning BackOff x") for e in data["events"])
    assert "S3CR3T" not in json.dumps(data)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("Service/monitoring/prometheus-srver", "close: Service/monitoring/prometheus-server"),
        ("Service/monitoring/prometheus", "close: Service/monitoring/prometheus-"),
        (
            "Servce/monitoring/prometheus-server",
            "no object of kind 'Servce'; did you mean Service",
        ),
        ("prometheus-server", "expected KIND/NAMESPACE/NAME"),
    ],
)
def test_an_unknown_object_is_a_clear_error(target: str, message: str) -> None:
    code, out, err = run(target, str(FIXTURE))
    assert code == 2
    assert message in err and "Traceback" not in out + err


def test_kind_slash_name_finds_a_name_unique_across_namespaces_and_asks_when_not() -> None:
    code, out, err = run("svc/prometheus-server", str(FIXTURE))
    assert code == 0, err
    assert out.startswith("Service monitoring/prometheus-server\n")
    code, _, err = run("sa/default", str(FIXTURE))
    assert code == 2 and "is ambiguous" in err and "ServiceAccount/monitoring/default" in err


def test_near_miss_fires_on_one_or_two_failed_terms_with_a_trace() -> None:
    selector = from_map({"app": "web", "tier": "front"})
    # One term met, one with another value: a near miss.
    assert near_miss(selector, {"app": "web", "tier": "back"}) == ["tier=back instead of tier=front"]
    # Both terms failed, each found under another key: a near miss (the Helm label mix).
    assert near_miss(selector, {"app.kubernetes.io/name": "web", "app.kubernetes.io/component": "front"}) == [
        "app.kubernetes.io/name=web instead of app=web",
        "app.kubernetes.io/component=front instead of tier=front",
    ]
    # Both failed, one without any trace: another application, not a near miss.
    assert near_miss(selector, {"app.kubernetes.io/name": "web"}) is None
    assert near_miss(selector, {"app": "web", "tier": "front"}) is None  # it matches
    three = from_map({"a": "1", "b": "2", "c": "3"})
    assert near_miss(three, {"a": "1", "b": "x", "c": "y"}) is not None
    assert near_miss(three, {"a": "0", "b": "x", "c": "y"}) is None  # three failed: beyond two


def test_many_near_misses_are_counted_never_dropped(tmp_path: Path) -> None:
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {"selector": {"app": "web", "tier": "front"}},
    }
    pods = [
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": f"web-{i:02}",
                "namespace": "shop",
                "labels": {"app": "web", "tier": "back"},
            },
            "spec": {"containers": [{"name": "c", "image": "i"}]},
        }
        for i in range(20)
    ]
    manifest = tmp_path / "shop.json"
    manifest.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": [service, *pods]}))
    code, out, _ = run("svc/shop/web", str(manifest))
    assert code == 0
    assert out.count("      tier=back instead of tier=front") == 15
    assert "  and 5 more (--format json lists them all)" in out
    code, out, _ = run("svc/shop/web", str(manifest), "--format", "json")
    assert len(json.loads(out)["near_misses"]) == 20
