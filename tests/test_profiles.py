"""Profiles (default, strict, all) choose which rules run; ``--kube-version`` and the dump's
Nodes choose the Kubernetes version version-dependent rules judge against."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

from analyzer.config import Config
from analyzer.graph import build_graph
from analyzer.load import load_named
from analyzer.model import build_snapshot
from analyzer.model.versions import NEWEST, KubeVersion, kubelet_version, parse_version

RULE = """id: team-{profile}-rule
title: ConfigMap without an owner label ({profile})
severity: warning
profile: {profile}
applies_to: [ConfigMap]
validations:
  - expression: "has(object.metadata.labels) && 'owner' in object.metadata.labels"
    message: "ConfigMap has no owner label"
"""

MANIFEST = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop}\n"


def fired(tmp_path: Path, *extra: str, config: str = "{}") -> list[str]:
    rules = tmp_path / "rules"
    rules.mkdir(exist_ok=True)
    for profile in ("default", "strict", "all"):
        (rules / f"team-{profile}-rule.yaml").write_text(RULE.format(profile=profile), encoding="utf-8")
    (tmp_path / "m.yaml").write_text(MANIFEST, encoding="utf-8")
    (tmp_path / "cfg.yaml").write_text(config, encoding="utf-8")
    args = ["check", str(tmp_path / "m.yaml"), "--rules", str(rules), "--config", str(tmp_path / "cfg.yaml")]
    code, output = run_cli([*args, "--format", "json", *extra])
    assert code in (0, 1), output
    return sorted(f["rule"] for f in json.loads(output)["findings"] if f["rule"].startswith("team-"))


def test_default_profile_runs_only_default_rules(tmp_path: Path) -> None:
    assert fired(tmp_path) == ["team-default-rule"]


def test_each_profile_holds_the_ones_before_it(tmp_path: Path) -> None:
    assert fired(tmp_path, "--profile", "strict") == ["team-default-rule", "team-strict-rule"]
    assert fired(tmp_path, "--profile", "all") == ["team-all-rule", "team-default-rule", "team-strict-rule"]


def test_configuration_profile_and_command_line_override(tmp_path: Path) -> None:
    assert fired(tmp_path, config="profile: strict") == ["team-default-rule", "team-strict-rule"]
    assert fired(tmp_path, "--profile", "default", config="profile: all") == ["team-default-rule"]


def test_a_rule_of_a_wider_profile_enabled_by_name(tmp_path: Path) -> None:
    config = "rules: {team-all-rule: {enabled: true}, team-default-rule: {enabled: false}}"
    assert fired(tmp_path, config=config) == ["team-all-rule"]
    # Naming a rule without enabling it (a severity change) does not opt it in.
    assert fired(tmp_path, config="rules: {team-strict-rule: {severity: error}}") == ["team-default-rule"]


@pytest.mark.parametrize(
    ("text", "version"),
    [("1.30", KubeVersion(1, 30)), ("v1.29.4-eks-1", KubeVersion(1, 29)), ("1", None), ("one.two", None)],
)
def test_parse_version(text: str, version: KubeVersion | None) -> None:
    assert parse_version(text) == version


def test_bad_kube_version_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(MANIFEST, encoding="utf-8")
    code, output = run_cli(["check", str(tmp_path / "m.yaml"), "--kube-version", "1.30.2"])
    assert code == 2
    assert "expected MAJOR.MINOR" in output
    (tmp_path / "cfg.yaml").write_text("kube_version: latest", encoding="utf-8")
    code, output = run_cli(["check", str(tmp_path / "m.yaml"), "--config", str(tmp_path / "cfg.yaml")])
    assert code == 2
    assert "kube_version" in output


NODE = """apiVersion: v1
kind: Node
metadata: {{name: {name}}}
status: {{nodeInfo: {{kubeletVersion: {version}}}}}
"""


def graph_of(text: str, config: Config) -> object:
    loaded = load_named([("dump.yaml", text.encode())])
    return build_graph(build_snapshot(loaded), config.target_version())


def test_target_version_given_then_nodes_then_newest() -> None:
    nodes = NODE.format(name="a", version="v1.29.8") + "---\n" + NODE.format(name="b", version="v1.30.1")
    assert graph_of(nodes, Config()).target_version() == (KubeVersion(1, 30), "nodes")  # type: ignore[attr-defined]
    given = Config(kube_version="1.27")
    assert graph_of(nodes, given).target_version() == (KubeVersion(1, 27), "given")  # type: ignore[attr-defined]
    assert graph_of(MANIFEST, Config()).target_version() == (NEWEST, "default")  # type: ignore[attr-defined]


def test_kubelet_version_ignores_malformed_nodes() -> None:
    assert kubelet_version([{"status": {"nodeInfo": {"kubeletVersion": 130}}}, {"status": "x"}]) is None
