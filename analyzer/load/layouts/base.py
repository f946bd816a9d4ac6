"""What a layout says about a path: the role of a file, and the kind of a bare object."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Manifest:
    """A file of Kubernetes documents (YAML or JSON), read and parsed."""


@dataclass(frozen=True, slots=True)
class PodLog:
    """The log of a pod: its end is kept as evidence, not parsed."""

    namespace: str
    pod: str


Role = Manifest | PodLog
MANIFEST = Manifest()


class Layout(Protocol):
    name: str

    def role(self, relative_path: str) -> Role | None:
        """What the file at ``relative_path`` is in this layout; None when it claims nothing."""

    def kind(self, path: str) -> tuple[str, str] | None:
        """``(apiVersion, kind)`` of a bare object (no kind, no apiVersion) in the file at
        ``path`` (as the user sees it: archive members included), when the path says it."""
