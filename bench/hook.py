"""The pre-commit hook's start-up, measured by hand (not by CI): the wall time of ``kubesnap
pre-commit`` on a 30-file repository, beside baselines measured in the same run.

    python bench/hook.py                 # 15 rounds (about a minute)
    python bench/hook.py --repeat 31
    python bench/hook.py --against /tmp/old   # also an earlier version, in the same rounds


The repository is bench/run.py's ``repo-30`` (30 manifest files, 122 objects, as a repository
holds them), copied into a temporary git repository and committed; then one Deployment's image is
changed and staged, as in a commit. Each round runs every command once, in turn, each in a fresh
process (so a drift of this machine's speed between minutes touches them all alike), with
compiled modules cached as in an installed package (a warm-up round writes the cache in a
temporary folder), and once more without any cache of kubesnap's own modules (as where
PYTHONDONTWRITEBYTECODE is set and the package is not installed but checked out):

    python -c pass                           the interpreter alone
    python -c "import click, pydantic, ..."  the libraries every run imports, alone
    kubesnap --version                       the command line's imports, no analysis
    kubesnap pre-commit CHANGED              the hook on one staged file (its context: all 30)
    kubesnap pre-commit ALL-30               the hook on every file (pre-commit run --all-files)
    kubesnap check .                         the plain check of the repository
    kubesnap pre-commit CHANGED, no cache    the hook, compiling kubesnap's modules

With ``--against DIR`` (a checkout of another version of kubesnap, e.g. ``git archive HEAD~3 |
tar -x -C DIR``), that version's ``--version`` and hook run too, in the same rounds, with
``PYTHONPATH=DIR``: this machine's speed drifts by a third between minutes, so a before/after
comparison is only fair within one run.

Figures: median and best wall seconds over the rounds, and each median's ratio to the two
baselines'. No timing is asserted anywhere: this prints, docs/performance.md records.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
KUBESNAP = str(Path(sys.executable).parent / "kubesnap")
LIBRARIES = "import click, pydantic, ryml, yaml; from pydantic import BaseModel, TypeAdapter"
"""What every kubesnap run imports from its dependencies: the floor of its start-up (networkx only
when findings explain one another, for the root causes, and for ``kubesnap graph``)."""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kubesnap-bench")
    parser.add_argument("--against", type=Path, help="a checkout of another version, measured alongside")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    import run  # bench/run.py: the repo-30 input and the machine's description

    print(run.machine())
    args.work.mkdir(parents=True, exist_ok=True)
    source = run.prepare(args.work, "repo-30")
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(source, Path(tmp) / "repo")
        files = sorted(p.name for p in repo.glob("*.yaml"))
        changed = stage_a_change(repo, files)
        cached = bytecode_cached(Path(tmp) / "pycache")
        uncached = {**cached, "PYTHONDONTWRITEBYTECODE": "1"}
        del uncached["PYTHONPYCACHEPREFIX"]
        commands = {
            "python -c pass": ([sys.executable, "-c", "pass"], cached),
            "the libraries alone (import)": ([sys.executable, "-c", LIBRARIES], cached),
            "networkx alone (import)": ([sys.executable, "-c", "import networkx"], cached),
            "kubesnap --version": ([KUBESNAP, "--version"], cached),
            "kubesnap pre-commit (1 staged file)": ([KUBESNAP, "pre-commit", changed], cached),
            f"kubesnap pre-commit (all {len(files)} files)": ([KUBESNAP, "pre-commit", *files], cached),
            "kubesnap check .": ([KUBESNAP, "check", "."], cached),
            "kubesnap pre-commit (1 staged file), no bytecode cache": (
                [KUBESNAP, "pre-commit", changed],
                uncached,
            ),
        }
        if args.against is not None:
            other = {**cached, "PYTHONPATH": str(args.against.resolve())}
            commands[f"{args.against.name}: kubesnap --version"] = ([KUBESNAP, "--version"], other)
            commands[f"{args.against.name}: kubesnap pre-commit (1 staged file)"] = (
                [KUBESNAP, "pre-commit", changed],
                other,
            )
        for command, env in commands.values():  # a warm-up round writes the bytecode cache
            measure(command, repo, env)
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.repeat):
            for name, (command, env) in commands.items():
                seconds, cpu = measure(command, repo, env)
                walls[name].append(seconds)
                cpus[name].append(cpu)
    python, version = (statistics.median(walls[n]) for n in ("python -c pass", "kubesnap --version"))
    print(f"\n{args.repeat} rounds; {len(files)} files in the repository")
    print("| command | wall median s | wall best s | CPU median s | / python -c pass | / --version |")
    print("|---|---|---|---|---|---|")
    for name, times in walls.items():
        median = statistics.median(times)
        print(
            f"| {name} | {median:.3f} | {min(times):.3f} | {statistics.median(cpus[name]):.3f} "
            f"| {median / python:.1f}x | {median / version:.2f}x |"
        )


def make_repo(source: Path, repo: Path) -> Path:
    """A git repository holding the files of ``source``, committed (no user or system git
    configuration applies)."""
    shutil.copytree(source, repo)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "start"]):
        git(repo, *args)
    return repo


def stage_a_change(repo: Path, files: list[str]) -> str:
    """The first file holding a container image, with that image changed, staged: its name."""
    for name in files:
        text = (repo / name).read_text(encoding="utf-8")
        if "image: " in text:
            (repo / name).write_text(text.replace("image: ", "image: x", 1), encoding="utf-8")
            git(repo, "add", name)
            return name
    raise SystemExit("no file of the repository holds an image")


def git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.invalid",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    }
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def bytecode_cached(folder: Path) -> dict[str, str]:
    """The environment of an installed kubesnap: compiled modules cached (in ``folder``, not in
    the checkout) and reused, even where PYTHONDONTWRITEBYTECODE is set (pip compiles an
    installed package once; without a cache every run compiles the whole program again)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": str(folder)}


def measure(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds of ``command``, and the CPU seconds (user and system) it used: less moved
    than the wall time when other processes share the machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=False, capture_output=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


if __name__ == "__main__":
    main()
