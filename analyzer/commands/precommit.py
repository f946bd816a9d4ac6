"""``kubesnap pre-commit FILE...``: the git pre-commit hook (``.pre-commit-hooks.yaml``).

pre-commit passes the staged files, but relations cross files: a Service in one file selects
the pods of a Deployment in another. So the hook reads its whole context (``--context``, else
the configuration's ``precommit.context``, else the tracked YAML and JSON files), and reports
only what concerns the commit (:func:`analyzer.pipeline.analyse_commit`): findings on objects
of the staged files, and findings the commit introduces elsewhere (compared with the staged
files as ``HEAD`` holds them). Files that hold no Kubernetes object pass without a word.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import click

from analyzer.commands import options, process
from analyzer.commands.git import at_head, tracked_manifests
from analyzer.commands.output import colored, render, write
from analyzer.config import load_config
from analyzer.findings.summary import fails
from analyzer.load.layouts.chart import CHART_FILE


@click.command("pre-commit")
@click.argument("files", nargs=-1)
@click.option(
    "--context",
    "context",
    multiple=True,
    metavar="PATH",
    help="A file or folder the staged files may relate to, read whole (repeatable; default: the "
    "configuration's precommit.context, else the YAML and JSON files git tracks).",
)
@options.format_option
@options.fail_on_option
@options.namespace_option
@options.rule_dirs_option()
@options.color_option
@options.config_option
@options.selection_options
@options.strict_option
def pre_commit(
    files: tuple[str, ...],
    context: tuple[str, ...],
    fmt: str,
    fail_on: str,
    namespace: str,
    rule_dirs: tuple[Path, ...],
    color: bool | None,
    config_file: Path | None,
    profile: str | None,
    kube_version: str | None,
    strict: bool,
) -> int:
    """Check the staged FILES in their context; report what concerns them (the pre-commit hook).

    Reported: findings on the objects of FILES (every object a staged chart renders), and
    findings the commit introduces on other objects (absent when FILES read as HEAD holds
    them). Says nothing, and exits 0, when nothing is to be reported."""
    from analyzer import pipeline  # the whole analysis: not for a run with no file

    if not files:
        return 0
    config = options.configured(load_config(config_file), profile, kube_version, strict)
    staged = sorted({_unit(f) for f in files})
    paths = [_normal(p) for p in context or config.precommit_context()] or _tracked()
    paths += [s for s in staged if not any(_within(s, p) for p in paths)]
    analysis = pipeline.analyse_commit(
        paths,
        staged,
        at_head([s for s in staged if os.path.isfile(s)]),
        rule_dirs=rule_dirs,
        namespace=namespace,
        config=config,
    )
    process.keep(analysis)
    report = analysis.report
    if report.findings or report.skipped:
        write(render(report, fmt, colored(color, None)), None, colored(color, None))
    return 1 if fails(report.findings, fail_on) else 0


def _normal(path: str) -> str:
    """``path`` as the loader names what it finds there: relative when below the current
    folder, without ``./`` or a trailing ``/``."""
    if os.path.isabs(path):
        relative = os.path.relpath(path)
        path = path if relative.startswith("..") else relative
    return os.path.normpath(path).replace(os.sep, "/")


def _within(path: str, folder: str) -> bool:
    return folder == "." or path == folder or path.startswith(f"{folder}/")


def _chart_of(path: str) -> str | None:
    """The outermost chart folder (holding ``Chart.yaml``) at or above the file ``path``, up to
    the current folder: a chart is read (rendered) whole."""
    chart = None
    folder = os.path.dirname(path)
    while folder and not folder.startswith(".."):
        if os.path.isfile(os.path.join(folder, CHART_FILE)):
            chart = folder
        folder = os.path.dirname(folder)
    return chart


def _unit(path: str) -> str:
    """What a staged file stands for: itself, or the chart it is part of."""
    path = _normal(path)
    return _chart_of(path) or path


def _tracked() -> list[str]:
    """The tracked YAML and JSON files that exist, a chart's files as their chart folder; names
    with a hidden part (``.github/``, ``.kubesnap.yaml``) left out, as a folder's reading does."""
    return _units(
        f
        for f in tracked_manifests()
        if not any(part.startswith(".") for part in f.split("/")) and os.path.isfile(f)
    )


def _units(files: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(_unit(f) for f in files))
