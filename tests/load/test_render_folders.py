"""Chart and kustomize folders: rendered by the helm, kustomize or kubectl found on PATH (here
stub executables that print a known render, fail or hang), or skipped (a chart) or read raw (a
kustomization) with one reason that says how to pipe a render in. The real binaries are never
used: PATH holds only the stubs' folder."""

from __future__ import annotations

import io
import os
import stat
import tarfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.cli import cli
from analyzer.load import LoadResult, load_inputs
from analyzer.load.render import RenderSettings
from analyzer.load.sources import Limits

DEPLOY = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: %s}\nspec:\n"
    "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
    "    spec: {containers: [{name: web, image: nginx:1.27}]}\n"
)
SERVICE = (
    "apiVersion: v1\nkind: Service\nmetadata: {name: %s}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n"
)
CHART = {
    "Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\n",
    "Chart.lock": "dependencies: []\n",
    "values.yaml": "replicas: 2\nimage: nginx\n",
    "templates/service.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n"
    'spec:\n  selector:\n    {{- include "web.labels" . | nindent 4 }}\n',
    "templates/_helpers.tpl": '{{- define "web.labels" -}}\napp: web\n{{- end }}\n',
    "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
    "charts/sub/templates/cm.yaml": "kind: ConfigMap\nmetadata: {name: {{ .Release.Name }}-sub}\n",
}
HELM_RENDER = (
    "---\n# Source: web/templates/service.yaml\n"
    + SERVICE % "web"
    + "---\n# Source: web/templates/deployment.yaml\n"
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
    "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
    "    spec: {containers: [{name: web, image: nginx:1.27}]}\n"
    "---\n# Source: web/templates/secret.yaml\napiVersion: v1\nkind: Secret\nmetadata: {name: web}\n"
    "stringData: {password: hunter2}\n"
)
KUSTOMIZE_TREE = {
    "base/kustomization.yaml": "resources: [deployment.yaml, ../shared/service.yaml]\n",
    "base/deployment.yaml": DEPLOY % "web",
    "shared/service.yaml": SERVICE % "web",
    "overlays/prod/kustomization.yaml": "resources: [../../base]\nnamePrefix: prod-\n"
    "commonLabels: {env: prod}\npatches: [{path: replicas.yaml}]\n",
    "overlays/prod/replicas.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
    "spec: {replicas: 3}\n",
}
KUSTOMIZE_RENDER = (
    "apiVersion: v1\nkind: Service\nmetadata:\n  labels: {env: prod}\n  name: prod-web\n"
    "spec: {selector: {app: web, env: prod}, ports: [{port: 80}]}\n---\n"
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels: {env: prod}\n  name: prod-web\nspec:\n"
    "  replicas: 3\n  selector: {matchLabels: {app: web, env: prod}}\n  template:\n"
    "    metadata: {labels: {app: web, env: prod}}\n"
    "    spec: {containers: [{name: web, image: nginx:1.27}]}\n"
)


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder that is the whole PATH: no helm, kustomize or kubectl unless a test writes one."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    return folder


def stub(bin_dir: Path, name: str, out: str = "", err: str = "", code: int = 0, hang: bool = False) -> Path:
    """An executable ``name`` that records its arguments and environment, prints ``out`` and
    ``err`` and exits with ``code`` (or sleeps, with a child, when ``hang``)."""
    calls = bin_dir / f"{name}.calls"
    (bin_dir / f"{name}.out").write_text(out)
    (bin_dir / f"{name}.err").write_text(err)
    script = (
        "#!/bin/sh\n"
        f'for a in "$@"; do printf "%s\\n" "$a"; done >> "{calls}"\n'
        f'printf "HOME=%s PROXY=%s KUBECONFIG=%s\\n" "$HOME" "$HTTPS_PROXY" "$KUBECONFIG" > "{calls}.env"\n'
        + ("/bin/sleep 30\n" if hang else "")
        + f'while IFS= read -r line; do printf "%s\\n" "$line"; done < "{bin_dir / (name + ".out")}"\n'
        + f'while IFS= read -r line; do printf "%s\\n" "$line" >&2; done < "{bin_dir / (name + ".err")}"\n'
        + f"exit {code}\n"
    )
    path = bin_dir / name
    path.write_text(script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return calls


def calls(calls_file: Path) -> list[str]:
    return calls_file.read_text().splitlines() if calls_file.exists() else []


def objects(result: LoadResult) -> list[tuple[str, str, str, str | None]]:
    return [
        (o.location.file, o.data["kind"], o.data["metadata"]["name"], o.helm_source) for o in result.objects
    ]


def skips(result: LoadResult) -> list[tuple[str, str]]:
    return [(s.file, s.reason) for s in result.skipped]


def chart_reason(display: str) -> str:
    name = display.rstrip("/").rpartition("/")[2]
    return (
        "Helm chart source (Chart.yaml): templates are not manifests; install helm, "
        f"or pipe a render in: helm template {name} {display} | kubesnap check -"
    )


def unrendered(display: str, why: str) -> str:
    return (
        f"kustomize folder read unrendered ({why}): its name prefixes, labels and patches are not applied; "
        f"to render it: kubectl kustomize {display} | kubesnap check -"
    )


# Helm charts


def test_a_chart_folder_is_rendered_by_helm_with_template_provenance(tmp_path: Path, bin_dir: Path) -> None:
    write(tmp_path / "web", CHART)
    helm = stub(bin_dir, "helm", out=HELM_RENDER)
    result = load_inputs([str(tmp_path / "web")])
    shown = f"{tmp_path}/web (helm template)"
    assert objects(result) == [
        (shown, "Service", "web", "web/templates/service.yaml"),
        (shown, "Deployment", "web", "web/templates/deployment.yaml"),
        (shown, "Secret", "web", "web/templates/secret.yaml"),
    ]
    assert result.skipped == []
    assert result.files == [shown]
    assert result.objects[2].data["stringData"] == {"password": "<redacted>"}
    # the top-most chart only (its subchart is part of it), offline, the release named for the folder
    assert calls(helm) == [
        "template",
        "web",
        str(tmp_path / "web"),
        "--include-crds",
        "--namespace",
        "default",
    ]
    env = (bin_dir / "helm.calls.env").read_text()
    assert "PROXY=http://127.0.0.1:9" in env
    assert f"HOME={os.environ.get('HOME')} " not in env


def test_render_settings_name_the_release_namespace_and_values_files(tmp_path: Path, bin_dir: Path) -> None:
    write(tmp_path / "web", CHART)
    write(tmp_path, {"prod.yaml": "replicas: 5\n"})
    helm = stub(bin_dir, "helm", out=HELM_RENDER)
    settings = RenderSettings(namespace="shop", release="front", values=(str(tmp_path / "prod.yaml"),))
    limits = Limits(2**20, 2**20, 100, render=settings)
    load_inputs([str(tmp_path / "web")], limits=limits)
    assert calls(helm) == [
        "template",
        "front",
        str(tmp_path / "web"),
        "--include-crds",
        "--namespace",
        "shop",
        "--values",
        str(tmp_path / "prod.yaml"),
    ]


def test_without_helm_a_chart_folder_is_one_skipped_entry_and_no_template_is_parsed(
    tmp_path: Path, bin_dir: Path
) -> None:
    write(tmp_path / "web", CHART)
    result = load_inputs([str(tmp_path / "web")])
    assert result.objects == []
    assert skips(result) == [(f"{tmp_path}/web", chart_reason(f"{tmp_path}/web"))]


def test_a_failing_helm_gives_its_first_error_line(tmp_path: Path, bin_dir: Path) -> None:
    write(tmp_path / "web", CHART)
    stub(
        bin_dir,
        "helm",
        err="walk.go:75: found symbolic link in path\nError: found in Chart.yaml, but missing in charts/ "
        "directory: postgresql\nmore\n",
        code=1,
    )
    result = load_inputs([str(tmp_path / "web")])
    assert result.objects == []
    assert skips(result) == [
        (
            f"{tmp_path}/web",
            "Helm chart not rendered: helm template failed: walk.go:75: found symbolic link in path",
        )
    ]


def test_a_failing_helm_without_a_message_gives_its_exit_code(tmp_path: Path, bin_dir: Path) -> None:
    write(tmp_path / "web", CHART)
    stub(bin_dir, "helm", err="WARNING: kubeVersion ignored\n", code=3)
    result = load_inputs([str(tmp_path / "web")])
    assert skips(result) == [
        (f"{tmp_path}/web", "Helm chart not rendered: helm template failed: exit code 3")
    ]


def test_a_hanging_helm_is_stopped_at_the_timeout(tmp_path: Path, bin_dir: Path) -> None:
    write(tmp_path / "web", CHART)
    stub(bin_dir, "helm", out=HELM_RENDER, hang=True)
    limits = Limits(2**20, 2**20, 100, render=RenderSettings(timeout=0.5))
    started = time.monotonic()
    result = load_inputs([str(tmp_path / "web")], limits=limits)
    assert time.monotonic() - started < 10  # its sleeping child was stopped too
    assert result.objects == []
    assert skips(result) == [
        (f"{tmp_path}/web", "Helm chart not rendered: helm template did not finish within 0.5 s")
    ]


def test_a_chart_inside_a_repository_is_rendered_beside_the_other_manifests(
    tmp_path: Path, bin_dir: Path
) -> None:
    repo = tmp_path / "repo"
    write(repo / "charts/web", CHART)
    write(repo, {"app/service.yaml": SERVICE % "api", "z.yaml": DEPLOY % "z"})
    helm = stub(bin_dir, "helm", out=HELM_RENDER)
    result = load_inputs([str(repo)])
    shown = f"{repo}/charts/web (helm template)"
    assert objects(result) == [
        (shown, "Service", "web", "web/templates/service.yaml"),
        (shown, "Deployment", "web", "web/templates/deployment.yaml"),
        (shown, "Secret", "web", "web/templates/secret.yaml"),
        (f"{repo}/app/service.yaml", "Service", "api", None),
        (f"{repo}/z.yaml", "Deployment", "z", None),
    ]
    assert result.skipped == []
    assert calls(helm)[:3] == ["template", "web", str(repo / "charts/web")]  # once, not its subchart
    (bin_dir / "helm").unlink()
    result = load_inputs([str(repo)])
    assert [name for _, _, name, _ in objects(result)] == ["api", "z"]
    assert skips(result) == [(f"{repo}/charts/web", chart_reason(f"{repo}/charts/web"))]


def test_chart_files_named_on_their_own(tmp_path: Path, bin_dir: Path) -> None:
    write(tmp_path / "web", CHART)
    web = tmp_path / "web"
    inside = f"inside the Helm chart {web}: name the chart folder or pipe a render in"
    result = load_inputs([str(web / "templates/service.yaml"), str(web / "templates"), str(web / "charts")])
    assert result.objects == []
    assert skips(result) == [
        (str(web / "templates/service.yaml"), inside),
        (str(web / "templates"), inside),
        (str(web / "charts"), inside),
    ]
    result = load_inputs([str(web / "values.yaml"), str(web / "Chart.yaml")])
    assert skips(result) == [
        (
            str(web / "values.yaml"),
            "not a Kubernetes object: no kind (Helm chart values file: not an object)",
        ),
        (str(web / "Chart.yaml"), "not a Kubernetes object: no kind (Helm chart metadata: not an object)"),
    ]
    # a subchart named is a chart of its own
    result = load_inputs([str(web / "charts/sub")])
    assert skips(result) == [(str(web / "charts/sub"), chart_reason(str(web / "charts/sub")))]


def test_the_command_shows_the_template_of_a_rendered_chart(tmp_path: Path, bin_dir: Path) -> None:
    write(tmp_path / "web", CHART)
    stub(bin_dir, "helm", out=HELM_RENDER.replace("{app: web}, ports", "{app: webb}, ports"))
    out = CliRunner().invoke(cli, ["check", str(tmp_path / "web"), "--fail-on", "never"]).output
    assert f"{tmp_path}/web (helm template):3  Service/default/web  [service-selector-matches-nothing]" in out
    assert "rendered from: web/templates/service.yaml" in out
    assert "hunter2" not in out


def test_the_commands_namespace_is_the_charts_release_namespace(tmp_path: Path, bin_dir: Path) -> None:
    write(tmp_path / "web", CHART)
    recorded = stub(bin_dir, "helm", out=HELM_RENDER)
    CliRunner().invoke(cli, ["check", str(tmp_path / "web"), "--namespace", "shop", "--fail-on", "never"])
    args = calls(recorded)
    assert args[args.index("--namespace") + 1] == "shop"


def test_the_configuration_names_the_release_and_its_values_files(tmp_path: Path, bin_dir: Path) -> None:
    write(tmp_path / "web", CHART)
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "values-prod.yaml").write_text("replicas: 3\n")
    config = tmp_path / ".kubesnap.yaml"
    config.write_text("helm: {release: shop-web, values: [deploy/values-prod.yaml]}\n")
    recorded = stub(bin_dir, "helm", out=HELM_RENDER)
    CliRunner().invoke(cli, ["check", str(tmp_path / "web"), "--config", str(config), "--fail-on", "never"])
    args = calls(recorded)
    assert args[args.index("template") + 1] == "shop-web"
    assert args[args.index("--values") + 1] == str(tmp_path / "deploy" / "values-prod.yaml")


# kustomize


def test_a_kustomize_overlay_is_built_once_and_its_bases_are_not_read_raw(
    tmp_path: Path, bin_dir: Path
) -> None:
    write(tmp_path, KUSTOMIZE_TREE)
    kustomize = stub(bin_dir, "kustomize", out=KUSTOMIZE_RENDER)
    kubectl = stub(bin_dir, "kubectl", code=1)
    result = load_inputs([str(tmp_path)])
    shown = f"{tmp_path}/overlays/prod (kustomize build)"
    assert objects(result) == [(shown, "Service", "prod-web", None), (shown, "Deployment", "prod-web", None)]
    assert result.skipped == []
    assert calls(kustomize) == ["build", str(tmp_path / "overlays/prod")]
    assert calls(kubectl) == []


def test_only_kubectl_builds_with_kubectl_kustomize(tmp_path: Path, bin_dir: Path) -> None:
    write(tmp_path, KUSTOMIZE_TREE)
    kubectl = stub(bin_dir, "kubectl", out=KUSTOMIZE_RENDER)
    result = load_inputs([str(tmp_path / "overlays/prod")])
    shown = f"{tmp_path}/overlays/prod (kubectl kustomize)"
    assert objects(result) == [(shown, "Service", "prod-web", None), (shown, "Deployment", "prod-web", None)]
    assert calls(kubectl) == ["kustomize", str(tmp_path / "overlays/prod")]


def test_without_a_renderer_kustomize_folders_are_read_raw_and_said_so(tmp_path: Path, bin_dir: Path) -> None:
    write(tmp_path, KUSTOMIZE_TREE)
    result = load_inputs([str(tmp_path)])
    assert [(name, file.removeprefix(f"{tmp_path}/")) for file, _, name, _ in objects(result)] == [
        ("web", "base/deployment.yaml"),
        ("web", "shared/service.yaml"),
    ]
    assert skips(result) == [
        (
            f"{tmp_path}/overlays/prod",
            unrendered(f"{tmp_path}/overlays/prod", "no kustomize or kubectl on PATH"),
        ),
        (
            f"{tmp_path}/base/kustomization.yaml",
            "not a Kubernetes resource: kustomize Kustomization (kustomize builds objects from it)",
        ),
        (
            f"{tmp_path}/overlays/prod/kustomization.yaml",
            "not a Kubernetes resource: kustomize Kustomization (kustomize builds objects from it)",
        ),
        (
            f"{tmp_path}/overlays/prod/replicas.yaml",
            f"kustomize patch (listed by {tmp_path}/overlays/prod/kustomization.yaml): not an object",
        ),
    ]


def test_a_failing_build_reads_the_folder_raw_with_its_reason(tmp_path: Path, bin_dir: Path) -> None:
    """A remote base needs the network: the build fails, and the folder is read as before."""
    write(tmp_path, {"kustomization.yaml": "resources: [https://github.com/example/base?ref=v1, d.yaml]\n"})
    write(tmp_path, {"d.yaml": DEPLOY % "d"})
    stub(
        bin_dir,
        "kustomize",
        err="# Warning: 'commonLabels' is deprecated.\nError: accumulating resources: "
        "dial tcp 127.0.0.1:9: connect: connection refused\n",
        code=1,
    )
    result = load_inputs([str(tmp_path)])
    assert [name for _, _, name, _ in objects(result)] == ["d"]
    why = "kustomize build failed: Error: accumulating resources: dial tcp 127.0.0.1:9: connect: connection "
    why += "refused"
    assert skips(result)[0] == (str(tmp_path), unrendered(str(tmp_path), why))


def test_sibling_kustomizations_are_each_built_and_a_nested_unlisted_one_too(
    tmp_path: Path, bin_dir: Path
) -> None:
    write(
        tmp_path,
        {
            "base/kustomization.yaml": "resources: [d.yaml]\n",
            "base/d.yaml": DEPLOY % "web",
            "dev/kustomization.yaml": "resources: [../base]\n",
            "prod/kustomization.yaml": "resources: [../base]\n",
            "prod/extra/kustomization.yaml": "resources: [cm.yaml]\n",
            "prod/extra/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\n",
        },
    )
    kustomize = stub(bin_dir, "kustomize", out=DEPLOY % "built")
    result = load_inputs([str(tmp_path)])
    assert [file.removeprefix(f"{tmp_path}/") for file, _, _, _ in objects(result)] == [
        "dev (kustomize build)",
        "prod (kustomize build)",
        "prod/extra (kustomize build)",
    ]
    assert result.skipped == []
    assert [line for line in calls(kustomize) if line != "build"] == [
        str(tmp_path / "dev"),
        str(tmp_path / "prod"),
        str(tmp_path / "prod/extra"),
    ]


def test_a_flux_kustomization_is_no_kustomize_folder(tmp_path: Path, bin_dir: Path) -> None:
    flux = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"
    flux += "metadata: {name: apps, namespace: flux}\n"
    write(tmp_path, {"kustomization.yaml": flux})
    kustomize = stub(bin_dir, "kustomize", out=DEPLOY % "never")
    result = load_inputs([str(tmp_path)])
    assert [name for _, _, name, _ in objects(result)] == ["apps"]
    assert calls(kustomize) == []


def test_a_file_no_built_kustomization_lists_is_read_as_usual(tmp_path: Path, bin_dir: Path) -> None:
    """As unrendered: a file no kustomization lists is a resource of its own (kustomize never
    reads it, and neither do the renders)."""
    write(
        tmp_path,
        {**KUSTOMIZE_TREE, "overlays/prod/unlisted.yaml": SERVICE % "unlisted", "z.yaml": DEPLOY % "z"},
    )
    stub(bin_dir, "kustomize", out=KUSTOMIZE_RENDER)
    result = load_inputs([str(tmp_path)])
    assert [(file.removeprefix(f"{tmp_path}/"), name) for file, _, name, _ in objects(result)] == [
        ("overlays/prod (kustomize build)", "prod-web"),
        ("overlays/prod (kustomize build)", "prod-web"),
        ("overlays/prod/unlisted.yaml", "unlisted"),
        ("z.yaml", "z"),
    ]
    assert result.skipped == []


def test_a_chart_in_an_archive_is_one_skipped_entry(tmp_path: Path, bin_dir: Path) -> None:
    archive = tmp_path / "repo.tgz"
    members = {f"./repo/charts/web/{name}": text for name, text in CHART.items()}
    members["./repo/app.yaml"] = SERVICE % "api"
    with tarfile.open(archive, "w:gz") as tar:
        for name, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    helm = stub(bin_dir, "helm", out=HELM_RENDER)
    result = load_inputs([str(archive)])
    assert objects(result) == [(f"{archive}:repo/app.yaml", "Service", "api", None)]
    assert skips(result) == [
        (
            f"{archive}:repo/charts/web",
            "Helm chart source (Chart.yaml) in an archive: not rendered; extract it, or pipe a render in",
        )
    ]
    assert calls(helm) == []
