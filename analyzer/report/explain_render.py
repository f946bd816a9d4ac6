"""``kubesnap explain`` output, text and JSON (``kubesnap/explain/v1``), from one
:class:`~analyzer.findings.explain.Explanation`. Deterministic; nothing but what the report
already holds and the object's labels."""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import groupby
from typing import Any

from analyzer.findings.explain import Explanation, FindingLinks, Relation
from analyzer.load.types import Location
from analyzer.model import ObjectRef
from analyzer.report.json_report import finding_json
from analyzer.rules.finding import Finding

EXPLAIN_SCHEMA = "kubesnap/explain/v1"
SHOWN = 15
"""Objects listed per relation and near misses in the text (a Node runs many pods); JSON lists
them all."""


def text(explained: Explanation) -> str:
    ref = explained.ref
    lines = [f"{ref.kind} {_name(ref)}"]
    if explained.location is None:
        lines.append("  not in the input: only named by the objects below")
    else:
        lines.append(f"  defined at     {_where(explained.location)}")
    if explained.template:
        lines.append(f"  helm template  {explained.template}")
    if explained.labels:
        lines.append(f"  labels         {', '.join(f'{k}={v}' for k, v in explained.labels.items())}")
    if explained.controllers:
        lines.append(f"  controlled by  {' -> '.join(r.display() for r in explained.controllers)}")
    if explained.selector is not None:
        nothing = " (selects nothing)" if explained.near_misses else ""
        lines.append(f"  selector       {explained.selector}{nothing}")
    lines += ["", "relations" if explained.relations else "relations: none"]
    for name, group in groupby(explained.relations, key=lambda r: r.name):
        related = list(group)
        for i, relation in enumerate(related[:SHOWN]):
            lines.append(f"  {name if i == 0 else '':14} {_relation(relation)}")
        if len(related) > SHOWN:
            lines.append(f"  {'':14} and {len(related) - SHOWN} more (--format json lists them all)")
    if explained.near_misses:
        lines += [
            "",
            "near misses: pods and pod templates whose labels fail one or two terms of the selector",
        ]
        for miss in explained.near_misses[:SHOWN]:
            lines.append(f"  {miss.object.display()}  {_where(miss.location)}")
            lines.extend(f"      {difference}" for difference in miss.differences)
        if len(explained.near_misses) > SHOWN:
            lines.append(f"  and {len(explained.near_misses) - SHOWN} more (--format json lists them all)")
    lines += ["", f"findings ({len(explained.findings)})" if explained.findings else "findings: none"]
    for links in explained.findings:
        lines.extend(_finding(links))
    if explained.mentioned_in:
        lines += ["", f"named by findings on other objects ({len(explained.mentioned_in)})"]
        for finding in explained.mentioned_in:
            lines.append(f"  {finding.severity.value}  {finding.object.display()}  [{finding.rule}]")
            lines.append(f"      {finding.message}")
    if explained.events:
        lines += ["", f"events ({len(explained.events)})"]
        lines.extend(f"  {event}" for event in explained.events)
    return "\n".join(lines) + "\n"


def json_explain(explained: Explanation) -> str:
    data: dict[str, Any] = {
        "schema": EXPLAIN_SCHEMA,
        "object": _ref(explained.ref),
        "location": None if explained.location is None else _location(explained.location),
        "template": explained.template,
        "labels": explained.labels,
        "controllers": [_ref(r) for r in explained.controllers],
        "selector": explained.selector,
        "relations": [
            {
                "relation": r.name,
                "edge": r.edge,
                "object": _ref(r.other),
                "missing": r.missing,
                "detail": r.detail,
            }
            for r in explained.relations
        ],
        "near_misses": [
            {"object": _ref(m.object), "location": _location(m.location), "differences": list(m.differences)}
            for m in explained.near_misses
        ],
        "findings": [
            {
                **finding_json(links.finding),
                "caused_by": [links_key(f) for f in links.caused_by],
                "explains": [links_key(f) for f in links.explains],
                "root_cause_of": links.root_of,
            }
            for links in explained.findings
        ],
        "named_by": [finding_json(f) for f in explained.mentioned_in],
        "events": explained.events,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def links_key(finding: Finding) -> dict[str, Any]:
    """A linked finding, as the JSON names it: its rule, object and fingerprint."""
    return {
        "rule": finding.rule,
        "object": _ref(finding.object),
        "fingerprint": finding_json(finding)["fingerprint"],
    }


RENDERERS: dict[str, Callable[[Explanation], str]] = {"text": text, "json": json_explain}


def _finding(links: FindingLinks) -> list[str]:
    finding = links.finding
    root = f"  root cause: explains {links.root_of} finding(s)" if links.root_of else ""
    lines = [f"  {finding.severity.value}  [{finding.rule}]{root}", f"      {finding.message}"]
    for evidence in finding.evidence:
        about = f" ({evidence.object.display()})" if evidence.object else ""
        first, *rest = evidence.text.splitlines() or [""]
        lines.append(f"      {evidence.kind}{about}: {first}")
        lines.extend(f"        {line}" for line in rest)
    lines.extend(f"      caused by: [{f.rule}] {f.object.display()}" for f in links.caused_by)
    lines.extend(f"      explains:  [{f.rule}] {f.object.display()}" for f in links.explains)
    if finding.hint:
        lines.append(f"      hint: {finding.hint}")
    return lines


def _relation(relation: Relation) -> str:
    notes = [relation.detail] if relation.detail else []
    if relation.missing:
        notes.append("not in the input")
    return relation.other.display() + (f"  ({'; '.join(notes)})" if notes else "")


def _name(ref: ObjectRef) -> str:
    return f"{ref.namespace}/{ref.name}" if ref.namespace else ref.name


def _where(location: Location) -> str:
    return f"{location.file}:{location.line}" if location.line else location.file


def _ref(ref: ObjectRef) -> dict[str, str | None]:
    return ref.to_json()


def _location(location: Location) -> dict[str, Any]:
    return {"file": location.file, "line": location.line}
