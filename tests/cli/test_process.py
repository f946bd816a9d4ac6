"""The kubesnap process's speed measures (analyzer/commands/process.py): the collector off from
the first import and never back on, the analysis kept alive, an exit without teardown; and none
of it outside that process (the library and CliRunner leave the interpreter as they found it)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO, run_cli

from analyzer import pipeline
from analyzer.commands import process

FIXTURE = REPO / "fixtures" / "blueocean" / "after"

PROBE = """
import atexit, gc, os, sys

class Probe:
    def find_spec(self, name, path=None, target=None):
        if name in ("click", "pydantic", "yaml", "networkx", "analyzer.pipeline"):
            print("import", name, "collector", gc.isenabled())
        return None

sys.meta_path.insert(0, Probe())
atexit.register(lambda: print("teardown"))
real_exit = os._exit

def probe_exit(code):
    from analyzer.commands import process
    print("end", code, "collector", gc.isenabled(), "kept", [type(o).__name__ for o in process._kept])
    sys.stdout.flush()
    real_exit(code)

os._exit = probe_exit
sys.argv = ["kubesnap", "check", sys.argv[1], "--fail-on", "never", "-o", os.devnull]
from analyzer.__main__ import run
run()
"""


def test_the_command_runs_with_the_collector_off_keeps_the_analysis_and_skips_teardown() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(FIXTURE)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    imports = [line for line in lines if line.startswith("import ")]
    assert {line.split()[1] for line in imports} == {
        "click",
        "pydantic",
        "yaml",
        "networkx",
        "analyzer.pipeline",
    }
    assert all(line.endswith("collector False") for line in imports), imports
    assert lines[-1] == "end 0 collector False kept ['Analysis']"
    assert "teardown" not in lines  # os._exit: no interpreter teardown


def test_the_process_module_imports_nothing_but_the_standard_library() -> None:
    code = (
        "import sys\nimport analyzer.__main__, analyzer.commands.process\n"
        "print(sorted(m for m in sys.modules if m.startswith('analyzer') or m in ('click', 'yaml')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert (
        done.stdout.strip()
        == "['analyzer', 'analyzer.__main__', 'analyzer.commands', 'analyzer.commands.process']"
    )


def test_in_process_nothing_is_kept_and_the_collector_is_left_alone() -> None:
    assert gc.isenabled()
    assert run_cli(["check", str(FIXTURE), "-o", os.devnull, "--fail-on", "never"])[0] == 0
    assert process._kept is None
    assert gc.isenabled()
    pipeline.analyse([str(FIXTURE)])
    assert gc.isenabled()


def test_collector_paused_restores_the_collector(tmp_path: Path) -> None:
    with process.collector_paused():
        assert not gc.isenabled()
        with process.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
