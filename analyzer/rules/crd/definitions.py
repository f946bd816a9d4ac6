"""The CRD of a custom resource and the version it names, with that version's schema compiled once
per run (:class:`Definitions`, one per graph).

A resource's ``apiVersion: <group>/<version>`` and ``kind`` pick the CRD of that group and kind
(the first one of the input: a second copy is duplicate-object's), then the entry of
``spec.versions`` with that name; an ``apiextensions.k8s.io/v1beta1`` CRD may instead have one
``spec.version`` and one ``spec.validation`` schema for all. A version the CRD does not list, or
lists with ``served: false``, is refused by the API server (the resource's endpoint does not
exist): :class:`Unserved`."""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.objects import as_dict, as_list
from analyzer.model.structural import Schema, compile_schema

CRD_GROUP = "apiextensions.k8s.io"
CRD_KIND = "CustomResourceDefinition"


@dataclass(slots=True)
class Version:
    """One version of a CRD: its schema (None: the CRD gives none) and its status subresource."""

    crd: K8sObject
    name: str
    raw_schema: object
    status_subresource: bool
    prune: bool = True
    """False: the CRD keeps unknown fields (``spec.preserveUnknownFields``, a v1beta1 default)."""
    _schema: Schema | None = None

    @property
    def schema(self) -> Schema | None:
        """The compiled schema, made on first use (a CRD whose resources the input lacks costs nothing)."""
        if self._schema is None and isinstance(self.raw_schema, dict):
            self._schema = compile_schema(self.raw_schema)
        return self._schema


@dataclass(frozen=True, slots=True)
class Unserved:
    """The resource names a version its CRD does not serve."""

    crd: K8sObject
    version: str
    served: tuple[str, ...]
    listed: bool
    """The CRD lists the version (with ``served: false``)."""


class Definitions:
    """The input's CRDs by (group, kind), their versions compiled on first use."""

    def __init__(self, graph: SnapshotGraph) -> None:
        self._crds: dict[tuple[str, str], K8sObject] = {}
        for definition in graph.definitions():
            crd = graph.get((CRD_GROUP, CRD_KIND, None, definition.name))
            if crd is not None:
                self._crds.setdefault((definition.group, definition.kind), crd)
        self._versions: dict[tuple[str, str, str], Version | Unserved] = {}

    def version_of(self, obj: K8sObject) -> Version | Unserved | None:
        """The CRD version ``obj`` names; None when no CRD of the input declares its kind."""
        group = obj.ref.group
        crd = self._crds.get((group, obj.kind))
        if crd is None:
            return None
        name = obj.ref.api_version.rpartition("/")[2]
        key = (group, obj.kind, name)
        found = self._versions.get(key)
        if found is None:
            found = self._versions[key] = _version(crd, name)
        return found


def _version(crd: K8sObject, name: str) -> Version | Unserved:
    spec = crd.spec
    shared = as_dict(spec.get("validation")).get("openAPIV3Schema")  # v1beta1
    shared_status = "status" in as_dict(spec.get("subresources"))
    entries = [v for v in as_list(spec.get("versions")) if isinstance(v, dict)]
    if not entries and isinstance(spec.get("version"), str):
        entries = [{"name": spec["version"], "served": True}]
    served = tuple(str(v.get("name")) for v in entries if v.get("served", True) is not False)
    for entry in entries:
        if entry.get("name") != name:
            continue
        if entry.get("served", True) is False:
            return Unserved(crd, name, served, listed=True)
        schema = as_dict(entry.get("schema")).get("openAPIV3Schema", shared)
        status = "status" in as_dict(entry.get("subresources")) or shared_status
        return Version(crd, name, schema, status, _prunes(crd))
    return Unserved(crd, name, served, listed=False)


def _prunes(crd: K8sObject) -> bool:
    """Does the API server drop the fields the schema does not know? Not when
    ``spec.preserveUnknownFields`` is true, which apiextensions.k8s.io/v1beta1 defaults to."""
    keep = crd.spec.get("preserveUnknownFields")
    if crd.ref.api_version.endswith("/v1beta1"):
        return keep is False
    return keep is not True
