"""Baselines: ``kubesnap baseline create`` writes the findings' fingerprints, ``check --baseline``
hides them (a multiset), counted as baselined; moved lines, reordered documents and renamed files
keep them hidden; a new finding still shows; a bad baseline file is a clear error."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest
import yaml
from conftest import REPO, default_rules, graph_from_yaml, run_cli

from analyzer.errors import KubesnapError
from analyzer.findings import Finding, Severity, fingerprint, finish
from analyzer.findings.baseline import dumps, hide, read
from analyzer.load.types import Location
from analyzer.model import ObjectRef
from analyzer.report import schema
from analyzer.rules import evaluate

BEFORE = REPO / "fixtures" / "blueocean" / "before"


def finding(name: str, message: str = "selects nothing", line: int = 1) -> Finding:
    ref = ObjectRef("v1", "Service", "shop", name)
    return Finding("service-selector-matches-nothing", Severity.ERROR, ref, message, Location("a.yaml", line))


def test_hide_is_a_multiset() -> None:
    twin_a, twin_b, other = finding("web", line=1), finding("web", line=9), finding("api")
    kept, hidden = hide([twin_a, twin_b, other], Counter({fingerprint(twin_a): 1}))
    assert (kept, hidden) == ([twin_b, other], 1)  # one entry hides one of the twins, the first
    kept, hidden = hide([twin_a, twin_b, other], Counter({fingerprint(twin_a): 2, fingerprint(other): 1}))
    assert (kept, hidden) == ([], 3)


def test_another_message_is_another_finding() -> None:
    old, new = finding("web", "selects app=web"), finding("web", "selects app=webb")
    assert hide([new], Counter({fingerprint(old): 1})) == ([new], 0)


def test_dumps_sorted_versioned_and_readable(tmp_path: Path) -> None:
    findings = [finding("web"), finding("api"), finding("web", line=7)]
    text = dumps(findings)
    assert text == dumps(list(reversed(findings)))  # input order does not matter
    data = json.loads(text)
    assert data["version"] == 1
    assert [e["object"] for e in data["findings"]] == [
        "Service/shop/api",
        "Service/shop/web",
        "Service/shop/web",
    ]
    assert data["findings"][0] == {
        "fingerprint": fingerprint(findings[1]),
        "rule": "service-selector-matches-nothing",
        "object": "Service/shop/api",
        "message": "selects nothing",
    }
    path = tmp_path / "b.json"
    path.write_text(text, encoding="utf-8")
    assert read(path) == Counter({fingerprint(findings[0]): 2, fingerprint(findings[1]): 1})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"version": 1,\n "findings": [}', r"b\.json:2: not a baseline \(invalid JSON"),
        ('{"version": 2, "findings": []}', r"b\.json: not a baseline: version: .*version 1"),
        ('{"findings": []}', r"b\.json: not a baseline: version: Field required"),
        (
            '{"version": 1, "findings": [{"fingerprint": "xyz", "rule": "r", "object": "o", '
            '"message": "m"}]}',
            r"b\.json: not a baseline: findings\.0\.fingerprint: String should match pattern",
        ),
        ('{"version": 1, "findings": [], "extra": 1}', r"b\.json: not a baseline: extra: unknown field"),
        ("[]", r"b\.json: not a baseline: \(top level\)"),
    ],
)
def test_bad_baseline_files(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KubesnapError, match=expected):
        read(path)


def test_missing_baseline_is_exit_2_before_reading(tmp_path: Path) -> None:
    code, output = run_cli(["check", str(BEFORE), "--baseline", str(tmp_path / "nope.json")])
    assert code == 2
    assert output.startswith(f"kubesnap: {tmp_path / 'nope.json'}: cannot read the baseline: No such file")
    assert "Traceback" not in output


def summary_of(output: str) -> dict[str, int]:
    report = schema.validate(output)
    return dict(report["summary"])


def create(tmp_path: Path, *paths: str) -> Path:
    out = tmp_path / "baseline.json"
    code, output = run_cli(["baseline", "create", *paths, "-o", str(out)])
    assert code == 0, output
    return out


def test_blueocean_baselined_shows_nothing_and_counts_everything(tmp_path: Path) -> None:
    code, output = run_cli(["check", str(BEFORE), "--format", "json"])
    assert code == 1
    before = json.loads(output)
    total = len(before["findings"])
    assert total > 10

    baseline = create(tmp_path, str(BEFORE))
    entries = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    assert sorted(e["fingerprint"] for e in entries) == sorted(f["fingerprint"] for f in before["findings"])
    assert create(tmp_path, str(BEFORE)).read_text(encoding="utf-8") == baseline.read_text(encoding="utf-8")

    code, output = run_cli(["check", str(BEFORE), "--format", "json", "--baseline", str(baseline)])
    assert code == 0
    after = json.loads(output)
    assert after["findings"] == []
    assert after["root_causes"] == []
    assert summary_of(output) == {"error": 0, "warning": 0, "info": 0, "suppressed": 0, "baselined": total}

    code, output = run_cli(["check", str(BEFORE), "--baseline", str(baseline)])
    assert code == 0
    assert output.splitlines()[-1].endswith(f"; {total} baselined")


def rewrite(
    source: Path, target: Path, extra: Sequence[dict[str, object]] = (), reverse: bool = False
) -> None:
    """The objects of ``source``'s files as one document each, grouped by kind (Services first,
    Events last: the documents reordered), under other file names, every line moved: what a
    team's reshuffle of its manifests looks like. Objects of one kind keep their order, unless
    ``reverse``."""
    items: list[dict[str, object]] = []
    for file in sorted(source.iterdir()):
        for doc in yaml.safe_load_all(file.read_text(encoding="utf-8")):
            items.extend(doc["items"] if doc.get("kind") == "List" else [doc])
    items.sort(key=lambda item: str(item["kind"]), reverse=True)
    if reverse:
        items.reverse()
    target.mkdir()
    half = len(items) // 2
    for name, part in (("zz-second.yaml", items[:half]), ("aa-first.yaml", items[half:] + list(extra))):
        body = "\n---\n".join(json.dumps(i, indent=1, sort_keys=True) for i in part)
        (target / name).write_text("# moved\n\n" + body + "\n", encoding="utf-8")


BROKEN = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "settings", "namespace": "shop"},
}
# A hardened Pod (securityContext, resources): the only new break it brings is the typo.
BROKEN_USER = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "reader", "namespace": "shop"},
    "spec": {
        "containers": [
            {
                "name": "c",
                "image": "busybox:1",
                "envFrom": [{"configMapRef": {"name": "setings"}}],
                "securityContext": {"allowPrivilegeEscalation": False, "runAsNonRoot": True},
                "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}, "limits": {"memory": "16Mi"}},
            }
        ]
    },
}


def test_moved_reordered_renamed_still_hidden_and_a_new_break_shows(tmp_path: Path) -> None:
    baseline = create(tmp_path, str(BEFORE))
    moved = tmp_path / "moved"
    rewrite(BEFORE, moved)
    code, output = run_cli(["check", str(moved), "--format", "json", "--baseline", str(baseline)])
    assert code == 0, output
    report = json.loads(output)
    assert report["findings"] == []
    assert report["summary"]["baselined"] == len(json.loads(baseline.read_text(encoding="utf-8"))["findings"])

    broken = tmp_path / "broken"
    rewrite(BEFORE, broken, extra=[BROKEN, BROKEN_USER])
    code, output = run_cli(["check", str(broken), "--format", "json", "--baseline", str(baseline)])
    assert code == 1
    report = json.loads(output)
    shown = [(f["rule"], f["object"]["kind"], f["object"]["name"]) for f in report["findings"]]
    # The typo leaves the new ConfigMap unused (true, info) and the Pod's reference missing.
    assert shown == [("unused-configmap", "ConfigMap", "settings"), ("missing-reference", "Pod", "reader")]
    assert "setings" in report["findings"][1]["message"]


def test_reversed_objects_of_one_kind_still_hidden(tmp_path: Path) -> None:
    baseline = create(tmp_path, str(BEFORE))
    moved = tmp_path / "reversed"
    rewrite(BEFORE, moved, reverse=True)
    code, output = run_cli(["check", str(moved), "--format", "json", "--baseline", str(baseline)])
    assert json.loads(output)["findings"] == []
    assert code == 0


SUPPRESSED_AND_NOT = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: web:1
          securityContext: {allowPrivilegeEscalation: false, runAsNonRoot: true}
          resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {memory: 16Mi}}
---
apiVersion: v1
kind: Service
metadata: {name: quiet, namespace: shop, annotations: {kubesnap.io/ignore: all}}
spec: {selector: {app: wbe}}
---
apiVersion: v1
kind: Service
metadata: {name: loud, namespace: shop}
spec: {selector: {app: wbe}}
"""


def test_suppression_comes_first_and_uses_no_entry() -> None:
    graph = graph_from_yaml(SUPPRESSED_AND_NOT)
    findings = evaluate(default_rules(), graph).findings
    assert sorted(f.object.name for f in findings) == ["loud", "quiet"]
    every = Counter(fingerprint(f) for f in findings)
    done = finish(findings, graph, baseline=every)
    assert (done.kept, done.suppressed, done.baselined) == ([], 1, 1)
    loud_only = Counter(fingerprint(f) for f in findings if f.object.name == "loud")
    done = finish(findings, graph, baseline=loud_only)
    assert (done.kept, done.suppressed, done.baselined) == ([], 1, 1)
    done = finish(findings, graph, baseline=every - loud_only)
    assert ([f.object.name for f in done.kept], done.suppressed, done.baselined) == (["loud"], 1, 0)
