"""The whole flow: load -> model -> graph -> rules -> report."""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from analyzer.config import Config, apply
from analyzer.graph import build_graph
from analyzer.load import load_inputs
from analyzer.load.sources import Limits
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
    timings: dict[str, float] | None = None,
    keep: list[object] | None = None,
    limits: Limits | None = None,
) -> Report:
    """Analyse ``paths``; ``timings``, when given, receives the seconds of each phase (rules,
    load, model, graph, evaluate). ``keep``, when given, receives the loaded objects, the
    snapshot and the graph: a command about to end keeps them rather than spend seconds freeing
    a large dump object by object."""
    clock = _Clock(timings)
    config = config or Config()
    # First: a bad rule file or configuration stops the run before any input is read.
    rules = apply(config, load_catalog(rule_dirs, builtin=builtin_rules), config.source)
    clock.lap("catalog")
    with without_cyclic_gc():
        loaded = load_inputs(paths, stdin, limits=limits)
        clock.lap("load")
        snapshot = build_snapshot(loaded, default_namespace=namespace)
        clock.lap("model")
        graph = build_graph(snapshot)
        clock.lap("graph")
        result = evaluate(rules, graph)
        clock.lap("rules")
    if keep is not None:
        keep.extend((loaded, snapshot, graph))
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


class _Clock:
    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, phase: str) -> None:
        if self.timings is not None:
            now = time.perf_counter()
            self.timings[phase] = now - self.last
            self.last = now


@contextlib.contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """The cyclic garbage collector paused: a dump is millions of containers that all live to
    the end, and each full collection walks them all again (json.loads of a 300 MB dump: 5.2 s
    with it, 1.2 s without). Reference counting still frees what is dropped."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def nothing_readable(report: Report) -> bool:
    """No object at all, and either no file or something that failed: exit code 2."""
    return report.objects == 0 and (report.files == 0 or bool(report.skipped))
