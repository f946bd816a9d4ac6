"""Events of both APIs read into one shape."""

from __future__ import annotations

import pytest
from conftest import snapshot_from_yaml

from analyzer.model.events import read_event

CASES = [
    (
        "core event, namespace from the event",
        "apiVersion: v1\nkind: Event\nmetadata: {name: e, namespace: shop}\n"
        "involvedObject: {kind: Pod, name: api-1, uid: u1}\ntype: Warning\nreason: BackOff\n"
        "message: restarting\ncount: 7\nfirstTimestamp: '2026-01-01T00:00:00Z'\n"
        "lastTimestamp: '2026-01-02T00:00:00Z'\n",
        ("Pod/shop/api-1", "u1", "Warning", "BackOff", "restarting", 7, "2026-01-02T00:00:00Z"),
    ),
    (
        "events.k8s.io event with a series",
        "apiVersion: events.k8s.io/v1\nkind: Event\nmetadata: {name: e, namespace: shop}\n"
        "regarding: {apiVersion: apps/v1, kind: Deployment, namespace: shop, name: api}\n"
        "reason: ScalingReplicaSet\nnote: scaled up\ndeprecatedCount: 2\n"
        "series: {count: 5, lastObservedTime: '2026-01-03T00:00:00Z'}\neventTime: '2026-01-01T00:00:00Z'\n",
        ("Deployment/shop/api", None, "", "ScalingReplicaSet", "scaled up", 5, "2026-01-03T00:00:00Z"),
    ),
    (
        "cluster-scoped object, no count, eventTime only",
        "apiVersion: v1\nkind: Event\nmetadata: {name: e, namespace: default}\n"
        "involvedObject: {kind: Node, name: n1, namespace: ''}\nreason: NodeNotReady\n"
        "eventTime: '2026-01-04T00:00:00Z'\n",
        ("Node/n1", None, "", "NodeNotReady", "", 1, "2026-01-04T00:00:00Z"),
    ),
    (
        "about nothing readable",
        "apiVersion: v1\nkind: Event\nmetadata: {name: e, namespace: shop}\ninvolvedObject: {kind: Pod}\n"
        "count: true\n",
        (None, None, "", "", "", 1, ""),
    ),
]


@pytest.mark.parametrize(("case", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_read_event(case: str, text: str, expected: tuple[object, ...]) -> None:
    [obj] = snapshot_from_yaml(text).objects
    info = read_event(obj)
    assert info is not None and info.event is obj
    regarding = info.regarding.display() if info.regarding else None
    assert (regarding, info.uid, info.type, info.reason, info.message, info.count, info.last_seen) == expected


def test_not_an_event() -> None:
    [obj] = snapshot_from_yaml("apiVersion: example.com/v1\nkind: Event\nmetadata: {name: e}\n").objects
    assert read_event(obj) is None
