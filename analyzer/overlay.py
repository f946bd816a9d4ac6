"""A change laid over a live dump (``kubesnap check CHANGED --against DUMP``), and which findings
of the merged snapshot the change introduces or touches.

:func:`overlay` merges what was loaded: an object of the change with the identity of a live one
(group, kind, namespace, name; a change object without namespace lands in ``--namespace``)
replaces it whole, status included (a status belongs to the spec it was observed under); new
objects are added. The pods and ReplicaSets a replaced workload controls are dropped: they carry
the old template's labels and go away when the change rolls out, and the new template stands in
for the pods to come (a Service that selected them and no longer selects the new template
selects nothing after the change; that is what is caught). Events stay, attached by name.

:func:`split` keeps the findings of the merged run that the change introduces (the dump alone
gave none like it: not the same fingerprint, nor the same rule on the same object) or touches
(its object, or an object it is ``because_of``, is in the change); the rest existed before and
is only counted. An observed-state finding on a replaced object is dropped (its status was the
old spec's); one the dump alone gave is pre-existing (the change does not alter the dump's status).

    >>> merged = overlay(change, live, live_snapshot, namespace="default")
    >>> kept, pre_existing = split(merged_findings, dump_findings, merged.changed, ...)
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from analyzer.findings.fingerprint import fingerprint
from analyzer.load.types import LoadResult, RawObject
from analyzer.model import K8sObject, ObjectKey, Snapshot, build_snapshot
from analyzer.rules.finding import Finding

SUPERSEDED_KINDS = frozenset({"Pod", "ReplicaSet", "ControllerRevision"})
"""What a workload's controller replaces when its template changes."""

KEEPS_ITS_CHILDREN = frozenset({"CronJob"})
"""A changed CronJob shapes the Jobs to come; the Jobs running keep their own template."""


@dataclass(frozen=True, slots=True)
class Overlay:
    """The merged input, and what the change did to the dump."""

    loaded: LoadResult
    """The live objects kept, then the change's objects; files and skipped entries of both."""
    changed: frozenset[ObjectKey]
    """Identities of the change's objects."""
    replaced: frozenset[ObjectKey]
    """Those of them that replaced a live object."""
    superseded: int
    """Live pods and ReplicaSets dropped because the workload controlling them was replaced."""


def overlay(
    change: LoadResult, live: LoadResult, live_snapshot: Snapshot, namespace: str = "default"
) -> Overlay:
    """``change`` over ``live`` (``live_snapshot`` is ``build_snapshot(live, namespace)``)."""
    changed_keys = _keys(change, live, namespace)
    changed = frozenset(changed_keys)
    replaced = frozenset(k for k in changed if live_snapshot.get(k) is not None)
    superseded = {id(o) for o in live_snapshot.objects if _superseded(o, live_snapshot, replaced)}
    kept = [
        raw
        for raw, obj in zip(live.objects, live_snapshot.objects, strict=True)
        if obj.ref.key not in changed and id(obj) not in superseded
    ]
    dropped_pods = {
        (o.namespace, o.name) for o in live_snapshot.objects if id(o) in superseded and o.kind == "Pod"
    }
    ours = [
        _without_status(raw) if key in replaced else raw
        for raw, key in zip(change.objects, changed_keys, strict=True)
    ]
    merged = dataclasses.replace(  # what else the dump's LoadResult holds comes with it
        live,
        objects=[*kept, *ours],
        skipped=[*live.skipped, *change.skipped],
        files=[*live.files, *change.files],
        documents=live.documents + change.documents,
        logs={k: v for k, v in live.logs.items() if k not in dropped_pods},
    )
    return Overlay(merged, changed, replaced, len(superseded))


def _keys(change: LoadResult, live: LoadResult, namespace: str) -> list[ObjectKey]:
    """The identity of each change object, in order (custom resources scoped by the CRDs of
    both inputs)."""
    crds = [r for r in live.objects if r.data.get("kind") == "CustomResourceDefinition"]
    snapshot = build_snapshot(LoadResult(objects=[*change.objects, *crds]), default_namespace=namespace)
    return [o.ref.key for o in snapshot.objects[: len(change.objects)]]


def _superseded(obj: K8sObject, snapshot: Snapshot, replaced: frozenset[ObjectKey]) -> bool:
    """Is ``obj`` a pod or ReplicaSet that a replaced workload's rollout replaces?"""
    if obj.kind not in SUPERSEDED_KINDS or obj.ref.key in replaced:
        return False
    seen: set[int] = set()
    owner = snapshot.controller_of(obj)
    while owner is not None and id(owner) not in seen:
        if owner.ref.key in replaced:
            return owner.kind not in KEEPS_ITS_CHILDREN
        seen.add(id(owner))
        owner = snapshot.controller_of(owner)
    return False


def _without_status(raw: RawObject) -> RawObject:
    if "status" not in raw.data:
        return raw
    return dataclasses.replace(raw, data={k: v for k, v in raw.data.items() if k != "status"})


def split(
    merged: Sequence[Finding],
    dump: Iterable[Finding],
    changed: frozenset[ObjectKey],
    replaced: frozenset[ObjectKey],
    observed_rules: frozenset[str],
) -> tuple[list[Finding], list[Finding]]:
    """(kept, pre-existing): the merged run's findings the change introduces or touches, and
    those the dump alone already gave. An observed-state finding the dump gave is pre-existing
    even where it touches the change (it judges the status the dump recorded); one on a replaced
    object is neither."""
    kept: list[Finding] = []
    pre_existing: list[Finding] = []
    old = _old(merged, dump)
    for i, finding in enumerate(merged):
        if finding.rule in observed_rules and finding.object.key in replaced:
            continue
        observed = finding.rule in observed_rules  # the dump's state: the change cannot touch it
        if i in old and (observed or not touches(finding, changed)):
            pre_existing.append(finding)
        else:
            kept.append(finding)
    return kept, pre_existing


def _old(merged: Sequence[Finding], dump: Iterable[Finding]) -> set[int]:
    """The indexes of the merged findings the dump alone already gave: the same fingerprint,
    or else, one for one, the same rule on the same object (the same break, whose message names
    other context: the closest pod template of a selector that still selects nothing)."""
    earlier = list(dump)
    left = Counter(fingerprint(f) for f in earlier)
    old: set[int] = set()
    for i, finding in enumerate(merged):
        fp = fingerprint(finding)
        if left[fp] > 0:
            left[fp] -= 1
            old.add(i)
    spare = Counter[tuple[str, ObjectKey]]()
    for finding in earlier:
        fp = fingerprint(finding)
        if left[fp] > 0:
            left[fp] -= 1
            spare[(finding.rule, finding.object.key)] += 1
    for i, finding in enumerate(merged):
        key = (finding.rule, finding.object.key)
        if i not in old and spare[key] > 0:
            spare[key] -= 1
            old.add(i)
    return old


def touches(finding: Finding, changed: frozenset[ObjectKey]) -> bool:
    """Its object, or an object it is ``because_of``, is in the change. Related objects alone do
    not count: they may be a suggestion (the closest pod template of a selector that selects
    nothing); a finding whose related objects the change altered has a new fingerprint anyway."""
    return finding.object.key in changed or any(ref.key in changed for ref in finding.because_of)
