"""The cross-object rules of issue 15 (keys, HPA, PDB, Ingress, storage classes): what the rule
case files cannot say: profiles, coverage notes, messages, Secret values, runtime errors."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli

from analyzer import pipeline
from analyzer.config import Config
from analyzer.findings.fingerprint import fingerprint
from analyzer.report.model import Report
from analyzer.rules.catalog import builtin_rules_dir

RULES = builtin_rules_dir() / "desired-state"
OURS = (
    "configmap-key-missing",
    "secret-key-missing",
    "hpa-target-without-requests",
    "hpa-replicas-conflict",
    "hpa-min-over-max",
    "pdb-blocks-eviction",
    "pdb-missing",
    "ingress-tls-secret-missing",
    "ingress-class-missing",
    "pvc-storage-class-missing",
)


def check(tmp_path: Path, text: str, profile: str = "all") -> Report:
    path = tmp_path / "input.yaml"
    path.write_text(text, encoding="utf-8")
    return pipeline.analyse([str(path)], config=Config(profile=profile)).report  # type: ignore[arg-type]


def messages(report: Report, rule: str) -> list[str]:
    return [f.message for f in report.findings if f.rule == rule]


def test_pdb_missing_is_opt_in(tmp_path: Path) -> None:
    text = (RULES / "pdb-missing.test.yaml").read_text(encoding="utf-8")
    assert messages(check(tmp_path, text, "default"), "pdb-missing") == []
    assert messages(check(tmp_path, text, "strict"), "pdb-missing") == [
        "Deployment web runs 2 replicas behind Service web, but no PodDisruptionBudget selects its pods.",
        "StatefulSet db runs 3 replicas behind Service db, but no PodDisruptionBudget selects its pods.",
    ]


def test_every_other_rule_is_on_by_default() -> None:
    from analyzer.rules.catalog import load_catalog

    profiles = {r.id: r.spec.profile for r in load_catalog() if r.id in OURS}
    assert profiles == {rule: "strict" if rule == "pdb-missing" else "default" for rule in OURS}


def test_case_files_raise_no_runtime_error(tmp_path: Path) -> None:
    """Bad input (a templated bound, a missing field) is judged or skipped, never a coverage
    note of a failed expression."""
    for rule in OURS:
        for case in sorted(RULES.glob(f"{rule}*.test.yaml")):
            report = pipeline.analyse([str(case)], config=Config(profile="all")).report
            failed = [
                n.describe() for n in report.coverage if n.rule in OURS and n.reason and not n.missing_kind
            ]
            assert [f for f in failed if "holds no key" not in f] == [], case.name


def test_a_keyless_object_is_listed_as_not_checked(tmp_path: Path) -> None:
    report = check(tmp_path, (RULES / "configmap-key-missing.test.yaml").read_text(encoding="utf-8"))
    [note] = [n for n in report.coverage if n.rule == "configmap-key-missing"]
    assert note.subject is not None and note.subject.display() == "Deployment/app/waits"
    assert "ConfigMap filled-later holds no key in the snapshot" in note.reason


SECRET = """
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: app}
stringData: {username: admin, password: s3cr3t-Value}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: app}
spec:
  containers:
    - name: api
      image: api:1
      env:
        - {name: USER, valueFrom: {secretKeyRef: {name: db, key: user}}}
        - {name: PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}
"""


def test_secret_key_missing_names_keys_never_values(tmp_path: Path) -> None:
    report = check(tmp_path, SECRET)
    assert messages(report, "secret-key-missing") == [
        "Pod api reads key user (env USER of container api) of Secret db,"
        " which holds only: password, username."
    ]
    [finding] = [f for f in report.findings if f.rule == "secret-key-missing"]
    assert finding.location.path == "spec.containers[0].env[0].valueFrom.secretKeyRef.key"
    for output in ("text", "json", "sarif"):
        code, out = run_cli(["check", str(tmp_path / "input.yaml"), "--format", output])
        assert code == 1 and "Secret db" in out and "s3cr3t-Value" not in out


def test_hpa_messages_name_containers_and_resources(tmp_path: Path) -> None:
    report = check(tmp_path, (RULES / "hpa-target-without-requests.test.yaml").read_text(encoding="utf-8"))
    assert messages(report, "hpa-target-without-requests")[0] == (
        "HorizontalPodAutoscaler web scales Deployment web on cpu utilisation, but container shipper"
        " requests no cpu; on memory utilisation, but containers web, proxy, shipper request no memory."
    )
    report = check(tmp_path, (RULES / "hpa-min-over-max.test.yaml").read_text(encoding="utf-8"))
    assert messages(report, "hpa-min-over-max")[0] == (
        "HorizontalPodAutoscaler inverted has minReplicas 5 over maxReplicas 3."
    )


def test_pdb_blocks_eviction_counts_replicas_as_the_disruption_controller(tmp_path: Path) -> None:
    report = check(tmp_path, (RULES / "pdb-blocks-eviction.test.yaml").read_text(encoding="utf-8"))
    assert messages(report, "pdb-blocks-eviction")[0] == (
        "PodDisruptionBudget web requires 4 healthy pod(s) (minAvailable 4) out of 4 replica(s)"
        " (Deployment web: 3, StatefulSet cache: 1), so it allows no eviction even when all are healthy."
    )


CLASSLESS = """
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: app}
spec:
  ingressClassName: nginx
  tls: [{hosts: [web.example.com], secretName: web-tls}]
  rules:
    - http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: app}
spec: {storageClassName: fast, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
"""


def test_classes_and_secrets_outside_the_snapshot_are_not_judged(tmp_path: Path) -> None:
    """A set of manifests holds neither the cluster's classes nor its Secrets: no finding; the
    TLS Secret is listed as not checked."""
    report = check(tmp_path, CLASSLESS)
    assert [f.rule for f in report.findings if f.rule in OURS] == []
    notes = [(n.rule, n.missing_kind, n.namespace) for n in report.coverage if n.rule in OURS]
    assert notes == [("ingress-tls-secret-missing", "Secret", "app")]


def test_with_classes_in_the_snapshot_the_same_names_are_judged(tmp_path: Path) -> None:
    classes = """
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: ingress-nginx}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: standard}
provisioner: kubernetes.io/no-provisioner
"""
    report = check(tmp_path, CLASSLESS + classes)
    assert messages(report, "ingress-class-missing") == [
        "Ingress web names IngressClass nginx (spec.ingressClassName), which is not in the snapshot"
        " (it holds: ingress-nginx)."
    ]
    assert messages(report, "pvc-storage-class-missing") == [
        "PersistentVolumeClaim data names StorageClass fast, which is not in the snapshot"
        " (it holds: standard)."
    ]


def test_a_missing_storage_class_is_the_root_cause_of_the_pending_claim(tmp_path: Path) -> None:
    case = builtin_rules_dir() / "observed-state" / "pvc-unbound.test.yaml"
    report = pipeline.analyse([str(case)]).report
    by_rule = {f.rule: f for f in report.findings if f.object.name == "unknown-class"}
    # No pod of the case uses the claim: unused-pvc (info) is true too, and explains nothing.
    assert set(by_rule) == {"pvc-unbound", "pvc-storage-class-missing", "unused-pvc"}
    cause = by_rule["pvc-storage-class-missing"]
    assert by_rule["pvc-unbound"].causes == (fingerprint(cause),)
    assert cause in [root.finding for root in report.root_causes]
