"""Same input, same bytes: across runs, hash seeds, the order the files are given in, and the
YAML path (rapidyaml or PyYAML alone)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "blueocean" / "before"


def run(args: list[str], seed: str, fmt: str = "json", **env: str) -> bytes:
    environment = {**os.environ, "PYTHONHASHSEED": seed, **env}
    cmd = [sys.executable, "-m", "analyzer", "check", *args, "--format", fmt, "--fail-on", "never"]
    return subprocess.run(cmd, capture_output=True, env=environment, check=True).stdout


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_output_is_byte_identical_across_runs_and_hash_seeds(fmt: str) -> None:
    outputs = {run([str(FIXTURE)], seed, fmt) for seed in ("0", "1", "4242", "4242")}
    assert len(outputs) == 1


def test_findings_do_not_depend_on_file_order() -> None:
    files = [str(FIXTURE / "nodes.yaml"), str(FIXTURE / "resources.yaml")]
    assert run(files, "7") == run(list(reversed(files)), "7")


def test_the_yaml_path_does_not_change_a_byte() -> None:
    assert run([str(FIXTURE)], "3", "text") == run([str(FIXTURE)], "3", "text", KUBESNAP_PURE_YAML="1")
