"""Root causes: which findings explain which (findings/causes.py), as the JSON and text reports
show them."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from analyzer.findings import Finding, Severity, fingerprint, link
from analyzer.load.types import Location
from analyzer.model import ObjectRef
from analyzer.report import RENDERERS, RenderOptions, Report
from analyzer.report.schema import validate
from analyzer.rules.finding import Evidence, Layer

SERVICE = ObjectRef("v1", "Service", "monitoring", "prometheus-server")
OPENCOST = ObjectRef("apps/v1", "Deployment", "monitoring", "opencost")
OPENCOST_POD = ObjectRef("v1", "Pod", "monitoring", "opencost-6b7-abcde")
API = ObjectRef("apps/v1", "Deployment", "shop", "api")
API_POD = ObjectRef("v1", "Pod", "shop", "api-1")


def finding(rule: str, obj: ObjectRef, layer: Layer, *because: ObjectRef, line: int = 1) -> Finding:
    return Finding(
        rule=rule,
        severity=Severity.ERROR,
        object=obj,
        message=f"{rule} on {obj.display()}",
        location=Location("dump.yaml", line),
        because_of=because,
        layer=layer,
    )


def seed_chain() -> list[Finding]:
    """The seed audit: the selector explains opencost's dependency, its crash, its unavailability."""
    return [
        finding("service-selector-matches-nothing", SERVICE, Layer.CONFIGURATION, line=10),
        finding("dependency-unavailable", OPENCOST, Layer.CONFIGURATION, SERVICE, line=20),
        finding("pod-crashloop", OPENCOST_POD, Layer.POD, OPENCOST, line=30),
        finding("workload-unavailable", OPENCOST, Layer.AGGREGATE, OPENCOST_POD, line=20),
    ]


def test_the_selector_is_the_root_cause_of_the_chain() -> None:
    linked, roots = link(seed_chain())
    assert [r.finding.rule for r in roots] == ["service-selector-matches-nothing"]
    explained = [f.rule for f in roots[0].explains]
    assert explained == ["dependency-unavailable", "pod-crashloop", "workload-unavailable"]
    by_rule = {f.rule: f for f in linked}
    selector = by_rule["service-selector-matches-nothing"]
    assert by_rule["dependency-unavailable"].causes == (fingerprint(selector),)
    assert by_rule["pod-crashloop"].causes == (fingerprint(by_rule["dependency-unavailable"]),)
    assert by_rule["workload-unavailable"].causes == (fingerprint(by_rule["pod-crashloop"]),)
    assert by_rule["service-selector-matches-nothing"].causes == ()


def test_an_aggregate_never_explains_a_pod() -> None:
    # The crash-looping pod is because_of its Deployment; the Deployment's unavailability is
    # because_of the pod: only pod -> workload holds, so the crash is the root.
    linked, roots = link(
        [
            finding("pod-crashloop", API_POD, Layer.POD, API),
            finding("workload-unavailable", API, Layer.AGGREGATE, API_POD),
        ]
    )
    assert [r.finding.rule for r in roots] == ["pod-crashloop"]
    assert linked[0].causes == ()


def test_a_configuration_finding_on_the_workload_explains_its_pods() -> None:
    _, roots = link(
        [
            finding("missing-reference", API, Layer.CONFIGURATION),
            finding("pod-crashloop", API_POD, Layer.POD, API),
            finding("workload-unavailable", API, Layer.AGGREGATE, API_POD),
        ]
    )
    assert [(r.finding.rule, len(r.explains)) for r in roots] == [("missing-reference", 2)]


def test_a_ring_of_findings_are_roots_together() -> None:
    a = ObjectRef("v1", "Service", "x", "a")
    b = ObjectRef("v1", "Service", "x", "b")
    _, roots = link(
        [
            finding("dependency-unavailable", a, Layer.CONFIGURATION, b),
            finding("dependency-unavailable", b, Layer.CONFIGURATION, a),
        ]
    )
    assert sorted(r.finding.object.name for r in roots) == ["a", "b"]


def test_findings_that_explain_nothing_are_not_root_causes() -> None:
    linked, roots = link([finding("missing-reference", API, Layer.CONFIGURATION, SERVICE)])
    assert roots == [] and linked[0].causes == ()


def test_the_root_cause_explaining_most_comes_first() -> None:
    chain = seed_chain()
    other = [
        finding("missing-reference", API, Layer.CONFIGURATION, line=5),
        finding("pod-crashloop", API_POD, Layer.POD, API, line=6),
    ]
    _, roots = link(other + chain)
    assert [r.finding.rule for r in roots] == ["service-selector-matches-nothing", "missing-reference"]


def report_of(findings: list[Finding]) -> Report:
    linked, roots = link(findings)
    return Report(files=1, documents=4, objects=4, skipped=[], findings=linked, root_causes=roots)


def test_json_has_causes_evidence_and_root_causes() -> None:
    chain = seed_chain()
    backoff = Evidence("event", "BackOff x40: Back-off restarting failed container", OPENCOST_POD)
    chain[2] = dataclasses.replace(chain[2], evidence=(backoff,))
    text = RENDERERS["json"](report_of(chain), RenderOptions())
    data = validate(text)
    raw = json.loads(text)
    root = raw["root_causes"][0]
    assert root["fingerprint"] == raw["findings"][0]["fingerprint"]
    assert root["explains"] == [f["fingerprint"] for f in raw["findings"][1:]]
    crash = next(f for f in data["findings"] if f["rule"] == "pod-crashloop")
    assert crash["evidence"] == [
        {
            "kind": "event",
            "text": "BackOff x40: Back-off restarting failed container",
            "object": {
                "apiVersion": "v1",
                "kind": "Pod",
                "namespace": "monitoring",
                "name": "opencost-6b7-abcde",
            },
        }
    ]
    assert crash["causes"] == [raw["findings"][1]["fingerprint"]]


def test_text_leads_with_root_causes_and_names_causes() -> None:
    text = RENDERERS["text"](report_of(seed_chain()), RenderOptions())
    head = text.splitlines()
    assert head[0] == "root causes: fix 1 thing(s) to clear 4 finding(s)"
    first = "  1. dump.yaml:10  Service/monitoring/prometheus-server  [service-selector-matches-nothing]"
    assert head[1] == first
    assert head[3] == "     explains 3:"
    explained = "       Deployment/monitoring/opencost [dependency-unavailable]: dependency-unavailable on"
    assert head[4].startswith(explained)
    assert "    caused by: Service/monitoring/prometheus-server [service-selector-matches-nothing]" in head


def test_roots_of_one_rule_explaining_the_same_findings_are_one_thing_to_fix() -> None:
    ds = ObjectRef("apps/v1", "DaemonSet", "monitoring", "promtail")
    pods = [ObjectRef("v1", "Pod", "monitoring", f"promtail-{n}") for n in "abc"]
    findings = [finding("pod-crashloop", p, Layer.POD, ds, line=i) for i, p in enumerate(pods)]
    findings.append(finding("workload-unavailable", ds, Layer.AGGREGATE, *pods, line=9))
    _, roots = link(findings)
    assert len(roots) == 1
    assert roots[0].finding.object == pods[0]
    assert [f.object for f in roots[0].alike] == pods[1:]
    text = RENDERERS["text"](report_of(findings), RenderOptions())
    assert "root causes: fix 1 thing(s) to clear 4 finding(s)" in text
    assert "     and 2 more like it: Pod/monitoring/promtail-b, Pod/monitoring/promtail-c" in text


def test_a_rule_names_the_rules_that_explain_it_on_the_same_object() -> None:
    drift = finding("helm-release-drift", SERVICE, Layer.CONFIGURATION, line=10)
    selector = dataclasses.replace(
        finding("service-selector-matches-nothing", SERVICE, Layer.CONFIGURATION, line=10),
        explained_by=("helm-release-drift",),
    )
    unrelated = finding("service-port-mismatch", SERVICE, Layer.CONFIGURATION, line=10)
    dependency = finding("dependency-unavailable", OPENCOST, Layer.CONFIGURATION, SERVICE, line=20)
    linked, roots = link([drift, selector, unrelated, dependency])
    # The drift explains the selector and, through the Service, the dependency: it comes first.
    assert [(r.finding.rule, len(r.explains)) for r in roots] == [
        ("helm-release-drift", 2),
        ("service-port-mismatch", 1),
    ]
    assert linked[1].causes == (fingerprint(drift),)
    # The dependency is because of the Service: every finding on it explains it.
    assert set(linked[3].causes) == {fingerprint(drift), fingerprint(selector), fingerprint(unrelated)}


def test_what_a_bare_pods_spec_gets_wrong_explains_its_state() -> None:
    """A bare Pod's spec is judged on the Pod: that configuration finding explains its crash
    loop, as a workload's explains its Pods'. Nothing else on the same object does: another
    configuration finding that judges no spec (a duplicate), a risk, another pod-layer finding."""
    bare = ObjectRef("v1", "Pod", "shop", "debug")
    config = dataclasses.replace(
        finding("configmap-key-missing", bare, Layer.CONFIGURATION, line=3), spec_of=(bare,)
    )
    duplicate = finding("duplicate-object", bare, Layer.CONFIGURATION, line=1)
    crash = finding("pod-crashloop", bare, Layer.POD, line=1)
    pull = finding("pod-image-pull-failure", bare, Layer.POD, line=1)
    risk = dataclasses.replace(finding("container-privileged", bare, Layer.RISK, line=2), spec_of=(bare,))
    linked, roots = link([crash, pull, duplicate, risk, config])
    assert [(r.finding.rule, [f.rule for f in r.explains]) for r in roots] == [
        ("configmap-key-missing", ["pod-crashloop", "pod-image-pull-failure"])
    ]
    assert linked[0].causes == (fingerprint(config),) == linked[1].causes
    assert linked[2].causes == linked[3].causes == linked[4].causes == ()


def test_a_spec_judged_for_the_pods_of_an_absent_controller_explains_each_pods_state() -> None:
    """A dump of Pods alone: the first Pod of an absent ReplicaSet is judged for all of them;
    its configuration finding explains every one of their crash loops, and no other Pod's."""
    first, second, third = (ObjectRef("v1", "Pod", "shop", f"web-7d4-{n}") for n in "abc")
    config = dataclasses.replace(
        finding("configmap-key-missing", first, Layer.CONFIGURATION), spec_of=(first, second, third)
    )
    crashes = [finding("pod-crashloop", pod, Layer.POD) for pod in (first, second, third)]
    stranger = ObjectRef("v1", "Pod", "shop", "db-0")
    unrelated = finding("pod-crashloop", stranger, Layer.POD)
    linked, roots = link([config, *crashes, unrelated])
    assert [(r.finding.rule, [f.object.name for f in r.explains]) for r in roots] == [
        ("configmap-key-missing", ["web-7d4-a", "web-7d4-b", "web-7d4-c"])
    ]
    assert [f.causes for f in linked[1:4]] == [(fingerprint(config),)] * 3
    assert linked[4].causes == ()


PODS_ALONE = (
    """apiVersion: v1
kind: List
items:
"""
    + "".join(
        f"""- apiVersion: v1
  kind: Pod
  metadata:
    name: web-7d4-{suffix}
    namespace: shop
    labels: {{app: web, pod-template-hash: 7d4}}
    ownerReferences: [{{apiVersion: apps/v1, kind: ReplicaSet, name: web-7d4, uid: u1, controller: true}}]
  spec:
    containers:
    - name: app
      image: web:1.2
      env: [{{name: DB_HOST, valueFrom: {{configMapKeyRef: {{name: web-config, key: db_host}}}}}}]
  status:
    phase: Running
    containerStatuses:
    - name: app
      ready: false
      restartCount: {restarts}
      state: {{waiting: {{reason: CrashLoopBackOff}}}}
      lastState: {{terminated: {{exitCode: 1, reason: Error}}}}
"""
        for suffix, restarts in (("bbbbb", 300), ("aaaaa", 301))
    )
    + """- apiVersion: v1
  kind: ConfigMap
  metadata: {name: web-config, namespace: shop}
  data: {other: x}
"""
)


def test_a_dump_of_pods_alone_names_the_key_their_template_lacks_as_their_crash_loops_cause(
    tmp_path: Path,
) -> None:
    from analyzer import pipeline

    dump = tmp_path / "pods.yaml"
    dump.write_text(PODS_ALONE, encoding="utf-8")
    report = pipeline.analyse([str(dump)]).report
    assert [
        (r.finding.rule, r.finding.object.name, sorted(f.object.name for f in r.explains))
        for r in report.root_causes
    ] == [("configmap-key-missing", "web-7d4-aaaaa", ["web-7d4-aaaaa", "web-7d4-bbbbb"])]
    spec_of = {f.rule: sorted(r.name for r in f.spec_of) for f in report.findings}
    assert spec_of["configmap-key-missing"] == ["web-7d4-aaaaa", "web-7d4-bbbbb"]
    assert spec_of["pod-crashloop"] == []  # a Pod's state judges no spec


def test_a_schema_problem_judges_a_whole_object_not_a_pod_spec(tmp_path: Path) -> None:
    """A bare Pod whose owner reference lacks its uid (schema-invalid) and whose container
    crash-loops: the schema finding is no cause of the crash."""
    from analyzer import pipeline

    pod = PODS_ALONE.split("- apiVersion: v1\n  kind: ConfigMap")[0].split("- apiVersion: v1\n  kind: Pod")[1]
    pod = pod.replace(", uid: u1", "").replace(
        "configMapKeyRef: {name: web-config, key: db_host}", "fieldRef: {fieldPath: status.podIP}"
    )
    dump = tmp_path / "pod.yaml"
    dump.write_text("apiVersion: v1\nkind: Pod" + pod.replace("\n  ", "\n"), encoding="utf-8")
    report = pipeline.analyse([str(dump)]).report
    rules = {f.rule: f for f in report.findings}
    assert "schema-invalid" in rules and "pod-crashloop" in rules
    assert rules["schema-invalid"].spec_of == () and rules["pod-crashloop"].causes == ()
