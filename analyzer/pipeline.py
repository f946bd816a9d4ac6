"""The whole flow: load -> model -> graph -> rules -> findings -> report.

A library: it returns what it built and leaves the process alone (the collector, what is kept
alive and how the process ends are :mod:`analyzer.commands.process`'s business).
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from analyzer.config import Config, apply
from analyzer.errors import KubesnapError
from analyzer.findings import Finding, finish, suppress
from analyzer.findings.health import health
from analyzer.graph import SnapshotGraph, build_graph
from analyzer.load import LoadResult, Location, Progress, load_inputs
from analyzer.load.sources import Limits
from analyzer.model import Snapshot, build_snapshot
from analyzer.overlay import overlay, split
from analyzer.report import Report, RuleInfo
from analyzer.report.model import Against, ReleaseInfo
from analyzer.rules import Evaluation, Rule, evaluate, load_catalog


@dataclass(slots=True)
class Analysis:
    """One run: the report, and everything it was made from (the graph a future ``explain`` or
    ``graph`` command walks, the configured rules)."""

    report: Report
    rules: list[Rule]
    loaded: LoadResult
    snapshot: Snapshot
    graph: SnapshotGraph
    evaluation: Evaluation


def analyse(
    paths: Sequence[str],
    stdin: BinaryIO | None = None,
    rule_dirs: Sequence[Path] = (),
    namespace: str = "default",
    builtin_rules: bool = True,
    config: Config | None = None,
    timings: dict[str, float] | None = None,
    limits: Limits | None = None,
    against: Sequence[str] = (),
    baseline: Counter[str] | None = None,
    progress: Progress | None = None,
) -> Analysis:
    """Analyse ``paths``; ``timings``, when given, receives the seconds of each phase (catalog,
    load, model, graph, rules, findings: suppression, order, root causes, health).
    ``baseline`` (:func:`analyzer.findings.baseline.read`) hides the findings it lists;
    ``progress`` is told of each file read (:data:`analyzer.load.Progress`).

    With ``against`` (the paths of a live dump), ``paths`` is a change laid over that dump and
    the report keeps the findings the change introduces or touches (:func:`_against`)."""
    clock = _Clock(timings)
    config = config or Config()
    # First: a bad rule file or configuration stops the run before any input is read.
    rules = apply(config, load_catalog(rule_dirs, builtin=builtin_rules), config.source)
    clock.lap("catalog")
    # Charts are rendered into the namespace the run puts namespace-less objects in.
    limits = limits or Limits.default()
    render = dataclasses.replace(
        limits.render, namespace=namespace, release=config.helm.release, values=config.values_files()
    )
    limits = dataclasses.replace(limits, render=render)
    loaded = load_inputs(paths, stdin, limits=limits, progress=progress)
    clock.lap("load")
    if against:
        return _against(against, loaded, rules, config, namespace, limits, baseline, progress)
    snapshot = build_snapshot(loaded, default_namespace=namespace)
    clock.lap("model")
    graph = build_graph(snapshot)
    clock.lap("graph")
    result = evaluate(rules, graph)
    clock.lap("rules")
    report = _report(config, rules, loaded, graph, result, baseline)
    clock.lap("findings")
    return Analysis(report, rules, loaded, snapshot, graph, result)


def _against(
    dump: Sequence[str],
    change: LoadResult,
    rules: list[Rule],
    config: Config,
    namespace: str,
    limits: Limits | None,
    baseline: Counter[str] | None,
    progress: Progress | None,
) -> Analysis:
    """The change laid over the dump (:mod:`analyzer.overlay`): the rules run on the dump alone
    and on the merged snapshot; the report keeps what the change introduces or touches."""
    if not change.objects and (not change.files or change.skipped):
        raise KubesnapError("the change holds no readable Kubernetes object")
    live = load_inputs(dump, None, limits=limits, progress=progress)
    if not live.objects:
        raise KubesnapError(f"--against {' '.join(dump)}: no readable Kubernetes object in the dump")
    live_snapshot = build_snapshot(live, default_namespace=namespace)
    before = evaluate(rules, build_graph(live_snapshot)).findings
    merged = overlay(change, live, live_snapshot, namespace)
    snapshot = build_snapshot(merged.loaded, default_namespace=namespace)
    graph = build_graph(snapshot)
    result = evaluate(rules, graph)
    observed = frozenset(r.spec.id for r in rules if r.spec.category == "observed-state")
    kept, pre_existing = split(result.findings, before, merged.changed, merged.replaced, observed)
    report = _report(config, rules, merged.loaded, graph, Evaluation(kept, result.coverage), baseline)
    report.health = None  # the health of a dump is not what a change is checked for
    report.against = Against(
        dump=live.files,
        pre_existing=len(suppress(pre_existing, graph, config.ignore)),
        changed=len(merged.changed),
        replaced=len(merged.replaced),
        superseded=merged.superseded,
    )
    return Analysis(report, rules, merged.loaded, snapshot, graph, result)


def _report(
    config: Config,
    rules: list[Rule],
    loaded: LoadResult,
    graph: SnapshotGraph,
    result: Evaluation,
    baseline: Counter[str] | None = None,
) -> Report:
    done = finish(result.findings, graph, config.ignore, baseline)
    kept = done.kept
    snapshot = graph.snapshot
    templates = {(o.location.file, o.location.line): o.helm_source for o in snapshot.objects if o.helm_source}
    return Report(
        files=len(loaded.files),
        documents=loaded.documents,
        objects=len(snapshot.objects),
        skipped=loaded.skipped,
        findings=[_with_template(f, templates) for f in kept] if templates else kept,
        suppressed=done.suppressed,
        suppressions=done.suppressions,
        baselined=done.baselined,
        coverage=result.coverage,
        root_causes=done.root_causes,
        health=health(graph),
        releases=[ReleaseInfo.of(r, graph.release_history(r.namespace, r.name)) for r in graph.releases()],
        # As evaluate() does: a deprecated rule is loaded (its id stays known) but never runs.
        rules=sorted((RuleInfo.of(r) for r in rules if r.spec.status != "deprecated"), key=lambda r: r.id),
    )


def _with_template(finding: Finding, templates: dict[tuple[str, int | None], str]) -> Finding:
    """The finding with the Helm template of its object (found by the object's file and line)."""
    loc = finding.location
    template = templates.get((loc.file, loc.line)) if loc else None
    return dataclasses.replace(finding, template=Location(template)) if template else finding


class _Clock:
    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, phase: str) -> None:
        if self.timings is not None:
            now = time.perf_counter()
            self.timings[phase] = now - self.last
            self.last = now
