"""The security rules of rules/security/ (issue 15) beyond their case files: one finding per root
workload in a live dump, the opt-in ones off by default, and their verdicts on the real
manifests of ../shared/corpus (no error on the well-maintained sets; node-exporter's deliberate
host access reported as a node agent's)."""

from __future__ import annotations

from pathlib import Path

from conftest import CORPUS, needs_corpus

from analyzer import pipeline
from analyzer.config import Config
from analyzer.rules.catalog import builtin_rules_dir

SECURITY = sorted(p.stem for p in (builtin_rules_dir() / "security").glob("*.yaml") if ".test" not in p.name)
OPT_IN = {
    "container-writable-root-fs",
    "service-account-token-automount",
    "default-service-account-used",
    "rbac-secrets-access",
}

LIVE_DUMP = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, uid: d1}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      hostNetwork: true
      containers: [{name: web, image: shop/web:1, securityContext: {privileged: true}}]
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-7d9f
  namespace: shop
  uid: r1
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, controller: true, uid: d1}]
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      hostNetwork: true
      containers: [{name: web, image: shop/web:1, securityContext: {privileged: true}}]
"""
POD = """---
apiVersion: v1
kind: Pod
metadata:
  name: {name}
  namespace: shop
  labels: {{app: web}}
  ownerReferences: [{{apiVersion: apps/v1, kind: ReplicaSet, name: {owner}, controller: true, uid: r1}}]
spec:
  hostNetwork: true
  containers: [{{name: web, image: shop/web:1, securityContext: {{privileged: true}}}}]
"""


def fired(path: Path, profile: str = "default") -> list[tuple[str, str, str]]:
    report = pipeline.analyse([str(path)], config=Config(profile=profile)).report
    return sorted(
        (f.rule, f.object.display(), f.severity.value) for f in report.findings if f.rule in SECURITY
    )


def test_a_live_dump_reports_the_root_workload_once(tmp_path: Path) -> None:
    pods = "".join(POD.format(name=f"web-7d9f-{i}", owner="web-7d9f") for i in range(3))
    orphan = POD.format(name="stray", owner="gone-1234")
    dump = tmp_path / "dump.yaml"
    dump.write_text(LIVE_DUMP + pods + orphan, encoding="utf-8")
    found = [
        (rule, obj, sev)
        for rule, obj, sev in fired(dump)
        if rule in {"container-privileged", "host-namespaces"}
    ]
    assert found == [
        ("container-privileged", "Deployment/shop/web", "error"),
        ("container-privileged", "Pod/shop/stray", "error"),
        ("host-namespaces", "Deployment/shop/web", "warning"),
        ("host-namespaces", "Pod/shop/stray", "warning"),
    ]


def test_opt_in_rules_are_off_by_default_and_on_at_strict(tmp_path: Path) -> None:
    manifest = tmp_path / "app.yaml"
    manifest.write_text(
        """apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: shop/web:1}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: shop}
rules: [{apiGroups: [""], resources: [secrets], verbs: [list]}]
""",
        encoding="utf-8",
    )
    default = {rule for rule, _, _ in fired(manifest)}
    strict = {rule for rule, _, _ in fired(manifest, "strict")}
    assert default == {"container-privilege-escalation", "container-run-as-root"}
    # namespace-without-networkpolicy (strict, in the same folder) is about the namespace.
    assert strict - default - {"namespace-without-networkpolicy"} == OPT_IN


@needs_corpus()
def test_well_maintained_sets_get_no_security_error_at_any_profile() -> None:
    for name in ("argo-cd", "kube-prometheus", "ingress-nginx", "metrics-server"):
        errors = [f for f in fired(CORPUS / name, "all") if f[2] == "error"]
        assert errors == [], name


@needs_corpus()
def test_node_exporter_host_access_is_a_node_agents() -> None:
    """kube-prometheus' node-exporter mounts / (readOnly, at /host/root) and /sys and shares the
    node's network and process namespaces, on purpose: reported, as a warning and an info."""
    found = [f for f in fired(CORPUS / "kube-prometheus/manifests") if "node-exporter" in f[1]]
    assert found == [
        ("host-namespaces", "DaemonSet/monitoring/node-exporter", "info"),
        ("host-path-mount", "DaemonSet/monitoring/node-exporter", "warning"),
    ]
    report = pipeline.analyse([str(CORPUS / "kube-prometheus/manifests")]).report
    [mount] = [f for f in report.findings if f.rule == "host-path-mount"]
    assert mount.message == (
        "DaemonSet node-exporter mounts sensitive node paths (hostPath): /sys (volume sys), / (volume root)"
    )
