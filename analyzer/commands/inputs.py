"""What every analysing command (check, baseline create, explain, graph, diff) does with its
inputs: read PATHS (``-`` for standard input) with the run's configuration and limits, draw the
reading progress on a terminal, keep the analysis alive to the end of the process, and, where
the command has nothing to show without objects, stop with the one message for that."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from analyzer.commands import process
from analyzer.commands.progress import reading_progress
from analyzer.errors import KubesnapError
from analyzer.load.sources import Limits

if TYPE_CHECKING:
    from analyzer.config import Config
    from analyzer.pipeline import Analysis

NOTHING_READABLE = "no readable Kubernetes object in the input"


def analyse(
    paths: Sequence[str],
    *,
    namespace: str,
    limits: Limits,
    config: Config | None = None,
    config_file: Path | None = None,
    rule_dirs: Sequence[Path] = (),
    policies: Sequence[Path] = (),
    against: Sequence[str] = (),
    baseline: Counter[str] | None = None,
    objects_required: bool = True,
    profile: str | None = None,
    kube_version: str | None = None,
    strict: bool = False,
) -> Analysis:
    """The analysis of ``paths`` (with ``config``, else the one ``config_file`` or the lookup
    finds; ``profile``, ``kube_version`` and ``strict`` laid over it). With ``objects_required``, an input
    without any readable object is a usage error (exit 2); ``check`` writes its report first
    and decides itself."""
    from analyzer import pipeline
    from analyzer.commands.options import configured
    from analyzer.config import load_config

    with reading_progress() as progress:
        analysis = pipeline.analyse(
            paths,
            stdin=sys.stdin.buffer if "-" in paths else None,
            rule_dirs=rule_dirs,
            policies=policies,
            namespace=namespace,
            config=configured(
                config if config is not None else load_config(config_file), profile, kube_version, strict
            ),
            limits=limits,
            against=against,
            baseline=baseline,
            progress=progress,
        )
    process.keep(analysis)
    if objects_required and analysis.report.nothing_readable:
        raise KubesnapError(NOTHING_READABLE)
    return analysis
