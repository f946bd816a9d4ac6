"""Expand what the user named into readable sources: files, folders (recursive), tar archives
(read in memory, never extracted) and ``-`` (stdin). Display names are relative to what the
user typed; archive members are shown as ``archive.tgz:member/path.yaml``."""

from __future__ import annotations

import os
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

from analyzer.load.types import Skipped

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
ARCHIVE_SUFFIXES = (".tar", ".tar.gz", ".tgz")
LOG_NAME = "logs.txt"
MAX_MEMBERS = 100_000
MAX_ARCHIVE_BYTES = 512 * 1024 * 1024
MAX_FILE_BYTES = 1024 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    data: bytes
    is_log: bool = False


def expand(paths: list[str] | tuple[str, ...], stdin: BinaryIO | None) -> Iterator[Source | Skipped]:
    for path in paths:
        if path == "-":
            yield Source("<stdin>", stdin.read() if stdin is not None else b"")
        elif os.path.isdir(path):
            yield from _directory(path)
        elif os.path.isfile(path):
            yield from _file(path, path)
        else:
            yield Skipped(path, None, "no such file or directory")


def _directory(root: str) -> Iterator[Source | Skipped]:
    found: list[tuple[str, str]] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            full = os.path.join(folder, name)
            rel = os.path.relpath(full, root)
            if name.lower().endswith(MANIFEST_SUFFIXES + ARCHIVE_SUFFIXES) or name == LOG_NAME:
                found.append((rel.replace(os.sep, "/"), full))
    for rel, full in sorted(found):
        display = f"{root.rstrip('/')}/{rel}" if root not in (".", "./") else rel
        yield from _file(full, display)


def _file(path: str, display: str) -> Iterator[Source | Skipped]:
    lower = path.lower()
    try:
        if lower.endswith(ARCHIVE_SUFFIXES):
            yield from _archive(path, display)
            return
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            yield Skipped(display, None, f"file larger than {MAX_FILE_BYTES // 2**20} MiB")
            return
        with open(path, "rb") as handle:
            yield Source(display, handle.read(), is_log=os.path.basename(path) == LOG_NAME)
    except OSError as exc:
        yield Skipped(display, None, f"cannot read: {exc.strerror or exc}")


def _archive(path: str, display: str) -> Iterator[Source | Skipped]:
    try:
        archive = tarfile.open(path, mode="r:*")  # noqa: SIM115 - closed by the with below
    except (tarfile.TarError, EOFError, OSError) as exc:
        yield Skipped(display, None, f"not a readable tar archive: {exc}")
        return
    total = 0
    with archive:
        try:
            for count, member in enumerate(archive):
                if count >= MAX_MEMBERS:
                    yield Skipped(
                        display, None, f"archive has more than {MAX_MEMBERS} members: the rest is not read"
                    )
                    return
                name = member.name
                if not member.isfile() or not name.lower().endswith(MANIFEST_SUFFIXES):
                    continue
                member_display = f"{display}:{name}"
                parts = PurePosixPath(name).parts
                if name.startswith("/") or ".." in parts:
                    yield Skipped(member_display, None, "unsafe member path (absolute or with ..): not read")
                    continue
                total += member.size
                if total > MAX_ARCHIVE_BYTES:
                    yield Skipped(
                        display,
                        None,
                        f"archive holds more than {MAX_ARCHIVE_BYTES // 2**20} MiB of manifests: "
                        "the rest is not read",
                    )
                    return
                handle = archive.extractfile(member)
                if handle is not None:
                    yield Source(member_display, handle.read())
        except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
            yield Skipped(display, None, f"archive is damaged: {exc}")
