"""The seed audit, end to end: the broken dump gives exactly the audit's findings, at the right
lines, with Prometheus' selector as the root cause of OpenCost's failure; the cluster-info dump
of the same cluster gives the same observed state (and coverage notes where it holds no
ConfigMaps or Secrets); the repaired dump keeps only what the audit left as it was."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from analyzer import pipeline
from analyzer.cli import cli
from analyzer.findings.fingerprint import fingerprint
from analyzer.load.parsers import rapidyaml
from analyzer.report.json_report import render as json_report
from analyzer.rules.finding import Finding, Layer

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "blueocean"

EXPECTED_BEFORE = {
    # The Helm-vs-hand-written label mix: 5 Services whose pods carry app.kubernetes.io/* labels only.
    ("service-selector-matches-nothing", "Service/monitoring/prometheus-server"),
    ("service-selector-matches-nothing", "Service/monitoring/prometheus-alertmanager"),
    ("service-selector-matches-nothing", "Service/monitoring/prometheus-node-exporter"),
    ("service-selector-matches-nothing", "Service/monitoring/jaeger-collector"),
    ("service-selector-matches-nothing", "Service/monitoring/jaeger-query"),
    # A named targetPort no container declares: no endpoints either.
    ("service-port-mismatch", "Service/monitoring/loki"),
    # The public API mounts an email-templates ConfigMap that does not exist (once, on the Deployment).
    ("missing-reference", "Deployment/onlyoneapi/public-api"),
}

HAND_EDITED = (
    "prometheus-server",
    "prometheus-alertmanager",
    "prometheus-node-exporter",
    "jaeger-collector",
    "jaeger-query",
)

CONVENTIONS = {("mixed-label-conventions", f"Service/monitoring/{name}") for name in HAND_EDITED}
"""The five hand-written selectors use app/component where the pods carry app.kubernetes.io/*."""

DRIFT = {("helm-release-drift", f"Service/monitoring/{name}") for name in (*HAND_EDITED, "loki")}
"""The live Services differ from what their Helm releases rendered (the records are Secrets)."""

LEFT_AS_IT_WAS = {
    # The node-exporter pod Pending on the tainted infra node: the audit did not fix it.
    ("pod-unschedulable", "Pod/monitoring/prometheus-node-exporter-7gml4", "error"),
    ("daemonset-incomplete", "DaemonSet/monitoring/prometheus-node-exporter", "warning"),
    # The dev APIs at zero replicas, their Services empty on purpose.
    ("workload-scaled-to-zero", "Deployment/saas-dev/konqer-api", "info"),
    ("workload-scaled-to-zero", "Deployment/saas-dev/kreach-api", "info"),
    ("service-no-ready-endpoints", "Service/saas-dev/konqer-api", "info"),
    ("service-no-ready-endpoints", "Service/saas-dev/kreach-api", "info"),
    # A leftover ConfigMap no pod uses (the portal reads none): the audit did not clean it.
    ("unused-configmap", "ConfigMap/onlyoneapi/portal-config", "info"),
}

OBSERVED_BEFORE = LEFT_AS_IT_WAS | {
    # OpenCost cannot reach Prometheus (a Service without endpoints): running, not ready.
    ("dependency-unavailable", "Deployment/monitoring/opencost", "error"),
    ("pod-crashloop", "Pod/monitoring/opencost-cnrzsfzh24-nr9b7", "error"),
    ("workload-unavailable", "Deployment/monitoring/opencost", "error"),
    ("service-no-ready-endpoints", "Service/monitoring/opencost", "error"),
    # The public API: revision 1 crash-loops (301 restarts), revision 2 waits for its ConfigMap.
    ("pod-crashloop", "Pod/onlyoneapi/public-api-g6jvqj84cg-w659p", "error"),
    ("workload-unavailable", "Deployment/onlyoneapi/public-api", "error"),
    ("service-no-ready-endpoints", "Service/onlyoneapi/public-api", "error"),
    # promtail crash-loops on every node: its metrics Service has no endpoint.
    ("pod-crashloop", "Pod/monitoring/promtail-bswff", "error"),
    ("pod-crashloop", "Pod/monitoring/promtail-cf674", "error"),
    ("pod-crashloop", "Pod/monitoring/promtail-zvbtr", "error"),
    ("workload-unavailable", "DaemonSet/monitoring/promtail", "error"),
    ("service-no-ready-endpoints", "Service/monitoring/promtail-metrics", "error"),
    # loki's Endpoints list no address: the targetPort names no container port.
    ("service-no-ready-endpoints", "Service/monitoring/loki", "error"),
}

OBSERVED_RULES = {rule for rule, _, _ in OBSERVED_BEFORE}


def failures(findings: list[Finding]) -> list[Finding]:
    """What breaks: the findings but the security risks (layer risk), which the generator's
    workloads, written without a securityContext, all carry (test_the_security_risks_are_apart)."""
    return [f for f in findings if f.layer is not Layer.RISK]


def first_key_lines(path: Path) -> dict[str, int]:
    """Kind/namespace/name -> line of the item's first key, computed independently of kubesnap."""
    root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    items = next(v for k, v in root.value if k.value == "items")
    lines = {}
    for item in items.value:
        data = yaml.safe_load(yaml.serialize(item))
        meta = data["metadata"]
        lines[f"{data['kind']}/{meta.get('namespace')}/{meta['name']}"] = item.value[0][0].start_mark.line + 1
    return lines


def test_before_finds_every_broken_thing_of_the_audit_at_the_right_line() -> None:
    report = pipeline.analyse([str(FIXTURE / "before")]).report
    assert report.skipped == []
    desired = {
        (f.rule, f.object.display()) for f in failures(report.findings) if f.rule not in OBSERVED_RULES
    }
    assert desired == EXPECTED_BEFORE | CONVENTIONS | DRIFT
    observed = {
        (f.rule, f.object.display(), f.severity.value) for f in report.findings if f.rule in OBSERVED_RULES
    }
    assert observed == OBSERVED_BEFORE
    lines = first_key_lines(FIXTURE / "before" / "resources.yaml")
    for finding in report.findings:
        assert finding.location is not None
        assert finding.location.file == str(FIXTURE / "before" / "resources.yaml")
        assert finding.location.line == lines[finding.object.display()]


def test_prometheus_selector_is_the_root_cause_of_opencosts_failure() -> None:
    """The hand-made selector, drift from the Helm release, explains the rest."""
    report = pipeline.analyse([str(FIXTURE / "before")]).report
    first = report.root_causes[0]
    assert (first.finding.rule, first.finding.object.display()) == (
        "helm-release-drift",
        "Service/monitoring/prometheus-server",
    )
    assert first.finding.message == (
        "Service monitoring/prometheus-server: selector is app=prometheus,component=server, release "
        "prometheus rev 3 rendered app.kubernetes.io/instance=prometheus,app.kubernetes.io/name=prometheus,"
        "app.kubernetes.io/component=server."
    )
    assert {(f.rule, f.object.display()) for f in first.explains} == {
        ("service-selector-matches-nothing", "Service/monitoring/prometheus-server"),
        ("mixed-label-conventions", "Service/monitoring/prometheus-server"),
        ("dependency-unavailable", "Deployment/monitoring/opencost"),
        ("pod-crashloop", "Pod/monitoring/opencost-cnrzsfzh24-nr9b7"),
        ("workload-unavailable", "Deployment/monitoring/opencost"),
        ("service-no-ready-endpoints", "Service/monitoring/opencost"),
    }
    [dependency] = [f for f in report.findings if f.rule == "dependency-unavailable"]
    assert dependency.message == (
        "Deployment monitoring/opencost reads PROMETHEUS_SERVER_ENDPOINT="
        "http://prometheus-server.monitoring.svc.cluster.local:80, but Service monitoring/prometheus-server "
        "has no ready endpoint (its selector matches no pod)."
    )
    roots = {(r.finding.rule, r.finding.object.display()) for r in report.root_causes}
    # The missing ConfigMap explains the public API's outage; the Pending pod the DaemonSet's gap.
    assert ("missing-reference", "Deployment/onlyoneapi/public-api") in roots
    assert ("pod-unschedulable", "Pod/monitoring/prometheus-node-exporter-7gml4") in roots


def test_the_first_screen_tells_the_audit() -> None:
    """What an engineer sees first: the pools, Prometheus' selector as the root cause, the
    crash-looping API pod with its restarts and its missing ConfigMap, the Pending node-exporter
    pod with the constraint that excludes its node, the dev APIs at zero; each with file:line."""
    result = CliRunner().invoke(cli, ["check", str(FIXTURE / "before")])
    screen = "\n".join(result.output.splitlines()[:60])
    where = str(FIXTURE / "before" / "resources.yaml")
    lines = first_key_lines(FIXTURE / "before" / "resources.yaml")

    def at(obj: str) -> str:
        return f"{where}:{lines[obj]}  {obj}"

    for pool in ("monitoring-pool", "infra-pool", "applications-pool"):
        assert f"  {pool} " in screen
    assert "monitoring   37            1        4        301       5/13" in screen
    assert f"  1. {at('Service/monitoring/prometheus-server')}  [helm-release-drift]" in screen
    assert "selector is app=prometheus,component=server, release prometheus rev 3 rendered" in screen
    assert f"{at('Deployment/onlyoneapi/public-api')}  [missing-reference]" in screen
    assert (
        "ConfigMap email-templates (volume email-templates), which is not in namespace onlyoneapi" in screen
    )
    assert "CrashLoopBackOff, 301 restarts" in screen
    assert f"{at('Pod/monitoring/prometheus-node-exporter-7gml4')}  [pod-unschedulable]" in screen
    assert "1 has untolerated taint dedicated=infra:NoSchedule (pool infra-pool)" in screen
    assert f"{at('Deployment/saas-dev/konqer-api')}  [workload-scaled-to-zero]" in screen
    assert f"{at('Deployment/saas-dev/kreach-api')}  [workload-scaled-to-zero]" in screen


def test_the_cluster_info_dump_gives_the_same_observed_state() -> None:
    """kubectl cluster-info dump holds no ConfigMaps, Secrets or Endpoints: coverage notes, no
    false error; logs.txt quoted as evidence, without kubectl's banners."""
    report = pipeline.analyse([str(FIXTURE / "cluster-info-dump")]).report
    assert report.skipped == []
    observed = {
        (f.rule, f.object.display(), f.severity.value) for f in report.findings if f.rule in OBSERVED_RULES
    }
    # No Endpoints: loki's missing address cannot be seen (its port mismatch still is); no
    # ConfigMaps: nor can the unused one.
    assert observed == OBSERVED_BEFORE - {
        ("service-no-ready-endpoints", "Service/monitoring/loki", "error"),
        ("unused-configmap", "ConfigMap/onlyoneapi/portal-config", "info"),
    }
    desired = {
        (f.rule, f.object.display()) for f in failures(report.findings) if f.rule not in OBSERVED_RULES
    }
    # No Secrets, hence no Helm release record and no drift.
    assert (
        desired == EXPECTED_BEFORE - {("missing-reference", "Deployment/onlyoneapi/public-api")} | CONVENTIONS
    )
    assert {(c.rule, c.missing_kind, c.namespace) for c in report.coverage} >= {
        ("missing-reference", "ConfigMap", "onlyoneapi"),
        ("missing-reference", "Secret", "onlyoneapi"),
    }
    [crash] = [f for f in report.findings if f.object.name == "opencost-cnrzsfzh24-nr9b7"]
    [log] = [e for e in crash.evidence if e.kind == "log"]
    assert "Prometheus is unreachable" in log.text
    assert "====" not in log.text
    first = report.root_causes[0]
    assert (first.finding.rule, first.finding.object.display()) == (
        "mixed-label-conventions",
        "Service/monitoring/prometheus-server",
    )


def test_the_prometheus_message_explains_the_label_mix_in_one_line() -> None:
    report = pipeline.analyse([str(FIXTURE / "before")]).report
    [prom] = [
        f
        for f in report.findings
        if f.object.name == "prometheus-server" and f.rule == "service-selector-matches-nothing"
    ]
    assert prom.message == (
        "Service prometheus-server selects app=prometheus,component=server, but no pod or pod template in "
        "namespace monitoring carries these labels; closest: Deployment prometheus-server, whose pods carry "
        "app.kubernetes.io/name=prometheus instead of app=prometheus; "
        "app.kubernetes.io/component=server instead of component=server."
    )
    assert [r.display() for r in prom.related] == ["Deployment/monitoring/prometheus-server"]


def test_after_keeps_only_what_the_audit_left_as_it_was() -> None:
    report = pipeline.analyse([str(FIXTURE / "after")]).report
    assert report.skipped == []
    assert {
        (f.rule, f.object.display(), f.severity.value) for f in failures(report.findings)
    } == LEFT_AS_IT_WAS
    assert report.objects > 250


def test_cli_exit_codes_on_the_demo() -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["check", str(FIXTURE / "before")]).exit_code == 1
    # The Pending node-exporter pod is still there after the repair.
    assert runner.invoke(cli, ["check", str(FIXTURE / "after")]).exit_code == 1
    assert runner.invoke(cli, ["check", str(FIXTURE / "after"), "--fail-on", "never"]).exit_code == 0


def test_secret_values_of_the_dump_never_leak() -> None:
    result = CliRunner().invoke(cli, ["check", str(FIXTURE / "before"), "--format", "json"])
    assert "S3CR3T-MARKER" not in result.output
    assert json.loads(result.output)["inputs"]["objects"] > 250


def generated(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``, by its path relative to it."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_generator_is_deterministic(tmp_path: Path) -> None:
    """Re-running the generator rewrites the committed files byte for byte: before/ and after/
    (nodes, resources, events) and the cluster-info dump, file for file."""
    subprocess.run([sys.executable, str(FIXTURE / "generate.py"), str(tmp_path)], check=True)
    for state in ("before", "after", "cluster-info-dump"):
        committed, fresh = generated(FIXTURE / state), generated(tmp_path / state)
        assert sorted(fresh) == sorted(committed), f"fixtures/blueocean/{state}: files differ"
        stale = [name for name in committed if fresh[name] != committed[name]]
        assert not stale, (
            f"fixtures/blueocean/{state} is stale ({stale[:3]}): run fixtures/blueocean/generate.py"
        )
    assert {"before/events.yaml", "after/events.yaml"} <= {
        f"{state}/{name}" for state in ("before", "after") for name in generated(tmp_path / state)
    }


def test_the_same_report_without_rapidyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyYAML alone (rapidyaml absent, or KUBESNAP_PURE_YAML=1) gives the same report, lines included."""
    fast = json_report(pipeline.analyse([str(FIXTURE / "before")]).report)
    monkeypatch.setattr(rapidyaml, "AVAILABLE", False)
    assert json_report(pipeline.analyse([str(FIXTURE / "before")]).report) == fast


def readme_table(state: str) -> list[tuple[str, str, str, str]]:
    """The rows of fixtures/blueocean/README.md's table of ``kubesnap check
    fixtures/blueocean/<state>``: (rule, severity, ``Kind namespace/name``, ``file:line``)."""
    readme = (FIXTURE / "README.md").read_text(encoding="utf-8")
    section = readme.split(f"`kubesnap check fixtures/blueocean/{state}`", 1)[1].split("\n\n", 2)[1]
    rows = []
    for line in section.splitlines():
        if line.startswith("| `"):
            rule, severity, obj, where = (cell.strip() for cell in line.strip("|").split("|"))
            rows.append((rule.strip("`"), severity, obj, where))
    return rows


@pytest.mark.parametrize("state", ["before", "after", "cluster-info-dump"])
def test_the_readme_tables_are_the_reports(state: str) -> None:
    """fixtures/blueocean/README.md lists every failure of each variant, in report order."""
    report = pipeline.analyse([str(FIXTURE / state)]).report
    expected = []
    for f in failures(report.findings):
        obj = f"{f.object.kind} {f.object.namespace}/{f.object.name}"
        assert f.location is not None
        where = Path(f.location.file).relative_to(FIXTURE).as_posix()
        expected.append((f.rule, f.severity.value, obj, f"{where}:{f.location.line}"))
    assert readme_table(state) == expected


def test_the_security_risks_are_apart() -> None:
    """The dump's workloads set no securityContext: each root workload is reported once per
    risk, as a warning, the node agents' host network as info, and each root workload behind a
    Service without a readiness probe as a warning; no risk is an error, explains a failure or
    is a root cause."""
    report = pipeline.analyse([str(FIXTURE / "before")]).report
    risks = [f for f in report.findings if f.layer is Layer.RISK]
    by_rule: dict[tuple[str, str], int] = {}
    for f in risks:
        by_rule[(f.rule, f.severity.value)] = by_rule.get((f.rule, f.severity.value), 0) + 1
    dump = yaml.safe_load((FIXTURE / "before" / "resources.yaml").read_text(encoding="utf-8"))
    roots = {  # counted apart from kubesnap: what runs pods and has no owner
        f"{o['kind']}/{o['metadata']['namespace']}/{o['metadata']['name']}"
        for o in dump["items"]
        if o["kind"] in ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod", "ReplicaSet")
        and not o["metadata"].get("ownerReferences")
    }
    assert len(roots) == 28
    services = [o for o in dump["items"] if o["kind"] == "Service" and o["spec"].get("selector")]

    def served(o: dict[str, Any]) -> bool:
        labels = o["spec"]["template"]["metadata"].get("labels", {})
        return any(
            s["metadata"]["namespace"] == o["metadata"]["namespace"]
            and all(labels.get(k) == v for k, v in s["spec"]["selector"].items())
            for s in services
        )

    unprobed = {  # counted apart too: each has one container, serving every port
        f"{o['kind']}/{o['metadata']['namespace']}/{o['metadata']['name']}"
        for o in dump["items"]
        if o["kind"] in ("Deployment", "StatefulSet", "DaemonSet")
        and served(o)
        and not any("readinessProbe" in c for c in o["spec"]["template"]["spec"]["containers"])
    }
    assert len(unprobed) == 19
    assert by_rule == {
        ("container-privilege-escalation", "warning"): len(roots),
        ("container-run-as-root", "warning"): len(roots),
        ("host-namespaces", "info"): 2,
        ("probe-missing", "warning"): len(unprobed),
    }
    assert {f.object.display() for f in risks if f.rule == "container-run-as-root"} == roots
    assert {f.object.display() for f in risks if f.rule == "probe-missing"} == unprobed
    assert {f.object.display() for f in risks if f.rule == "host-namespaces"} == {
        "DaemonSet/kube-system/cilium",
        "DaemonSet/monitoring/prometheus-node-exporter",
    }
    assert not any(f.object.kind in ("Pod", "ReplicaSet") for f in risks)
    assert not any(r.finding.layer is Layer.RISK for r in report.root_causes)
    prints = {fingerprint(f) for f in risks}
    assert not any(set(f.causes) & prints for f in report.findings)
