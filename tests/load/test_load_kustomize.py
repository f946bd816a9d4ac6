"""Kustomize folders read unrendered (no kustomize or kubectl on PATH: PATH is an empty folder
here; rendering is tests/load/test_render_folders.py): the kustomization is not objects, and
the files it lists as patches or as transformer configurations are not objects either;
everything else is read as usual, and each top-level kustomization's folder is said unrendered."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from conftest import CORPUS, CORPUS_REQUIRED

from analyzer.load import LoadResult, load_inputs
from analyzer.load.layouts import KUSTOMIZATION, MANIFEST, Patch, listed_by, role_of

DEPLOY = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: %s, namespace: system}\n"
KUSTOMIZATION_REASON = "not a Kubernetes resource: kustomize Kustomization (kustomize builds objects from it)"


@pytest.fixture(autouse=True)
def no_renderer(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path_factory.mktemp("empty-path")))


def unrendered(folder: object) -> tuple[str, str]:
    return (
        str(folder),
        "kustomize folder read unrendered (no kustomize or kubectl on PATH): its name prefixes, labels and "
        f"patches are not applied; to render it: kubectl kustomize {folder} | kubesnap check -",
    )


def names(result: LoadResult) -> list[tuple[str, str]]:
    return [(o.location.file, o.data["metadata"]["name"]) for o in result.objects]


def skips(result: LoadResult) -> list[tuple[str, str]]:
    return [(s.file, s.reason) for s in result.skipped]


def patch(by: str, what: str = "patch") -> str:
    return f"kustomize {what} (listed by {by}): not an object"


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


KUSTOMIZE_TREE = {
    "base/kustomization.yaml": "resources: [manager.yaml]\n",
    "base/manager.yaml": DEPLOY % "manager",
    "default/kustomization.yaml": """apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../base]
patchesStrategicMerge:
- manager_auth_proxy_patch.yaml
- |-
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: inline}
patches:
- path: patches/webhook.yaml
  target: {kind: Deployment}
- patch: '[{"op": "add", "path": "/x", "value": 1}]'
patchesJson6902:
- path: ../json_patch.yaml
  target: {kind: Deployment, name: manager}
transformers: [labels.yaml]
""",
    "default/manager_auth_proxy_patch.yaml": DEPLOY % "manager",
    "default/patches/webhook.yaml": DEPLOY % "manager",
    "json_patch.yaml": "- {op: add, path: /spec/replicas, value: 2}\n",
    "default/labels.yaml": "apiVersion: example.com/v1\nkind: LabelTransformer\nmetadata: {name: labels}\n",
    # near miss: named like a patch, but no kustomization lists it: a resource
    "default/manager_config_patch.yaml": DEPLOY % "config-patch-named",
}


def test_patches_and_transformer_configurations_listed_by_a_kustomization_are_not_objects(
    tmp_path: Path,
) -> None:
    write(tmp_path, KUSTOMIZE_TREE)
    result = load_inputs([str(tmp_path)])
    t = str(tmp_path)
    assert names(result) == [
        (f"{t}/base/manager.yaml", "manager"),
        (f"{t}/default/manager_config_patch.yaml", "config-patch-named"),
    ]
    assert skips(result) == [
        unrendered(f"{t}/default"),  # base is listed by default: a base, not said apart
        (f"{t}/base/kustomization.yaml", KUSTOMIZATION_REASON),
        (f"{t}/default/kustomization.yaml", KUSTOMIZATION_REASON),
        (f"{t}/default/labels.yaml", patch(f"{t}/default/kustomization.yaml", "transformer configuration")),
        (f"{t}/default/manager_auth_proxy_patch.yaml", patch(f"{t}/default/kustomization.yaml")),
        (f"{t}/default/patches/webhook.yaml", patch(f"{t}/default/kustomization.yaml")),
        (f"{t}/json_patch.yaml", patch(f"{t}/default/kustomization.yaml")),
    ]


def test_the_three_names_of_a_kustomization(tmp_path: Path) -> None:
    for name in ("kustomization.yaml", "kustomization.yml", "Kustomization"):
        folder = tmp_path / name.replace(".", "-")
        write(folder, {name: "patches: [{path: p.yaml}]\n", "p.yaml": DEPLOY % "p", "r.yaml": DEPLOY % "r"})
        result = load_inputs([str(folder)])
        assert [n for _, n in names(result)] == ["r"], name
        assert skips(result) == [
            unrendered(folder),
            (f"{folder}/{name}", KUSTOMIZATION_REASON),
            (f"{folder}/p.yaml", patch(f"{folder}/{name}")),
        ]


def test_a_file_named_kustomization_of_another_api_is_read(tmp_path: Path) -> None:
    """Near miss: Flux's Kustomization is a resource, whatever its file is called; it lists no patch."""
    flux = (
        "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"
        "metadata: {name: apps, namespace: flux-system}\nspec: {patches: [{path: p.yaml}]}\n"
    )
    write(tmp_path, {"kustomization.yaml": flux, "p.yaml": DEPLOY % "p"})
    result = load_inputs([str(tmp_path)])
    assert sorted(n for _, n in names(result)) == ["apps", "p"]
    assert result.skipped == []
    assert names(load_inputs([str(tmp_path / "kustomization.yaml")])) == [
        (str(tmp_path / "kustomization.yaml"), "apps")
    ]


def test_a_kustomization_named_on_its_own_is_read_and_is_no_object_and_a_patch_named_so_is_read(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "kustomization.yaml": "patchesStrategicMerge: [p.yaml]\n",
            "typed/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n",
            "p.yaml": DEPLOY % "p",
        },
    )
    named = [str(tmp_path / "kustomization.yaml"), str(tmp_path / "typed/kustomization.yaml")]
    result = load_inputs(named)
    assert result.files == named
    assert skips(result) == [(name, "not a Kubernetes resource: kustomize Kustomization") for name in named]
    assert [n for _, n in names(load_inputs([str(tmp_path / "p.yaml")]))] == ["p"]


def test_a_broken_kustomization_lists_nothing_and_breaks_nothing(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a/kustomization.yaml": "patches: [unclosed\n",
            "a/p.yaml": DEPLOY % "a",
            "b/kustomization.yaml": "- just\n- a list\n",
            "b/p.yaml": DEPLOY % "b",
            "c/kustomization.yaml": "patches: [{path: /etc/passwd}, {path: ../../out.yaml}, {path: 3}, 7]\n",
            "c/p.yaml": DEPLOY % "c",
            "d/kustomization.yaml": b"\x00\x01\x02binary".decode("latin-1"),
            "d/p.yaml": DEPLOY % "d",
        },
    )
    result = load_inputs([str(tmp_path)])
    assert [n for _, n in names(result)] == ["a", "b", "c", "d"]
    assert skips(result)[:4] == [unrendered(tmp_path / folder) for folder in "abcd"]
    assert [reason for _, reason in skips(result)[4:]] == [KUSTOMIZATION_REASON] * 4


def test_in_an_archive_a_patch_before_its_kustomization_is_not_an_object(tmp_path: Path) -> None:
    archive = tmp_path / "config.tgz"
    members = [
        ("./config/default/manager_auth_proxy_patch.yaml", DEPLOY % "manager"),
        ("./config/manager/manager.yaml", DEPLOY % "manager"),
        (
            "./config/default/kustomization.yaml",
            "resources: [../manager]\npatchesStrategicMerge: [manager_auth_proxy_patch.yaml]\n",
        ),
        ("./config/default/other_patch.yaml", DEPLOY % "other"),
    ]
    with tarfile.open(archive, "w:gz") as tar:
        for name, text in members:
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    result = load_inputs([str(archive)])
    a = str(archive)
    assert names(result) == [
        (f"{a}:config/manager/manager.yaml", "manager"),
        (f"{a}:config/default/other_patch.yaml", "other"),
    ]
    assert skips(result) == [
        (
            f"{a}:config/default/manager_auth_proxy_patch.yaml",
            patch(f"{a}:config/default/kustomization.yaml"),
        ),
        (f"{a}:config/default/kustomization.yaml", KUSTOMIZATION_REASON),
    ]


def test_the_layout_says_the_roles() -> None:
    assert role_of("config/default/kustomization.yaml") == KUSTOMIZATION
    assert role_of("config/default/Kustomization") == KUSTOMIZATION
    assert role_of("config/default/kustomization.yaml.orig") is None
    assert role_of("config/default/my-kustomization.yaml") == MANIFEST
    value = {
        "patchesStrategicMerge": ["p.yaml", "./sub/../q.yaml"],
        "resources": ["r.yaml"],
        "crds": ["c.yaml"],
    }
    assert listed_by("config/default/kustomization.yaml", value) == {
        "config/default/p.yaml": Patch("config/default/kustomization.yaml"),
        "config/default/q.yaml": Patch("config/default/kustomization.yaml"),
    }
    assert listed_by("config/default/manager.yaml", value) == {}
    assert listed_by("kustomization.yaml", {"apiVersion": "kustomize.toolkit.fluxcd.io/v1"}) is None


@CORPUS_REQUIRED
def test_the_kubebuilder_reproduction_has_no_duplicate() -> None:
    folder = CORPUS / "realworld-2026-12" / "false-positive-repros" / "fp7-kubebuilder"
    result = load_inputs([str(folder)])
    assert sorted(o.data["kind"] for o in result.objects) == ["Deployment", "Service"]
    assert [reason for _, reason in skips(result)] == [
        unrendered(f"{folder}/default")[1],
        KUSTOMIZATION_REASON,
        patch(f"{folder}/default/kustomization.yaml"),
    ]
