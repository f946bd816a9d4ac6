"""helm template output: each object remembers the template of its ``# Source:`` comment."""

from __future__ import annotations

import io
from pathlib import Path

from conftest import CORPUS, CORPUS_REQUIRED

from analyzer.load import LoadResult, load_inputs

RENDERED = CORPUS / "otel-helm-rendered/charts/opentelemetry-kube-stack/examples/default/rendered"
needs_corpus = CORPUS_REQUIRED


def sources(result: LoadResult) -> list[tuple[str, int | None, str | None]]:
    return [(o.data["metadata"]["name"], o.location.line, o.helm_source) for o in result.objects]


def test_source_comments_are_attached_to_their_documents(tmp_path: Path) -> None:
    text = """---
# Source: chart/templates/sa.yaml
apiVersion: v1
kind: ServiceAccount
metadata: {name: a}
---
# Source: chart/templates/empty.yaml
---
# Source: chart/templates/svc.yaml
# another comment
apiVersion: v1
kind: Service
metadata: {name: b}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: hand-written}
---
# Source: chart/templates/double-separator.yaml
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c}
---
# Source: chart/templates/list.yaml
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: ConfigMap, metadata: {name: d1}}
- {apiVersion: v1, kind: ConfigMap, metadata: {name: d2}}
"""
    path = tmp_path / "render.yaml"
    path.write_text(text)
    assert sources(load_inputs([str(path)])) == [
        ("a", 3, "chart/templates/sa.yaml"),
        ("b", 11, "chart/templates/svc.yaml"),
        ("hand-written", 15, None),
        ("c", 21, "chart/templates/double-separator.yaml"),
        ("d1", 29, "chart/templates/list.yaml"),
        ("d2", 30, "chart/templates/list.yaml"),
    ]


def test_no_comment_no_source() -> None:
    result = load_inputs(["-"], io.BytesIO(b"# Source: not at the start\n# of anything\n"))
    assert result.objects == [] and result.documents == 0


@needs_corpus
def test_real_render_hooks() -> None:
    result = load_inputs([str(RENDERED / "hooks.yaml")])
    template = "opentelemetry-kube-stack/templates/hooks.yaml"
    assert [(o.data["kind"], o.location.line, o.helm_source) for o in result.objects] == [
        ("ServiceAccount", 3, template),
        ("Role", 11, template),
        ("RoleBinding", 30, template),
        ("Job", 45, template),
    ]


@needs_corpus
def test_real_render_every_object_has_its_template() -> None:
    result = load_inputs([str(RENDERED)])
    assert len(result.objects) > 20 and result.skipped == []
    for obj in result.objects:
        # Each rendered file holds the documents of one template, in a folder per subchart.
        assert obj.helm_source is not None, obj.location
        template = obj.helm_source.split("/templates/", 1)[1]
        assert obj.location.file.endswith("/" + template), (obj.location, obj.helm_source)


@needs_corpus
def test_real_render_sources_that_rendered_nothing_make_no_object() -> None:
    result = load_inputs([str(RENDERED / "opentelemetry-operator/admission-webhooks/operator-webhook.yaml")])
    assert (result.objects, result.skipped, result.documents) == ([], [], 0)
