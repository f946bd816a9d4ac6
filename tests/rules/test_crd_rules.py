"""crd-schema-invalid and crd-validation-failed through the whole pipeline: the finding's field
path and related CRD, coverage notes for what is not judged (transition rules, rules that do not
compile or fail at run time), the v1beta1 CRD form, one compile per CRD version per run, and the
custom resources of the real corpus against the CRDs shipped with them."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, needs_corpus

from analyzer import pipeline
from analyzer.model import structural
from analyzer.rules.crd.definitions import Definitions, Version
from analyzer.rules.crd.validations import compiled_rules

CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              x-kubernetes-validations: RULES
              properties:
                size: {type: integer}
                items: {type: array, items: {type: string}}
"""


def run(tmp_path: Path, text: str) -> pipeline.Analysis:
    path = tmp_path / "in.yaml"
    path.write_text(text, encoding="utf-8")
    return pipeline.analyse([str(path)])


def widget(name: str, spec: str) -> str:
    head = "---\napiVersion: example.com/v1\nkind: Widget\n"
    return f"{head}metadata: {{name: {name}, namespace: shop}}\nspec: {spec}\n"


def crd_with(rules: str) -> str:
    return CRD.replace("RULES", rules)


def test_a_schema_finding_names_the_field_the_crd_and_the_line_of_the_object(tmp_path: Path) -> None:
    analysis = run(tmp_path, crd_with("[]") + widget("w", "{size: big}"))
    (finding,) = [f for f in analysis.report.findings if f.rule == "crd-schema-invalid"]
    assert finding.message == (
        "Widget w does not match the schema of CRD widgets.example.com (v1) at spec.size: "
        'Invalid value: "big": must be of type integer.'
    )
    assert finding.location is not None and finding.location.path == "spec.size"
    assert [r.display() for r in finding.related] == ["CustomResourceDefinition/widgets.example.com"]
    assert finding.severity.value == "error"


def test_an_unknown_field_is_a_warning_with_the_closest_name(tmp_path: Path) -> None:
    analysis = run(tmp_path, crd_with("[]") + widget("w", "{sise: 3}"))
    (finding,) = [f for f in analysis.report.findings if f.rule == "crd-schema-invalid"]
    assert finding.severity.value == "warning"
    assert finding.message.endswith('unknown field "sise": the API server drops it (did you mean size?).')


def test_at_most_ten_findings_per_resource_the_last_counting_the_rest(tmp_path: Path) -> None:
    analysis = run(tmp_path, crd_with("[]") + widget("w", "{items: [" + ", ".join(["1"] * 14) + "]}"))
    found = [f for f in analysis.report.findings if f.rule == "crd-schema-invalid"]
    assert len(found) == 10
    assert found[-1].message.endswith("must be of type string (and 4 more problem(s)).")


def test_a_cel_rule_with_message_expression_and_field_path(tmp_path: Path) -> None:
    rules = (
        "[{rule: 'self.size < 10', fieldPath: '.size', reason: FieldValueForbidden,"
        " messageExpression: \"'size ' + string(self.size) + ' is too big'\"}]"
    )
    analysis = run(tmp_path, crd_with(rules) + widget("big", "{size: 12}") + widget("small", "{size: 2}"))
    (finding,) = [f for f in analysis.report.findings if f.rule == "crd-validation-failed"]
    assert finding.object.display() == "Widget/shop/big"
    assert finding.message == (
        "Widget big breaks a validation rule of CRD widgets.example.com (v1) at spec.size: "
        "size 12 is too big (reason: FieldValueForbidden)."
    )
    assert finding.location is not None and finding.location.path == "spec.size"
    assert analysis.report.coverage == []


def test_transition_rules_are_skipped_and_counted(tmp_path: Path) -> None:
    rules = "[{rule: 'self.size == oldSelf.size', message: immutable}, {rule: 'self.size > 0'}]"
    analysis = run(tmp_path, crd_with(rules) + widget("a", "{size: 1}") + widget("b", "{size: 0}"))
    assert [(f.object.name, f.message.split(" at spec: ")[1]) for f in analysis.report.findings] == [
        ("b", "failed rule: self.size > 0.")
    ]
    (note,) = analysis.report.coverage
    assert (note.rule, note.namespace, note.objects) == ("crd-validation-failed", "shop", 2)
    assert "transition rules (oldSelf) are not evaluated" in note.reason


def test_a_rule_that_does_not_compile_or_fails_at_run_time_is_a_coverage_note(tmp_path: Path) -> None:
    rules = "[{rule: 'self.size >'}, {rule: 'self.missing == 1'}]"
    analysis = run(tmp_path, crd_with(rules) + widget("w", "{size: 1}"))
    assert [f for f in analysis.report.findings if f.rule.startswith("crd-")] == []
    reasons = sorted(n.reason for n in analysis.report.coverage)
    assert len(reasons) == 2
    assert reasons[0].startswith("CRD widgets.example.com: rule 'self.missing == 1' at spec: ")
    assert "no such key" in reasons[0].lower() or "not found" in reasons[0].lower()
    assert reasons[1].startswith("CRD widgets.example.com: rule 'self.size >' at spec does not compile: 1:")


def test_a_v1beta1_crd_with_a_shared_validation_schema_keeps_unknown_fields(tmp_path: Path) -> None:
    # v1beta1 defaults preserveUnknownFields to true: the server keeps "extra", no warning.
    crd = """\
apiVersion: apiextensions.k8s.io/v1beta1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  version: v1
  names: {kind: Widget, plural: widgets}
  validation:
    openAPIV3Schema:
      properties:
        spec:
          properties:
            size: {type: integer}
"""
    # (The CRD itself is at apiextensions.k8s.io/v1beta1, removed in 1.22: deprecated-api's.)
    analysis = run(tmp_path, crd + widget("w", "{size: big, extra: 1}"))
    assert [(f.rule, f.location.path if f.location else None) for f in analysis.report.findings] == [
        ("deprecated-api", "apiVersion"),
        ("crd-schema-invalid", "spec.size"),
    ]
    pruning = crd.replace("  version: v1\n", "  version: v1\n  preserveUnknownFields: false\n")
    analysis = run(tmp_path, pruning + widget("w", "{size: 1, extra: 1}"))
    assert [
        (f.rule, f.severity.value, f.location.path if f.location else None)
        for f in analysis.report.findings
        if f.rule != "deprecated-api"
    ] == [("crd-schema-invalid", "warning", "spec.extra")]


def test_each_crd_version_compiles_once_per_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = structural.compile_schema

    def counting(raw: object) -> structural.Schema:
        calls.append(raw)
        return real(raw)

    monkeypatch.setattr("analyzer.rules.crd.definitions.compile_schema", counting)
    text = crd_with("[{rule: 'self.size > 0'}]") + "".join(widget(f"w{i}", "{size: 0}") for i in range(20))
    analysis = run(tmp_path, text)
    assert len(calls) == 1
    assert len([f for f in analysis.report.findings if f.rule == "crd-validation-failed"]) == 20


@needs_corpus()
@pytest.mark.parametrize(
    ("corpus_set", "least"),
    [
        # prometheus-operator's CRDs and kube-prometheus' Alertmanager, Prometheus, rules, monitors
        ("kube-prometheus/manifests", 23),
        # Strimzi's CRDs (kafka.strimzi.io/v1) and its example Kafka, node pools and bridge
        ("realworld-2026-12/strimzi", 4),
        # a live support bundle: Longhorn's CRDs and the settings, volumes, nodes it stores
        ("sbctl-support-bundle", 50),
        # argo-cd ships its CRDs without any resource of them: they must compile, nothing to judge
        ("argo-cd/manifests/install.yaml", 0),
    ],
)
def test_corpus_custom_resources_validate_against_their_crds(corpus_set: str, least: int) -> None:
    analysis = pipeline.analyse([str(CORPUS / corpus_set)])
    assert [f.message for f in analysis.report.findings if f.rule.startswith("crd-")] == []
    assert [n.describe() for n in analysis.report.coverage if n.rule.startswith("crd-")] == []
    definitions = Definitions(analysis.graph)
    judged = [
        o for k in analysis.graph.kinds() for o in analysis.graph.of_kind(*k) if definitions.version_of(o)
    ]
    assert len(judged) >= least
    # Every schema and CEL rule of every CRD of the set compiles (RE2 patterns, CEL).
    for definition in analysis.graph.definitions():
        crd = analysis.graph.get(("apiextensions.k8s.io", "CustomResourceDefinition", None, definition.name))
        assert crd is not None
        for entry in crd.spec.get("versions", []):
            version = Version(crd, entry["name"], entry.get("schema", {}).get("openAPIV3Schema"), False)
            if version.schema is None:
                continue
            assert version.schema.problems == [], definition.name
            for node in _nodes(version.schema):
                assert [r.error for r in compiled_rules(node) if r.error] == [], definition.name


def _nodes(schema: structural.Schema) -> list[structural.Schema]:
    found = [schema]
    children = [*(schema.properties or {}).values(), *schema.all_of, *schema.any_of, *schema.one_of]
    children += [c for c in (schema.items, schema.not_) if c is not None]
    if isinstance(schema.additional, structural.Schema):
        children.append(schema.additional)
    for child in children:
        found += _nodes(child)
    return found


def test_no_rule_runs_on_a_resource_with_a_mistyped_field(tmp_path: Path) -> None:
    # The API server: "some validation rules were not checked because the object was invalid".
    rules = "[{rule: 'self.items.size() > 0', message: 'at least one item'}]"
    analysis = run(
        tmp_path, crd_with(rules) + widget("typed", "{size: big, items: []}") + widget("w", "{items: []}")
    )
    assert sorted((f.rule, f.object.name) for f in analysis.report.findings) == [
        ("crd-schema-invalid", "typed"),
        ("crd-validation-failed", "w"),
    ]
