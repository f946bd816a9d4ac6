""".kubesnap.yaml is found from the current folder upward to the repository root (the first
folder holding .git), or to the home folder outside a repository; relative paths in it stay
relative to it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

from analyzer.config import find_config, load_config

OFF = "rules: {duplicate-object: {enabled: false}}\n"
DUPLICATES = """apiVersion: v1
kind: ConfigMap
metadata: {name: dup, namespace: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: dup, namespace: shop}
"""


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp/home/repo/.git and tmp/home/repo/deploy/prod, the home folder being tmp/home."""
    home = tmp_path / "home"
    (home / "repo" / ".git").mkdir(parents=True)
    (home / "repo" / "deploy" / "prod").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    return tmp_path


def test_found_above_the_current_folder(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tree / "home" / "repo"
    (repo / ".kubesnap.yaml").write_text(OFF, encoding="utf-8")
    monkeypatch.chdir(repo / "deploy" / "prod")
    assert find_config() == Path("../../.kubesnap.yaml")
    assert load_config(None).source == "../../.kubesnap.yaml"
    assert not load_config(None).rules["duplicate-object"].enabled


def test_the_nearest_wins(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tree / "home" / "repo"
    (repo / ".kubesnap.yaml").write_text(OFF, encoding="utf-8")
    (repo / "deploy" / ".kubesnap.yaml").write_text("{}\n", encoding="utf-8")
    monkeypatch.chdir(repo / "deploy" / "prod")
    assert find_config() == Path("../.kubesnap.yaml")


def test_not_looked_for_above_the_repository_root(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tree / "home" / ".kubesnap.yaml").write_text(OFF, encoding="utf-8")
    monkeypatch.chdir(tree / "home" / "repo" / "deploy")
    assert find_config() is None
    assert load_config(None).rules == {}


def test_a_git_file_marks_a_root_too(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worktree or a submodule has a .git file, not a folder."""
    outer = tree / "home" / "repo"
    (outer / ".kubesnap.yaml").write_text(OFF, encoding="utf-8")
    (outer / "deploy" / ".git").write_text("gitdir: ../.git/worktrees/deploy\n", encoding="utf-8")
    monkeypatch.chdir(outer / "deploy" / "prod")
    assert find_config() is None


def test_outside_a_repository_up_to_the_home_folder(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tree / "home"
    (home / "notes" / "k8s").mkdir(parents=True)
    monkeypatch.chdir(home / "notes" / "k8s")
    assert find_config() is None
    (home / ".kubesnap.yaml").write_text(OFF, encoding="utf-8")
    assert find_config() == Path("../../.kubesnap.yaml")
    (tree / ".kubesnap.yaml").write_text(OFF, encoding="utf-8")  # above the home folder
    (home / ".kubesnap.yaml").unlink()
    assert find_config() is None


def test_values_stay_relative_to_the_configuration_file(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tree / "home" / "repo"
    (repo / ".kubesnap.yaml").write_text("helm: {values: [deploy/values-prod.yaml]}\n", encoding="utf-8")
    monkeypatch.chdir(repo / "deploy" / "prod")
    values = load_config(None).values_files()
    assert [Path(v).resolve() for v in values] == [(repo / "deploy" / "values-prod.yaml").resolve()]


def test_check_uses_the_configuration_found_above(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tree / "home" / "repo"
    (repo / "deploy" / "prod" / "m.yaml").write_text(DUPLICATES, encoding="utf-8")
    monkeypatch.chdir(repo / "deploy" / "prod")
    code, output = run_cli(["check", "m.yaml", "--format", "json"])
    assert code == 0
    assert [f["rule"] for f in json.loads(output)["findings"]] == ["duplicate-object"]

    (repo / ".kubesnap.yaml").write_text(OFF, encoding="utf-8")
    code, output = run_cli(["check", "m.yaml", "--format", "json"])
    assert code == 0
    assert json.loads(output)["findings"] == []


def test_an_error_names_the_file_found(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tree / "home" / "repo"
    (repo / ".kubesnap.yaml").write_text("rulez: {}\n", encoding="utf-8")
    (repo / "deploy" / "m.yaml").write_text(DUPLICATES, encoding="utf-8")
    monkeypatch.chdir(repo / "deploy")
    code, output = run_cli(["check", "m.yaml"])
    assert code == 2
    assert output == "kubesnap: ../.kubesnap.yaml: rulez: unknown option\n"
