"""helm-release-drift, helm-release-object-missing, helm-orphan-object: exact objects, messages,
severities and related records, on dumps holding release records built by tests/helm_records.py."""

from __future__ import annotations

import json
from pathlib import Path

from analyzer import pipeline
from analyzer.model import ObjectRef
from analyzer.report.json_report import render as render_json
from analyzer.report.text import render as render_text
from analyzer.rules.finding import Finding, Severity
from tests.helm_records import manifest, release_record

HELM_RULES = ("helm-release-drift", "helm-release-object-missing", "helm-orphan-object")

RENDERED_SERVICE = """
apiVersion: v1
kind: Service
metadata: {name: prometheus-server}
spec:
  selector: {app.kubernetes.io/name: prometheus, app.kubernetes.io/instance: prometheus}
  ports: [{name: http, port: 80, targetPort: 9090}]
"""

LIVE_SERVICE = """
apiVersion: v1
kind: Service
metadata:
  name: prometheus-server
  namespace: monitoring
  annotations: {meta.helm.sh/release-name: prometheus, meta.helm.sh/release-namespace: monitoring}
spec:
  clusterIP: 10.96.0.40
  selector: {app: prometheus, component: server}
  ports: [{name: http, port: 80, targetPort: 9090, protocol: TCP}]
"""

RULES_CONFIGMAP = """
apiVersion: v1
kind: ConfigMap
metadata: {name: prometheus-rules}
data: {alerts.yaml: "groups: []"}
"""

RECORD = ObjectRef("v1", "Secret", "monitoring", "sh.helm.release.v1.prometheus.v3")


def record(revision: int, *documents: tuple[str, str], **fields: object) -> str:
    return release_record(
        "prometheus", "monitoring", revision, manifest(*documents), chart="prometheus", **fields
    )


def findings(tmp_path: Path, *documents: str) -> list[Finding]:
    path = tmp_path / "dump.yaml"
    path.write_text("---\n".join(d.strip() + "\n" for d in documents), encoding="utf-8")
    report = pipeline.analyse([str(path)]).report
    return [f for f in report.findings if f.rule in HELM_RULES]


def test_the_outage_hand_made_selector_is_an_error_naming_both_selectors(tmp_path: Path) -> None:
    found = findings(
        tmp_path,
        record(2, ("prometheus/templates/service.yaml", LIVE_SERVICE), status="superseded"),
        record(3, ("prometheus/templates/service.yaml", RENDERED_SERVICE)),
        LIVE_SERVICE,
    )
    assert [(f.rule, f.object.display(), f.severity, f.message) for f in found] == [
        (
            "helm-release-drift",
            "Service/monitoring/prometheus-server",
            Severity.ERROR,
            "Service monitoring/prometheus-server: selector is app=prometheus,component=server, "
            "release prometheus rev 3 rendered "
            "app.kubernetes.io/name=prometheus,app.kubernetes.io/instance=prometheus.",
        )
    ]
    assert found[0].related == (RECORD,)


def test_an_image_set_by_hand_is_a_warning_and_autoscaled_replicas_are_not_drift(tmp_path: Path) -> None:
    rendered = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: server}
spec:
  replicas: 1
  selector: {matchLabels: {app: server}}
  template:
    metadata: {labels: {app: server}}
    spec: {containers: [{name: prometheus, image: "quay.io/prometheus/prometheus:v2.48.0"}]}
"""
    hpa = """
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: server, namespace: monitoring}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: server}
  maxReplicas: 5
"""
    live = rendered.replace("name: server}", "name: server, namespace: monitoring}").replace(
        "replicas: 1", "replicas: 4"
    )
    live = live.replace("v2.48.0", "v2.49.1")
    found = findings(tmp_path, record(3, ("prometheus/templates/server.yaml", rendered)), live, hpa)
    assert [(f.object.display(), f.severity, f.message) for f in found] == [
        (
            "Deployment/monitoring/server",
            Severity.WARNING,
            "Deployment monitoring/server: image of container prometheus is "
            "quay.io/prometheus/prometheus:v2.49.1, "
            "release prometheus rev 3 rendered quay.io/prometheus/prometheus:v2.48.0.",
        )
    ]
    other_hpa = hpa.replace("name: server, namespace", "name: other, namespace").replace(
        "kind: Deployment, name: server}", "kind: Deployment, name: other}"
    )
    assert "server" not in other_hpa
    without_hpa = findings(
        tmp_path, record(3, ("prometheus/templates/server.yaml", rendered)), live, other_hpa
    )
    assert "replicas is 4, release prometheus rev 3 rendered 1" in without_hpa[0].message
    # an HPA in the release's manifest owns them too, though the dump holds no HPA of that name
    in_chart = hpa.replace(", namespace: monitoring", "")
    documents = (("prometheus/templates/server.yaml", rendered), ("prometheus/templates/hpa.yaml", in_chart))
    in_chart_found = findings(tmp_path, record(3, *documents), live, other_hpa)
    assert [f.message for f in in_chart_found if f.rule == "helm-release-drift"] == [found[0].message]
    # a dump that holds no HPA at all cannot tell: replicas are not compared
    assert [
        f.message for f in findings(tmp_path, record(3, ("prometheus/templates/server.yaml", rendered)), live)
    ] == [found[0].message]


def test_a_failed_latest_revision_does_not_count(tmp_path: Path) -> None:
    found = findings(
        tmp_path,
        record(3, ("prometheus/templates/service.yaml", LIVE_SERVICE)),
        record(4, ("prometheus/templates/service.yaml", RENDERED_SERVICE), status="failed"),
        LIVE_SERVICE,
    )
    assert found == []


def test_a_declared_object_missing_from_the_dump(tmp_path: Path) -> None:
    found = findings(
        tmp_path,
        record(
            3,
            ("prometheus/templates/service.yaml", RENDERED_SERVICE),
            ("prometheus/templates/rules.yaml", RULES_CONFIGMAP),
            (
                "prometheus/templates/sa.yaml",
                "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: prometheus}",
            ),
        ),
        LIVE_SERVICE.replace(
            "{app: prometheus, component: server}",
            "{app.kubernetes.io/name: prometheus, app.kubernetes.io/instance: prometheus}",
        ),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: grafana, namespace: monitoring}",
    )
    assert [(f.rule, f.object.display(), f.severity, f.message) for f in found] == [
        (
            "helm-release-object-missing",
            "Secret/monitoring/sh.helm.release.v1.prometheus.v3",
            Severity.ERROR,
            "Helm release monitoring/prometheus rev 3 declares ConfigMap monitoring/prometheus-rules "
            "(template prometheus/templates/rules.yaml), but the dump holds no such object.",
        )
    ]
    assert found[0].related == (ObjectRef("v1", "ConfigMap", "monitoring", "prometheus-rules"),)


def test_nothing_is_missing_where_the_dump_holds_no_such_kind(tmp_path: Path) -> None:
    documents = (
        ("prometheus/templates/rules.yaml", RULES_CONFIGMAP),
        ("prometheus/templates/service.yaml", LIVE_SERVICE),
    )
    path = tmp_path / "dump.yaml"
    path.write_text(record(3, *documents) + "---\n" + LIVE_SERVICE.strip() + "\n", encoding="utf-8")
    report = pipeline.analyse([str(path)]).report
    assert [f.rule for f in report.findings if f.rule in HELM_RULES] == []
    notes = [(n.rule, n.missing_kind) for n in report.coverage if n.rule == "helm-release-object-missing"]
    assert notes == [("helm-release-object-missing", "ConfigMap")]


def test_orphans_not_listed_and_without_record(tmp_path: Path) -> None:
    stale = """
apiVersion: v1
kind: ConfigMap
metadata:
  name: prometheus-old-rules
  namespace: monitoring
  annotations: {meta.helm.sh/release-name: prometheus, meta.helm.sh/release-namespace: monitoring}
"""
    gone = stale.replace("prometheus-old-rules", "loki-config").replace(
        "release-name: prometheus", "release-name: loki"
    )
    found = findings(
        tmp_path, record(3, ("prometheus/templates/service.yaml", RENDERED_SERVICE)), stale, gone
    )
    assert sorted((f.rule, f.object.display(), f.severity, f.message) for f in found) == [
        (
            "helm-orphan-object",
            "ConfigMap/monitoring/loki-config",
            Severity.WARNING,
            "ConfigMap monitoring/loki-config claims Helm release monitoring/loki, "
            "but the dump holds no release record of it.",
        ),
        (
            "helm-orphan-object",
            "ConfigMap/monitoring/prometheus-old-rules",
            Severity.WARNING,
            "ConfigMap monitoring/prometheus-old-rules claims Helm release monitoring/prometheus, "
            "but its rev 3 manifest does not list it.",
        ),
    ]
    assert next(f for f in found if f.object.name == "prometheus-old-rules").related == (RECORD,)


def test_a_corrupt_record_is_not_an_absent_one(tmp_path: Path) -> None:
    corrupt = """
apiVersion: v1
kind: Secret
type: helm.sh/release.v1
metadata: {name: sh.helm.release.v1.loki.v1, namespace: monitoring}
data: {release: bm90IGd6aXA=}
"""
    claimant = """
apiVersion: v1
kind: ConfigMap
metadata:
  name: loki-config
  namespace: monitoring
  annotations: {meta.helm.sh/release-name: loki, meta.helm.sh/release-namespace: monitoring}
"""
    assert findings(tmp_path, corrupt, claimant) == []
    report = pipeline.analyse([str(tmp_path / "dump.yaml")]).report
    assert [n for n in report.coverage if n.rule == "helm-orphan-object"] == []  # judged, not a gap
    assert [s.reason for s in report.skipped] == [
        "Helm release record sh.helm.release.v1.loki.v1: the decoded data.release is not base64"
    ]


def test_release_values_never_reach_the_output(tmp_path: Path) -> None:
    path = tmp_path / "dump.yaml"
    secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\ndata: {password: czNjcjN0LXZhbHVl}"
    text = record(
        3,
        ("prometheus/templates/service.yaml", RENDERED_SERVICE),
        ("prometheus/templates/secret.yaml", secret),
        config={"adminPassword": "hunter2-value"},
    )
    path.write_text(text + "---\n" + LIVE_SERVICE.strip() + "\n", encoding="utf-8")
    report = pipeline.analyse([str(path)]).report
    out = render_text(report) + json.dumps(json.loads(render_json(report)))
    assert "helm-release-object-missing" in out  # the manifest's Secret creds is not in the dump
    for value in ("hunter2-value", "s3cr3t-value", "czNjcjN0LXZhbHVl"):
        assert value not in out
