"""What the pre-commit hook asks git, offline: the tracked YAML and JSON files, and the staged
files as ``HEAD`` holds them. Two ``git`` processes at most, whatever the number of files."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence

from analyzer.errors import KubesnapError

MANIFEST_PATTERNS = ("*.yaml", "*.yml", "*.json")


def _git(*args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], input=stdin, capture_output=True, check=False)
    except OSError as exc:
        raise KubesnapError(f"cannot run git: {exc.strerror or exc}") from None
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise KubesnapError(f"git {args[0]}: {why[0] if why else f'exit code {done.returncode}'}")
    return done.stdout


def tracked_manifests() -> list[str]:
    """The YAML and JSON files git tracks below the current folder (the index: staged files
    included), relative to it, sorted."""
    try:
        out = _git("ls-files", "-z", "--", *MANIFEST_PATTERNS)
    except KubesnapError as exc:
        raise KubesnapError(
            f"{exc}: the hook reads the repository's tracked YAML and JSON files; outside a git "
            "repository, name what to read with --context FOLDER"
        ) from None
    return sorted(name for name in out.decode("utf-8", "surrogateescape").split("\0") if name)


def at_head(paths: Sequence[str]) -> dict[str, bytes | None]:
    """Each path (relative to the current folder) as ``HEAD`` holds it; None for a file that is
    not there (new in the commit, or no commit yet). Empty outside a git repository."""
    if not paths:
        return {}
    try:
        prefix = _git("rev-parse", "--show-prefix").decode("utf-8", "surrogateescape").strip()
    except KubesnapError:
        return {}
    names = "".join(f"HEAD:{prefix}{path}\n" for path in paths)
    out = _git("cat-file", "--batch", stdin=names.encode("utf-8", "surrogateescape"))
    found: dict[str, bytes | None] = {}
    at = 0
    for path in paths:  # "<oid> <type> <size>\n<content>\n", or "<name> missing\n"
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if header[-1] == b"missing" or len(header) != 3:
            found[path] = None
            continue
        size = int(header[2])
        found[path] = out[at : at + size] if header[1] == b"blob" else None
        at += size + 1
    return found
