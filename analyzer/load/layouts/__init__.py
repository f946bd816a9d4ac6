"""Input layouts: what a file found in a folder or an archive is, by its path, and the kind of
an object written without one, by its path. Each layout is one module with one object that
says both; :data:`LAYOUTS` lists them, the most specific first:

    cluster_dump.py  ``kubectl cluster-info dump --output-directory``: pod log tails
    support_bundle.py  troubleshoot / sbctl support bundles: ``cluster-resources/<resource>/<ns>.json``,
                     custom resources typed by the bundle's CRDs, pod logs, ``auth-cani-list`` (no objects)
    must_gather.py   OpenShift must-gather: ``namespaces/<ns>/<group>/<plural>.yaml``,
                     ``cluster-scoped-resources/<group>/<plural>/<name>.yaml``, ``.../logs/current.log``
    insights.py      the OpenShift Insights archive: bare objects in ``config/<resource>/``, pod logs
    kustomize.py     kustomize folders: the kustomization, and the patches it lists (not objects)
    chart.py         Helm chart folders: why ``Chart.yaml``, ``values.yaml``... are no objects
    manifests.py     any ``.yaml``, ``.yml`` or ``.json`` file: documents

Resource names (``pvcs``, ``network-policy``) map to kinds in ``resources.py`` (built-in kinds;
CRDs of the input through ``input_crds.py``): an unknown name names no kind. A new layout (a
chart folder) is a module here and a line in :data:`LAYOUTS`; the reading of files
(:mod:`analyzer.load.sources`) and of documents (:mod:`analyzer.load.documents`) asks this
registry and knows no layout.
"""

from __future__ import annotations

from typing import Any

from analyzer.load.layouts.base import (
    KUSTOMIZATION,
    MANIFEST,
    Kustomization,
    Layout,
    Manifest,
    Patch,
    PodLog,
    Role,
)
from analyzer.load.layouts.chart import CHART
from analyzer.load.layouts.cluster_dump import CLUSTER_DUMP
from analyzer.load.layouts.insights import INSIGHTS
from analyzer.load.layouts.kustomize import KUSTOMIZE
from analyzer.load.layouts.manifests import MANIFESTS
from analyzer.load.layouts.must_gather import MUST_GATHER
from analyzer.load.layouts.support_bundle import SUPPORT_BUNDLE

LAYOUTS: tuple[Layout, ...] = (
    CLUSTER_DUMP,
    SUPPORT_BUNDLE,
    MUST_GATHER,
    INSIGHTS,
    KUSTOMIZE,
    CHART,
    MANIFESTS,
)


def role_of(relative_path: str) -> Role | None:
    """What the file at ``relative_path`` (below a folder or in an archive, ``/``-separated) is
    to the first layout that claims it; None when no layout does (the file is not read)."""
    for layout in LAYOUTS:
        role = layout.role(relative_path)
        if role is not None:
            return role
    return None


def listed_by(relative_path: str, value: Any) -> dict[str, Role] | None:
    """The roles that the file at ``relative_path`` (a :class:`Kustomization`; ``value``: its
    first document) gives other files, by their paths relative like it. They come before the
    roles the paths alone would give. None when it is not what its path said: it is then read
    as a manifest."""
    roles: dict[str, Role] = {}
    for layout in LAYOUTS:
        listed = layout.listed(relative_path, value)
        if listed is None:
            return None
        for path, role in listed.items():
            roles.setdefault(path, role)
    return roles


def kind_from_path(path: str) -> tuple[str, str] | None:
    """``(apiVersion, kind)`` of an object written without them, from the path of its file, by
    the first layout that names one."""
    for layout in LAYOUTS:
        named = layout.kind(path)
        if named is not None:
            return named
    return None


def untyped_reason(path: str) -> str | None:
    """Why a document without a kind in the file at ``path`` is not an object, by the first
    layout that says (its path names no kind it knows, or things that are no objects)."""
    for layout in LAYOUTS:
        why = layout.untyped(path)
        if why is not None:
            return why
    return None


__all__ = [
    "KUSTOMIZATION",
    "LAYOUTS",
    "MANIFEST",
    "Kustomization",
    "Layout",
    "Manifest",
    "Patch",
    "PodLog",
    "Role",
    "kind_from_path",
    "listed_by",
    "role_of",
    "untyped_reason",
]
