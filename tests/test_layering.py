"""Each part of the package imports only what comes before it.

The pipeline's stages, in order: load < model < graph < rules < findings < report (a stage may
import the earlier ones and itself). Around them: ``errors`` imports nothing of the package;
``config`` (rules and ignores from ``.kubesnap.yaml``) stops before ``report``; ``overlay`` (a
change laid over a live dump: loaded objects merged by model identity, findings split by
fingerprint) stands beside the stages, before ``report``, for the pipeline alone; ``pipeline``
runs the stages; the command line (``commands``, ``cli``, ``__main__``) is the only part that
imports the pipeline, and nothing imports it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "analyzer"
STAGES = ["load", "model", "graph", "rules", "findings", "report"]
PARTS = [*STAGES, "errors", "config", "overlay", "pipeline", "commands", "cli", "__main__"]

ALLOWED: dict[str, set[str]] = {
    **{stage: set(STAGES[: i + 1]) | {"errors"} for i, stage in enumerate(STAGES)},
    "errors": set(),
    "config": {"errors", "load", "model", "graph", "rules", "findings", "config"},
    "overlay": {"load", "model", "rules", "findings", "errors", "overlay"},
    "pipeline": {*STAGES, "errors", "config", "overlay", "pipeline", "commands"},
    "commands": {*PARTS} - {"cli", "__main__"},
    "cli": {"commands", "cli"},
    "__main__": {"commands", "__main__"},
}
"""What each part may import. ``pipeline`` may name ``commands`` only in its deprecated alias
(without_cyclic_gc, for bench/run.py), imported inside a function."""


def part_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


def imported_parts(path: Path) -> set[str]:
    parts: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
            if node.module == "analyzer":
                names = [f"analyzer.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            pieces = name.split(".")
            if pieces[0] == "analyzer" and len(pieces) > 1 and pieces[1] in PARTS:
                parts.add(pieces[1])
    return parts


FILES = sorted(p for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE or p.stem in PARTS)


def test_every_module_belongs_to_a_known_part() -> None:
    unknown = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.glob("*.py") if p.stem not in PARTS)
    assert unknown == ["__init__.py"]
    assert {part_of(p) for p in FILES} == set(PARTS)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_module_imports_only_earlier_parts(path: Path) -> None:
    part = part_of(path)
    later = imported_parts(path) - ALLOWED[part]
    assert not later, f"{path.relative_to(PACKAGE)} ({part}) imports {sorted(later)}"


def test_nothing_but_the_command_line_imports_it() -> None:
    for path in FILES:
        if part_of(path) not in ("commands", "cli", "__main__", "pipeline"):
            assert not imported_parts(path) & {"commands", "cli", "__main__", "pipeline"}, path
