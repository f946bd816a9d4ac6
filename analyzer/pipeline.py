"""The whole flow: load -> model -> graph -> rules -> report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from analyzer.config import Config, apply
from analyzer.graph import build_graph
from analyzer.load import load_inputs
from analyzer.model import build_snapshot
from analyzer.report import Report
from analyzer.rules import evaluate, load_catalog


def run(
    paths: Sequence[str],
    stdin: BinaryIO | None = None,
    rule_dirs: Sequence[Path] = (),
    namespace: str = "default",
    builtin_rules: bool = True,
    config: Config | None = None,
) -> Report:
    config = config or Config()
    # First: a bad rule file or configuration stops the run before any input is read.
    rules = apply(config, load_catalog(rule_dirs, builtin=builtin_rules))
    loaded = load_inputs(paths, stdin)
    snapshot = build_snapshot(loaded, default_namespace=namespace)
    graph = build_graph(snapshot)
    result = evaluate(rules, graph)
    kept = [f for f in result.findings if not config.is_ignored(f)]
    suppressed = result.suppressed + len(result.findings) - len(kept)
    templates = {(o.location.file, o.location.line): o.helm_source for o in snapshot.objects if o.helm_source}
    return Report(
        files=len(loaded.files),
        documents=loaded.documents,
        objects=len(snapshot.objects),
        skipped=loaded.skipped,
        findings=kept,
        suppressed=suppressed,
        coverage=result.coverage,
        templates=templates,
    )


def nothing_readable(report: Report) -> bool:
    """No object at all, and either no file or something that failed: exit code 2."""
    return report.objects == 0 and (report.files == 0 or bool(report.skipped))
