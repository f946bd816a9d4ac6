"""CEL rules (the ``validations`` form): loading and its errors, match, matchConditions, params,
variables, messages, severities, runtime errors as coverage notes, and the graph functions."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import graph_from_yaml

from analyzer.errors import KubesnapError
from analyzer.graph import SnapshotGraph
from analyzer.rules import evaluate
from analyzer.rules.catalog import Rule, load_rule_file
from analyzer.rules.evaluate import Evaluation

HEAD = """id: my-rule
title: A rule
severity: warning
applies_to: [Deployment]
"""

MANIFESTS = """
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {env: prod}}
---
apiVersion: v1
kind: Namespace
metadata: {name: lab, labels: {env: dev}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, labels: {app: web, team: a}}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: nginx:1.27
          resources: {requests: {memory: 256Mi}, limits: {memory: 128Mi}}
          envFrom: [{configMapRef: {name: web-config}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: shop, labels: {app: worker}}
spec:
  replicas: 1
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec:
      containers:
        - {name: app, image: worker:2, resources: {requests: {memory: 64Mi}, limits: {memory: 1Gi}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: sandbox, namespace: lab, labels: {app: sandbox}}
spec:
  selector: {matchLabels: {app: sandbox}}
  template:
    metadata: {labels: {app: sandbox}}
    spec:
      containers: [{name: app, image: sandbox}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: stray, namespace: elsewhere, labels: {app: stray}}
spec:
  selector: {matchLabels: {app: stray}}
  template:
    metadata: {labels: {app: stray}}
    spec:
      containers: [{name: app, image: stray}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  rules:
    - http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
"""


@pytest.fixture(scope="module")
def graph() -> SnapshotGraph:
    return graph_from_yaml(MANIFESTS)


def load(tmp_path: Path, body: str, head: str = HEAD) -> Rule:
    path = tmp_path / "my-rule.yaml"
    path.write_text(head + body, encoding="utf-8")
    return load_rule_file(path)


def run(tmp_path: Path, body: str, graph: SnapshotGraph, head: str = HEAD) -> Evaluation:
    return evaluate([load(tmp_path, body, head)], graph)


def messages(result: Evaluation) -> dict[str, str]:
    return {f.object.name: f.message for f in result.findings}


def load_error(tmp_path: Path, body: str, head: str = HEAD) -> str:
    with pytest.raises(KubesnapError) as caught:
        load(tmp_path, body, head)
    return str(caught.value)


# --- the rule file --------------------------------------------------------------------------------


def test_a_user_rule_needs_no_docs_category_or_hint(tmp_path: Path, graph: SnapshotGraph) -> None:
    rule = load(tmp_path, "validations: [{expression: 'true'}]\n")
    assert rule.spec.category == "custom" and rule.spec.docs.what == "A rule" and rule.spec.hint == ""
    assert rule.spec.check.predicate == "cel"


def test_a_builtin_rule_needs_docs(tmp_path: Path) -> None:
    folder = tmp_path / "custom"
    folder.mkdir()
    (folder / "my-rule.yaml").write_text(
        HEAD + "category: custom\nhint: h\nvalidations: [{expression: 'true'}]\n", encoding="utf-8"
    )
    with pytest.raises(KubesnapError, match="field 'docs': required for a built-in rule"):
        load_rule_file(folder / "my-rule.yaml", category_is_folder=True)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (
            "check: {predicate: label-missing, params: {label: team}}\nmessage: m\n"
            "validations: [{expression: 'true'}]\n",
            "either 'check' or 'validations', not both",
        ),
        ("message: m\n", "field 'check': Field required"),
        (
            "check: {predicate: label-missing, params: {label: team}}\nmessage: m\nparams: {a: 1}\n",
            "field 'params' belongs to rules with 'validations'",
        ),
        ("message: m\nvalidations: [{expression: 'true'}]\n", "gives each validation its message"),
        ("validations: []\n", "field 'validations': List should have at least 1 item"),
        ("validations: [{expression: 'true', colour: red}]\n", "field 'validations.0.colour': unknown field"),
    ],
)
def test_the_form_is_checked(tmp_path: Path, body: str, error: str) -> None:
    assert error in load_error(tmp_path, body)


def test_a_compile_error_names_the_field_and_line_column(tmp_path: Path) -> None:
    error = load_error(
        tmp_path,
        "validations:\n  - expression: 'true'\n  - expression: |-\n      object.spec.replicas > 1 &&\n"
        "        object.spec.replicaz > 1 && replicas > 0\n",
    )
    assert error.startswith(
        f"{tmp_path / 'my-rule.yaml'}: rule 'my-rule': field 'validations[1].expression': 2:"
    )
    assert "undeclared reference to 'replicas'" in error
    assert "^" in error.splitlines()[-1]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (
            "validations: [{expression: 'variables.nope'}]\n",
            "field 'validations[0].expression': 1:1: no variable 'nope' (none declared here)",
        ),
        (
            "variables: [{name: a, expression: 'variables.b'}, {name: b, expression: '1'}]\n"
            "validations: [{expression: 'true'}]\n",
            "field 'variables[0].expression': 1:1: variables.b is declared after this variable",
        ),
        (
            "variables: [{name: a, expression: '1'}]\n"
            "matchConditions: [{name: c, expression: 'variables.a > 0'}]\n"
            "validations: [{expression: 'true'}]\n",
            "field 'matchConditions[0].expression': 1:1: matchConditions cannot use variables",
        ),
        (
            "validations: [{expression: \"graph.targets(object, 'selectz').size() > 0\"}]\n",
            "field 'validations[0].expression': 1:23: unknown edge 'selectz'",
        ),
        (
            "validations: [{expression: 'graph.targets(object).size() > 0'}]\n",
            "field 'validations[0].expression': 1:14: undeclared reference to 'targets'",
        ),
        (
            "validations: [{expression: 'true', messageExpression: 'object.name +'}]\n",
            "field 'validations[0].messageExpression': 1:14: Syntax error",
        ),
        (
            "match: {objectSelector: {matchExpressions: [{key: a, operator: In}]}}\n"
            "validations: [{expression: 'true'}]\n",
            "field 'match.objectSelector': operator In on a needs values",
        ),
        ("params: {model_x: 1}\nvalidations: [{expression: 'true'}]\n", "'model_x' is not a param name"),
    ],
)
def test_names_and_edges_are_checked_at_load(tmp_path: Path, body: str, error: str) -> None:
    assert error in load_error(tmp_path, body)


# --- judging --------------------------------------------------------------------------------------


def test_message_message_expression_and_fallback(tmp_path: Path, graph: SnapshotGraph) -> None:
    body = """validations:
  - expression: "has(object.metadata.labels.team)"
    message: "no team label"
  - expression: "object.spec.?replicas.orValue(1) > 1"
    messageExpression: >-
      object.metadata.name + ' runs ' + string(object.spec.?replicas.orValue(1)) + ' replica'
  - expression: "object.metadata.name != 'sandbox'"
  - expression: "object.metadata.name != 'stray'"
    messageExpression: "object.metadata.nope"
    message: "stray fallback"
"""
    found = sorted((f.object.name, f.message) for f in run(tmp_path, body, graph).findings)
    assert found == [
        ("sandbox", "failed expression: object.metadata.name != 'sandbox'"),
        ("sandbox", "no team label"),
        ("sandbox", "sandbox runs 1 replica"),
        ("stray", "no team label"),
        ("stray", "stray fallback"),
        ("stray", "stray runs 1 replica"),
        ("worker", "no team label"),
        ("worker", "worker runs 1 replica"),
    ]


def test_severity_per_validation_and_hint(tmp_path: Path, graph: SnapshotGraph) -> None:
    body = """hint: "Set {object.name}'s replicas."
validations:
  - {expression: "object.spec.?replicas.orValue(1) > 1", message: few, severity: error}
  - {expression: "has(object.metadata.labels.team)", message: team}
"""
    found = {
        (f.object.name, f.message): (f.severity.value, f.hint) for f in run(tmp_path, body, graph).findings
    }
    assert found[("worker", "few")] == ("error", "Set worker's replicas.")
    assert found[("worker", "team")] == ("warning", "Set worker's replicas.")
    assert ("web", "few") not in found


def test_match_conditions_and_params(tmp_path: Path, graph: SnapshotGraph) -> None:
    body = """params: {minReplicas: 2, image: nginx}
matchConditions:
  - {name: replicated, expression: "object.spec.?replicas.orValue(1) >= params.minReplicas"}
validations:
  - expression: "object.spec.template.spec.containers.all(c, c.image.startsWith(params.image))"
    message: wrong image
"""
    assert messages(run(tmp_path, body, graph)) == {}  # only web is replicated, and it runs nginx
    changed = body.replace("image: nginx}", "image: httpd}")
    assert messages(run(tmp_path, changed, graph)) == {"web": "wrong image"}
    rule = load(tmp_path, body)
    assert rule.params.model_dump() == {"minReplicas": 2, "image": "nginx"}
    with pytest.raises(ValueError, match="colour"):
        type(rule.params).model_validate({"colour": 1})  # .kubesnap.yaml overrides: names checked


def test_variables_are_lazy_and_ordered(tmp_path: Path, graph: SnapshotGraph) -> None:
    body = """variables:
  - {name: replicas, expression: "object.spec.?replicas.orValue(1)"}
  - {name: double, expression: "variables.replicas * 2"}
  - {name: broken, expression: "object.spec.nope"}
validations:
  - expression: "variables.double >= 4 || variables.broken == 1"
    messageExpression: "object.metadata.name + ': ' + string(variables.double)"
"""
    result = run(tmp_path, body, graph)
    # web has 3 replicas: `broken` is never evaluated; the others reach it and fail on it.
    assert messages(result) == {}
    assert [(c.subject.name if c.subject else None, c.objects) for c in result.coverage] == [
        ("stray", 1),
        ("sandbox", 1),
        ("worker", 1),
    ]
    assert all('Key not found in map : "nope"' in c.reason for c in result.coverage)


def test_a_runtime_error_is_a_coverage_note_and_the_rule_goes_on(
    tmp_path: Path, graph: SnapshotGraph
) -> None:
    body = """validations:
  - {expression: "object.spec.replicas > 2", message: few}
  - {expression: "has(object.metadata.labels.team)", message: team}
"""
    result = run(tmp_path, body, graph)
    assert sorted((f.object.name, f.message) for f in result.findings) == [
        ("sandbox", "team"),
        ("stray", "team"),
        ("worker", "few"),
        ("worker", "team"),
    ]
    notes = [
        (c.namespace, c.objects, c.subject.name if c.subject else None, c.reason) for c in result.coverage
    ]
    reason = 'validations[0].expression: Key not found in map : "replicas"'
    assert notes == [("elsewhere", 1, "stray", reason), ("lab", 1, "sandbox", reason)]
    assert result.coverage[0].describe() == (
        "my-rule: 1 object(s) in namespace elsewhere not checked "
        f"(first: Deployment/elsewhere/stray): {reason}"
    )


def test_a_false_match_condition_hides_what_the_validations_would_fail_on(
    tmp_path: Path, graph: SnapshotGraph
) -> None:
    # The rule's expressions are evaluated together in one evaluation first: a validation that
    # fails at run time on an object whose match condition is false must not become a note.
    body = """matchConditions:
  - {name: replicated, expression: "object.spec.?replicas.orValue(1) >= 3"}
validations:
  - {expression: "object.spec.replicas > 5", message: few}
  - {expression: "object.metadata.name != 'web'", message: named web}
"""
    result = run(tmp_path, body, graph)
    found = sorted((f.object.name, f.message) for f in result.findings)
    assert found == [("web", "few"), ("web", "named web")]
    assert result.coverage == []


def test_expressions_over_the_budget_together_are_judged_one_by_one(
    tmp_path: Path, graph: SnapshotGraph
) -> None:
    # Each validation iterates 6,400 times: within the engine's budget of 10,000 per evaluation
    # alone, over it together; every validation is still judged, as the rule says.
    numbers = ", ".join(str(i) for i in range(80))
    body = f"""params: {{l: [{numbers}]}}
validations:
  - {{expression: "params.l.all(a, params.l.all(b, a >= 0))", message: first}}
  - expression: "params.l.all(a, params.l.all(b, a >= 0)) && object.metadata.name != 'web'"
    message: second
"""
    result = run(tmp_path, body, graph)
    assert sorted((f.object.name, f.message) for f in result.findings) == [("web", "second")]
    assert result.coverage == []


def test_a_non_boolean_validation_is_a_coverage_note(tmp_path: Path, graph: SnapshotGraph) -> None:
    result = run(tmp_path, "validations: [{expression: 'object.metadata.name'}]\n", graph)
    assert not result.findings
    assert {c.reason for c in result.coverage} == {
        "validations[0].expression: must evaluate to a bool, not str"
    }


def test_object_and_namespace_selectors(tmp_path: Path, graph: SnapshotGraph) -> None:
    body = """match:
  namespaceSelector: {matchLabels: {env: prod}}
  objectSelector: {matchExpressions: [{key: team, operator: DoesNotExist}]}
validations: [{expression: "false", message: judged}]
"""
    result = run(tmp_path, body, graph)
    # web has a team label; sandbox is in a dev namespace; stray's Namespace is not in the snapshot.
    assert messages(result) == {"worker": "judged"}
    assert [(c.missing_kind, c.namespace, c.objects) for c in result.coverage] == [
        ("Namespace", "elsewhere", 1)
    ]


def test_namespace_object_is_in_scope(tmp_path: Path, graph: SnapshotGraph) -> None:
    body = """validations:
  - expression: "namespaceObject != null && namespaceObject.metadata.labels.env == 'prod'"
    messageExpression: "'not prod: ' + object.metadata.name"
"""
    assert messages(run(tmp_path, body, graph)) == {
        "sandbox": "not prod: sandbox",
        "stray": "not prod: stray",
    }


# --- graph functions ------------------------------------------------------------------------------


def test_the_issue_example_exposed_workload_has_pdb(tmp_path: Path, graph: SnapshotGraph) -> None:
    body = """params: {minReplicas: 2}
matchConditions:
  - {name: replicated, expression: "object.spec.?replicas.orValue(1) >= params.minReplicas"}
variables:
  - name: exposing
    expression: >-
      graph.sources(object, 'selects')
      .filter(s, s.kind == 'Service' && graph.sources(s, 'routes-to').size() > 0)
  - name: pdbs
    expression: "graph.sources(object, 'selects').filter(p, p.kind == 'PodDisruptionBudget')"
validations:
  - expression: "variables.exposing.size() == 0 || variables.pdbs.size() > 0"
    messageExpression: >-
      object.kind + ' ' + object.metadata.name + ' is exposed but no PodDisruptionBudget selects its pods'
"""
    assert messages(run(tmp_path, body, graph)) == {
        "web": "Deployment web is exposed but no PodDisruptionBudget selects its pods"
    }
    pdb = """
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: shop}
spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}
"""
    assert messages(run(tmp_path, body, graph_from_yaml(MANIFESTS + pdb))) == {}


def test_targets_sources_missing_get_and_list(tmp_path: Path, graph: SnapshotGraph) -> None:
    head = HEAD.replace("[Deployment]", "[Service, Deployment]")
    body = r"""validations:
  - expression: "false"
    messageExpression: >-
      object.kind == 'Service'
      ? 'selects ' + graph.targets(object, 'selects').map(o, o.metadata.name).join(',')
        + '; all in: ' + graph.sources(object, '*').map(o, o.kind).join(',')
      : 'missing ' + graph.missing(object, 'references')
          .map(m, m.kind + '/' + m.namespace + '/' + m.name).join(',')
        + '; service '
        + string(graph.get('Service', object.metadata.namespace, object.metadata.name).hasValue())
        + '; ' + string(graph.list('Deployment', object.metadata.namespace).size()) + ' here'
"""
    result = run(tmp_path, body, graph, head)
    by_kind = {(f.object.kind, f.object.name): f.message for f in result.findings}
    assert by_kind[("Service", "web")] == "selects web; all in: Ingress"
    assert by_kind[("Deployment", "web")] == (
        "missing ConfigMap/shop/web-config,ServiceAccount/shop/default; service true; 2 here"
    )
    assert by_kind[("Deployment", "worker")] == "missing ServiceAccount/shop/default; service false; 2 here"


def test_graph_get_gives_an_optional(tmp_path: Path, graph: SnapshotGraph) -> None:
    body = """validations:
  - expression: >-
      graph.get('Service', object.metadata.namespace, object.metadata.name)
      .?spec.ports[0].port.orValue(0) == 80
    message: no service on 80
"""
    assert set(messages(run(tmp_path, body, graph))) == {"worker", "sandbox", "stray"}


def test_a_graph_function_given_a_non_object_is_a_coverage_note(tmp_path: Path, graph: SnapshotGraph) -> None:
    body = "validations: [{expression: \"graph.targets({'kind': 'Pod'}, 'selects').size() == 0\"}]\n"
    result = run(tmp_path, body, graph)
    assert not result.findings
    assert {c.reason for c in result.coverage} == {
        "validations[0].expression: graph.targets: the first argument is not an object of the snapshot"
    }


def test_an_edge_given_at_run_time_is_checked_then(tmp_path: Path, graph: SnapshotGraph) -> None:
    body = 'validations: [{expression: "graph.targets(object, object.metadata.name).size() == 0"}]\n'
    result = run(tmp_path, body, graph)
    assert not result.findings
    assert [c.subject.name for c in result.coverage if c.subject] == ["stray", "sandbox", "web", "worker"]
    assert "unknown edge 'web' (known: monitors, owned-by," in result.coverage[2].reason


POD_SPECS = """apiVersion: v1
kind: Pod
metadata: {name: pod, namespace: a}
spec: {containers: [{name: app, image: app:1}]}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: a}
spec:
  schedule: "0 3 * * *"
  jobTemplate: {spec: {template: {spec: {containers: [{name: job, image: job:1}]}}}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: a}
spec:
  selector: {matchLabels: {app: db}}
  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: db:1}]}}
---
apiVersion: v1
kind: PodTemplate
metadata: {name: tpl, namespace: a}
template: {spec: {containers: [{name: tpl, image: tpl:1}]}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: a}
"""


def test_pod_spec_is_the_spec_every_kind_runs_pods_with(tmp_path: Path) -> None:
    head = "id: my-rule\ntitle: t\nseverity: warning\napplies_to: ['*']\n"
    body = """validations:
  - expression: "false"
    messageExpression: >-
      podSpec.?containers.orValue([]).map(c, c.name).join(',') + '|' + string(podSpec.size())
"""
    assert messages(run(tmp_path, body, graph_from_yaml(POD_SPECS), head)) == {
        "pod": "app|1",
        "nightly": "job|1",
        "db": "db|1",
        "tpl": "tpl|1",
        "settings": "|0",
    }


# --- objects converted by kind, lazily ---------------------------------------------------------------

MANY_KINDS = "\n---\n".join(
    f"apiVersion: example.com/v1\nkind: Kind{k}\nmetadata: {{name: item{i}, namespace: a}}"
    for k in range(20)
    for i in range(20 - k)  # Kind0 has the most objects: kinds are ranked by count
)


def test_objects_of_more_kinds_than_maps_are_all_read_right(tmp_path: Path) -> None:
    """Kinds are spread over BUCKETS maps (the rarest share the last one): every object read,
    by any route (the subject, graph.list, graph.get), is the right one."""
    head = "id: my-rule\ntitle: t\nseverity: warning\napplies_to: ['*']\n"
    body = """validations:
  - expression: "false"
    messageExpression: >-
      object.kind + '/' + object.metadata.name + ' '
      + graph.list('example.com/' + object.kind, 'a').map(o, o.kind + '/' + o.metadata.name).join(',')
      + ' ' + graph.get('example.com/' + object.kind, 'a', 'item0').orValue({'kind': 'none'}).kind
      + ' ' + string(graph.get('example.com/' + object.kind, 'a', 'item99').hasValue())
"""
    graph = graph_from_yaml(MANY_KINDS)
    result = run(tmp_path, body, graph, head)
    found = {(f.object.kind, f.object.name): f.message for f in result.findings}
    assert len(found) == sum(20 - k for k in range(20)) and not result.coverage
    for k in range(20):
        every = ",".join(f"Kind{k}/item{i}" for i in sorted(range(20 - k), key=str))
        assert found[(f"Kind{k}", "item0")] == f"Kind{k}/item0 {every} Kind{k} false"


def test_the_kinds_with_most_objects_get_a_map_each(tmp_path: Path) -> None:
    """Reading a Service must not make the engine convert every Pod: the objects are bound as
    one map per kind (the most numerous first), each converted only when read."""
    from analyzer.rules.cel.graph_functions import ObjectIndex
    from analyzer.rules.cel.source import BUCKETS

    index = ObjectIndex(graph_from_yaml(MANY_KINDS))
    buckets = {
        obj.kind: {number % BUCKETS for number, o in index.sources.items() if o.kind == obj.kind}
        for obj in index.sources.values()
    }
    rest = BUCKETS - 2  # the last map holds the objects judged through another (below)
    assert [buckets[f"Kind{k}"] for k in range(rest)] == [{k} for k in range(rest)]
    assert all(buckets[f"Kind{k}"] == {rest} for k in range(rest, 20))
    assert not any(index.objects), "maps are filled when first needed, not before"
    index.ready(next(n for n, o in index.sources.items() if o.kind == "Kind19"))
    filled = {n for m in index.objects for n in m}
    assert {index.sources[n].kind for n in filled} == {f"Kind{k}" for k in range(rest, 20)}
    for number in index.sources:
        index.ready(number)
    assert all(number in index.objects[number % BUCKETS] for number in index.sources)


def test_a_map_is_filled_whole_when_one_of_its_objects_is_first_handed_over(tmp_path: Path) -> None:
    """The subject, its Namespace and what graph functions return are converted with their
    maps (so the engine, which reads a map once, sees it whole); a kind no rule reaches is
    never copied for the engine."""
    from analyzer.rules.cel.graph_functions import index_of
    from analyzer.rules.cel.source import BUCKETS

    head = HEAD.replace("[Deployment]", "[Service]")
    body = """validations:
  - expression: "false"
    messageExpression: >-
      namespaceObject.metadata.labels.env + ' '
      + graph.targets(object, 'selects').map(d, d.kind + '/' + d.metadata.name).join(',') + ' '
      + graph.get('Deployment', 'lab', 'sandbox').orValue({'spec': {}}).spec.template.metadata.labels.app
"""
    graph = graph_from_yaml(MANIFESTS)
    result = run(tmp_path, body, graph, head)
    assert [(f.object.name, f.message) for f in result.findings] == [("web", "prod Deployment/web sandbox")]
    index = index_of(graph)
    converted = {index.sources[n].kind for m in index.objects for n in m}
    assert converted == {"Service", "Namespace", "Deployment"}
    ingress = next(n for n, o in index.sources.items() if o.kind == "Ingress")
    assert index.objects[ingress % BUCKETS] == {}


def test_the_pods_judged_through_another_have_a_map_of_their_own() -> None:
    """A rule that judges the Pods of an absent ReplicaSet through the first of them never reads
    the others: they are in the last map, which such a run never converts."""
    from analyzer.rules.cel.graph_functions import ObjectIndex
    from analyzer.rules.cel.source import BUCKETS

    def pod(name: str, owner: str) -> str:
        return (
            f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: shop\n"
            f"  ownerReferences: [{{apiVersion: apps/v1, kind: ReplicaSet, name: {owner}, "
            "controller: true}]\n"
            "spec: {containers: [{name: app, image: web:1}]}\n---\n"
        )

    text = pod("web-b", "web") + pod("web-a", "web") + pod("web-c", "web") + pod("db-a", "db")
    index = ObjectIndex(graph_from_yaml(text))
    buckets = {o.name: number % BUCKETS for number, o in index.sources.items()}
    assert buckets == {"web-a": 0, "db-a": 0, "web-b": BUCKETS - 1, "web-c": BUCKETS - 1}


def test_a_counted_graph_call_counts_what_the_listed_one_holds(tmp_path: Path, graph: SnapshotGraph) -> None:
    """``graph.sources(o, e).size()`` runs on ids alone: the same count as the objects."""
    head = HEAD.replace("[Deployment]", "[Service, Deployment]")
    body = """validations:
  - expression: "false"
    messageExpression: >-
      string(graph.sources(object, '*').size()) + '=' + string(graph.sources(object, '*').map(o, o).size())
      + ' ' + string(graph.targets(dyn(object), 'selects').size()) + ' '
      + string(graph.list('Deployment', '').size())
"""
    result = run(tmp_path, body, graph, head)
    by_kind = {(f.object.kind, f.object.name): f.message for f in result.findings}
    assert by_kind[("Service", "web")] == "1=1 1 4"
    assert by_kind[("Deployment", "web")] == "1=1 0 4"
    assert by_kind[("Deployment", "worker")] == "0=0 0 4"


def test_object_bound_by_a_macro_is_that_object_in_graph_calls(tmp_path: Path, graph: SnapshotGraph) -> None:
    """``object`` passed to a graph function is the subject, without reading it, unless the
    expression binds another ``object`` (a macro's variable)."""
    head = HEAD.replace("[Deployment]", "[Service]")
    body = """validations:
  - expression: "false"
    messageExpression: >-
      graph.targets(object, 'selects').map(object, graph.sources(object, 'selects').size())
      .map(n, string(n)).join(',') + ' ' + string(graph.targets(object, 'selects').size())
"""
    assert messages(run(tmp_path, body, graph, head)) == {"web": "1 1"}


def test_the_engine_form_reads_no_object_it_does_not_need() -> None:
    """What runs (text in, text out): ``object`` given to a graph function is its id, a counted
    graph call is a count of ids, and ``object`` is read only where the expression reads it."""
    from analyzer.rules.cel.source import rewrite, with_scope

    counted = " ".join(with_scope(rewrite("graph.targets(object, 'owned-by').size() == 0")).split())
    assert counted == "kubesnap_targets(kubesnap_subject(), 'owned-by').size() == 0"
    listed = " ".join(rewrite("graph.sources(object, 'selects').exists(s, s.kind == 'Service')").split())
    assert listed.startswith("kubesnap_sources(kubesnap_subject(), 'selects').map(kubesnap_i, ")
    shadowed = rewrite("[1].exists(object, graph.targets(object, 'x').size() > 0)")
    assert "kubesnap_subject()" not in shadowed and "kubesnap_targets(dyn(kubesnap_object)" in shadowed
    assert "kubesnap_subject()" in with_scope(rewrite("object.metadata.name == ''"))


def test_a_run_s_converted_objects_go_with_its_graph(tmp_path: Path) -> None:
    """The objects converted for the engine live as long as the graph, not as the process."""
    import gc

    from analyzer.rules.cel.graph_functions import _INDEXES

    graph = graph_from_yaml(POD_SPECS)
    head = "id: my-rule\ntitle: t\nseverity: warning\napplies_to: ['*']\n"
    run(tmp_path, "validations:\n  - expression: \"object.kind != ''\"\n", graph, head)
    assert graph in _INDEXES
    before = len(_INDEXES)
    del graph
    gc.collect()
    assert len(_INDEXES) == before - 1


def test_pod_spec_of_a_broken_object_is_empty_not_an_error(tmp_path: Path) -> None:
    broken = """apiVersion: apps/v1
kind: Deployment
metadata: {name: null-template, namespace: a}
spec: {template: null}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: number-spec, namespace: a}
spec: {template: {spec: 5}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: null-job, namespace: a}
spec: {jobTemplate: {spec: null}}
---
apiVersion: v1
kind: Pod
metadata: {name: pod-null, namespace: a}
spec: null
"""
    head = "id: my-rule\ntitle: t\nseverity: warning\napplies_to: ['*']\n"
    body = """validations:
  - expression: "false"
    messageExpression: "string(podSpec.size())"
"""
    result = run(tmp_path, body, graph_from_yaml(broken), head)
    assert result.coverage == []
    assert messages(result) == dict.fromkeys(("null-template", "number-spec", "null-job", "pod-null"), "0")


def test_every_builtin_cel_rule_compiles_as_a_users_would() -> None:
    # A built-in rule is compiled lazily at run time (no type check of the source as written,
    # each expression's own program on first use): here every expression of each is compiled
    # and type-checked now, so that nothing can fail to compile during a run.
    from analyzer.rules.catalog import load_catalog
    from analyzer.rules.cel.rule import compile_rule

    compiled = 0
    for rule in load_catalog():
        if rule.spec.validations:
            eager = compile_rule(f"built-in {rule.id}", rule.spec)
            lazy = compile_rule(f"built-in {rule.id}", rule.spec, lazy=True)
            for validation in eager.validations:
                assert validation.expression.program is not None
                assert validation.message_expression is None or validation.message_expression.program
            assert [c.field for c in lazy.conditions] == [c.field for c in eager.conditions]
            assert (lazy.together is None) == (eager.together is None)
            compiled += 1
    assert compiled >= 23
