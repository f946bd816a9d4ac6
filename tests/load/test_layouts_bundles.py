"""Dump layouts that name kinds by their paths: troubleshoot / sbctl support bundles, OpenShift
must-gather trees and Insights archives. Objects written without a kind take the one their
path names (a folder named for a resource; a custom resource's from the input's CRD), pod logs
become log tails, and what is no object is skipped with a reason."""

from __future__ import annotations

import collections
import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import CORPUS, needs_corpus

from analyzer.graph import build_graph
from analyzer.load import LoadResult, load_inputs
from analyzer.load.decode import decode
from analyzer.load.layouts import kind_from_path, role_of
from analyzer.load.layouts.base import PodLog
from analyzer.load.layouts.resources import lookup
from analyzer.load.parsers import ParsedDoc, parse
from analyzer.model import build_snapshot

POD = {"metadata": {"name": "api-1", "namespace": "shop"}, "spec": {"containers": [{"name": "api"}]}}
WIDGET_CRD = {
    "metadata": {"name": "widgets.example.com"},
    "spec": {
        "group": "example.com",
        "names": {"kind": "Widget", "plural": "widgets"},
        "scope": "Namespaced",
        "versions": [{"name": "v1alpha1", "served": True}, {"name": "v1", "served": True, "storage": True}],
    },
}


def write(root: Path, files: dict[str, Any]) -> None:
    for rel, value in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(value, str):
            path.write_text(value)
        elif rel.endswith(".json"):
            path.write_text(json.dumps(value, indent=2))
        else:
            path.write_text(yaml.safe_dump(value))


def loaded(result: LoadResult, root: Path) -> list[tuple[str, str, str, str]]:
    """(file below root, apiVersion, kind, name) of each object."""
    return [
        (
            o.location.file.split(f"{root.name}/", 1)[1],
            o.data["apiVersion"],
            o.data["kind"],
            o.data["metadata"]["name"],
        )
        for o in result.objects
    ]


def skipped(result: LoadResult, root: Path) -> list[tuple[str, int | None, str]]:
    return [(s.file.split(f"{root.name}/", 1)[1], s.line, s.reason) for s in result.skipped]


# --- resource names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "group", "kind", "api_version"),
    [
        ("pods", None, "Pod", "v1"),
        ("pod", None, "Pod", "v1"),
        ("pvcs", None, "PersistentVolumeClaim", "v1"),
        ("network-policy", None, "NetworkPolicy", "networking.k8s.io/v1"),
        ("pod-disruption-budgets", None, "PodDisruptionBudget", "policy/v1"),
        ("custom-resource-definitions", None, "CustomResourceDefinition", "apiextensions.k8s.io/v1"),
        ("crd", None, "CustomResourceDefinition", "apiextensions.k8s.io/v1"),
        ("ingress", None, "Ingress", "networking.k8s.io/v1"),
        ("ingresses", "config.openshift.io", "Ingress", "config.openshift.io/v1"),
        ("events", None, "Event", "v1"),
        ("events", "events.k8s.io", "Event", "events.k8s.io/v1"),
        ("deployments", "apps", "Deployment", "apps/v1"),
        ("pods", "core", "Pod", "v1"),
        ("securitycontextconstraint", None, "SecurityContextConstraints", "security.openshift.io/v1"),
    ],
)
def test_a_folder_named_for_a_resource_names_its_kind(
    name: str, group: str | None, kind: str, api_version: str
) -> None:
    found = lookup(name, group)
    assert found is not None and (found.kind, found.api_version) == (kind, api_version)


@pytest.mark.parametrize(
    ("name", "group"), [("widgets", None), ("groups", None), ("pods", "apps"), ("logs", None)]
)
def test_an_unknown_resource_name_names_no_kind(name: str, group: str | None) -> None:
    assert lookup(name, group) is None


# --- support bundles --------------------------------------------------------------------------


def support_bundle(root: Path, crds: bool = True) -> None:
    files: dict[str, Any] = {
        "cluster-resources/pods/shop.json": {"kind": "PodList", "apiVersion": "v1", "items": [POD]},
        # a bare array, an untyped list, a cluster-scoped file: kinds from the path
        "cluster-resources/pvcs/shop.json": [{"metadata": {"name": "data", "namespace": "shop"}, "spec": {}}],
        "cluster-resources/network-policy/shop.json": {
            "items": [{"metadata": {"name": "deny", "namespace": "shop"}, "spec": {"podSelector": {}}}]
        },
        "cluster-resources/storage-classes.json": [{"metadata": {"name": "fast"}, "provisioner": "x"}],
        # a kind already there wins over the path
        "cluster-resources/configmaps/shop.json": [
            {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "odd", "namespace": "shop"}}
        ],
        "cluster-resources/custom-resources/widgets.example.com/shop.yaml": [
            {"metadata": {"name": "w1", "namespace": "shop"}, "spec": {"size": 1}}
        ],
        "cluster-resources/custom-resources/gadgets.example.org/shop.json": [
            {"metadata": {"name": "g1", "namespace": "shop"}}
        ],
        "cluster-resources/auth-cani-list/shop.json": [
            {"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]},
            {"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]},
        ],
        "cluster-resources/widgets/shop.json": [{"metadata": {"name": "w2", "namespace": "shop"}}],
        "cluster-resources/pods/logs/shop/api-1/api.log": "starting\nlistening on :8080\n",
        "cluster-resources/pods/logs/shop/api-1/api-previous.log": "panic: no config\n",
        "cluster-resources/pods/logs/shop/stray.log": "not a pod's folder\n",
        "other/pvcs/shop.json": [{"metadata": {"name": "outside", "namespace": "shop"}}],
    }
    if crds:
        files["cluster-resources/custom-resource-definitions.json"] = {"metadata": {}, "items": [WIDGET_CRD]}
    write(root, files)


def test_support_bundle_objects_take_the_kind_their_path_names(tmp_path: Path) -> None:
    root = tmp_path / "bundle"
    support_bundle(root)
    result = load_inputs([str(root)])
    assert loaded(result, root) == [
        ("cluster-resources/configmaps/shop.json", "v1", "Secret", "odd"),
        (
            "cluster-resources/custom-resource-definitions.json",
            "apiextensions.k8s.io/v1",
            "CustomResourceDefinition",
            "widgets.example.com",
        ),
        (
            "cluster-resources/custom-resources/widgets.example.com/shop.yaml",
            "example.com/v1",
            "Widget",
            "w1",
        ),
        ("cluster-resources/network-policy/shop.json", "networking.k8s.io/v1", "NetworkPolicy", "deny"),
        ("cluster-resources/pods/shop.json", "v1", "Pod", "api-1"),
        ("cluster-resources/pvcs/shop.json", "v1", "PersistentVolumeClaim", "data"),
        ("cluster-resources/storage-classes.json", "storage.k8s.io/v1", "StorageClass", "fast"),
    ]
    assert skipped(result, root) == [
        (
            "cluster-resources/auth-cani-list/shop.json",
            1,
            "2 list items skipped (not a Kubernetes object: no kind (auth can-i list: the permissions of"
            " whoever collected the support bundle, not objects))",
        ),
        (
            "cluster-resources/custom-resources/gadgets.example.org/shop.json",
            3,
            "not a Kubernetes object: no kind (custom resources of gadgets.example.org: the bundle holds no"
            " CRD of it (cluster-resources/custom-resource-definitions.json) to give a kind)",
        ),
        (
            "cluster-resources/widgets/shop.json",
            3,
            "not a Kubernetes object: no kind (the support bundle's 'widgets' names no resource kind"
            " kubesnap knows)",
        ),
        ("other/pvcs/shop.json", 3, "not a Kubernetes object: no kind"),
    ]


def test_without_the_bundles_crds_a_custom_resource_is_skipped_saying_why(tmp_path: Path) -> None:
    root = tmp_path / "bundle"
    support_bundle(root, crds=False)
    result = load_inputs([str(root)])
    assert not [o for o in result.objects if o.data["kind"] == "Widget"]
    assert (
        "cluster-resources/custom-resources/widgets.example.com/shop.yaml",
        1,
        "not a Kubernetes object: no kind (custom resources of widgets.example.com: the bundle holds no"
        " CRD of it (cluster-resources/custom-resource-definitions.json) to give a kind)",
    ) in skipped(result, root)


def test_a_built_in_resource_among_the_custom_ones_needs_no_crd(tmp_path: Path) -> None:
    root = tmp_path / "bundle"
    write(
        root,
        {
            "cluster-resources/custom-resources/deployments.apps/shop.json": [
                {"metadata": {"name": "api", "namespace": "shop"}}
            ],
            "cluster-resources/custom-resources/gizmos.apps/shop.json": [{"metadata": {"name": "z"}}],
        },
    )
    result = load_inputs([str(root)])
    assert loaded(result, root) == [
        ("cluster-resources/custom-resources/deployments.apps/shop.json", "apps/v1", "Deployment", "api")
    ]
    assert [(file, reason.partition("(")[2][:30]) for file, _, reason in skipped(result, root)] == [
        ("cluster-resources/custom-resources/gizmos.apps/shop.json", "custom resources of gizmos.app")
    ]


def test_support_bundle_pod_logs_are_log_tails_the_graph_gives(tmp_path: Path) -> None:
    root = tmp_path / "bundle"
    support_bundle(root)
    result = load_inputs([str(root)])
    assert list(result.logs) == [("shop", "api-1")]  # stray.log is no pod's log
    # the current log is read after the previous one (sorted): the pod's log is the current one
    assert result.logs[("shop", "api-1")] == "starting\nlistening on :8080"
    graph = build_graph(build_snapshot(result))
    [pod] = graph.of_kind("", "Pod")
    assert graph.log_tail(pod) == "starting\nlistening on :8080"


def test_in_an_archive_paths_name_kinds_and_crds_are_not_read(tmp_path: Path) -> None:
    archive = tmp_path / "bundle.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, value in (
            ("bundle/cluster-resources/custom-resource-definitions.json", {"items": [WIDGET_CRD]}),
            ("bundle/cluster-resources/custom-resources/widgets.example.com/shop.json", [POD]),
            (
                "bundle/cluster-resources/pvcs/shop.json",
                [{"metadata": {"name": "data", "namespace": "shop"}}],
            ),
        ):
            data = json.dumps(value, indent=1).encode()
            member = tarfile.TarInfo(name)
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
    result = load_inputs([str(archive)])
    assert [(o.data["kind"], o.data["metadata"]["name"]) for o in result.objects] == [
        ("CustomResourceDefinition", "widgets.example.com"),
        ("PersistentVolumeClaim", "data"),
    ]
    [why] = [s.reason for s in result.skipped]
    assert "custom resources of widgets.example.com" in why and "not from an archive" in why


# --- must-gather ------------------------------------------------------------------------------


CRD_FOLDER = "cluster-scoped-resources/apiextensions.k8s.io/customresourcedefinitions"


def must_gather(root: Path) -> None:
    write(
        root,
        {
            "namespaces/shop/shop.yaml": {"metadata": {"name": "shop"}},
            "namespaces/shop/core/pods.yaml": {"apiVersion": "v1", "kind": "List", "items": [POD]},
            "namespaces/shop/apps/deployments.yaml": {
                "kind": "List",
                "items": [{"metadata": {"name": "api", "namespace": "shop"}, "spec": {}}],
            },
            "namespaces/shop/apps/gizmos.yaml": {"kind": "List", "items": [{"metadata": {"name": "z"}}]},
            "namespaces/shop/example.com/widgets/w1.yaml": {"metadata": {"name": "w1", "namespace": "shop"}},
            "namespaces/shop/example.org/gadgets.yaml": {"items": [{"metadata": {"name": "g1"}}]},
            "namespaces/shop/pods/api-1/api-1.yaml": POD,
            "namespaces/shop/pods/api-1/api/api/logs/current.log": "ready\n",
            "namespaces/shop/pods/api-1/api/api/logs/previous.log": "old run\n",
            "cluster-scoped-resources/core/nodes/n1.yaml": {"metadata": {"name": "n1"}},
            "cluster-scoped-resources/storage.k8s.io/storageclasses/fast.yaml": {
                "metadata": {"name": "fast"}
            },
            f"{CRD_FOLDER}/widgets.example.com.yaml": WIDGET_CRD,
            # a kind in the document wins
            "cluster-scoped-resources/core/nodes/n2.yaml": {
                "apiVersion": "v1",
                "kind": "Namespace",
                "metadata": {"name": "n2"},
            },
        },
    )


def test_must_gather_objects_take_the_kind_their_path_names(tmp_path: Path) -> None:
    root = tmp_path / "mg"
    must_gather(root)
    result = load_inputs([str(root)])
    crd = f"{CRD_FOLDER}/widgets.example.com.yaml"
    assert loaded(result, root) == [
        (crd, "apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.example.com"),
        ("cluster-scoped-resources/core/nodes/n1.yaml", "v1", "Node", "n1"),
        ("cluster-scoped-resources/core/nodes/n2.yaml", "v1", "Namespace", "n2"),
        (
            "cluster-scoped-resources/storage.k8s.io/storageclasses/fast.yaml",
            "storage.k8s.io/v1",
            "StorageClass",
            "fast",
        ),
        ("namespaces/shop/apps/deployments.yaml", "apps/v1", "Deployment", "api"),
        ("namespaces/shop/core/pods.yaml", "v1", "Pod", "api-1"),
        ("namespaces/shop/example.com/widgets/w1.yaml", "example.com/v1", "Widget", "w1"),
        ("namespaces/shop/pods/api-1/api-1.yaml", "v1", "Pod", "api-1"),
        ("namespaces/shop/shop.yaml", "v1", "Namespace", "shop"),
    ]
    assert skipped(result, root) == [
        (
            "namespaces/shop/apps/gizmos.yaml",
            2,
            "not a Kubernetes object: no kind ('gizmos' is no resource of the API group apps that"
            " kubesnap knows)",
        ),
        (
            "namespaces/shop/example.org/gadgets.yaml",
            1,
            "not a Kubernetes object: no kind (a list of 1 untyped items; gadgets.example.org: the input"
            " holds no CRD of it (cluster-scoped-resources/apiextensions.k8s.io/customresourcedefinitions/"
            "gadgets.example.org.yaml) to give the kind)",
        ),
    ]
    assert result.logs == {("shop", "api-1"): "ready"}  # current.log only


# --- Insights archives ------------------------------------------------------------------------


def insights(root: Path) -> None:
    bare = {"metadata": {"name": "cluster"}, "spec": {}}
    write(
        root,
        {
            "config/pod/shop/api-1.json": POD,
            "config/persistentvolumes/pv1.json": {"metadata": {"name": "pv1"}, "spec": {}},
            "config/crd/widgets.example.com.json": WIDGET_CRD,
            "config/validatingwebhookconfigurations/hooks.json": {
                "metadata": {"name": "hooks"},
                "webhooks": [],
            },
            "config/storage/storageclasses/fast.json": {"metadata": {"name": "fast"}, "provisioner": "x"},
            "config/securitycontextconstraint/anyuid.json": {"metadata": {"name": "anyuid"}},
            "config/clusteroperator/imageregistry.operator.openshift.io/config/cluster.json": bare,
            "config/ingress.json": bare,
            "config/version.json": {"metadata": {"name": "version"}, "spec": {}},
            "config/alerts.json": [{"labels": {"alertname": "Watchdog"}, "status": {"state": "active"}}],
            "config/configmaps/shop/settings/config.json": {"metadata": {"name": "x"}, "key": "value"},
            "config/pod/shop/logs/api-1/errors.log": "E0101 failed to sync\n",
            "conditional/namespaces/shop/pods/api-2/containers/api/logs/last-50-lines.log": "panic\n",
            "conditional/namespaces/shop/pods/api-2/api-2.json": {
                "metadata": {"name": "api-2", "namespace": "shop"}
            },
            "config/node/logs/n1.log": "a node's log, not a pod's\n",
        },
    )


def test_insights_objects_take_the_kind_their_path_names(tmp_path: Path) -> None:
    root = tmp_path / "insights"
    insights(root)
    result = load_inputs([str(root)])
    assert sorted((kind, api, name) for _, api, kind, name in loaded(result, root)) == [
        ("ClusterVersion", "config.openshift.io/v1", "version"),
        ("Config", "imageregistry.operator.openshift.io/v1", "cluster"),
        ("CustomResourceDefinition", "apiextensions.k8s.io/v1", "widgets.example.com"),
        ("Ingress", "config.openshift.io/v1", "cluster"),  # the cluster's ingress configuration
        ("PersistentVolume", "v1", "pv1"),
        ("Pod", "v1", "api-1"),
        ("Pod", "v1", "api-2"),
        ("SecurityContextConstraints", "security.openshift.io/v1", "anyuid"),
        ("StorageClass", "storage.k8s.io/v1", "fast"),
        ("ValidatingWebhookConfiguration", "admissionregistration.k8s.io/v1", "hooks"),
    ]
    assert [(file, line) for file, line, _ in skipped(result, root)] == [
        ("config/alerts.json", 3),
        ("config/configmaps/shop/settings/config.json", 2),  # a ConfigMap's key, not an object
    ]
    assert result.logs == {("shop", "api-1"): "E0101 failed to sync", ("shop", "api-2"): "panic"}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("dump/cluster-resources/pods/logs/ns/p/c.log", PodLog("ns", "p")),
        ("dump/cluster-resources/pods/logs/ns/c.log", None),
        ("dump/cluster-resources/pods/logs/ns/p/c.txt", None),
        ("mg/namespaces/ns/pods/p/c/c/logs/current.log", PodLog("ns", "p")),
        ("mg/namespaces/ns/pods/p/c/c/logs/previous.log", None),
        ("a/config/pod/ns/logs/p/errors.log", PodLog("ns", "p")),
        ("a/conditional/namespaces/ns/pods/p/containers/c/logs/last-50-lines.log", PodLog("ns", "p")),
        ("a/config/node/logs/n1.log", None),
        ("ns/p/logs.txt", PodLog("ns", "p")),
    ],
)
def test_pod_logs_by_path(path: str, expected: PodLog | None) -> None:
    role = role_of(path)
    assert (role if isinstance(role, PodLog) else None) == expected


@pytest.mark.parametrize(
    "path",
    [
        "charts/app/templates/pods.json",  # no layout's shape
        "repo/namespaces/notes.yaml",  # namespaces/<file> that is no namespace's
        "repo/cluster-resources/auth-cani-list/ns.json",  # no objects
        "repo/config/clusteroperator/example.com/widgets/w.json",  # no CRD: never guessed
    ],
)
def test_paths_outside_the_layouts_name_no_kind(path: str) -> None:
    assert kind_from_path(path) is None


# --- the corpus -------------------------------------------------------------------------------

SBCTL = "sbctl-support-bundle/tests/support-bundle"
INSIGHTS = "insights-operator-archive-sample/docs/insights-archive-sample"


def kinds_of(result: LoadResult) -> dict[str, int]:
    counts = collections.Counter(
        f"{o.data['apiVersion'].rpartition('/')[0] or 'core'}/{o.data['kind']}" for o in result.objects
    )
    return dict(sorted(counts.items()))


def objects_in(path: str) -> list[dict[str, Any]]:
    """The documents of a file and their List items or array elements that look like objects
    (a mapping whose metadata has a name)."""
    with open(path, "rb") as handle:
        text, _ = decode(handle.read())
    found = []
    for doc in parse(text or "", path):
        if not isinstance(doc, ParsedDoc):
            continue
        value = doc.value
        items = (
            value.get("items") if isinstance(value, dict) and isinstance(value.get("items"), list) else None
        )
        for item in items if items is not None else value if isinstance(value, list) else [value]:
            meta = item.get("metadata") if isinstance(item, dict) else None
            if isinstance(meta, dict) and isinstance(meta.get("name"), str):
                found.append(item)
    return found


def assert_only_non_objects_skipped(result: LoadResult) -> None:
    for entry in result.skipped:
        if entry.reason.startswith("invalid YAML"):
            continue  # pitfall 2: three files the bundle's redactor broke
        assert entry.line is not None and "not a Kubernetes object" in entry.reason, entry
        assert objects_in(entry.file) == [], entry


@needs_corpus()
def test_sbctl_bundle_loads_every_object_and_attaches_its_log() -> None:
    result = load_inputs([str(CORPUS / SBCTL)])
    assert kinds_of(result) == {
        "apiextensions.k8s.io/CustomResourceDefinition": 32,
        "apps/Deployment": 12,
        "apps/ReplicaSet": 13,
        "batch/Job": 1,
        "cluster.kurl.sh/Installer": 1,
        "core/ConfigMap": 4,
        "core/Event": 67,
        "core/Namespace": 9,
        "core/Node": 3,
        "core/PersistentVolume": 1,
        "core/PersistentVolumeClaim": 1,
        "core/Pod": 58,
        "core/Service": 12,
        "longhorn.io/BackupTarget": 1,
        "longhorn.io/EngineImage": 1,
        "longhorn.io/Node": 3,
        "longhorn.io/Setting": 46,
        "longhorn.io/Volume": 1,
        "storage.k8s.io/StorageClass": 1,
        "velero.io/BackupStorageLocation": 1,
    }
    reasons = collections.Counter(
        s.file.rsplit("/", 2)[-2] for s in result.skipped if "auth can-i" in s.reason
    )
    assert reasons == {"auth-cani-list": 9}
    assert_only_non_objects_skipped(result)
    graph = build_graph(build_snapshot(result))
    [velero] = [p for p in graph.of_kind("", "Pod") if p.name == "velero-6996dd565b-xl44t"]
    tail = graph.log_tail(velero)
    assert tail is not None and "velero" in tail


@needs_corpus()
def test_insights_sample_loads_every_object_and_attaches_logs() -> None:
    result = load_inputs([str(CORPUS / INSIGHTS)])
    kinds = kinds_of(result)
    assert {
        kind: kinds.get(kind)
        for kind in (
            "core/Pod",
            "core/Node",
            "core/PersistentVolume",
            "apiextensions.k8s.io/CustomResourceDefinition",
            "admissionregistration.k8s.io/MutatingWebhookConfiguration",
            "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
            "rbac.authorization.k8s.io/ClusterRole",
            "rbac.authorization.k8s.io/ClusterRoleBinding",
            "security.openshift.io/SecurityContextConstraints",
            "storage.k8s.io/StorageClass",
            "image.openshift.io/ImageStream",
            "config.openshift.io/ClusterVersion",
            "config.openshift.io/ClusterOperator",
            "imageregistry.operator.openshift.io/Config",
            "imageregistry.operator.openshift.io/ImagePruner",
        )
    } == {
        "core/Pod": 36,
        "core/Node": 2,
        "core/PersistentVolume": 2,
        "apiextensions.k8s.io/CustomResourceDefinition": 2,
        "admissionregistration.k8s.io/MutatingWebhookConfiguration": 2,
        "admissionregistration.k8s.io/ValidatingWebhookConfiguration": 5,
        "rbac.authorization.k8s.io/ClusterRole": 2,
        "rbac.authorization.k8s.io/ClusterRoleBinding": 2,
        "security.openshift.io/SecurityContextConstraints": 2,
        "storage.k8s.io/StorageClass": 1,
        "image.openshift.io/ImageStream": 1,
        "config.openshift.io/ClusterVersion": 1,
        "config.openshift.io/ClusterOperator": 31,
        "imageregistry.operator.openshift.io/Config": 1,
        "imageregistry.operator.openshift.io/ImagePruner": 1,
    }
    assert len(result.objects) == 150
    assert_only_non_objects_skipped(result)
    assert len(result.logs) == 10
    graph = build_graph(build_snapshot(result))
    # the archive holds the logs of 10 pods, and of those pods only alertmanager-main-0 itself
    assert [p.name for p in graph.of_kind("", "Pod") if graph.log_tail(p)] == ["alertmanager-main-0"]


@needs_corpus()
def test_must_gather_and_troubleshoot_pod_logs_are_attached() -> None:
    gather = load_inputs([str(CORPUS / "must-gather-clean-ocp48")])
    assert len(gather.objects) == 19 and gather.skipped == []
    assert sorted(pod for _, pod in gather.logs) == [
        "etcd-ip-x-ipv4-000001-x.ec2.internal",
        "etcd-quorum-guard-85b4c88c96-nmk5g",
        "installer-2-ip-x-ipv4-000001-x.ec2.internal",
        "revision-pruner-3-ip-x-ipv4-000006-x.ec2.internal",
    ]
    bundle = load_inputs([str(CORPUS / "troubleshoot/extracted-testdata-support-bundle")])
    assert ("default", "nginx-deployment-7986654d4-ztx2g") in bundle.logs
    assert_only_non_objects_skipped(bundle)
