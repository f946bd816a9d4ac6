"""Suppression, in one place: a finding is dropped when its object carries the annotation
``kubesnap.io/ignore: "rule-a,rule-b"`` (or ``"all"``), or when an ignore of the configuration
(``.kubesnap.yaml``: glob patterns on rule, kind, namespace, name, file) matches it. Dropped
findings are counted in the report's summary and listed, each with what dropped it and why,
never silently lost.

Why is said by the annotation ``kubesnap.io/ignore-reason`` beside it, or by an ignore's
``reason``. A reason is optional: without one the finding is dropped all the same, and listed
with no reason (a reviewer sees which suppressions are unexplained).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.rules.finding import Finding

ANNOTATION = "kubesnap.io/ignore"
REASON_ANNOTATION = "kubesnap.io/ignore-reason"


class Ignore(Protocol):
    """One ignore of the configuration (:class:`analyzer.config.Ignore`)."""

    @property
    def reason(self) -> str | None: ...

    def matches(self, finding: Finding) -> bool: ...


@dataclass(frozen=True, slots=True)
class Suppression:
    """A finding dropped, by what, and why."""

    finding: Finding
    by: Literal["annotation", "configuration"]
    reason: str | None
    """The ``kubesnap.io/ignore-reason`` annotation or the ignore's ``reason``; None when not given."""


def split(
    findings: Sequence[Finding], graph: SnapshotGraph, ignores: Sequence[Ignore] = ()
) -> tuple[list[Finding], list[Suppression]]:
    """The findings nothing drops, and the suppressions, both in the findings' order. The
    annotation is asked first: it is the object's own word."""
    kept: list[Finding] = []
    dropped: list[Suppression] = []
    for finding in findings:
        obj = graph.get(finding.object.key)
        if annotated(obj, finding.rule):
            dropped.append(Suppression(finding, "annotation", _reason(obj)))
            continue
        ignore = next((i for i in ignores if i.matches(finding)), None)
        if ignore is not None:
            dropped.append(Suppression(finding, "configuration", ignore.reason or None))
        else:
            kept.append(finding)
    return kept, dropped


def suppress(
    findings: Sequence[Finding], graph: SnapshotGraph, ignores: Sequence[Ignore] = ()
) -> list[Finding]:
    """The findings neither an annotation of their object nor an ignore drops, in order."""
    return split(findings, graph, ignores)[0]


def annotated(obj: K8sObject | None, rule_id: str) -> bool:
    """Whether ``obj`` asks, by annotation, that ``rule_id`` says nothing about it."""
    value = obj.annotations.get(ANNOTATION) if obj is not None else None
    if not value:
        return False
    ids = {part.strip() for part in value.split(",")}
    return "all" in ids or rule_id in ids


def _reason(obj: K8sObject | None) -> str | None:
    """The object's ``kubesnap.io/ignore-reason``, on one line; None when absent or blank."""
    value = obj.annotations.get(REASON_ANNOTATION) if obj is not None else None
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None
