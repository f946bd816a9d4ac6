"""Render a Helm chart folder (``helm template``) or a kustomize folder (``kustomize build``,
else ``kubectl kustomize``) with the binary found on PATH, offline, and hand back what it wrote.

Never a network access: no ``helm dependency update``, no repository; the child runs with a
clean environment (PATH kept; HOME, Helm's cache, configuration and data folders and
KUBECONFIG in a fresh temporary folder; every proxy variable pointing at a closed local port;
git limited to local protocols), so a remote kustomize base fails, and its first error line is
the reason. A missing binary, a failure or a run past the timeout is a :class:`NotRendered`
with its reason, never an exception::

    render_chart("charts/web", RenderSettings(namespace="shop"))
    -> Rendered("helm template", b"---\\n# Source: web/templates/svc.yaml\\n...")
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass

KLOG_PREFIX = re.compile(r"^[EFI]\d{4} [\d:.]+ \d+ [^\]]+\] ")
WARNING = re.compile(r"^(# )?(warning|W\d{4} )", re.I)
MAX_REASON = 300
CLOSED_PORT_PROXY = "http://127.0.0.1:9"
"""A proxy nobody listens at: whatever a renderer tries to fetch fails at once."""


@dataclass(frozen=True, slots=True)
class RenderSettings:
    """How chart and kustomize folders are rendered."""

    namespace: str = "default"
    """``helm template --namespace``: the release's namespace."""
    release: str | None = None
    """The release name; None: the chart folder's name."""
    values: tuple[str, ...] = ()
    """Values files given to ``helm template`` after the chart's defaults, in order."""
    timeout: float = 60.0
    """Seconds a renderer may run."""


@dataclass(frozen=True, slots=True)
class Rendered:
    """What a renderer wrote on its standard output; ``how``: ``helm template``..."""

    how: str
    output: bytes


@dataclass(frozen=True, slots=True)
class NotRendered:
    """Why a folder was not rendered (no binary: ``missing`` is True)."""

    reason: str
    missing: bool = False


def render_chart(folder: str, settings: RenderSettings) -> Rendered | NotRendered:
    """``helm template <release> <folder>`` with the chart's default values and ``settings.values``."""
    helm = shutil.which("helm")
    if helm is None:
        return NotRendered("helm is not on PATH", missing=True)
    release = settings.release or _release_name(folder)
    argv = [helm, "template", release, os.path.abspath(folder), "--include-crds"]
    argv += ["--namespace", settings.namespace]
    for values in settings.values:
        argv += ["--values", os.path.abspath(values)]
    return _run("helm template", argv, settings.timeout)


def kustomize_available() -> bool:
    """Whether ``kustomize`` or ``kubectl`` is on PATH."""
    return shutil.which("kustomize") is not None or shutil.which("kubectl") is not None


def render_kustomization(folder: str, settings: RenderSettings) -> Rendered | NotRendered:
    """``kustomize build <folder>``, else ``kubectl kustomize <folder>``."""
    kustomize = shutil.which("kustomize")
    if kustomize is not None:
        return _run("kustomize build", [kustomize, "build", os.path.abspath(folder)], settings.timeout)
    kubectl = shutil.which("kubectl")
    if kubectl is not None:
        return _run("kubectl kustomize", [kubectl, "kustomize", os.path.abspath(folder)], settings.timeout)
    return NotRendered("neither kustomize nor kubectl is on PATH", missing=True)


def _release_name(folder: str) -> str:
    """A valid release name from the folder's name: ``charts/My_Web`` -> ``my-web``."""
    name = os.path.basename(os.path.abspath(folder)).lower()
    cleaned = "".join(c if c.isalnum() else "-" for c in name).strip("-")[:53]
    return cleaned or "release"


def _run(how: str, argv: list[str], timeout: float) -> Rendered | NotRendered:
    with tempfile.TemporaryDirectory(prefix="kubesnap-render-") as home:
        try:
            process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=_environment(home),
                cwd=home,
                start_new_session=True,  # its children are stopped with it at the timeout
            )
        except OSError as exc:
            return NotRendered(f"{how} could not start: {exc.strerror or exc}")
        with process:
            try:
                out, err = process.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                _stop(process)
                return NotRendered(f"{how} did not finish within {timeout:g} s")
    if process.returncode != 0:
        return NotRendered(f"{how} failed: {_first_line(err) or f'exit code {process.returncode}'}")
    return Rendered(how, out)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Kill the renderer's process group, then collect it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        process.kill()
    process.communicate()


def _environment(home: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": home,
        "KUBECONFIG": os.path.join(home, "kubeconfig"),
        "HELM_CACHE_HOME": os.path.join(home, "cache"),
        "HELM_CONFIG_HOME": os.path.join(home, "config"),
        "HELM_DATA_HOME": os.path.join(home, "data"),
        "GIT_ALLOW_PROTOCOL": "file",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_CONFIG_NOSYSTEM": "1",
        "NO_PROXY": "",
        "no_proxy": "",
        "LANG": "C.UTF-8",
    }
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        env[name] = CLOSED_PORT_PROXY
    return env


def _first_line(err: bytes) -> str:
    """The first line of an error output that is no warning, without klog's prefix."""
    lines = [" ".join(line.split()) for line in err.decode("utf-8", "replace").splitlines()]
    lines = [KLOG_PREFIX.sub("", line) for line in lines if line and not WARNING.match(line)]
    if len(lines) > 1 and lines[0].endswith("=<"):  # klog's multi-line value: its first line
        lines[0] = lines[0][:-1] + lines[1]
    return lines[0][:MAX_REASON] if lines else ""
