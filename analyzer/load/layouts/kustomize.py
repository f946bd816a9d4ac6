"""Kustomize folders: a ``kustomization.yaml`` (``kustomization.yml``, ``Kustomization``) says
what kustomize builds, and some of the files it lists are not objects: strategic-merge and JSON
patches (``patchesStrategicMerge``, ``patches[].path``, ``patchesJson6902[].path``) are partial
objects, and the configurations of transformers and generators (``transformers``,
``generators``, ``validators``, ``configurations``, ``replacements[].path``) are not resources.
Read as objects, a patch duplicates the object it patches and has none of its labels.

The kustomization file itself is not read as objects (:class:`Kustomization`); the files it
lists in its folder (or below, or beside it with ``../``, inside what was named) are
:class:`Patch`. What it lists under ``resources``, ``crds`` and ``components`` is read as usual
when the folder is read unrendered; :func:`references` names those paths, for the rendering of
folders (a folder another kustomization lists is a base, rendered only through it).
"""

from __future__ import annotations

import posixpath
from typing import Any

from analyzer.load.layouts.base import KUSTOMIZATION, Patch, Role

KUSTOMIZE_GROUP = "kustomize.config.k8s.io"
FILE_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")

PATCH_FIELDS = ("patchesStrategicMerge", "patches", "patchesJson6902")
CONFIG_FIELDS = ("transformers", "generators", "validators", "configurations", "replacements")
RESOURCE_FIELDS = ("resources", "bases", "components", "crds")


def references(relative_path: str, value: Any) -> list[str]:
    """The local paths (files or folders, relative like ``relative_path``, inside what was
    named) a kustomization lists as resources, bases, components or CRDs; URLs left out:
    ``references("overlays/prod/kustomization.yaml", {"resources": ["../../base"]})`` ->
    ``["base"]``."""
    if not isinstance(value, dict):
        return []
    folder = posixpath.dirname(relative_path)
    found: list[str] = []
    for field in RESOURCE_FIELDS:
        entries = value.get(field)
        for entry in entries if isinstance(entries, list) else ():
            if not isinstance(entry, str) or not entry.strip() or "://" in entry or "\n" in entry:
                continue
            path = posixpath.normpath(posixpath.join(folder, entry.strip()))
            if not (path.startswith("../") or path == ".." or posixpath.isabs(path)):
                found.append("" if path == "." else path)
    return found


class Kustomize:
    name = "kustomize"

    def role(self, relative_path: str) -> Role | None:
        return KUSTOMIZATION if posixpath.basename(relative_path) in FILE_NAMES else None

    def kind(self, path: str) -> tuple[str, str] | None:
        return None

    def untyped(self, path: str) -> str | None:
        return None

    def listed(self, relative_path: str, value: Any) -> dict[str, Role] | None:
        """The files a kustomization at ``relative_path`` (its first document: ``value``) lists
        as patches or configurations, by their paths relative to the same root; None when the
        file is an object of another API after all (Flux's ``Kustomization``): it is read."""
        if self.role(relative_path) is None:
            return {}
        if not isinstance(value, dict):
            return {}
        api_version = value.get("apiVersion")
        if isinstance(api_version, str) and not api_version.startswith(KUSTOMIZE_GROUP + "/"):
            return None
        folder = posixpath.dirname(relative_path)
        roles: dict[str, Role] = {}
        for field in (*PATCH_FIELDS, *CONFIG_FIELDS):
            what = "patch" if field in PATCH_FIELDS else f"{field.rstrip('s')} configuration"
            if field == "configurations":
                what = "transformer configuration"
            entries = value.get(field)
            for entry in entries if isinstance(entries, list) else ():
                path = entry.get("path") if isinstance(entry, dict) else entry
                if not isinstance(path, str) or not path.strip() or "\n" in path:
                    continue  # an inline patch, or not a path
                found = posixpath.normpath(posixpath.join(folder, path.strip()))
                if found.startswith("../") or found in ("..", ".") or posixpath.isabs(found):
                    continue  # outside what was named: it is not read anyway
                roles.setdefault(found, Patch(relative_path, what))
        return roles


KUSTOMIZE = Kustomize()
