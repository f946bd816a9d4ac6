"""Shared helpers: build snapshots and graphs straight from YAML text, run the command line, and
find shared/."""

from __future__ import annotations

import functools
import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import settings

import analyzer.load
from analyzer.cli import cli
from analyzer.graph import SnapshotGraph, build_graph
from analyzer.load import load_inputs
from analyzer.load.documents import objects_from
from analyzer.load.parsers import ParsedDoc
from analyzer.load.types import LoadResult, Location, RawObject, Skipped
from analyzer.model import Snapshot, build_snapshot
from analyzer.rules import Rule, load_catalog
from analyzer.rules.finding import Layer

# CI machines are shared: Hypothesis' default 200 ms deadline per example is a wall-time
# assertion a loaded machine misses (the cron property test did). No deadline; the examples
# still run.
settings.register_profile("kubesnap", deadline=None)
settings.load_profile("kubesnap")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"


def objects_from_yaml(text: str, file: str = "test.yaml") -> LoadResult:
    """Objects from a multi-document YAML string, located by document index (no real lines)."""
    docs = [d for d in yaml.safe_load_all(text) if d]
    raws = [RawObject(d, Location(file, i + 1)) for i, d in enumerate(docs)]
    return LoadResult(objects=raws, files=[file], documents=len(raws))


def snapshot_from_yaml(text: str, namespace: str = "default") -> Snapshot:
    return build_snapshot(objects_from_yaml(text), default_namespace=namespace)


def graph_from_yaml(text: str) -> SnapshotGraph:
    return build_graph(snapshot_from_yaml(text))


CORPUS_REQUIRED = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"{CORPUS} is absent (a clone used outside the kubesnap workspace)"
)


def load_text(tmp_path: Path, text: str, name: str = "in.yaml") -> LoadResult:
    """Write ``text`` to a file named ``name`` under ``tmp_path`` and load it."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return load_inputs([str(path)])


def git_env(home: Path | None = None) -> dict[str, str]:
    """An environment for a git (or pre-commit) process where no user or system git
    configuration (global hooks, templates, identity) applies; with ``home``, also no HOME and
    no pre-commit cache of the user's. This interpreter's scripts come first on PATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="test",
        GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="test",
        GIT_COMMITTER_EMAIL="test@example.invalid",
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    if home is not None:
        env.update(HOME=str(home), PRE_COMMIT_HOME=str(home / "pre-commit-cache"))
    return env


def run_cli(args: list[str], stdin: str | None = None) -> tuple[int, str]:
    """``kubesnap ARGS`` in this process: its exit code, and its standard output and error."""
    result = CliRunner().invoke(cli, args, input=stdin)
    return result.exit_code, result.output


@pytest.fixture
def boom_when_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A folder of two ConfigMaps, a.yaml and boom.yaml, the loader failing on the second one (a
    bug, not bad input)."""
    for name in ("a", "boom"):
        (tmp_path / f"{name}.yaml").write_text(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}}}\n"
        )

    def explode(doc: ParsedDoc, file: str, helm_source: str | None) -> Iterator[RawObject | Skipped]:
        if file.endswith("boom.yaml"):
            raise RuntimeError("bug")
        return objects_from(doc, file, helm_source)

    monkeypatch.setattr(analyzer.load, "objects_from", explode)
    yield tmp_path


def needs_corpus() -> Any:
    return pytest.mark.skipif(
        not CORPUS.is_dir(), reason=f"{CORPUS} is absent (a clone used outside the kubesnap workspace)"
    )


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs with sockets blocked: any network attempt fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("kubesnap tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def default_rules() -> list[Rule]:
    """The built-in rules a run without --profile has (the opt-in ones left out)."""
    return [r for r in load_catalog() if r.spec.profile == "default"]


@functools.cache
def _risk_rules() -> frozenset[str]:
    return frozenset(r.spec.id for r in load_catalog() if r.spec.layer is Layer.RISK)


def without_risks(findings: list[Any]) -> list[Any]:
    """The findings but the security and hardening risks (layer risk: no securityContext, no
    resources, no probe...), which every short manifest of a test carries and which break
    nothing: for a test of a mechanism (diff, --against, pre-commit, config), they are noise.
    Takes ``Finding`` objects (by their layer) or a JSON report's findings (by their rule's)."""
    return [
        f
        for f in findings
        if (f["rule"] not in _risk_rules() if isinstance(f, dict) else f.layer is not Layer.RISK)
    ]
