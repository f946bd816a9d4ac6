"""OpenShift must-gather trees (``oc adm must-gather``; the Insights archive writes some of its
files the same way). Objects are filed by namespace, API group and resource plural; where one
has no kind, it is the one its path names (:mod:`analyzer.load.layouts.resources`; a custom
resource's from its CRD in the tree, never guessed):

    namespaces/<ns>/<group>/<plural>.yaml                 a List (``core``: the core group)
    namespaces/<ns>/<group>/<plural>/<name>.yaml          one object
    namespaces/<ns>/<plural>/<name>.yaml                  one object of a built-in resource
    namespaces/<ns>/pods/<pod>/<pod>.yaml                 the Pod
    namespaces/<ns>/<ns>.yaml                             the Namespace
    cluster-scoped-resources/<group>/<plural>/<name>.yaml one cluster-scoped object
    cluster-scoped-resources/<group>/<plural>.yaml        a List
    namespaces/<ns>/pods/<pod>/<container>/<container>/logs/current.log   the pod's log

CRDs are read from ``cluster-scoped-resources/apiextensions.k8s.io/customresourcedefinitions/
<plural>.<group>.yaml`` of a folder.
"""

from __future__ import annotations

from typing import Any

from analyzer.load.layouts.base import PodLog, Role, segments, stem
from analyzer.load.layouts.input_crds import crds_at, in_archive
from analyzer.load.layouts.resources import is_builtin_group, is_group, lookup

NAMESPACES = "namespaces"
CLUSTER = "cluster-scoped-resources"
CRD_FOLDER = f"{CLUSTER}/apiextensions.k8s.io/customresourcedefinitions"
SUFFIXES = (".yaml", ".yml", ".json")
LOG = ("logs", "current.log")


def _named(path: str) -> tuple[str | None, str, str] | None:
    """``(group or None, resource name, root)`` that the path of an object's file names, the
    root being the path up to the tree (for its CRDs); None when it has none of the shapes."""
    parts = segments(path)
    if not parts or not parts[-1].lower().endswith(SUFFIXES):
        return None
    for at in range(len(parts) - 2, -1, -1):
        rest = parts[at + 1 :]
        found = (
            _namespaced(rest) if parts[at] == NAMESPACES else _cluster(rest) if parts[at] == CLUSTER else None
        )
        if found is not None:
            return found[0], found[1], _root(path, parts[at:])
    return None


def _namespaced(rest: list[str]) -> tuple[str | None, str] | None:
    if len(rest) == 2 and stem(rest[1]) == rest[0]:
        return "", "namespaces"
    if len(rest) == 3:
        if is_group(rest[1]):
            return rest[1], stem(rest[2])
        return (None, rest[1]) if lookup(rest[1]) is not None else None
    if len(rest) == 4:
        if rest[1] == "pods" and stem(rest[3]) == rest[2]:
            return "", "pods"
        return (rest[1], rest[2]) if is_group(rest[1]) else None
    return None


def _cluster(rest: list[str]) -> tuple[str | None, str] | None:
    if len(rest) in (2, 3) and is_group(rest[0]):
        return rest[0], stem(rest[1]) if len(rest) == 2 else rest[1]
    return None


def _root(path: str, tail: list[str]) -> str:
    """``path`` without its last segments ``tail``: ``a/b/namespaces/x.yaml`` -> ``a/b/``."""
    slashed = path.replace("\\", "/")
    end = "/".join(tail)
    return slashed[: -len(end)] if slashed.endswith(end) else ""


class MustGather:
    name = "openshift-must-gather"

    def role(self, relative_path: str) -> Role | None:
        """A pod's log at ``namespaces/<ns>/pods/<pod>/<container>/<container>/logs/current.log``."""
        parts = segments(relative_path)
        if len(parts) >= 8 and tuple(parts[-2:]) == LOG and parts[-8] == NAMESPACES and parts[-6] == "pods":
            return PodLog(parts[-7], parts[-5])
        return None

    def listed(self, relative_path: str, value: Any) -> dict[str, Role] | None:
        return {}

    def kind(self, path: str) -> tuple[str, str] | None:
        named = _named(path)
        if named is None:
            return None
        group, name, root = named
        resource = lookup(name, group)
        if resource is None and group and not is_builtin_group(group):
            for suffix in (".yaml", ".json"):
                crds = crds_at(f"{root}{CRD_FOLDER}/{name}.{group}{suffix}")
                if crds is not None:
                    resource = crds.get(f"{name}.{group}")
                    break
        return (resource.api_version, resource.kind) if resource is not None else None

    def untyped(self, path: str) -> str | None:
        named = _named(path)
        if named is None or self.kind(path) is not None:
            return None
        group, name, _ = named
        if group is None or is_builtin_group(group):
            return f"{name!r} is no resource of the API group {group or 'core'} that kubesnap knows"
        where = f"{CRD_FOLDER}/{name}.{group}.yaml"
        if in_archive(path):
            return f"{name}.{group}: its CRD ({where}) is read from a folder only, not from an archive"
        return f"{name}.{group}: the input holds no CRD of it ({where}) to give the kind"


MUST_GATHER = MustGather()
