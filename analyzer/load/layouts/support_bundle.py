"""Replicated troubleshoot support bundles (what ``kubectl support-bundle`` writes and ``sbctl``
serves): below ``cluster-resources/``, a folder per resource holds one file per namespace
(``pods/<namespace>.json``), and a cluster-scoped resource is one file (``nodes.json``); the
folder or file is named for the resource (``pvcs``, ``network-policy``,
``custom-resource-definitions``: :mod:`analyzer.load.layouts.resources`). Most files are typed
Lists; where the objects have no kind (an untyped list, a bare array), it is the one the path
names.

* ``custom-resources/<plural>.<group>/<namespace>.{json,yaml}``: custom resources, whose kind
  (when they lack it) is the built-in one (``deployments.apps``) or the one the bundle's CRD of
  ``<plural>.<group>`` declares, read from
  ``cluster-resources/custom-resource-definitions.json`` of a folder; without it they are
  skipped, saying why.
* ``auth-cani-list/<namespace>.json``: the permissions of whoever collected the bundle, not objects.
* ``pods/logs/<namespace>/<pod>/<container>[-previous].log``: the pod's log (:class:`PodLog`).

    cluster-resources/deployments/shop.json          DeploymentList (read as any manifest)
    cluster-resources/custom-resource-definitions.json   {"items": [<CRDs without kind>]}
    cluster-resources/pods/logs/shop/api-1/api.log   the tail of pod shop/api-1's log
"""

from __future__ import annotations

from typing import Any

from analyzer.load.layouts.base import PodLog, Role, segments, stem
from analyzer.load.layouts.input_crds import crds_at, in_archive
from analyzer.load.layouts.resources import Resource, is_builtin_group, lookup

ANCHOR = "cluster-resources"
CUSTOM = "custom-resources"
CRD_FILES = ("custom-resource-definitions.json", "custom-resource-definitions.yaml")
CAN_I = "auth-cani-list"
LOG_SUFFIX = ".log"


def _rest(path: str) -> list[str] | None:
    """The segments of ``path`` after its last ``cluster-resources``; None outside a bundle."""
    parts = segments(path)
    if ANCHOR not in parts[:-1]:
        return None
    return parts[len(parts) - parts[::-1].index(ANCHOR) :]


def _crds(path: str) -> dict[str, Resource] | None:
    """The bundle's CRDs by ``<plural>.<group>``, for a file of ``path``'s bundle."""
    slashed = path.replace("\\", "/")
    for mark in ("/" + ANCHOR + "/", ":" + ANCHOR + "/"):
        at = slashed.rfind(mark)
        if at >= 0:
            root = slashed[: at + 1]
            break
    else:
        root = ""
    for name in CRD_FILES:
        found = crds_at(f"{root}{ANCHOR}/{name}")
        if found is not None:
            return found
    return None


class SupportBundle:
    name = "troubleshoot-support-bundle"

    def role(self, relative_path: str) -> Role | None:
        """A pod's log at ``cluster-resources/pods/logs/<namespace>/<pod>/<file>.log``."""
        rest = _rest(relative_path)
        if rest and len(rest) == 5 and rest[:2] == ["pods", "logs"] and rest[4].endswith(LOG_SUFFIX):
            return PodLog(rest[2], rest[3])
        return None

    def listed(self, relative_path: str, value: Any) -> dict[str, Role] | None:
        return {}

    def kind(self, path: str) -> tuple[str, str] | None:
        rest = _rest(path)
        if not rest or rest[0] == CAN_I:
            return None
        if rest[0] == CUSTOM:
            if len(rest) != 3:
                return None
            plural, _, group = rest[1].partition(".")
            crd = (
                lookup(plural, group)
                if group and is_builtin_group(group)
                else (_crds(path) or {}).get(rest[1])
            )
            return (crd.api_version, crd.kind) if crd is not None else None
        if len(rest) > 2:
            return None
        resource = lookup(stem(rest[0]) if len(rest) == 1 else rest[0])
        return (resource.api_version, resource.kind) if resource is not None else None

    def untyped(self, path: str) -> str | None:
        rest = _rest(path)
        if not rest:
            return None
        if rest[0] == CAN_I:
            return "auth can-i list: the permissions of whoever collected the support bundle, not objects"
        if rest[0] == CUSTOM and len(rest) == 3:
            if self.kind(path) is not None:
                return None
            where = f"{ANCHOR}/{CRD_FILES[0]}"
            if in_archive(path):
                return (
                    f"custom resources of {rest[1]}: the kind is taken from the bundle's CRDs ({where}),"
                    " which are read from a folder only, not from an archive: extract it"
                )
            return f"custom resources of {rest[1]}: the bundle holds no CRD of it ({where}) to give a kind"
        if len(rest) <= 2 and self.kind(path) is None:
            name = stem(rest[0]) if len(rest) == 1 else rest[0]
            return f"the support bundle's {name!r} names no resource kind kubesnap knows"
        return None


SUPPORT_BUNDLE = SupportBundle()
