"""Each pipeline stage imports only earlier stages: load < model < graph < findings < rules < report."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "analyzer"
ORDER = ["load", "model", "graph", "findings", "rules", "report"]


def imported_stages(path: Path) -> set[str]:
    stages: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "analyzer" and len(parts) > 1 and parts[1] in ORDER:
                stages.add(parts[1])
    return stages


@pytest.mark.parametrize("stage", ORDER)
def test_stage_imports_only_earlier_stages(stage: str) -> None:
    allowed = set(ORDER[: ORDER.index(stage) + 1])
    for path in sorted((PACKAGE / stage).rglob("*.py")):
        later = imported_stages(path) - allowed
        assert not later, f"{path.relative_to(PACKAGE)} imports later stage(s) {sorted(later)}"
