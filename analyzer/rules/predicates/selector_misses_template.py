"""selector-misses-template: a controller whose own ``spec.selector`` does not match the labels
of its own pod template, so it never owns the pods it creates.

Used by: workload-selector-mismatch. Covers Deployment, StatefulSet, DaemonSet, ReplicaSet,
ReplicationController (a non-empty selector) and Job with ``manualSelector: true``.
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.selectors import label_diff, workload_selector
from analyzer.rules.kinds import Kinds
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define

# The controllers whose own selector model.selectors.workload_selector reads.
CONTROLLERS = Kinds.of(
    [(g, k) for g in ("apps", "extensions") for k in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet")]
    + [("", "ReplicationController"), ("batch", "Job")]
)


class Params(PredicateParams):
    pass


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    selector = workload_selector((subject.ref.group, subject.kind), subject.spec)
    template = graph.template_of(subject)
    if selector is None or template is None or selector.matches(template.labels):
        return
    labels = ",".join(f"{k}={v}" for k, v in sorted(template.labels.items())) or "<none>"
    difference = "; ".join(label_diff(selector, template.labels)) or (selector.error or "")
    yield Hit({"selector": selector.describe(), "labels": labels, "difference": difference})


PREDICATE = define(
    "selector-misses-template",
    Params,
    evaluate,
    kinds=CONTROLLERS,
    facts=("selector", "labels", "difference"),
)
