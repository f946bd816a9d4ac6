"""What a layout says about a path: the role of a file, and the kind of a bare object."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Manifest:
    """A file of Kubernetes documents (YAML or JSON), read and parsed."""


@dataclass(frozen=True, slots=True)
class PodLog:
    """The log of a pod: its end is kept as evidence, not parsed."""

    namespace: str
    pod: str


@dataclass(frozen=True, slots=True)
class Kustomization:
    """A kustomize kustomization: not objects, but it says what some files of its folder are
    (:meth:`Layout.listed`); skipped with its reason."""


@dataclass(frozen=True, slots=True)
class Patch:
    """A file a kustomization lists as a patch (or a transformer's configuration): a partial
    object or no object at all; skipped with its reason."""

    kustomization: str
    """The kustomization that lists it, relative like the path it was found at."""
    what: str = "patch"


Role = Manifest | PodLog | Kustomization | Patch
MANIFEST = Manifest()
KUSTOMIZATION = Kustomization()


class Layout(Protocol):
    name: str

    def role(self, relative_path: str) -> Role | None:
        """What the file at ``relative_path`` is in this layout; None when it claims nothing."""

    def kind(self, path: str) -> tuple[str, str] | None:
        """``(apiVersion, kind)`` of a bare object (no kind, no apiVersion) in the file at
        ``path`` (as the user sees it: archive members included), when the path says it."""

    def untyped(self, path: str) -> str | None:
        """Why a document without a kind in the file at ``path`` is no object of this layout,
        when its path says (``auth can-i`` lists; a custom resource whose CRD the input lacks);
        None for paths it claims nothing about."""

    def listed(self, relative_path: str, value: Any) -> dict[str, Role] | None:
        """The roles a file that lists others (a kustomization: its role is
        :class:`Kustomization`) gives them, by paths relative like ``relative_path``; ``value``
        is its first document. Empty for any other file; None when the file is not what its
        path said (it is then read as a manifest)."""


ARCHIVE_SUFFIXES = (".tar", ".tar.gz", ".tgz")


def segments(path: str) -> list[str]:
    """The folders and file name of ``path``, an archive member's path inside its archive:
    ``dump.tgz:ns/pod/logs.txt`` -> ``['ns', 'pod', 'logs.txt']``."""
    archive, colon, member = path.partition(":")
    if colon and archive.lower().endswith(ARCHIVE_SUFFIXES):
        path = member
    return [part for part in path.replace("\\", "/").split("/") if part not in ("", ".")]


def stem(name: str) -> str:
    """A file name without its ``.json``, ``.yaml`` or ``.yml``: ``pods.json`` -> ``pods``."""
    for suffix in (".json", ".yaml", ".yml"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name
