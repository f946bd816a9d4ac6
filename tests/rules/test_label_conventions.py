"""mixed-label-conventions and analyzer.model.labels: the conventions table, the name stem, the
grouping into applications, exact messages, what the finding links to, and bad input. The case
file (rules/desired-state/mixed-label-conventions.test.yaml) covers which objects fire."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer import pipeline
from analyzer.model.labels import (
    Application,
    application_of,
    concept_of,
    convention_of,
    maker_name,
    name_stem,
    other,
)
from analyzer.rules.finding import Finding, Layer, Severity

RULE = "mixed-label-conventions"


def analyse(tmp_path: Path, text: str, rules: tuple[str, ...] = (RULE,)) -> list[Finding]:
    path = tmp_path / "input.yaml"
    path.write_text(text, encoding="utf-8")
    return [f for f in pipeline.analyse([str(path)]).report.findings if f.rule in rules]


def deployment(name: str, labels: str, namespace: str = "monitoring", meta: str = "") -> str:
    return f"""
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: {namespace}{meta}}}
spec:
  selector: {{matchLabels: {labels}}}
  template:
    metadata: {{labels: {labels}}}
    spec: {{containers: [{{name: c, image: img:1}}]}}
---"""


def service(name: str, selector: str, namespace: str = "monitoring", meta: str = "") -> str:
    return f"""
apiVersion: v1
kind: Service
metadata: {{name: {name}, namespace: {namespace}{meta}}}
spec: {{selector: {selector}, ports: [{{port: 80}}]}}
---"""


RECOMMENDED = "{app.kubernetes.io/name: prometheus, app.kubernetes.io/component: server}"

# The conventions table and the stem -------------------------------------------------------------


def test_concepts_pair_legacy_and_recommended_keys() -> None:
    for key, concept, convention in [
        ("app", "name", "legacy"),
        ("k8s-app", "name", "legacy"),
        ("app.kubernetes.io/name", "name", "recommended"),
        ("component", "component", "legacy"),
        ("tier", "component", "legacy"),
        ("app.kubernetes.io/component", "component", "recommended"),
        ("release", "instance", "legacy"),
        ("app.kubernetes.io/instance", "instance", "recommended"),
    ]:
        found = concept_of(key)
        assert found is not None and found.name == concept, key
        assert convention_of(key) == convention, key
    assert concept_of("app.kubernetes.io/part-of") is None and convention_of("role") is None
    assert other("legacy") == "recommended" and other("recommended") == "legacy"
    name = concept_of("app")
    assert name is not None and name.keys("recommended") == ("app.kubernetes.io/name",)
    assert name.keys("legacy") == ("app", "k8s-app")


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("prometheus-server", "prometheus-server"),
        ("prometheus-server-headless", "prometheus-server"),
        ("web-svc", "web"),
        ("web-headless-svc", "web"),
        ("my-service-pdb", "my"),
        ("api-netpol", "api"),
        ("billing-servicemonitor", "billing"),
        ("kube-state-metrics", "kube-state-metrics"),
        ("svc", "svc"),
        ("-svc", "-svc"),
        ("service-svc", "service"),
        ("web-SVC", "web-SVC"),
        ("", ""),
    ],
)
def test_name_stem_drops_role_suffixes_while_a_name_is_left(name: str, stem: str) -> None:
    assert name_stem(name) == stem


def test_one_application_by_release_else_by_stem() -> None:
    helm = application_of("prometheus-server", {}, {"meta.helm.sh/release-name": "prometheus"})
    by_label = application_of("prometheus-alertmanager", {"app.kubernetes.io/instance": "prometheus"}, {})
    by_hand = application_of("prometheus-server-svc", {"app": "prometheus"}, {})
    canary = application_of("prometheus-server", {}, {"meta.helm.sh/release-name": "canary"})
    assert helm == Application("prometheus", "prometheus-server")
    assert helm.same_as(by_label) and by_label.same_as(helm)
    assert by_hand.same_as(helm) and helm.same_as(by_hand)  # no release on one side: the stem decides
    assert not by_hand.same_as(by_label)  # stems differ
    assert not canary.same_as(helm)  # two releases: the stem does not matter
    annotated = application_of(
        "x", {"app.kubernetes.io/instance": "label"}, {"meta.helm.sh/release-name": "ann"}
    )
    assert annotated.release == "ann"
    assert helm.describe() == "release prometheus" and by_hand.describe() == "name stem prometheus-server"


# Messages and links --------------------------------------------------------------------------------


def test_seed_audit_service_names_both_conventions_and_both_sides(tmp_path: Path) -> None:
    text = deployment("prometheus-server", RECOMMENDED) + service(
        "prometheus-server", "{app: prometheus, component: server}"
    )
    [finding] = analyse(tmp_path, text)
    assert finding.object.display() == "Service/monitoring/prometheus-server"
    assert finding.message == (
        "Service monitoring/prometheus-server selects legacy labels app, component; the pods of "
        "Deployment prometheus-server carry the recommended app.kubernetes.io/name, "
        "app.kubernetes.io/component instead (application: name stem prometheus-server)."
    )
    assert finding.severity is Severity.WARNING and finding.layer is Layer.CONFIGURATION
    assert [r.display() for r in finding.related] == ["Deployment/monitoring/prometheus-server"]
    assert finding.because_of == ()  # never the Service itself: the selector rules may name this one


def test_selector_rule_fires_too_and_the_two_do_not_explain_each_other_in_a_ring(tmp_path: Path) -> None:
    text = deployment("prometheus-server", RECOMMENDED) + service(
        "prometheus-server", "{app: prometheus, component: server}"
    )
    found = analyse(tmp_path, text, (RULE, "service-selector-matches-nothing"))
    assert sorted(f.rule for f in found) == [RULE, "service-selector-matches-nothing"]
    mine = next(f for f in found if f.rule == RULE)
    assert mine.causes == ()


def test_selector_mixing_both_conventions_names_each(tmp_path: Path) -> None:
    pods = "{app: web, app.kubernetes.io/instance: shop}"
    text = deployment("web", pods, "shop") + service(
        "web", "{app.kubernetes.io/name: web, release: shop}", "shop"
    )
    [finding] = analyse(tmp_path, text)
    assert finding.message == (
        "Service shop/web selects legacy label release and recommended label app.kubernetes.io/name; "
        "the pods of Deployment web carry the legacy app and the recommended "
        "app.kubernetes.io/instance instead (application: release shop)."
    )


def test_names_the_application_workload_not_every_workload_of_the_release(tmp_path: Path) -> None:
    helm = ", annotations: {meta.helm.sh/release-name: prometheus}"
    text = (
        deployment("prometheus-server", RECOMMENDED, meta=helm)
        + deployment("prometheus-alertmanager", "{app.kubernetes.io/name: alertmanager}", meta=helm)
        + service("prometheus-server", "{app: prometheus, component: server}")
        + service("prometheus-alertmanager-svc", "{app: alertmanager}")
    )
    found = {f.object.name: f for f in analyse(tmp_path, text)}
    assert found["prometheus-server"].message.endswith(
        "the pods of Deployment prometheus-server carry the recommended app.kubernetes.io/name, "
        "app.kubernetes.io/component instead (application: release prometheus)."
    )
    assert "the pods of Deployment prometheus-alertmanager carry the recommended app.kubernetes.io/name" in (
        found["prometheus-alertmanager-svc"].message
    )


def test_release_grouping_picks_carriers_by_value_when_no_stem_matches(tmp_path: Path) -> None:
    helm = ", annotations: {meta.helm.sh/release-name: jaeger}"
    text = (
        deployment(
            "jaeger-collector",
            "{app.kubernetes.io/name: jaeger, app.kubernetes.io/component: collector}",
            meta=helm,
        )
        + deployment("grafana", "{app.kubernetes.io/name: grafana}", meta=helm)
        + service("collector", "{app: jaeger}", meta=helm)
    )
    [finding] = analyse(tmp_path, text)
    assert "the pods of Deployment jaeger-collector carry the recommended app.kubernetes.io/name instead" in (
        finding.message
    )
    assert finding.message.endswith("(application: release jaeger).")


def test_servicemonitor_judges_service_labels(tmp_path: Path) -> None:
    text = """
apiVersion: v1
kind: Service
metadata: {name: billing, namespace: billing, labels: {app.kubernetes.io/name: billing}}
spec: {ports: [{name: metrics, port: 9100}]}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: billing, namespace: billing}
spec:
  selector: {matchLabels: {k8s-app: billing}}
  endpoints: [{port: metrics}]
"""
    [finding] = analyse(tmp_path, text)
    assert finding.message == (
        "ServiceMonitor billing/billing selects legacy label k8s-app; Service billing carries the "
        "recommended app.kubernetes.io/name instead (application: name stem billing)."
    )


def test_live_pods_of_a_deployment_are_named_once_by_their_deployment(tmp_path: Path) -> None:
    text = (
        deployment("api", "{app.kubernetes.io/name: api}", "web")
        + """
apiVersion: v1
kind: Pod
metadata:
  name: api-5d9f-abcde
  namespace: web
  labels: {app.kubernetes.io/name: api}
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: api, uid: u1, controller: true}]
spec: {containers: [{name: c, image: img:1}]}
status: {phase: Running}
---"""
        + service("api", "{app: api}", "web")
    )
    [finding] = analyse(tmp_path, text)
    assert [r.display() for r in finding.related] == ["Deployment/web/api"]


# Silences -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pods", "selector", "why"),
    [
        ("{app: api, app.kubernetes.io/name: api}", "{app: api-v2}", "both conventions on the pods"),
        ("{app.kubernetes.io/name: api}", "{app.kubernetes.io/name: api}", "matches"),
        ("{app.kubernetes.io/name: api}", "{role: api}", "keys outside the table"),
        ("{app.kubernetes.io/name: api}", "{}", "no selector"),
        ("{app.kubernetes.io/name: api}", "not-a-map", "selector of the wrong type"),
        ("{version: v1}", "{app: api}", "pods carry neither convention for the concept"),
    ],
)
def test_silent(tmp_path: Path, pods: str, selector: str, why: str) -> None:
    assert analyse(tmp_path, deployment("api", pods, "web") + service("api", selector, "web")) == [], why


def test_silent_across_applications(tmp_path: Path) -> None:
    text = deployment("prometheus-server", RECOMMENDED) + service(
        "prometheus-pushgateway", "{app: prometheus, component: server}"
    )
    assert analyse(tmp_path, text) == []
    two_releases = deployment(
        "api", "{app.kubernetes.io/name: api}", "web", ", annotations: {meta.helm.sh/release-name: a}"
    ) + service("api", "{app: api}", "web", ", annotations: {meta.helm.sh/release-name: b}")
    assert analyse(tmp_path, two_releases) == []


def test_silent_without_pods_in_the_namespace(tmp_path: Path) -> None:
    assert analyse(tmp_path, service("api", "{app: api}", "web")) == []


def test_bad_input_never_raises(tmp_path: Path) -> None:
    text = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: web, labels: [not, a, map], annotations: 7}
spec: {selector: {matchLabels: {app: api}}, template: {metadata: {labels: "app=api"}, spec: {}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api2, namespace: web}
spec: {template: 5}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api, namespace: web}
spec: {selector: {matchExpressions: [{key: app, operator: Bogus}]}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: web}
spec: {podSelector: {matchLabels: {app: [1, 2]}}}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: web}
spec: {selector: {app: 5}}
"""
    assert analyse(tmp_path, text) == []


def test_podmonitor_judges_pod_templates_of_its_namespaces(tmp_path: Path) -> None:
    text = (
        deployment("billing", "{app.kubernetes.io/name: billing}", "billing")
        + """
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {name: billing-podmonitor, namespace: monitoring}
spec:
  selector: {matchLabels: {app: billing}}
  namespaceSelector: {matchNames: [billing]}
  podMetricsEndpoints: [{port: metrics}]
"""
    )
    [finding] = analyse(tmp_path, text)
    assert finding.message == (
        "PodMonitor monitoring/billing-podmonitor selects legacy label app; the pods of Deployment "
        "billing carry the recommended app.kubernetes.io/name instead (application: name stem billing)."
    )


def test_module_examples_hold() -> None:
    import doctest

    import analyzer.model.labels

    assert doctest.testmod(analyzer.model.labels).failed == 0


@pytest.mark.parametrize(
    ("name", "labels", "maker"),
    [
        ("web-5d9f8c7b6", {"pod-template-hash": "5d9f8c7b6"}, "web"),
        ("web-5d9f8c7b6-x2x7q", {"pod-template-hash": "5d9f8c7b6"}, "web"),
        ("db-2", {"statefulset.kubernetes.io/pod-name": "db-2", "controller-revision-hash": "db-7c"}, "db"),
        ("node-exporter-7gml4", {"controller-revision-hash": "6f8d"}, "node-exporter"),
        ("web-5d9f8c7b6", {}, "web-5d9f8c7b6"),
        ("web-abc", {"pod-template-hash": "zzz"}, "web-abc"),
        ("db-x", {"statefulset.kubernetes.io/pod-name": "db-x"}, "db-x"),
        ("solo", {"controller-revision-hash": "1"}, "solo"),
    ],
)
def test_maker_name_drops_the_suffix_a_controller_appended(
    name: str, labels: dict[str, str], maker: str
) -> None:
    assert maker_name(name, labels) == maker


def test_live_pods_without_their_workload_in_the_input_group_by_the_maker_name(tmp_path: Path) -> None:
    pods = "".join(
        f"""
apiVersion: v1
kind: Pod
metadata:
  name: api-5d9f8c7b6-{suffix}
  namespace: web
  labels: {{app.kubernetes.io/name: api, pod-template-hash: 5d9f8c7b6}}
  ownerReferences: [{{apiVersion: apps/v1, kind: ReplicaSet, name: api-5d9f8c7b6, uid: u1, controller: true}}]
spec: {{containers: [{{name: c, image: img:1}}]}}
status: {{phase: Running}}
---"""
        for suffix in ("aaaaa", "bbbbb")
    )
    [finding] = analyse(tmp_path, pods + service("api-svc", "{app: api}", "web"))
    assert finding.message == (
        "Service web/api-svc selects legacy label app; Pod api-5d9f8c7b6-aaaaa, Pod api-5d9f8c7b6-bbbbb "
        "carry the recommended app.kubernetes.io/name instead (application: name stem api)."
    )


def test_seed_audit_fixture_names_the_five_services_the_label_mix_emptied() -> None:
    fixture = Path(__file__).resolve().parents[2] / "fixtures" / "blueocean" / "before"
    found = {
        f.object.display(): f for f in pipeline.analyse([str(fixture)]).report.findings if f.rule == RULE
    }
    assert sorted(found) == [
        "Service/monitoring/jaeger-collector",
        "Service/monitoring/jaeger-query",
        "Service/monitoring/prometheus-alertmanager",
        "Service/monitoring/prometheus-node-exporter",
        "Service/monitoring/prometheus-server",
    ]
    assert found["Service/monitoring/prometheus-server"].message == (
        "Service monitoring/prometheus-server selects legacy labels app, component; the pods of "
        "Deployment prometheus-server carry the recommended app.kubernetes.io/name, "
        "app.kubernetes.io/component instead (application: release prometheus)."
    )
    assert found["Service/monitoring/prometheus-node-exporter"].message == (
        "Service monitoring/prometheus-node-exporter selects legacy label app; the pods of DaemonSet "
        "prometheus-node-exporter carry the recommended app.kubernetes.io/name instead "
        "(application: release prometheus)."
    )


def test_the_namespace_index_gives_exactly_what_same_as_accepts() -> None:
    from analyzer.rules.predicates.label_conventions import _Applications

    apps = [
        Application(release, stem) for release in (None, "a", "b") for stem in ("web", "api", "web-canary")
    ]

    class Fake:
        def __init__(self, app: Application) -> None:
            self.application = app

    fakes = {app: Fake(app) for app in apps}
    index = _Applications(
        {r: [fakes[a] for a in apps if a.release == r] for r in ("a", "b")},  # type: ignore[misc]
        {s: [fakes[a] for a in apps if a.stem == s] for s in ("web", "api", "web-canary")},  # type: ignore[misc]
    )
    for mine in apps:
        got = {id(t) for t in index.of(mine)}
        assert got == {id(fakes[a]) for a in apps if mine.same_as(a)}, mine
