"""What the load stage hands to the model stage: objects with provenance, and what was skipped."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Location:
    """Where an object was read: the file as the user named it, and the 1-based line of its first
    key. A finding about one field of the object adds its ``path`` (``spec.template.spec.
    containers[0].image``), and ``line`` is then the field's own when the loader can tell."""

    file: str
    line: int | None = None
    path: str | None = None


@dataclass(frozen=True, slots=True)
class RawObject:
    """One Kubernetes object as read, before any interpretation.

    ``data`` is the object mapping (``kind``/``apiVersion`` filled in from a typed List when the
    item lacked them; ``metadata.managedFields`` and the last-applied annotation dropped; Secret
    values redacted). ``helm_source`` is the template path from a ``# Source:`` comment.
    """

    data: dict[str, Any]
    location: Location
    helm_source: str | None = None
    release: HelmRecord | None = None
    """The Helm release this object stores, when it is a release record that decoded
    (:mod:`analyzer.load.helm_records`); ``data`` itself is redacted as any object."""


@dataclass(frozen=True, slots=True)
class HelmRecord:
    """What kubesnap keeps of one Helm release revision decoded from its storage record (a
    ``helm.sh/release.v1`` Secret or an ``owner: helm`` ConfigMap), and nothing else: never the
    user's values (``config``) nor the chart's values, templates or files.

    ``objects`` are the rendered manifest's objects, cleaned as any object (Secret values
    redacted), each with its ``# Source:`` template, located at the record.
    """

    name: str
    namespace: str | None
    """The release's namespace; None when the record does not say (the record's own then)."""
    revision: int
    status: str
    chart: str
    chart_version: str
    app_version: str
    last_deployed: str | None
    objects: tuple[RawObject, ...]


@dataclass(frozen=True, slots=True)
class Skipped:
    """A document or file that could not be used, and why."""

    file: str
    line: int | None
    reason: str


@dataclass(slots=True)
class LoadResult:
    objects: list[RawObject] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    """Display paths of every file read (archive members as ``archive.tgz:member``)."""
    documents: int = 0
    """Non-empty documents seen (a List counts once)."""
    logs: dict[tuple[str, str], str] = field(default_factory=dict)
    """(namespace, pod name) -> tail of the pod's log, from cluster-info dump directories."""
