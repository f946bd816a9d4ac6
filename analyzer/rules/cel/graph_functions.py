"""The ``graph.*`` functions of CEL rules, over one run's :class:`SnapshotGraph`.

What a rule writes (declared for type-checking, see :mod:`analyzer.rules.cel.source` for the
rewrite) and what runs:

==========================================  ==================================================
``graph.targets(o, edge)``                  objects ``o`` points at with ``edge`` edges
``graph.sources(o, edge)``                  objects pointing at ``o``
``graph.missing(o, edge)``                  ``{kind, namespace, name}`` of targets the
                                            snapshot lacks (``namespace`` '' when cluster-scoped)
``graph.get(kind, namespace, name)``        an optional object (``kind`` is ``Kind`` or
                                            ``group/Kind`` as in ``applies_to``)
``graph.list(kind, namespace)``             every object of a kind; ``namespace`` '' for all
==========================================  ==================================================

``edge`` is an :class:`~analyzer.graph.EdgeKind` value (``selects``, ``routes-to``...) or ``'*'``
for every kind. Results are deduplicated and sorted by group, kind, namespace and name (the
graph's order), so messages that list them are deterministic.

Objects are converted for the engine at most once per run (:class:`ObjectIndex`): each is a
shallow copy of its raw map with a hidden ``@id`` field, in one of :data:`BUCKETS` maps by kind;
the engine converts a map whole the first time an evaluation reads it, so the kinds no rule
reads (Events, ReplicaSets, EndpointSlices... for most rule sets) are never converted.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import Any

from analyzer.graph import Edge, EdgeKind, SnapshotGraph
from analyzer.model import K8sObject, ObjectKey
from analyzer.model.workloads import TEMPLATE_PATHS
from analyzer.rules.cel.engine import Function, Implementation, Overload
from analyzer.rules.cel.source import BUCKETS, ID_FIELD, POD_SPEC_FIELD
from analyzer.rules.kinds import kind_matches

EDGES = {e.value: e for e in EdgeKind}


class GraphFunctionError(ValueError):
    """A graph function's runtime error (an unknown edge, an argument that is not an object)."""


def edge_kind(name: str) -> EdgeKind | None:
    """The edge kind called ``name``; None for ``'*'``; GraphFunctionError when unknown."""
    if name == "*":
        return None
    kind = EDGES.get(name)
    if kind is None:
        raise GraphFunctionError(f"unknown edge {name!r} (known: {', '.join(sorted(EDGES))}, or '*')")
    return kind


class ObjectIndex:
    """One run's objects as the engine sees them: ``objects[id % BUCKETS][id]`` is the converted
    copy of the object numbered ``id``. The kinds with most objects get a map each (the one
    before the last holds the rest), so that reading a Service does not convert the Pods; the
    last holds the objects judged through another (:data:`STOOD_FOR`).

    Every object is numbered at once; a map is filled only when one of its objects is first
    handed to the engine (:meth:`ready`: the subject judged, its Namespace, what a graph
    function returns), always whole: the engine converts a map the first time an evaluation
    reads it, and never looks at it again. Every read of a map goes through an id computed
    before it (:func:`analyzer.rules.cel.source.lookup`), so a map is full when first read."""

    def __init__(self, graph: SnapshotGraph) -> None:
        self.graph: SnapshotGraph = weakref.proxy(graph)
        """Weakly: the index lives in a WeakKeyDictionary keyed by the graph, and a value that
        held its key would keep every run's converted objects alive for the process's life."""
        self.objects: list[dict[int, dict[str, Any]]] = [{} for _ in range(BUCKETS)]
        self.ids: dict[ObjectKey, int] = {}
        self.sources: dict[int, K8sObject] = {}
        self.cache: dict[str, object] = {}
        """What the evaluator keeps for this run (the graph functions bound to this index)."""
        self._waiting: list[list[int] | None] = [[] for _ in range(BUCKETS)]
        """Per map, the ids numbered in it and not yet converted; None once it is filled."""
        kinds = [(group, kind, graph.of_kind(group, kind)) for group, kind in graph.kinds()]
        kinds.sort(key=lambda k: (-len(k[2]), k[0], k[1]))
        for rank, (_, _, objects) in enumerate(kinds):
            kind_bucket = min(rank, STOOD_FOR - 1)
            stood_for = {id(o) for group in graph.made_alike(objects).values() for o in group[1:]}
            for obj in objects:
                if obj.ref.key in self.ids:
                    continue  # a second copy: the first one stands for the identity
                bucket = STOOD_FOR if id(obj) in stood_for else kind_bucket
                waiting = self._waiting[bucket]
                assert waiting is not None
                number = len(waiting) * BUCKETS + bucket
                waiting.append(number)
                self.ids[obj.ref.key] = number
                self.sources[number] = obj

    def ready(self, number: int) -> int:
        """``number``, its map filled (every object of it converted): before the engine reads it."""
        waiting = self._waiting[number % BUCKETS]
        if waiting is not None:
            self._fill(number % BUCKETS, waiting)
        return number

    def _fill(self, bucket: int, waiting: list[int]) -> None:
        converted = self.objects[bucket]
        for number in waiting:
            obj = self.sources[number]
            copy = converted[number] = {**obj.raw, ID_FIELD: number}
            if _pod_spec_readable(obj):
                copy[POD_SPEC_FIELD] = True
        self._waiting[bucket] = None

    def _subject(self, number: int, function: str) -> K8sObject:
        subject = self.sources.get(number)
        if subject is None:
            raise GraphFunctionError(f"graph.{function}: the first argument is not an object of the snapshot")
        return subject

    def _ids(self, objects: Iterable[K8sObject]) -> list[int]:
        found = {self.ids[o.ref.key] for o in objects if o.ref.key in self.ids}
        for number in found:
            self.ready(number)
        return sorted(found, key=lambda n: _order(self.sources[n].ref.key))

    def targets(self, number: int, edge: str) -> list[int]:
        subject = self._subject(number, "targets")
        found = self.graph.edges_from(subject, edge_kind(edge))
        return self._ids(e.target_obj for e in found if e.target_obj is not None)

    def sources_of(self, number: int, edge: str) -> list[int]:
        subject = self._subject(number, "sources")
        found = self.graph.edges_to(subject, edge_kind(edge))
        return self._ids(e.source_obj for e in found if e.source_obj is not None)

    def missing(self, number: int, edge: str) -> list[dict[str, str]]:
        subject = self._subject(number, "missing")
        seen: dict[ObjectKey, Edge] = {}
        for e in self.graph.edges_from(subject, edge_kind(edge)):
            if e.missing:
                seen.setdefault(e.target.key, e)
        return [
            {"kind": e.target.kind, "namespace": e.target.namespace or "", "name": e.target.name}
            for _, e in sorted(seen.items(), key=lambda item: _order(item[0]))
        ]

    def key(self, kind: str, namespace: str, name: str) -> int:
        for group, known in self.graph.kinds():
            if kind_matches(kind, group, known):
                found = self.ids.get((group, known, namespace or None, name))
                if found is not None:
                    return self.ready(found)
        return -1

    def listing(self, kind: str, namespace: str) -> list[int]:
        found: list[K8sObject] = []
        for group, known in self.graph.kinds():
            if kind_matches(kind, group, known):
                found.extend(
                    self.graph.of_kind(group, known, namespace)
                    if namespace
                    else self.graph.of_kind(group, known)
                )
        return self._ids(found)


STOOD_FOR = BUCKETS - 1
"""The map of the objects a rule that skips controlled objects judges through another: the Pods
of a controller the snapshot lacks but the first of each (:func:`analyzer.rules.evaluate.judged_once`).
Such rules never read them, so a dump of Pods alone has about one Pod in fifteen converted."""


def _pod_spec_readable(obj: K8sObject) -> bool:
    """Is every step to the object's pod spec a mapping (``podSpec`` then reads it directly)?"""
    ref = obj.ref
    path = ("spec",) if (ref.group, ref.kind) == ("", "Pod") else TEMPLATE_PATHS.get((ref.group, ref.kind))
    if path is None:
        return False
    node: object = obj.raw
    for part in path if path == ("spec",) else (*path, "spec"):
        if not isinstance(node, dict):
            return False
        node = node.get(part)
    return isinstance(node, dict)


def _order(key: ObjectKey) -> tuple[str, str, str, str]:
    return key[0], key[1], key[2] or "", key[3]


_INDEXES: weakref.WeakKeyDictionary[SnapshotGraph, ObjectIndex] = weakref.WeakKeyDictionary()


def index_of(graph: SnapshotGraph) -> ObjectIndex:
    """The graph's object index, built on first use and kept as long as the graph lives."""
    index = _INDEXES.get(graph)
    if index is None:
        index = _INDEXES[graph] = ObjectIndex(graph)
    return index


# What the rule writes: declared on the ``graph`` variable, type-checked, never run.
USER_FUNCTIONS = [
    Function("targets", (Overload("graph_targets", ("dyn", "dyn", "string"), "list", None, member=True),)),
    Function("sources", (Overload("graph_sources", ("dyn", "dyn", "string"), "list", None, member=True),)),
    Function("missing", (Overload("graph_missing", ("dyn", "dyn", "string"), "list", None, member=True),)),
    Function(
        "get", (Overload("graph_get", ("dyn", "string", "string", "string"), "optional", None, member=True),)
    ),
    Function("list", (Overload("graph_list", ("dyn", "string", "string"), "list", None, member=True),)),
]

# What runs: ids in, ids out; implemented per run by :func:`implementations`.
RUN_FUNCTIONS = [
    Function("kubesnap_targets", (Overload("kubesnap_targets", ("int", "string"), "list<int>", None),)),
    Function("kubesnap_sources", (Overload("kubesnap_sources", ("int", "string"), "list<int>", None),)),
    Function("kubesnap_missing", (Overload("kubesnap_missing", ("int", "string"), "list", None),)),
    Function("kubesnap_key", (Overload("kubesnap_key", ("string", "string", "string"), "int", None),)),
    Function("kubesnap_list", (Overload("kubesnap_list", ("string", "string"), "list<int>", None),)),
    Function("kubesnap_subject", (Overload("kubesnap_subject", (), "int", None),)),
    Function("kubesnap_namespace", (Overload("kubesnap_namespace", (), "int", None),)),
    Function("kubesnap_params", (Overload("kubesnap_params", (), "map", None),)),
]


class Judged:
    """What the run's one activation is about now: the subject's id, its Namespace's (found when
    an expression first asks: -1, none) and the rule's params. Set before each object is judged
    (one run judges one at a time)."""

    def __init__(self, index: ObjectIndex) -> None:
        self.index = index
        self.subject = -1
        self.subject_object: K8sObject | None = None
        self.params: dict[str, Any] = {}
        self._namespace: int | None = None

    def judge(self, subject: K8sObject, params: dict[str, Any], namespace: K8sObject | None = None) -> None:
        self.subject = self.index.ready(self.index.ids[subject.ref.key])
        self.subject_object = subject
        self.params = params
        self._namespace = None if namespace is None else self.index.ready(self.index.ids[namespace.ref.key])

    def namespace(self) -> int:
        if self._namespace is None:
            subject = self.subject_object
            found = None
            if subject is not None and subject.namespace:
                found = self.index.graph.get(("", "Namespace", None, subject.namespace))
            self._namespace = -1 if found is None else self.index.ready(self.index.ids[found.ref.key])
        return self._namespace


def implementations(index: ObjectIndex, judged: Judged) -> list[Implementation]:
    """The run functions bound to one run's index and its current subject."""
    return [
        Implementation("kubesnap_subject", (), lambda: judged.subject),
        Implementation("kubesnap_namespace", (), judged.namespace),
        Implementation("kubesnap_params", (), lambda: judged.params),
        Implementation("kubesnap_targets", ("int", "string"), index.targets),
        Implementation("kubesnap_sources", ("int", "string"), index.sources_of),
        Implementation("kubesnap_missing", ("int", "string"), index.missing),
        Implementation("kubesnap_key", ("string", "string", "string"), index.key),
        Implementation("kubesnap_list", ("string", "string"), index.listing),
    ]
