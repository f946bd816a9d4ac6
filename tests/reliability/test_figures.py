"""docs/reliability.md's table of figures is made from the test suites that prove it: this test
builds it from their case lists and fails when the page says otherwise.

Each row's crash, hang, leak and lost-document columns are 0 because the cases of that row
assert it (no exception or traceback, a guard against hangs, no secret or environment value in the
output, every good document analysed); a case the code still fails is an ``xfail`` and is
counted as a known failure.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import test_fuzz_pipeline as fuzz
import test_hostile_inputs as hostile
from conftest import REPO

from analyzer.report import RENDERERS

PAGE = REPO / "docs" / "reliability.md"
BEGIN, END = "<!-- figures:begin -->", "<!-- figures:end -->"


def suite(path: str) -> ModuleType:
    """A test module of another folder, by its path."""
    file = REPO / "tests" / path
    spec = importlib.util.spec_from_file_location(f"figures_{file.stem}", file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    if str(file.parent) not in sys.path:  # its helpers beside it, as pytest imports them
        sys.path.append(str(file.parent))
    spec.loader.exec_module(module)
    return module


def table() -> str:
    fast, secrets = suite("load/test_fast_yaml.py"), suite("test_secret_safety.py")
    streams = suite("load/test_load_yaml.py")

    rows = [
        ("YAML documents (hostile table)", hostile.YAML_CASES),
        ("Encodings and broken JSON (hostile table)", hostile.ENCODING_CASES),
        ("Archives (hostile table)", hostile.ARCHIVE_CASES),
        ("Pipes, devices and links in folders (hostile table)", hostile.FOLDER_CASES),
        ("Files over the limits (hostile table)", hostile.LARGE_CASES),
        ("Rule files, configuration, template injection (hostile table)", hostile.RULE_CASES),
        ("CEL rule files: runaway, huge, deep, catastrophic regex (hostile table)", hostile.CEL_CASES),
        ("Whole run: nothing readable, hostile stdin (hostile table)", hostile.RUN_CASES),
    ]
    lines = [
        "| input class | cases | crashes | hangs | leaks | documents lost | known failures |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, cases in rows:
        known = sum(1 for case in cases if case.xfail)
        lines.append(f"| {name} | {len(cases)} | 0 | 0 | 0 | 0 | {known} |")
    examples = fuzz.SETTINGS.max_examples
    zeros = "| 0 | 0 | 0 | 0 | 0 |"
    lines.append(
        f"| Hypothesis over the pipeline: random objects, bytes, mutated dump | 3 x {examples} {zeros}"
    )
    regressions = len(list((REPO / "tests" / "load" / "fast_yaml_cases").glob("*.yaml")))
    named = len(fast.NAMED)
    sizes = f"{named} + {regressions} + 2 x 300"
    lines.append(f"| Fast YAML path against PyYAML: named, regressions, Hypothesis | {sizes} {zeros}")
    pieces, forcing = len(streams.PIECES), len(streams.FORCING)
    generated = sum(pieces**size for size in (1, 2, 3)) * forcing
    lines.append(
        "| YAML streams read whole (directives, YAML 1.1 line breaks): regressions, every stream of"
        f" up to 3 of {pieces} pieces x {forcing} ways | {len(streams.STREAMS)} + {generated} {zeros}"
    )
    secret_cases = len(RENDERERS) * (1 + len(secrets.BROKEN)) + 1
    lines.append(f"| Secret values in every format and error message | {secret_cases} {zeros}")
    return "\n".join(lines)


def test_the_page_shows_the_figures_of_the_suite() -> None:
    text = PAGE.read_text(encoding="utf-8")
    shown = text[text.index(BEGIN) + len(BEGIN) : text.index(END)].strip()
    assert shown == table(), "docs/reliability.md is stale; the table should read:\n" + table()
