"""Two runs compared (``kubesnap diff BEFORE AFTER``): the seed audit's before/after table
(Services with a ready endpoint, crash-looping pods, pods not running, workloads ready,
restarts, findings per severity), each with its change, and the findings fixed, new and
remaining, matched by fingerprint (:mod:`analyzer.findings.fingerprint`: rule, object, related
objects, message; never the location, so moved lines and renamed files do not count as change).

Each side is a snapshot's :class:`Report` or a JSON report (``check --format json``), read back
into the same :class:`Side`: a snapshot and its own JSON report compare as equal.
"""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from analyzer.errors import KubesnapError
from analyzer.findings import Finding, Severity, fingerprint
from analyzer.load.types import Location
from analyzer.model import ObjectRef
from analyzer.report import schema
from analyzer.report.json_report import SCHEMA, as_dict
from analyzer.report.model import Report
from analyzer.rules.finding import Evidence

CRASHLOOP_RULE = "pod-crashloop"
"""Crash-looping pods are the Pods this rule reports (CrashLoopBackOff, or restarting and not
Ready), counted from the findings: a JSON report holds no pod status."""

_REPORT_HEAD = re.compile(r'^\s*\{\s*"schema"\s*:\s*"kubesnap/report/')


@dataclass(frozen=True, slots=True)
class Side:
    """One run as the diff reads it."""

    label: str
    """The path the user named."""
    findings: list[Finding]
    """In report order."""
    health: schema.Health | None


@dataclass(frozen=True, slots=True)
class Value:
    """A metric on one side: a count, or ``value`` of ``total`` (Services ready of all)."""

    value: int
    total: int | None = None

    def __str__(self) -> str:
        return str(self.value) if self.total is None else f"{self.value}/{self.total}"


_Reader = Callable[[schema.Health], Value]


@dataclass(frozen=True, slots=True)
class Metric:
    id: str
    title: str
    before: Value | None
    """None when that side has no such figure (a render has no health summary)."""
    after: Value | None
    better: str
    """``up`` or ``down``: which way is an improvement."""

    @property
    def change(self) -> int | None:
        """``after - before`` (of the ready ones, for a ratio); None when a side lacks it."""
        if self.before is None or self.after is None:
            return None
        return self.after.value - self.before.value


@dataclass(frozen=True, slots=True)
class Diff:
    before: str
    after: str
    metrics: list[Metric]
    fixed: list[Finding]
    """In BEFORE's report order, as BEFORE located them."""
    new: list[Finding]
    """In AFTER's report order."""
    remaining: list[Finding]
    """As AFTER locates them, in its order."""


def side_of_report(report: Report, label: str) -> Side:
    return Side(label, list(report.findings), as_dict(report).get("health"))


def side_of_json(data: schema.ReportV1, label: str) -> Side:
    return Side(label, [_finding(f) for f in data["findings"]], data.get("health"))


def read_report(path: Path) -> schema.ReportV1 | None:
    """The JSON report in file ``path``, or None when the file is not one (a snapshot: a kubectl
    JSON dump, YAML, an archive). A file that starts as a kubesnap report and breaks the
    contract is a :class:`KubesnapError` saying where."""
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        head = handle.read(4096).decode("utf-8", errors="replace")
    if not _REPORT_HEAD.match(head):
        return None
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise KubesnapError(f"{path}:{exc.lineno}: not a valid JSON report: {exc.msg}") from None
    if data.get("schema") != SCHEMA:
        raise KubesnapError(
            f"{path}: a report of schema {data.get('schema')!r}; this kubesnap reads {SCHEMA}"
        )
    try:
        return schema.validate(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise KubesnapError(f"{path}: not a valid {SCHEMA} report: {where}: {first['msg']}") from None


def compare(before: Side, after: Side) -> Diff:
    """The before/after table and the findings matched by fingerprint (a fingerprint seen n
    times before and m times after: min(n, m) remaining, the rest fixed or new)."""
    left: dict[str, list[Finding]] = defaultdict(list)
    for finding in before.findings:
        left[fingerprint(finding)].append(finding)
    right: dict[str, int] = defaultdict(int)
    new: list[Finding] = []
    remaining: list[Finding] = []
    for finding in after.findings:
        key = fingerprint(finding)
        if right[key] < len(left[key]):
            remaining.append(finding)
        else:
            new.append(finding)
        right[key] += 1
    fixed: list[Finding] = []
    seen: dict[str, int] = defaultdict(int)
    for finding in before.findings:
        key = fingerprint(finding)
        seen[key] += 1
        if seen[key] > right[key]:
            fixed.append(finding)
    return Diff(before.label, after.label, _metrics(before, after), fixed, new, remaining)


def fails(diff: Diff, fail_on: str) -> bool:
    """A new finding at or above ``fail_on`` (``never``: never)."""
    if fail_on == "never":
        return False
    threshold = Severity(fail_on).rank
    return any(f.severity.rank >= threshold for f in diff.new)


def _metrics(before: Side, after: Side) -> list[Metric]:
    metrics = [
        Metric("services-ready", "Services with a ready endpoint", *_both(before, after, _services), "up"),
    ]
    for namespace in _namespaces(before, after):
        metrics.append(
            Metric(
                f"services-ready/{namespace}",
                f"  in {namespace}",
                *_both(before, after, functools.partial(_services, namespace=namespace)),
                "up",
            )
        )
    metrics += [
        Metric(
            "crashlooping-pods",
            "crash-looping pods",
            Value(_crashlooping(before)),
            Value(_crashlooping(after)),
            "down",
        ),
        Metric(
            "pods-not-running", "pods not running (pending, failing)", *_both(before, after, _down), "down"
        ),
        Metric("workloads-ready", "workloads ready", *_both(before, after, _workloads), "up"),
        Metric("restarts", "container restarts", *_both(before, after, _restarts), "down"),
    ]
    for severity in Severity:
        metrics.append(
            Metric(
                f"findings/{severity.value}",
                f"findings: {severity.value}",
                Value(sum(f.severity is severity for f in before.findings)),
                Value(sum(f.severity is severity for f in after.findings)),
                "down",
            )
        )
    return metrics


def _both(before: Side, after: Side, read: _Reader) -> tuple[Value | None, Value | None]:
    return (
        None if before.health is None else read(before.health),
        None if after.health is None else read(after.health),
    )


def _namespaces(before: Side, after: Side) -> list[str]:
    """Namespaces with a Service short of a ready endpoint on either side (the audit's
    "Services Monitoring 5/13"), by name."""
    found = set()
    for side in (before, after):
        for entry in side.health["namespaces"] if side.health else ():
            if entry["services"]["good"] < entry["services"]["total"]:
                found.add(entry["namespace"])
    return sorted(found)


def _services(health: schema.Health, namespace: str | None = None) -> Value:
    entries = [n for n in health["namespaces"] if namespace is None or n["namespace"] == namespace]
    return Value(sum(n["services"]["good"] for n in entries), sum(n["services"]["total"] for n in entries))


def _workloads(health: schema.Health) -> Value:
    entries = health["namespaces"]
    return Value(sum(n["workloads"]["good"] for n in entries), sum(n["workloads"]["total"] for n in entries))


def _down(health: schema.Health) -> Value:
    return Value(sum(n["pods"]["pending"] + n["pods"]["failing"] for n in health["namespaces"]))


def _restarts(health: schema.Health) -> Value:
    return Value(sum(n["restarts"] for n in health["namespaces"]))


def _crashlooping(side: Side) -> int:
    return len({f.object.key for f in side.findings if f.rule == CRASHLOOP_RULE})


def _finding(data: schema.Finding) -> Finding:
    """A finding of a JSON report as the pipeline made it (what its fingerprint needs, and
    what a diff shows)."""
    location = data["location"]
    template = data.get("template")
    return Finding(
        rule=data["rule"],
        severity=Severity(data["severity"]),
        object=_ref(data["object"]),
        message=data["message"],
        location=None if location is None else Location(location["file"], location["line"]),
        related=tuple(_ref(r) for r in data["related"]),
        hint=data["hint"],
        template=None if template is None else Location(template["file"], template["line"]),
        evidence=tuple(
            Evidence(e["kind"], e["text"], None if e["object"] is None else _ref(e["object"]))
            for e in data.get("evidence", [])
        ),
        causes=tuple(data.get("causes", [])),
    )


def _ref(data: schema.ObjectRef) -> ObjectRef:
    return ObjectRef(data["apiVersion"], data["kind"], data["namespace"], data["name"])
