"""Suppression, in one place: a finding is dropped when its object carries the annotation
``kubesnap.io/ignore: "rule-a,rule-b"`` (or ``"all"``), or when an ignore of the configuration
(``.kubesnap.yaml``: glob patterns on rule, kind, namespace, name, file) matches it. Dropped
findings are counted in the report's summary, never silently lost."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.rules.finding import Finding

ANNOTATION = "kubesnap.io/ignore"


class Ignore(Protocol):
    """One ignore of the configuration (:class:`analyzer.config.Ignore`)."""

    def matches(self, finding: Finding) -> bool: ...


def suppress(
    findings: Sequence[Finding], graph: SnapshotGraph, ignores: Sequence[Ignore] = ()
) -> list[Finding]:
    """The findings neither an annotation of their object nor an ignore drops, in order."""
    return [
        f
        for f in findings
        if not annotated(graph.get(f.object.key), f.rule) and not any(i.matches(f) for i in ignores)
    ]


def annotated(obj: K8sObject | None, rule_id: str) -> bool:
    """Whether ``obj`` asks, by annotation, that ``rule_id`` says nothing about it."""
    value = obj.annotations.get(ANNOTATION) if obj is not None else None
    if not value:
        return False
    ids = {part.strip() for part in value.split(",")}
    return "all" in ids or rule_id in ids
