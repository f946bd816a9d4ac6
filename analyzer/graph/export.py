"""The object graph as other tools read it (``kubesnap graph``): GraphML (networkx's writer),
networkx's node-link JSON, and Graphviz DOT (written here, with careful quoting: networkx
needs pydot or pygraphviz for DOT).

Every node is named ``Kind/namespace/name`` (``Kind/name`` when cluster-scoped; ``Kind.group/...``
when two API groups share a kind and a name) and carries ``kind``, ``group``, ``apiVersion``,
``namespace`` (empty when cluster-scoped), ``name``, ``file``, ``line`` (empty when unknown) and
``missing`` (``true`` for a target the input lacks: a dangling reference). Every edge carries its
``kind`` (``selects``, ``references``, ...) and what the builder recorded (``via``, ``port``,
``optional``, ``controller``, ``uid``). All values are strings; nodes and edges are sorted, so
the same input gives the same bytes.

networkx is imported by the functions that use it, when ``kubesnap graph`` runs: ``explain``
reads :func:`every_node` here without paying its import.
"""

from __future__ import annotations

import inspect
import io
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

from analyzer.graph.edges import Edge
from analyzer.graph.query import SnapshotGraph
from analyzer.model import K8sObject, ObjectKey, ObjectRef

FORMATS = ("dot", "graphml", "json")


def every_node(graph: SnapshotGraph) -> dict[ObjectKey, tuple[ObjectRef, K8sObject | None]]:
    """Every node of ``graph``: its objects (the first definition of each identity), then the
    missing targets of its edges, each with its object (None when missing)."""
    nodes: dict[ObjectKey, tuple[ObjectRef, K8sObject | None]] = {}
    for obj in graph.snapshot.objects:
        if obj.ref.key not in nodes and graph.get(obj.ref.key) is obj:
            nodes[obj.ref.key] = (obj.ref, obj)
    for edge in every_edge(graph):
        nodes.setdefault(edge.target.key, (edge.target, edge.target_obj))
    return nodes


def every_edge(graph: SnapshotGraph) -> Iterator[Edge]:
    """Every edge of ``graph`` (each leaves an object of the input), in insertion order."""
    seen: set[ObjectKey] = set()
    for obj in graph.snapshot.objects:
        if obj.ref.key not in seen:
            seen.add(obj.ref.key)
            yield from graph.edges_from(obj)


def node_names(refs: list[ObjectRef]) -> dict[ObjectKey, str]:
    """``Kind/namespace/name`` for each ref; qualified by the API group where two refs would
    otherwise share a name (``Event/ns/x`` of the core and of ``events.k8s.io``)."""
    plain = Counter(ref.display() for ref in refs)
    names = {}
    for ref in refs:
        name = ref.display()
        if plain[name] > 1 and ref.group:
            name = ref.display().replace(ref.kind, f"{ref.kind}.{ref.group}", 1)
        names[ref.key] = name
    return names


def object_graph(graph: SnapshotGraph) -> tuple[Any, dict[ObjectKey, str]]:
    """A networkx MultiDiGraph of the snapshot with string attributes, nodes and edges sorted;
    and the name of each node by the identity of its object."""
    import networkx as nx

    nodes = every_node(graph)
    names = node_names([ref for ref, _ in nodes.values()])
    out = nx.MultiDiGraph()
    for key in sorted(nodes, key=names.__getitem__):
        ref, obj = nodes[key]
        location = obj.location if obj is not None else None
        out.add_node(
            names[key],
            kind=ref.kind,
            group=ref.group,
            apiVersion=ref.api_version,
            namespace=ref.namespace or "",
            name=ref.name,
            file=location.file if location else "",
            line="" if location is None or location.line is None else str(location.line),
            missing=_text(obj is None),
        )
    edges = []
    for edge in every_edge(graph):
        attrs = {"kind": edge.kind.value}
        attrs.update({k: _text(v) for k, v in sorted(edge.attrs.items()) if v is not None})
        edges.append((names[edge.source.key], names[edge.target.key], attrs))
    for source, target, attrs in sorted(edges, key=lambda e: (e[0], e[1], sorted(e[2].items()))):
        out.add_edge(source, target, **attrs)
    return out, names


def neighbourhood(whole: Any, center: str, depth: int) -> Any:
    """The nodes within ``depth`` hops of ``center`` (edges followed both ways) and every edge
    between them, in ``whole``'s order."""
    import networkx as nx

    near = nx.single_source_shortest_path_length(whole.to_undirected(as_view=True), center, cutoff=depth)
    out = nx.MultiDiGraph()
    out.add_nodes_from((n, d) for n, d in whole.nodes(data=True) if n in near)
    out.add_edges_from((s, t, d) for s, t, d in whole.edges(data=True) if s in near and t in near)
    return out


def to_graphml(graph: Any) -> str:
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue().decode("utf-8")


def to_json(graph: Any) -> str:
    """networkx's node-link form: ``nodes`` (``id`` and attributes), ``edges`` (``source``,
    ``target``, ``key`` and attributes)."""
    import networkx as nx

    if "edges" in inspect.signature(nx.node_link_data).parameters:  # networkx >= 3.4
        data = nx.node_link_data(graph, edges="edges")
    else:  # pragma: no cover - older networkx names them "links"
        data = nx.node_link_data(graph)
        data["edges"] = data.pop("links")
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def to_dot(graph: Any) -> str:
    """Graphviz DOT: every identifier and value double-quoted (:func:`dot_quote`)."""
    lines = ["digraph kubesnap {", '  node [shape="box"];']
    for node, attrs in graph.nodes(data=True):
        where = f"{attrs['namespace']}/{attrs['name']}" if attrs["namespace"] else attrs["name"]
        shown = {"label": f"{attrs['kind']}\n{where}", **attrs}
        if attrs["missing"] == "true":
            shown["style"] = "dashed"
        lines.append(f"  {dot_quote(node)} [{_dot_attrs(shown)}];")
    for source, target, attrs in graph.edges(data=True):
        shown = {"label": attrs["kind"], **attrs}
        lines.append(f"  {dot_quote(source)} -> {dot_quote(target)} [{_dot_attrs(shown)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def dot_quote(text: str) -> str:
    """``text`` as a DOT double-quoted string: backslash and quote escaped, line breaks as
    ``\\n`` / ``\\r`` (so no value can end the string, the statement or the graph early), other
    control characters replaced by U+FFFD."""
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif ord(char) < 0x20 and char != "\t":
            out.append("\ufffd")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _dot_attrs(attrs: dict[str, str]) -> str:
    return ", ".join(f"{name}={dot_quote(value)}" for name, value in attrs.items())


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


RENDER = {"dot": to_dot, "graphml": to_graphml, "json": to_json}
