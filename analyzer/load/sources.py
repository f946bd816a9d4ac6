"""Expand what the user named into sources to read: files, folders (recursive, sorted), tar
archives (read in memory, never extracted) and ``-`` (standard input).

Display names are relative to what the user typed: ``dump/ns/pods.json`` for a file found in
the folder ``dump``; archive members are ``archive.tgz:member/path.yaml``; standard input is
``<stdin>``. Every problem is a :class:`Skipped` entry, never an exception.
"""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import Any, BinaryIO

from analyzer.load.decode import decode, encoding_of
from analyzer.load.layouts import MANIFEST, Kustomization, Manifest, Patch, PodLog, Role, listed_by, role_of
from analyzer.load.layouts.chart import CHART_FILE, TEMPLATES, chart_reason
from analyzer.load.layouts.cluster_dump import TAIL_BYTES
from analyzer.load.layouts.kustomize import references
from analyzer.load.parsers import ParsedDoc, looks_like_json, parse
from analyzer.load.render import (
    NotRendered,
    Rendered,
    RenderSettings,
    kustomize_available,
    render_chart,
    render_kustomization,
)
from analyzer.load.types import Skipped

ARCHIVE_SUFFIXES = (".tar", ".tar.gz", ".tgz")
STDIN_NAME = "<stdin>"
MAX_MEMBERS = 100_000
MAX_ARCHIVE_BYTES = 512 * 1024 * 1024
MAX_FILE_BYTES = 1024 * 1024 * 1024
STREAM_FROM = 64 * 1024 * 1024
"""JSON files larger than this are handed over by path, to be read window by window."""
LISTING_BYTES = 1024 * 1024
"""A kustomization larger than this is not looked into (it is still not read as objects)."""
KUSTOMIZATION_REASON = "not a Kubernetes resource: kustomize Kustomization (kustomize builds objects from it)"


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one run reads; each is raised by the ``kubesnap check`` option named in the
    message that says it was reached."""

    file_bytes: int
    """--max-file-size: a file read whole (JSON is streamed and has no limit)."""
    archive_bytes: int
    """--max-archive-size: the uncompressed bytes read from one archive."""
    archive_members: int
    """--max-archive-members: the members looked at in one archive."""
    render: RenderSettings = field(default_factory=RenderSettings)
    """How chart and kustomize folders are rendered (namespace, values files, timeout)."""

    @classmethod
    def default(cls) -> Limits:
        return cls(MAX_FILE_BYTES, MAX_ARCHIVE_BYTES, MAX_MEMBERS)


def too_big(what: str, limit: int, option: str) -> str:
    """The reason given when a limit is reached: the limit, and the option that raises it."""
    return f"{what} larger than {_size(limit)}: not read (raise the limit with {option})"


@dataclass(frozen=True, slots=True)
class Document:
    """A file of documents read whole, under the name the user will see."""

    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Streamed:
    """A JSON file too large to read at once: it is read window by window from ``path``."""

    name: str
    path: str
    head: bytes
    """Its first bytes (they tell its encoding)."""


@dataclass(frozen=True, slots=True)
class Log:
    """The end of a pod's log (``kubectl cluster-info dump``), kept as evidence."""

    name: str
    data: bytes
    namespace: str
    pod: str


Source = Document | Streamed | Log
"""What there is to read, under the name the user will see."""


def expand(
    paths: Sequence[str], stdin: BinaryIO | None, limits: Limits | None = None
) -> Iterator[Source | Skipped]:
    """Every source named by ``paths``, in the order given."""
    limits = limits or Limits.default()
    for path in paths:
        for item in _expand(path, stdin, limits):
            # A file name that is not UTF-8 (os.walk gives it with surrogates) cannot be printed.
            name = item.name if isinstance(item, Source) else item.file
            shown = name.encode("utf-8", "replace").decode("utf-8")
            if shown == name:
                yield item
            elif isinstance(item, Source):
                yield replace(item, name=shown)
            else:
                yield replace(item, file=shown)


def _expand(path: str, stdin: BinaryIO | None, limits: Limits) -> Iterator[Source | Skipped]:
    if path == "-":
        yield _stdin(stdin)
        return
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        yield Skipped(path, None, _os_reason(exc))
        return
    chart = None if os.path.isfile(os.path.join(path, CHART_FILE)) else _enclosing_chart(path)
    if chart is not None and (stat.S_ISDIR(mode) or _below(path, os.path.join(chart, TEMPLATES))):
        shown = chart.replace(os.sep, "/")
        yield Skipped(path, None, f"inside the Helm chart {shown}: name the chart folder or pipe a render in")
    elif stat.S_ISDIR(mode):
        yield from _directory(path, limits)
    elif stat.S_ISREG(mode) and path.lower().endswith(ARCHIVE_SUFFIXES):
        yield from _archive(path, limits)
    elif stat.S_ISREG(mode) or stat.S_ISFIFO(mode):  # a FIFO: kubesnap check <(helm template ...)
        yield from _file(path, path, limits)
    else:
        yield Skipped(path, None, "not a regular file, folder or pipe")


def _stdin(stdin: BinaryIO | None) -> Source | Skipped:
    if stdin is None:
        return Skipped(STDIN_NAME, None, "standard input is not available")
    try:
        return Document(STDIN_NAME, stdin.read())
    except (OSError, ValueError) as exc:  # ValueError: read from a closed stream
        return Skipped(STDIN_NAME, None, f"cannot read standard input: {exc}")


def _directory(root: str, limits: Limits) -> Iterator[Source | Skipped]:
    """Manifests and cluster-info dump logs under ``root``, sorted by path; hidden names skipped."""
    found: list[tuple[str, str, Role]] = []
    errors: list[Skipped] = []

    def walk_error(exc: OSError) -> None:
        rel = os.path.relpath(exc.filename or root, root)
        errors.append(Skipped(root if rel == "." else _display(root, rel), None, _os_reason(exc)))

    for folder, dirs, files in os.walk(root, onerror=walk_error):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith("."):
                continue
            rel = os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/")
            role = role_of(rel)
            if role is None:
                continue
            if _regular(folder, name):
                found.append((rel, os.path.join(folder, name), role))
            else:  # a FIFO would block the run, /dev/zero fill the memory; a pipe named is read
                errors.append(
                    Skipped(_display(root, rel), None, "not a regular file (found in a folder): not read")
                )
    yield from errors
    found.sort(key=lambda found: found[0])
    listed: dict[str, Role] = {}
    kustomizations: dict[str, tuple[Any, set[str]]] = {}
    for rel, full, role in found:
        if isinstance(role, Kustomization):
            roles, value = _listed(rel, _head(full))
            listed.update(roles)
            if roles.get(rel) != MANIFEST:
                kustomizations[rel] = (value, set(roles))
    charts = {posixpath.dirname(rel) for rel, _, _ in found if posixpath.basename(rel) == CHART_FILE}
    folders = _render_folders(root, charts, kustomizations, limits)
    yield from folders.items
    for rel, full, role in found:
        if folders.covers(rel):
            continue
        role = listed.get(rel, role)
        if isinstance(role, Patch):
            yield _patch(_display(root, rel), _display(root, role.kustomization), role)
        elif isinstance(role, Kustomization):
            yield Skipped(_display(root, rel), None, KUSTOMIZATION_REASON)
        else:
            yield from _file(full, _display(root, rel), limits, role)


def _head(path: str) -> bytes:
    """The first bytes of a small file that says the roles of others; nothing when unreadable
    (reading it as a source says why)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(LISTING_BYTES)
    except OSError:
        return b""


def _listed(rel: str, data: bytes) -> tuple[dict[str, Role], Any]:
    """The roles the kustomization at ``rel`` gives the files it lists; itself mapped to
    :data:`MANIFEST` when it is an object of another API after all; and its first document."""
    text, _ = decode(data)
    if text is None:
        return {}, None
    value = next((doc.value for doc in parse(text, rel) if isinstance(doc, ParsedDoc)), None)
    roles = listed_by(rel, value)
    return ({rel: MANIFEST} if roles is None else roles), value


@dataclass(slots=True)
class _Folders:
    """What the rendering of a folder's charts and kustomizations gives: renders and skipped
    entries, and the files (paths, and folders below which every file) not to read raw."""

    items: list[Source | Skipped] = field(default_factory=list)
    folders: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)

    def covers(self, rel: str) -> bool:
        if rel in self.files or "" in self.folders:
            return True
        parts = rel.split("/")
        return any("/".join(parts[:i]) in self.folders for i in range(1, len(parts)))


def _render_folders(
    root: str, charts: set[str], kustomizations: dict[str, tuple[Any, set[str]]], limits: Limits
) -> _Folders:
    """Charts and kustomizations below ``root`` (chart folders relative to it; kustomization
    files with their first documents and the patches they list), rendered. The top-most chart
    folder is rendered (or skipped) whole. A kustomization that another one lists is a base,
    read only through it; every other one is rendered once, and the files it and its bases list
    (resources, patches, configurations, the kustomizations themselves) are read only so; a
    file none lists is read as usual. Without a kustomize renderer, or when it fails, the
    folder is read raw as before, and said so."""
    done = _Folders()
    top_charts = sorted(c for c in charts if not any(_inside(c, other) for other in charts if other != c))
    for chart in top_charts:
        display = _display(root, chart) if chart else root
        done.folders.add(chart)
        rendered = render_chart(os.path.join(root, chart), limits.render)
        if isinstance(rendered, NotRendered):
            why = chart_reason(display) if rendered.missing else f"Helm chart not rendered: {rendered.reason}"
            done.items.append(Skipped(display, None, why))
        else:
            done.items.append(_rendered(f"{display} ({rendered.how})", rendered.output, limits))
    lists: dict[str, list[str]] = {}
    uses: dict[str, set[str]] = {}
    for rel, (value, patches) in kustomizations.items():
        folder = posixpath.dirname(rel)
        if not any(_inside(rel, chart) for chart in top_charts):
            lists[folder] = [path for path in references(rel, value) if path != folder]
            uses[folder] = {rel, *patches, *lists[folder]}
    bases = {path for paths in lists.values() for path in paths if path in lists}
    available = kustomize_available()
    for folder in sorted(lists):
        if folder in bases:
            continue  # rendered by the kustomization that lists it
        display = _display(root, folder) if folder else root
        built = render_kustomization(os.path.join(root, folder), limits.render) if available else None
        if not isinstance(built, Rendered):
            why = built.reason if built is not None else "no kustomize or kubectl on PATH"
            done.items.append(
                Skipped(
                    display,
                    None,
                    f"kustomize folder read unrendered ({why}): its name prefixes, labels and patches "
                    f"are not applied; to render it: kubectl kustomize {display} | kubesnap check -",
                )
            )
            continue
        done.items.append(_rendered(f"{display} ({built.how})", built.output, limits))
        reached, todo = {folder}, [folder]
        while todo:  # the bases it lists, and theirs
            for path in lists.get(todo.pop(), ()):
                if path not in reached:
                    reached.add(path)
                    todo.append(path)
        for used in reached:
            done.files |= uses.get(used, set())
    return done


def _rendered(name: str, output: bytes, limits: Limits) -> Source | Skipped:
    if len(output) > limits.file_bytes:
        return Skipped(name, None, too_big("render", limits.file_bytes, "--max-file-size"))
    return Document(name, output)


def _inside(path: str, folder: str) -> bool:
    """Whether ``path`` (relative, ``/``-separated) is ``folder`` or below it."""
    return folder == "" or path == folder or path.startswith(folder + "/")


def _enclosing_chart(path: str) -> str | None:
    """The chart folder (holding ``Chart.yaml``) above ``path``, not ``path`` itself."""
    folder = os.path.dirname(os.path.abspath(path))
    while True:
        if os.path.isfile(os.path.join(folder, CHART_FILE)):
            return os.path.relpath(folder) if not os.path.isabs(path) else folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _below(path: str, folder: str) -> bool:
    """Whether the file ``path`` lies below ``folder`` (both as the file system resolves them)."""
    return os.path.abspath(path).startswith(os.path.abspath(folder) + os.sep)


def _patch(display: str, kustomization: str, role: Patch) -> Skipped:
    return Skipped(display, None, f"kustomize {role.what} (listed by {kustomization}): not an object")


def _regular(folder: str, name: str) -> bool:
    """Whether a file found in a folder is a regular file (a symlink to one counts)."""
    try:
        return stat.S_ISREG(os.stat(os.path.join(folder, name)).st_mode)
    except OSError:
        return True  # unreadable: reading it says why


def _display(root: str, rel: str) -> str:
    return os.path.join(root, rel).replace(os.sep, "/")


def _file(path: str, display: str, limits: Limits, role: Role = MANIFEST) -> Iterator[Source | Skipped]:
    try:
        with open(path, "rb") as handle:
            if isinstance(role, PodLog):
                yield Log(display, _read_tail(handle), role.namespace, role.pod)
                return
            info = os.fstat(handle.fileno())
            if stat.S_ISREG(info.st_mode) and info.st_size > STREAM_FROM:
                head = handle.read(4096)
                encoding, bom = encoding_of(head)
                if looks_like_json(display, head[bom:].decode(encoding, errors="ignore")):
                    yield Streamed(display, path, head)
                    return
                handle.seek(0)
            data = handle.read(limits.file_bytes + 1)
    except OSError as exc:
        yield Skipped(display, None, _os_reason(exc))
        return
    if len(data) > limits.file_bytes:
        yield Skipped(display, None, too_big("file", limits.file_bytes, "--max-file-size"))
        return
    yield Document(display, data)


def _read_tail(handle: BinaryIO) -> bytes:
    """The end of a log file; a line cut by the start of what is read is dropped."""
    size = os.fstat(handle.fileno()).st_size
    if size <= TAIL_BYTES:
        return handle.read()
    handle.seek(size - TAIL_BYTES)
    data = handle.read()
    return data[data.find(b"\n") + 1 :]


def _archive(path: str, limits: Limits) -> Iterator[Source | Skipped]:
    """Manifest members of a tar archive, read into memory one by one, never written to disk;
    a kustomization's patches are known once every member has been seen (they may come first).
    A chart folder in an archive is not rendered: one skipped entry, its files unread."""
    members = list(_members(path, limits))
    charts = {posixpath.dirname(rel) for rel, item in members if posixpath.basename(rel) == CHART_FILE}
    charts = {c for c in charts if not any(_inside(c, other) for other in charts if other != c)}
    for chart in sorted(charts):
        shown = f"{path}:{chart}" if chart else path
        yield Skipped(
            shown,
            None,
            f"Helm chart source ({CHART_FILE}) in an archive: not rendered; extract it, or pipe a render in",
        )
    members = [
        (rel, item)
        for rel, item in members
        if isinstance(item, Skipped) or not any(_inside(rel, chart) for chart in charts)
    ]
    listed: dict[str, Role] = {}
    for rel, item in members:
        if isinstance(item, Document) and isinstance(role_of(rel), Kustomization):
            listed.update(_listed(rel, item.data[:LISTING_BYTES])[0])
    for rel, item in members:
        role = listed.get(rel) if isinstance(item, Document) else None
        if isinstance(item, Document) and isinstance(role, Patch):
            yield _patch(item.name, f"{path}:{role.kustomization}", role)
        elif isinstance(item, Document) and isinstance(role_of(rel), Kustomization) and role != MANIFEST:
            yield Skipped(item.name, None, KUSTOMIZATION_REASON)
        else:
            yield item


def _members(path: str, limits: Limits) -> Iterator[tuple[str, Source | Skipped]]:
    """Each member read or skipped, with its path in the archive."""
    import tarfile  # archives only: not every run's start-up

    try:
        archive = tarfile.open(path, mode="r:*")  # noqa: SIM115 - closed by the with below
    except (tarfile.TarError, EOFError, OSError) as exc:
        yield "", Skipped(path, None, f"not a readable tar archive: {_one_line(exc)}")
        return
    compressed = not path.lower().endswith(".tar")
    read = 0
    with archive:
        try:
            for count, member in enumerate(archive, start=1):
                if count > limits.archive_members:
                    yield (
                        "",
                        Skipped(
                            path,
                            None,
                            f"more than {limits.archive_members} archive members: the rest is not read "
                            "(raise the limit with --max-archive-members)",
                        ),
                    )
                    return
                wanted = member.isfile() and isinstance(role_of(member.name), Manifest | Kustomization)
                if compressed:  # going past a member of a compressed archive decompresses it
                    read = member.offset_data + member.size
                elif wanted:
                    read += member.size
                if read > limits.archive_bytes:
                    yield (
                        "",
                        Skipped(
                            path,
                            None,
                            f"more than {_size(limits.archive_bytes)} uncompressed: the rest is not read "
                            "(raise the limit with --max-archive-size)",
                        ),
                    )
                    return
                if not wanted:
                    continue
                name = member.name.removeprefix("./")
                display = f"{path}:{name}"
                if name.startswith("/") or ".." in PurePosixPath(name).parts:
                    yield name, Skipped(display, None, "unsafe member path (absolute or with ..): not read")
                    continue
                handle = archive.extractfile(member)
                if handle is not None:
                    yield name, Document(display, handle.read())
        except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
            yield "", Skipped(path, None, f"damaged tar archive: {_one_line(exc)}")


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    return f"cannot read: {exc.strerror or _one_line(exc)}"


def _size(n: int) -> str:
    return f"{n // 2**20} MiB" if n >= 2**20 else f"{n} bytes"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
