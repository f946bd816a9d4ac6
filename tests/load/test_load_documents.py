"""Documents -> objects: List expansion, what makes a Kubernetes object, the Insights archive
layout, and what is dropped on the way in (managedFields, last-applied, Secret values)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import CORPUS, CORPUS_REQUIRED, load_text

from analyzer.load import LoadResult, load_inputs

needs_corpus = CORPUS_REQUIRED


def where(result: LoadResult) -> list[tuple[str, str, str, int | None]]:
    return [
        (o.data["apiVersion"], o.data["kind"], o.data["metadata"]["name"], o.location.line)
        for o in result.objects
    ]


def skips(result: LoadResult) -> list[tuple[int | None, str]]:
    return [(s.line, s.reason) for s in result.skipped]


def test_typed_list_items_take_kind_and_api_version_and_items_null_is_empty(tmp_path: Path) -> None:
    text = """apiVersion: v1
items:
- apiVersion: v1
  kind: Pod
  metadata:
    name: p1
- metadata:
    name: p2
  status: {phase: Running}
- kind: Binding
  metadata: {name: b}
kind: PodList
metadata:
  resourceVersion: ""
---
apiVersion: v1
kind: LimitRangeList
items: null
---
apiVersion: v1
kind: List
items: []
"""
    result = load_text(tmp_path, text)
    assert where(result) == [("v1", "Pod", "p1", 3), ("v1", "Pod", "p2", 7), ("v1", "Binding", "b", 10)]
    assert result.skipped == []
    assert result.documents == 3


def test_a_plain_list_gives_no_kind_to_its_items(tmp_path: Path) -> None:
    text = """apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web}
-   metadata: {name: nokind}
- kind: ConfigMap
  metadata: {name: inherits-v1}
"""
    result = load_text(tmp_path, text)
    assert where(result) == [("apps/v1", "Deployment", "web", 4), ("v1", "ConfigMap", "inherits-v1", 8)]
    assert skips(result) == [(7, "not a Kubernetes object: no kind")]


def test_a_list_whose_items_all_fail_alike_is_one_entry(tmp_path: Path) -> None:
    groups = [
        {"name": "", "versions": [{"version": "v1"}]},
        {"name": "apps", "versions": [{"version": "v1"}]},
    ]
    result = load_text(tmp_path, json.dumps(groups, indent=2), "groups.json")
    assert skips(result) == [(1, "2 list items skipped (not a Kubernetes object: no kind)")]


def test_a_list_whose_items_all_fail_differently_is_one_entry_with_counts(tmp_path: Path) -> None:
    # What support bundles write in resources.json: APIResourceLists, which have no metadata.
    resources = [{"kind": "APIResourceList", "groupVersion": "v1", "resources": []}]
    resources += [
        {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": g} for g in ("apps/v1", "batch/v1")
    ]
    result = load_text(tmp_path, json.dumps(resources, indent=2), "resources.json")
    assert skips(result) == [
        (1, "3 list items skipped (not a Kubernetes object: no apiVersion (1), no metadata (2))")
    ]


def test_an_untyped_list_says_what_it_is(tmp_path: Path) -> None:
    # How support bundles write client-go lists: no kind on the list nor on the items.
    crds = {"metadata": {"resourceVersion": "1"}, "items": [{"metadata": {"name": "a.example.com"}}]}
    result = load_text(tmp_path, json.dumps(crds, indent=2), "custom-resource-definitions.json")
    assert skips(result) == [(2, "not a Kubernetes object: no kind (a list of 1 untyped items)")]
    typed_items = {"items": [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ns"}}]}
    assert where(load_text(tmp_path, json.dumps(typed_items), "ns.json")) == [("v1", "Namespace", "ns", 1)]


def test_what_is_not_a_kubernetes_object_is_skipped_with_a_precise_reason(tmp_path: Path) -> None:
    text = """- a
- b
---
just a string
---
apiVersion: v1
kind: Pod
---
apiVersion: v1
kind: Pod
metadata: {generateName: web-}
---
apiVersion: v1
kind: Pod
metadata: [x]
---
apiVersion: v1
kind: Pod
metadata: {name: 42}
---
kind: Pod
metadata: {name: x}
---
apiVersion: v1
kind: 7
metadata: {name: x}
---
apiVersion: v1
kind: PodList
items: {a: b}
---
# only a comment
"""
    result = load_text(tmp_path, text)
    assert result.objects == []
    assert skips(result) == [
        (1, "2 list items skipped (not a Kubernetes object: a list item is a string)"),
        (4, "not a Kubernetes object: the document is a string"),
        (6, "not a Kubernetes object: no metadata"),
        (9, "not a Kubernetes object: metadata.name missing (only generateName)"),
        (13, "not a Kubernetes object: metadata is a list, not a mapping"),
        (17, "not a Kubernetes object: metadata.name is a number, not a string"),
        (21, "not a Kubernetes object: no apiVersion"),
        (24, "not a Kubernetes object: kind is not a non-empty string"),
        (28, "PodList: items is a mapping, not a list"),
    ]
    assert result.documents == 9


def test_managed_fields_and_last_applied_are_dropped(tmp_path: Path) -> None:
    text = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  managedFields:
  - manager: kubectl
    fieldsV1: {f:spec: {}}
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"kind":"Deployment"}'
    keep: me
spec: {replicas: 1}
"""
    [obj] = load_text(tmp_path, text).objects
    assert obj.data == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "annotations": {"keep": "me"}},
        "spec": {"replicas": 1},
    }


def test_secret_values_are_redacted_and_keys_kept(tmp_path: Path) -> None:
    text = """apiVersion: v1
kind: Secret
metadata:
  name: s
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"data":{"pw":"aHVudGVyMg=="}}'
data: {pw: aHVudGVyMg==, "user": YWRtaW4=}
stringData: {token: hunter2}
type: Opaque
---
apiVersion: v1
kind: SecretList
items:
- metadata: {name: in-a-list}
  data: {key: aHVudGVyMg==}
- metadata: {name: odd}
  data: not-a-mapping-hunter2
"""
    result = load_text(tmp_path, text)
    assert [o.data for o in result.objects] == [
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "s", "annotations": {}},
            "data": {"pw": "<redacted>", "user": "<redacted>"},
            "stringData": {"token": "<redacted>"},
            "type": "Opaque",
        },
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "in-a-list"},
            "data": {"key": "<redacted>"},
        },
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "odd"}, "data": "<redacted>"},
    ]
    assert "aHVudGVyMg" not in repr(result) and "hunter2" not in repr(result)


def test_insights_archive_bare_objects_take_their_kind_from_the_path(tmp_path: Path) -> None:
    bare = json.dumps({"metadata": {"name": "x", "namespace": "ns"}, "spec": {}}, indent=2)
    for rel in ("archive/config/pod/ns/x.json", "archive/config/node/x.json", "archive/config/odd/x.json"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(bare)
    result = load_inputs([str(tmp_path / "archive")])
    assert [
        (o.location.file.split("archive/")[1], o.data["kind"], o.data["apiVersion"]) for o in result.objects
    ] == [
        ("config/node/x.json", "Node", "v1"),
        ("config/pod/ns/x.json", "Pod", "v1"),
    ]
    assert [(s.file.split("archive/")[1], s.reason) for s in result.skipped] == [
        ("config/odd/x.json", "not a Kubernetes object: no kind")  # no resource is named odd
    ]


@needs_corpus
def test_insights_archive_sample_pods_and_nodes() -> None:
    config = CORPUS / "insights-operator-archive-sample/docs/insights-archive-sample/config"
    result = load_inputs([str(config / "pod"), str(config / "node")])
    kinds = [o.data["kind"] for o in result.objects]
    assert kinds.count("Pod") == 35 and kinds.count("Node") == 2 and len(kinds) == 37
    assert result.skipped == []
    first = result.objects[0]
    assert first.location == first.location.__class__(
        str(config / "pod/di-288312/auditlog-retention-28566720-t22qj.json"), 2
    )
    assert (first.data["metadata"]["namespace"], first.data["apiVersion"]) == ("di-288312", "v1")


def test_configuration_files_that_are_not_resources_are_skipped_with_what_they_are(tmp_path: Path) -> None:
    text = """apiVersion: builtin
kind: LabelTransformer
metadata: {name: labels}
labels: {app.kubernetes.io/environment: dev}
---
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [deployment.yaml]
---
kind: Kustomization
resources: [deployment.yaml]
---
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
---
apiVersion: v1
kind: Config
clusters: []
contexts: []
---
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes: [{role: control-plane}]
---
apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
metadata: {name: config}
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
"""
    result = load_text(tmp_path, text)
    assert result.objects == []
    prefix = "not a Kubernetes resource: "
    assert skips(result) == [
        (1, prefix + "kustomize transformer configuration (apiVersion builtin, kind LabelTransformer)"),
        (6, prefix + "kustomize Kustomization"),
        (10, prefix + "kustomize Kustomization"),
        (13, prefix + "kustomize Component"),
        (16, prefix + "kubectl configuration (kubeconfig: v1 Config)"),
        (21, prefix + "kind cluster configuration (kind.x-k8s.io)"),
        (25, prefix + "kubeadm configuration (kubeadm.k8s.io)"),
        (
            29,
            prefix + "configuration file of a Kubernetes component"
            " (kubelet.config.k8s.io, kind KubeletConfiguration)",
        ),
    ]


def test_resources_named_like_configuration_files_are_still_read(tmp_path: Path) -> None:
    """Near misses: a custom resource of kind Config, Flux's Kustomization, a kind Cluster of
    Cluster API, and a resource whose apiVersion merely contains 'builtin'."""
    text = """apiVersion: example.com/v1
kind: Config
metadata: {name: app-config, namespace: apps}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec: {path: ./apps, sourceRef: {kind: GitRepository, name: flux-system}}
---
apiVersion: cluster.x-k8s.io/v1beta1
kind: Cluster
metadata: {name: workload, namespace: default}
---
apiVersion: builtin.example.com/v1
kind: LabelTransformer
metadata: {name: labels}
"""
    result = load_text(tmp_path, text)
    assert skips(result) == []
    assert [(v, k, n) for v, k, n, _ in where(result)] == [
        ("example.com/v1", "Config", "app-config"),
        ("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "apps"),
        ("cluster.x-k8s.io/v1beta1", "Cluster", "workload"),
        ("builtin.example.com/v1", "LabelTransformer", "labels"),
    ]


def test_a_list_of_kubeconfigs_is_one_entry(tmp_path: Path) -> None:
    text = "apiVersion: v1\nkind: List\nitems:\n- {kind: Config}\n- {kind: Config, apiVersion: v1}\n"
    assert skips(load_text(tmp_path, text)) == [
        (1, "2 list items skipped (not a Kubernetes resource: kubectl configuration (kubeconfig: v1 Config))")
    ]


@needs_corpus
def test_the_kustomize_transformer_reproduction_is_no_object() -> None:
    folder = CORPUS / "realworld-2026-12" / "false-positive-repros" / "fp5-kustomize-transformer"
    result = load_inputs([str(folder)])
    assert result.objects == []
    assert {reason for _, reason in skips(result)} == {
        "not a Kubernetes resource: kustomize transformer configuration"
        " (apiVersion builtin, kind LabelTransformer)"
    }
