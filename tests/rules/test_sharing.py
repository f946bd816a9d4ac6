"""The rules of a large snapshot are shared between this process and a forked copy
(:mod:`analyzer.rules.sharing`): every unit is run once, the copy's failure costs nothing but
time, and the findings are those of one process, in the same order."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from analyzer.config import Config
from analyzer.graph import SnapshotGraph, build_graph
from analyzer.load import load_inputs
from analyzer.model import build_snapshot
from analyzer.rules import evaluate, sharing
from analyzer.rules.catalog import load_catalog
from analyzer.rules.sharing import share

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc/meminfo").exists(), reason="Linux")


def ran(units: Iterator[int]) -> list[tuple[int, int]]:
    """(unit, process) for each unit taken, slowly enough that both processes take some."""
    done = []
    for unit in units:
        time.sleep(0.02)
        done.append((unit, os.getpid()))
    return done


def test_every_unit_runs_once_over_two_processes() -> None:
    results = sharing.share(12, ran, objects=sharing.SHARED_FROM, jobs=2)
    done = [pair for part in results for pair in part]
    assert sorted(unit for unit, _ in done) == list(range(12))
    assert {pid for _, pid in done} == {os.getpid(), {pid for _, pid in done}.difference({os.getpid()}).pop()}


@pytest.mark.parametrize(
    ("objects", "jobs", "count"),
    [(sharing.SHARED_FROM - 1, 2, 12), (sharing.SHARED_FROM, 1, 12), (sharing.SHARED_FROM, 2, 1)],
    ids=["small snapshot", "one job", "one unit"],
)
def test_one_process_when_it_would_not_pay(objects: int, jobs: int, count: int) -> None:
    results = sharing.share(count, ran, objects=objects, jobs=jobs)
    assert [[pid for _, pid in part] for part in results] == [[os.getpid()] * count]


def test_without_memory_for_a_copy_it_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sharing, "_room_for_a_copy", lambda: False)
    results = sharing.share(4, ran, objects=sharing.SHARED_FROM, jobs=2)
    assert [[pid for _, pid in part] for part in results] == [[os.getpid()] * 4]


def test_the_copys_units_are_run_again_here_when_it_fails() -> None:
    parent = os.getpid()

    def fails_in_the_copy(units: Iterator[int]) -> list[tuple[int, int]]:
        done = ran(units)
        if os.getpid() != parent:
            raise RuntimeError("a bug in a rule")
        return done

    results = sharing.share(10, fails_in_the_copy, objects=sharing.SHARED_FROM, jobs=2)
    done = [pair for part in results for pair in part]
    assert sorted(unit for unit, _ in done) == list(range(10))
    assert {pid for _, pid in done} == {parent}


def test_a_failure_here_ends_the_copy_and_is_raised() -> None:
    def fails(units: Iterator[int]) -> list[int]:
        taken = list(units)
        if taken:
            raise ValueError("boom")
        return taken

    with pytest.raises(ValueError, match="boom"):
        sharing.share(6, fails, objects=sharing.SHARED_FROM, jobs=2)
    with pytest.raises(ChildProcessError):  # no copy is left behind
        os.waitpid(-1, os.WNOHANG)


def graph_of(path: Path) -> SnapshotGraph:
    return build_graph(build_snapshot(load_inputs([str(path)])), Config().target_version())


@pytest.mark.parametrize("fixture", ["blueocean/before", "blueocean/cluster-info-dump"])
def test_shared_rules_find_what_one_process_finds(fixture: str, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = load_catalog()  # every profile: CEL and Python rules, observed state and templates
    graph = graph_of(FIXTURES / fixture)
    alone = evaluate(rules, graph, jobs=1)
    monkeypatch.setattr(sharing, "SHARED_FROM", 0)
    parts: list[list[object]] = []

    def spy(*args: Any, **kwargs: Any) -> list[Any]:
        parts.append(share(*args, **kwargs))
        return parts[-1]

    monkeypatch.setattr(sys.modules["analyzer.rules.evaluate"], "share", spy)
    shared = evaluate(rules, graph_of(FIXTURES / fixture), jobs=2)
    # Both processes ran rules: the copy's part names the rules it ran.
    assert len(parts[0]) == 2 and all(part.findings for part in parts[0])  # type: ignore[attr-defined]
    assert len(alone.findings) > 50
    assert shared.findings == alone.findings
    assert shared.coverage == alone.coverage
