"""K8sObject: one object of the snapshot with its identity, provenance and typed accessors."""

from __future__ import annotations

from typing import Any

from analyzer.load.types import Location
from analyzer.model.refs import ObjectRef


def as_dict(value: object) -> dict[str, Any]:
    """``value`` if it is a mapping, else an empty one (wrong types in real dumps are common)."""
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list[Any]:
    """``value`` if it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def str_map(value: object) -> dict[str, str]:
    """A label/selector mapping with its values as Kubernetes would read them (strings)."""
    return {str(k): _label_value(v) for k, v in as_dict(value).items()}


def _label_value(value: object) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return ""
    return str(value)


def get_path(data: object, path: str) -> object:
    """Read a dotted path (``spec.template.metadata.labels``); None where any step is absent."""
    current: object = data
    for part in path.split("."):
        if not isinstance(current, dict):
            return None
        current = current.get(part)
    return current


class K8sObject:
    """An object as read, with its ref and where it came from. ``raw`` is never mutated."""

    __slots__ = ("helm_source", "location", "raw", "ref")

    def __init__(
        self,
        ref: ObjectRef,
        raw: dict[str, Any],
        location: Location,
        helm_source: str | None = None,
    ) -> None:
        self.ref = ref
        self.raw = raw
        self.location = location
        self.helm_source = helm_source

    def __repr__(self) -> str:
        return f"K8sObject({self.ref.display()} @ {self.location.file}:{self.location.line})"

    @property
    def kind(self) -> str:
        return self.ref.kind

    @property
    def name(self) -> str:
        return self.ref.name

    @property
    def namespace(self) -> str | None:
        return self.ref.namespace

    @property
    def metadata(self) -> dict[str, Any]:
        return as_dict(self.raw.get("metadata"))

    @property
    def labels(self) -> dict[str, str]:
        return str_map(self.metadata.get("labels"))

    @property
    def annotations(self) -> dict[str, str]:
        return str_map(self.metadata.get("annotations"))

    @property
    def spec(self) -> dict[str, Any]:
        return as_dict(self.raw.get("spec"))

    @property
    def status(self) -> dict[str, Any]:
        return as_dict(self.raw.get("status"))

    @property
    def has_status(self) -> bool:
        return bool(self.status)

    def get(self, path: str) -> object:
        return get_path(self.raw, path)

    def owner_references(self) -> list[dict[str, Any]]:
        return [o for o in as_list(self.metadata.get("ownerReferences")) if isinstance(o, dict)]

    def controller_reference(self) -> dict[str, Any] | None:
        """The owner reference of the object's controller (``controller: true``, or the only
        owner), whether or not the snapshot holds that owner."""
        owners = self.owner_references()
        for owner in owners:
            if owner.get("controller") is True or len(owners) == 1:
                return owner
        return None
