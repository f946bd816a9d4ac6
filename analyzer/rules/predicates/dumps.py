"""Is the input a live dump (what runs) rather than a render (what should run)? One answer per
graph, shared by the rules whose coverage depends on it (unused objects, namespace isolation).

A dump holds Pods as they run: with a status phase. A namespace of a dump without such Pods (a
Deployment scaled to zero, a namespace the dump did not list) is still part of a dump, which is
why this is asked of the whole input, not of one namespace (``analyzer.rules.operators.live``).
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from analyzer.graph import SnapshotGraph

_DUMPS: WeakKeyDictionary[SnapshotGraph, bool] = WeakKeyDictionary()


def is_dump(graph: SnapshotGraph) -> bool:
    """Does the input hold any Pod as it runs (a status phase), in any namespace?"""
    found = _DUMPS.get(graph)
    if found is None:
        found = _DUMPS[graph] = any(pod.status.get("phase") for pod in graph.of_kind("", "Pod"))
    return found
