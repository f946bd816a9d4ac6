"""Real manifests written by other people (../shared/corpus, see its PROVENANCE.md): the
well-maintained sets must give no error finding, except the listed ones, each with its reason."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CORPUS, needs_corpus

from analyzer import pipeline
from analyzer.load import load_inputs

pytestmark = needs_corpus()

# (set, rule, object) -> why this error is expected on a correct manifest set
EXPECTED_ERRORS: dict[tuple[str, str, str], str] = {
    (
        "kubernetes-examples/AI/vllm-deployment",
        "service-selector-matches-nothing",
        "Service/monitoring/gpu-dcgm-exporter-service",
    ): "selects the dcgm-exporter pods GKE or the NVIDIA GPU operator installs, not part of the example",
    (
        "metrics-server/manifests",
        "schema-invalid",
        "Deployment/kube-system/metrics-server",
    ): "true: a kustomize base without spec.selector (its kustomization, not in the corpus, adds it "
    "with the labels transformer); applied as it is, the API server refuses it (Required value)",
    (
        "metrics-server/manifests",
        "deprecated-api",
        "PodDisruptionBudget/kube-system/metrics-server",
    ): "true: components/high-availability/pdb.yaml is written at policy/v1beta1, which Kubernetes no "
    "longer serves since 1.25 (the target is 1.37): the API server refuses it; policy/v1 is the fix",
}


def corpus_sets() -> Iterator[tuple[str, str]]:
    """(set path relative to the corpus, namespace its objects are meant for)."""
    if not CORPUS.is_dir():
        return
    yield "kube-prometheus/manifests", "default"
    for path in sorted((CORPUS / "argo-cd/manifests").rglob("*.yaml")):
        yield str(path.relative_to(CORPUS)), "argocd"
    for root in ("ingress-nginx", "kubeflow-vendored-upstream"):
        for path in sorted((CORPUS / root).rglob("*.yaml")):
            yield str(path.relative_to(CORPUS)), "default"
    yield "microservices-demo/release", "default"
    yield "microservices-demo/kubernetes-manifests", "default"
    for path in sorted((CORPUS / "kubernetes-examples").glob("*/*")):
        if path.is_dir():
            yield str(path.relative_to(CORPUS)), "default"
    yield "metrics-server/manifests", "kube-system"
    # One Helm release per run, as docs/usage.md says.
    for path in sorted((CORPUS / "otel-helm-rendered").rglob("rendered")):
        yield str(path.relative_to(CORPUS)), "default"


SETS = list(corpus_sets())


@pytest.mark.parametrize(("corpus_set", "namespace"), SETS, ids=[s for s, _ in SETS])
def test_well_maintained_set_has_no_unexplained_error(corpus_set: str, namespace: str) -> None:
    report = pipeline.analyse([str(CORPUS / corpus_set)], namespace=namespace).report
    assert report.objects > 0
    assert report.skipped == []
    errors = {
        (corpus_set, f.rule, f.object.display()) for f in report.findings if f.severity.value == "error"
    }
    expected = {key for key in EXPECTED_ERRORS if key[0] == corpus_set}
    assert errors == expected


def test_operator_managed_services_are_info_not_errors() -> None:
    report = pipeline.analyse([str(CORPUS / "kube-prometheus/manifests")]).report
    infos = sorted((f.rule, f.object.name) for f in report.findings if f.severity.value == "info")
    assert ("service-selector-matches-nothing", "prometheus-k8s") in infos
    assert ("service-selector-matches-nothing", "alertmanager-main") in infos
    [prom] = [
        f
        for f in report.findings
        if f.object.name == "prometheus-k8s" and f.rule == "service-selector-matches-nothing"
    ]
    assert "probably created at run time by the controller of Prometheus monitoring/k8s" in prom.message


@pytest.mark.parametrize("manifest", ["install.yaml", "ha/namespace-install.yaml"])
def test_a_secret_its_rbac_lets_a_workload_create_is_info(manifest: str) -> None:
    """argo-cd's Secret argocd-redis is written on first start by an init container; the Role
    of the ServiceAccount it runs as may create secrets and names argocd-redis."""
    report = pipeline.analyse([str(CORPUS / "argo-cd/manifests" / manifest)], namespace="argocd").report
    redis = [f for f in report.findings if f.rule == "missing-reference" and "argocd-redis" in f.message]
    assert len(redis) >= 4
    assert {f.severity.value for f in redis} == {"info"}
    assert all("probably created at run time by" in f.message for f in redis)
    assert all(any(r.kind == "Role" for r in f.related) for f in redis)


def test_every_corpus_file_loads_without_crash() -> None:
    result = load_inputs([str(CORPUS)])
    assert len(result.files) > 1400
    assert len(result.objects) > 3000
    # The corpus grows: every document PyYAML cannot read is named with the line of its error.
    invalid = [s for s in result.skipped if s.reason.startswith("invalid YAML")]
    assert all(s.line and s.line > 1 for s in invalid), invalid
    # In the support bundle: the three Longhorn files with a plain scalar starting with '*'.
    bundle = load_inputs([str(CORPUS / "sbctl-support-bundle")])
    hint = "a plain value starting with '*' must be quoted)"
    broken = sorted(
        (Path(s.file).parent.name, s.line, s.reason.endswith(hint))
        for s in bundle.skipped
        if s.reason.startswith("invalid YAML")
    )
    assert broken == [
        ("engines.longhorn.io", 126, True),
        ("instancemanagers.longhorn.io", 99, True),
        ("replicas.longhorn.io", 65, True),
    ]
