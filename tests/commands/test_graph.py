"""kubesnap graph: the object graph as GraphML, node-link JSON and DOT, read back by networkx and
by a strict DOT tokenizer; --focus keeps the neighbourhood within --depth hops."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from analyzer.cli import cli

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "blueocean" / "before"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["graph", *args])
    return result.exit_code, result.stdout, result.stderr


def test_graphml_reads_back_with_the_fixtures_relations() -> None:
    code, out, _ = run(str(FIXTURE), "--format", "graphml")
    assert code == 0
    graph = nx.read_graphml(io.BytesIO(out.encode("utf-8")), force_multigraph=True)
    service = graph.nodes["Service/onlyoneapi/public-api"]
    assert (service["kind"], service["namespace"], service["name"]) == ("Service", "onlyoneapi", "public-api")
    assert service["file"].endswith("before/resources.yaml") and service["line"] == "16724"
    kinds = {d["kind"] for _, _, d in graph.edges("Service/onlyoneapi/public-api", data=True)}
    assert kinds == {"selects"}
    # The missing ConfigMap is a node marked missing, the Deployment's volume names it.
    missing = graph.nodes["ConfigMap/onlyoneapi/email-templates"]
    assert missing["missing"] == "true" and missing["file"] == ""
    via = {
        d.get("via")
        for _, t, d in graph.edges("Deployment/onlyoneapi/public-api", data=True)
        if t == "ConfigMap/onlyoneapi/email-templates"
    }
    assert via == {"volume email-templates"}
    # Cluster-scoped: Kind/name, empty namespace.
    nodes = [n for n, d in graph.nodes(data=True) if d["kind"] == "Node"]
    assert nodes and all(n.count("/") == 1 and graph.nodes[n]["namespace"] == "" for n in nodes)


def test_json_is_node_link_data_and_deterministic() -> None:
    _, first, _ = run(str(FIXTURE), "--format", "json")
    _, second, _ = run(str(FIXTURE), "--format", "json")
    assert first == second
    data = json.loads(first)
    graph = nx.node_link_graph(data, edges="edges")
    assert graph.is_multigraph() and graph.is_directed()
    assert graph.has_edge("Pod/monitoring/promtail-bswff", "DaemonSet/monitoring/promtail")
    ids = [n["id"] for n in data["nodes"]]
    assert ids == sorted(ids)
    assert "S3CR3T" not in first


def test_focus_keeps_the_neighbourhood_within_depth() -> None:
    focus = ["--focus", "deploy/onlyoneapi/public-api", "--format", "json"]
    _, near, _ = run(str(FIXTURE), *focus)
    graph = nx.node_link_graph(json.loads(near), edges="edges")
    assert "Service/onlyoneapi/public-api" in graph  # selects it: one hop, edge followed backwards
    assert "ConfigMap/onlyoneapi/email-templates" in graph  # it references it
    assert not any(n.startswith("Pod/") for n in graph)  # pods are two hops away (via the ReplicaSet)
    _, far, _ = run(str(FIXTURE), *focus, "--depth", "2")
    wider = nx.node_link_graph(json.loads(far), edges="edges")
    assert any(n.startswith("Pod/onlyoneapi/public-api-") for n in wider)
    assert set(graph) < set(wider)
    _, alone, _ = run(str(FIXTURE), *focus, "--depth", "0")
    assert [n["id"] for n in json.loads(alone)["nodes"]] == ["Deployment/onlyoneapi/public-api"]


def test_focus_on_an_unknown_object_names_the_close_ones() -> None:
    code, _, err = run(str(FIXTURE), "--focus", "Deployment/onlyoneapi/public-apu")
    assert code == 2
    assert "no such object" in err and "Deployment/onlyoneapi/public-api" in err
    code, _, err = run(str(FIXTURE), "--focus", "nonsense")
    assert code == 2 and "KIND/NAMESPACE/NAME" in err


HOSTILE = 'evil"] ; "x" -> "y\nnode {\\'
QUOTED = r'"(?:[^"\\\n]|\\.)*"'
ATTRS = rf"\[(?:[a-zA-Z]+={QUOTED}(?:, )?)*\]"
NODE_LINE = re.compile(rf"^  ({QUOTED}) {ATTRS};$")
EDGE_LINE = re.compile(rf"^  ({QUOTED}) -> ({QUOTED}) {ATTRS};$")


def unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "r": "\r"}.get(m[1], m[1]), text[1:-1])


@pytest.mark.parametrize("name", [HOSTILE, "plain"])
def test_dot_quotes_every_identifier_and_value(tmp_path: Path, name: str) -> None:
    """A name holding quotes, a newline, braces and a trailing backslash stays one quoted string:
    every line is one node or edge statement, and the node's id reads back as the name."""
    manifest = tmp_path / "in.json"
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web", "namespace": "shop", "labels": {"app": "web"}},
        "spec": {"containers": [{"name": "c", "image": "i", "envFrom": [{"configMapRef": {"name": name}}]}]},
    }
    manifest.write_text(json.dumps(pod), encoding="utf-8")
    code, out, _ = run(str(manifest), "--format", "dot")
    assert code == 0
    lines = out.splitlines()
    assert lines[:2] == ["digraph kubesnap {", '  node [shape="box"];'] and lines[-1] == "}"
    nodes, edges = [], []
    for line in lines[2:-1]:
        if match := NODE_LINE.match(line):
            nodes.append(unquote(match[1]))
        elif match := EDGE_LINE.match(line):
            edges.append((unquote(match[1]), unquote(match[2])))
        else:
            pytest.fail(f"not a DOT statement: {line!r}")
    # The pod names its ConfigMap and (implicitly) the default ServiceAccount; both are missing.
    assert nodes == sorted([f"ConfigMap/shop/{name}", "Pod/shop/web", "ServiceAccount/shop/default"])
    assert (("Pod/shop/web", f"ConfigMap/shop/{name}")) in edges
