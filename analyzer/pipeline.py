"""The whole flow: load -> model -> graph -> rules -> findings -> report.

A library: it returns what it built and leaves the process alone (the collector, what is kept
alive and how the process ends are :mod:`analyzer.commands.process`'s business).
"""

from __future__ import annotations

import dataclasses
import posixpath
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from analyzer.config import Config, apply
from analyzer.errors import KubesnapError
from analyzer.findings import Finding, finish, suppress
from analyzer.findings.field_lines import with_field_lines
from analyzer.findings.health import health
from analyzer.graph import SnapshotGraph, build_graph
from analyzer.load import LoadResult, Location, Progress, load_inputs, load_named
from analyzer.load.documents import NOT_A_RESOURCE, NOT_AN_OBJECT
from analyzer.load.sources import Limits
from analyzer.model import K8sObject, Snapshot, build_snapshot
from analyzer.overlay import overlay, split, touches
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
    policies: Sequence[Path] = (),
) -> Analysis:
    """Analyse ``paths``; ``timings``, when given, receives the seconds of each phase (catalog,
    load, model, graph, rules, findings: suppression, order, root causes, health).
    ``baseline`` (:func:`analyzer.findings.baseline.read`) hides the findings it lists;
    ``progress`` is told of each file read (:data:`analyzer.load.Progress`); the
    ValidatingAdmissionPolicies and bindings of ``policies`` are evaluated with those of ``paths``.

    With ``against`` (the paths of a live dump), ``paths`` is a change laid over that dump and
    the report keeps the findings the change introduces or touches (:func:`_against`)."""
    clock = _Clock(timings)
    config = config or Config()
    rules, limits = _setup(config, rule_dirs, builtin_rules, namespace, limits)
    admission = _policies(policies, limits)
    clock.lap("catalog")
    loaded = load_inputs(paths, stdin, limits=limits, progress=progress)
    clock.lap("load")
    if against:
        return _against(against, loaded, rules, config, namespace, limits, baseline, progress, admission)
    snapshot = build_snapshot(loaded, default_namespace=namespace)
    clock.lap("model")
    graph = build_graph(snapshot, config.target_version())
    clock.lap("graph")
    result = evaluate(rules, graph, admission)
    clock.lap("rules")
    report = _report(config, rules, loaded, graph, result, baseline)
    clock.lap("findings")
    return Analysis(report, rules, loaded, snapshot, graph, result)


def _setup(
    config: Config, rule_dirs: Sequence[Path], builtin_rules: bool, namespace: str, limits: Limits | None
) -> tuple[list[Rule], Limits]:
    """The rules as configured, and the limits with the render settings of the run."""
    # First: a bad rule file or configuration stops the run before any input is read.
    rules = apply(config, load_catalog(rule_dirs, builtin=builtin_rules), config.source)
    # Charts are rendered into the namespace the run puts namespace-less objects in.
    limits = limits or Limits.default()
    render = dataclasses.replace(
        limits.render, namespace=namespace, release=config.helm.release, values=config.values_files()
    )
    return rules, dataclasses.replace(limits, render=render)


def _policies(paths: Sequence[Path], limits: Limits) -> list[K8sObject]:
    """The ValidatingAdmissionPolicies and bindings of ``--policies``: a document that does not
    read, or a path without any, is a usage error."""
    if not paths:
        return []
    from analyzer.rules.vap import check_policies, is_binding, is_policy  # only with --policies

    loaded = load_inputs([str(p) for p in paths], None, limits=limits)
    unread = [s for s in loaded.skipped if not _no_object(s.reason)]  # a README, a kustomization: fine
    if unread:
        first = unread[0]
        where = f"{first.file}:{first.line}" if first.line is not None else first.file
        raise KubesnapError(f"--policies {where}: {first.reason}")
    found = [o for o in build_snapshot(loaded).objects if is_policy(o) or is_binding(o)]
    if not found:
        names = " ".join(str(p) for p in paths)
        raise KubesnapError(f"--policies {names}: no ValidatingAdmissionPolicy nor binding found")
    check_policies(found)
    return found


def analyse_commit(
    context: Sequence[str],
    staged: Sequence[str],
    head: Mapping[str, bytes | None],
    rule_dirs: Sequence[Path] = (),
    namespace: str = "default",
    config: Config | None = None,
    limits: Limits | None = None,
) -> Analysis:
    """The pre-commit hook's run. ``context`` (files and folders: everything the staged files
    may relate to, them included) is analysed whole; the report keeps the findings on objects of
    the ``staged`` files (a staged folder, a chart: every object it renders) or ``because_of``
    one, and those the commit introduces: findings absent when each file of ``head`` reads as
    it holds it (its content at ``HEAD``; None, a file new in the commit). A staged file not in
    ``head`` is not compared. Skipped entries are kept for the staged files only, and not for
    files that hold no Kubernetes object (a workflow, a values file): the hook has nothing to say
    about those."""
    config = config or Config()
    rules, limits = _setup(config, rule_dirs, True, namespace, limits)
    loaded = load_inputs(context, None, limits=limits)
    snapshot = build_snapshot(loaded, default_namespace=namespace)
    graph = build_graph(snapshot, config.target_version())
    result = evaluate(rules, graph)
    changed = frozenset(
        obj.ref.key
        for raw, obj in zip(loaded.objects, snapshot.objects, strict=True)
        if any(_within(raw.location.file, unit) for unit in staged)
    )
    before = result.findings  # without HEAD to compare with, nothing elsewhere is new
    elsewhere = {f.rule for f in result.findings if not touches(f, changed)}
    if head and elsewhere:  # only the rules of findings elsewhere can tell them new or old
        kept = [raw for raw in loaded.objects if not any(_within(raw.location.file, f) for f in head)]
        old = load_named((name, data) for name, data in sorted(head.items()) if data is not None)
        then = build_snapshot(dataclasses.replace(loaded, objects=[*kept, *old.objects]), namespace)
        again = [r for r in rules if r.id in elsewhere]
        before = evaluate(again, build_graph(then, config.target_version())).findings
    ours, _ = split(result.findings, before, changed, frozenset(), frozenset())
    report = _report(config, rules, loaded, graph, Evaluation(ours, result.coverage))
    report.skipped = [
        s for s in loaded.skipped if not _no_object(s.reason) and any(_within(s.file, u) for u in staged)
    ]
    report.health = None  # neither is what a commit is checked for
    report.releases = []
    return Analysis(report, rules, loaded, snapshot, graph, result)


def _no_object(reason: str) -> bool:
    """Whether a skipped entry says its document is no object at all (a workflow, a values
    file, a Kustomization or a kustomize patch), rather than an object that could not be read."""
    return reason.startswith((NOT_AN_OBJECT, NOT_A_RESOURCE)) or reason.endswith(": not an object")


def _within(file: str, unit: str) -> bool:
    """Whether the display name ``file`` is the staged file ``unit``, lies below the folder
    ``unit``, or is its render (``chart (helm template)``)."""
    file = posixpath.normpath(file)  # ./svc.yaml: found in the folder "."
    return file == unit or file.startswith((f"{unit}/", f"{unit} ("))


def _against(
    dump: Sequence[str],
    change: LoadResult,
    rules: list[Rule],
    config: Config,
    namespace: str,
    limits: Limits | None,
    baseline: Counter[str] | None,
    progress: Progress | None,
    admission: Sequence[K8sObject] = (),
) -> Analysis:
    """The change laid over the dump (:mod:`analyzer.overlay`): the rules run on the dump alone
    and on the merged snapshot; the report keeps what the change introduces or touches."""
    if not change.objects and (not change.files or change.skipped):
        raise KubesnapError("the change holds no readable Kubernetes object")
    live = load_inputs(dump, None, limits=limits, progress=progress)
    if not live.objects:
        raise KubesnapError(f"--against {' '.join(dump)}: no readable Kubernetes object in the dump")
    live_snapshot = build_snapshot(live, default_namespace=namespace)
    before = evaluate(rules, build_graph(live_snapshot, config.target_version()), admission).findings
    merged = overlay(change, live, live_snapshot, namespace)
    snapshot = build_snapshot(merged.loaded, default_namespace=namespace)
    graph = build_graph(snapshot, config.target_version())
    result = evaluate(rules, graph, admission)
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
    snapshot = graph.snapshot
    templates = {(o.location.file, o.location.line): o.helm_source for o in snapshot.objects if o.helm_source}
    # Templates (found by the object's line) first, then the field's own line: before the
    # findings stage, so that root causes and suppressions see the findings as reported.
    placed = [_with_template(f, templates) for f in result.findings] if templates else result.findings
    done = finish(with_field_lines(placed), graph, config.ignore, baseline)
    return Report(
        files=len(loaded.files),
        documents=loaded.documents,
        objects=len(snapshot.objects),
        skipped=loaded.skipped,
        findings=done.kept,
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
