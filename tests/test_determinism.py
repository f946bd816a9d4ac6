"""Same input, same bytes: across runs, hash seeds and the order the files are given in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "blueocean" / "before"


def run(args: list[str], seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    cmd = [sys.executable, "-m", "analyzer", "check", *args, "--format", "json", "--fail-on", "never"]
    return subprocess.run(cmd, capture_output=True, env=env, check=True).stdout


def test_json_is_byte_identical_across_hash_seeds() -> None:
    outputs = {run([str(FIXTURE)], seed) for seed in ("0", "1", "4242")}
    assert len(outputs) == 1


def test_findings_do_not_depend_on_file_order() -> None:
    files = [str(FIXTURE / "nodes.yaml"), str(FIXTURE / "resources.yaml")]
    assert run(files, "7") == run(list(reversed(files)), "7")
