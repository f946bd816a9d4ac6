"""Root causes first: which findings explain which, and the few that explain the rest.

A finding names the objects whose findings may explain it (``Finding.because_of``: a Pod's
workload, the Service a dependency names, a workload's failing Pods). Finding G explains
finding F when G is about one of those objects, unless G is an aggregate (a workload, a Service
short of ready pods) and F is about one Pod, Node or claim: the pods explain the workload, not
the other way round (:class:`analyzer.rules.finding.Layer`).

Example (the seed audit): ``service-selector-matches-nothing`` on Service prometheus-server
explains ``dependency-unavailable`` on Deployment opencost (which names it), which explains
``pod-crashloop`` on opencost's Pod, which explains ``workload-unavailable`` on opencost. The
selector is the root cause: one thing to fix, three findings cleared.

On one object, a rule names the rules whose findings explain its own (``explained_by``): a
Service's ``service-selector-matches-nothing`` is explained by its ``helm-release-drift`` (the
live selector is not the one the chart rendered).

What a pod spec gets wrong (a key its ConfigMap lacks, a volume it does not declare) explains
the state of the Pods it describes: a workload's configuration findings explain its Pods'
crash loops through their ``because_of``. When the snapshot lacks the controller, the spec is
judged on a Pod (a bare Pod; in a dump of Pods alone, the first Pod of each absent ReplicaSet,
for all of them): such a finding names the Pods whose spec it judged (``spec_of``), and a
configuration finding explains the pod-layer findings of each of them. Only findings of rules
that judge pod specs do: a duplicate Pod or an unused claim explains nothing about its state.

An admission verdict (a ValidatingAdmissionPolicy's finding, ``vap/<policy>``) explains nothing:
it says the API server would refuse the manifest, by a team's policy ("replicas must be at least
2"), not that the object is in a state that makes anything fail; a Pod crash-looping beside it
has other causes.

A root cause is a finding nothing explains that explains at least one other. Findings that
explain each other in a ring (two Services down because each needs the other) are roots
together. Roots of one rule that explain the same findings (the crash-looping pods of one
DaemonSet) are one root cause, the others listed as ``alike``. Each finding gets ``causes``:
the fingerprints of the findings that explain it directly, in report order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from analyzer.findings.fingerprint import fingerprint
from analyzer.model import ObjectKey
from analyzer.rules.finding import Finding, Layer


@dataclass(frozen=True, slots=True)
class RootCause:
    finding: Finding
    fingerprint: str
    explains: tuple[Finding, ...]
    """Every finding it explains, directly or through others: the nearest first, then in
    report order."""
    alike: tuple[Finding, ...] = ()
    """Findings of the same rule that explain exactly the same findings (three crash-looping
    pods of one DaemonSet): one thing to fix, shown once."""


def link(findings: Sequence[Finding]) -> tuple[list[Finding], list[RootCause]]:
    """``findings`` (in report order) each with its ``causes``, and the root causes, those that
    explain the most first."""
    by_object: dict[ObjectKey, list[int]] = {}
    by_spec: dict[ObjectKey, list[int]] = {}
    for index, finding in enumerate(findings):
        by_object.setdefault(finding.object.key, []).append(index)
        if finding.layer is Layer.CONFIGURATION:
            for ref in finding.spec_of:
                by_spec.setdefault(ref.key, []).append(index)
    links: list[tuple[int, int]] = []
    for index, finding in enumerate(findings):
        for ref in finding.because_of:
            for cause in by_object.get(ref.key, ()):
                if cause != index and _can_explain(findings[cause], finding):
                    links.append((cause, index))
        if finding.explained_by:
            for cause in by_object.get(finding.object.key, ()):
                if findings[cause].rule in finding.explained_by:
                    links.append((cause, index))
        if finding.layer is Layer.POD:
            links += ((cause, index) for cause in by_spec.get(finding.object.key, ()))
    if not links:  # a clean run: no networkx import (the pre-commit hook's start-up)
        return list(findings), []
    import networkx as nx  # graph algorithms only: imported when there is a chain to follow

    graph: nx.DiGraph[int] = nx.DiGraph(links)
    prints = {i: fingerprint(findings[i]) for i in graph}
    linked = [
        dataclasses.replace(f, causes=tuple(prints[c] for c in sorted(graph.predecessors(i))))
        if i in graph and graph.in_degree(i)
        else f
        for i, f in enumerate(findings)
    ]
    grouped: dict[tuple[str, tuple[int, ...]], list[int]] = {}
    rings = nx.condensation(graph)
    for component in rings:
        if rings.in_degree(component):
            continue
        for index in sorted(rings.nodes[component]["members"]):
            distance = nx.single_source_shortest_path_length(graph, index)
            explained = tuple(sorted((i for i in distance if i != index), key=lambda i: (distance[i], i)))
            if explained:
                grouped.setdefault((findings[index].rule, explained), []).append(index)
    roots = []
    for (_, explained), members in grouped.items():
        first, *rest = sorted(members)
        effects = tuple(linked[i] for i in explained)
        roots.append(RootCause(linked[first], prints[first], effects, tuple(linked[i] for i in rest)))
    order = {id(f): i for i, f in enumerate(linked)}
    roots.sort(key=lambda r: (-len(r.explains), order[id(r.finding)]))
    return linked, roots


ADMISSION_VERDICT = "vap/"
"""The rule prefix of ValidatingAdmissionPolicy findings (``analyzer.rules.vap.RULE_PREFIX``, not
imported here: that package is imported only when a policy is bound)."""


def _can_explain(cause: Finding, effect: Finding) -> bool:
    if Layer.RISK in (cause.layer, effect.layer) or cause.rule.startswith(ADMISSION_VERDICT):
        return False
    return not (cause.layer is Layer.AGGREGATE and effect.layer is Layer.POD)
