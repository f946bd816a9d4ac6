"""A ``skip_controlled`` rule judges the objects of a controller the snapshot lacks once (a dump
of Pods alone: the Pods of one ReplicaSet), through the first of them by name, per controller
and template revision; everything else is judged as before."""

from __future__ import annotations

from pathlib import Path

from conftest import graph_from_yaml

from analyzer.rules import evaluate
from analyzer.rules.catalog import Rule, load_rule_file
from analyzer.rules.evaluate import Evaluation

RULE = """id: no-root
title: Runs as root
severity: warning
applies_to: {kinds}
skip_controlled: {skip}
validations:
  - expression: "podSpec.?securityContext.?runAsNonRoot.orValue(false) == true"
    messageExpression: "object.kind + ' ' + object.metadata.name + ' may run as root'"
"""


def pod(name: str, owner: str | None = "ReplicaSet/web-7d4", revision: str = "7d4", extra: str = "") -> str:
    owners = ""
    if owner is not None:
        kind, owner_name = owner.split("/")
        version = "v1" if kind == "Node" else "apps/v1"
        owners = (
            f"  ownerReferences: [{{apiVersion: {version}, kind: {kind}, name: {owner_name}, "
            f"uid: u-{owner_name}, controller: true}}]\n"
        )
    return (
        f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: shop\n"
        f"  labels: {{app: web, pod-template-hash: '{revision}'}}\n{owners}{extra}"
        "spec:\n  containers: [{name: app, image: web:1}]\n---\n"
    )


REPLICASET = """apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web-7d4, namespace: shop, uid: u-web-7d4}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: web:1}]}
---
"""

ALL_KINDS = "[Pod, ReplicaSet, StatefulSet, DaemonSet, Job]"


def run(tmp_path: Path, manifests: str, kinds: str = ALL_KINDS, skip: str = "true") -> Evaluation:
    path = tmp_path / "no-root.yaml"
    path.write_text(RULE.format(kinds=kinds, skip=skip), encoding="utf-8")
    rule: Rule = load_rule_file(path)
    return evaluate([rule], graph_from_yaml(manifests))


def found(result: Evaluation) -> list[tuple[str, str]]:
    return sorted((f"{f.object.kind}/{f.object.name}", f.message) for f in result.findings)


def test_the_pods_of_an_absent_replicaset_are_judged_once(tmp_path: Path) -> None:
    # Listed out of order: the first by name stands for the others.
    pods = pod("web-7d4-c") + pod("web-7d4-a") + pod("web-7d4-b") + pod("web-7d4-d") + pod("web-7d4-e")
    result = run(tmp_path, pods)
    assert found(result) == [
        (
            "Pod/web-7d4-a",
            "Pod web-7d4-a may run as root [judged once for the 5 Pods of ReplicaSet shop/web-7d4, "
            "which the snapshot lacks; the others: web-7d4-b, web-7d4-c, web-7d4-d "
            "and 1 more]",
        )
    ]
    assert [r.name for r in result.findings[0].related] == [
        "web-7d4-b",
        "web-7d4-c",
        "web-7d4-d",
        "web-7d4-e",
    ]


def test_with_the_replicaset_in_the_snapshot_it_is_judged_instead(tmp_path: Path) -> None:
    result = run(tmp_path, REPLICASET + pod("web-7d4-a") + pod("web-7d4-b"))
    assert found(result) == [("ReplicaSet/web-7d4", "ReplicaSet web-7d4 may run as root")]


def test_each_template_revision_is_a_group(tmp_path: Path) -> None:
    owner = "StatefulSet/db"
    pods = pod("db-0", owner, "db-1", "") + pod("db-1", owner, "db-1") + pod("db-2", owner, "db-2")
    assert [name for name, _ in found(run(tmp_path, pods))] == ["Pod/db-0", "Pod/db-2"]
    assert "the others: db-1]" in found(run(tmp_path, pods))[0][1]
    assert found(run(tmp_path, pods))[1][1] == "Pod db-2 may run as root"  # alone: no group


def test_near_misses_are_judged_one_by_one(tmp_path: Path) -> None:
    pods = pod("web-7d4-a") + pod("web-7d4-b")
    each = [
        ("Pod/web-7d4-a", "Pod web-7d4-a may run as root"),
        ("Pod/web-7d4-b", "Pod web-7d4-b may run as root"),
    ]
    # a rule without skip_controlled judges every object
    assert found(run(tmp_path, pods, skip="false")) == each
    # a rule that does not judge the controller's kind judges every Pod
    assert found(run(tmp_path, pods, kinds="[Pod]")) == each
    # mirror Pods (controlled by their Node) and Pods without an owner are their own
    mirrors = pod("etcd-a", "Node/a") + pod("etcd-b", "Node/a") + pod("solo-a", None) + pod("solo-b", None)
    assert [name for name, _ in found(run(tmp_path, mirrors))] == [
        "Pod/etcd-a",
        "Pod/etcd-b",
        "Pod/solo-a",
        "Pod/solo-b",
    ]
    # two ReplicaSets of one name in two namespaces, or two uids, are two controllers
    other = pod("web-7d4-c").replace("uid: u-web-7d4", "uid: u-other")
    assert [name for name, _ in found(run(tmp_path, pods + other))] == ["Pod/web-7d4-a", "Pod/web-7d4-c"]


def test_a_coverage_note_counts_every_object_of_the_group(tmp_path: Path) -> None:
    path = tmp_path / "no-root.yaml"
    path.write_text(
        RULE.format(kinds=ALL_KINDS, skip="true").replace(
            "podSpec.?securityContext.?runAsNonRoot.orValue(false) == true", "podSpec.nope == 1"
        ),
        encoding="utf-8",
    )
    result = evaluate(
        [load_rule_file(path)], graph_from_yaml(pod("web-7d4-a") + pod("web-7d4-b") + pod("web-7d4-c"))
    )
    assert not result.findings
    assert [(c.objects, c.subject.name if c.subject else None) for c in result.coverage] == [(3, "web-7d4-a")]


def test_the_built_in_reference_rules_judge_an_absent_replicasets_pods_once(tmp_path: Path) -> None:
    """missing-reference (and the other pod-spec configuration rules) judge the Pods of a
    ReplicaSet the dump lacks once: the same reference, from one template, is one finding."""
    from analyzer import pipeline

    refs = "  volumes: [{name: conf, configMap: {name: web-conf}}]\n"
    pods = "".join(
        pod(name).replace(
            "spec:\n  containers: [{name: app, image: web:1}]\n",
            "spec:\n  containers: [{name: app, image: web:1}]\n" + refs,
        )
        for name in ("web-7d4-a", "web-7d4-b", "web-7d4-c")
    )
    other = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other, namespace: shop}\ndata: {a: b}\n"
    path = tmp_path / "pods.yaml"
    path.write_text(pods + other, encoding="utf-8")
    report = pipeline.analyse([str(path)]).report
    found = [(f.object.name, f.message) for f in report.findings if f.rule == "missing-reference"]
    assert len(found) == 1
    name, message = found[0]
    assert name == "web-7d4-a"
    assert "web-conf" in message
    assert message.endswith(
        "[judged once for the 3 Pods of ReplicaSet shop/web-7d4, which the snapshot lacks; the others: "
        "web-7d4-b, web-7d4-c]"
    )
