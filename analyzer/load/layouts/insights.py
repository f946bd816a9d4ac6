"""The OpenShift Insights archive writes objects bare (``metadata``/``spec``/``status``, no
``kind`` nor ``apiVersion``) below ``config/``, in a folder named for their resource (singular,
plural or short: :mod:`analyzer.load.layouts.resources`); there the kind is the one the path
names. Its ``namespaces/`` and ``cluster-scoped-resources/`` files have must-gather's shapes
(:mod:`analyzer.load.layouts.must_gather`).

    config/<resource>/<name>.json                  config/node/<name>.json, config/crd/<name>.json
    config/<resource>/<namespace>/<name>.json      config/pod/<ns>/<name>.json
    config/<category>/<resource>/<name>.json       config/storage/storageclasses/<name>.json
    config/clusteroperator/<group>/<resource>/[<namespace>/]<name>.json   an operator's resource
    config/<resource>.json                          a cluster configuration (config.openshift.io):
                                                    config/proxy.json; config/version.json is the
                                                    ClusterVersion
    config/pod/<ns>/logs/<pod>/<file>.log           lines of the pod's log
    conditional/namespaces/<ns>/pods/<pod>/containers/<container>/logs/<file>.log   its last lines
"""

from __future__ import annotations

from typing import Any

from analyzer.load.layouts.base import PodLog, Role, segments, stem
from analyzer.load.layouts.resources import Resource, lookup

CONFIG = "config"
CONFIG_GROUP = "config.openshift.io"
OPERATORS = "clusteroperator"
CONTAINER_LOG = ["namespaces", "pods", "containers", "logs"]
FILE_RESOURCES = {"version": "clusterversions"}
"""The one cluster configuration file not named for its resource."""


def _resource(path: str) -> Resource | None:
    """The resource the path names below a ``config`` folder (the innermost that names one)."""
    parts = segments(path)
    if not parts or not parts[-1].lower().endswith(".json"):
        return None
    for at in range(len(parts) - 2, -1, -1):
        if parts[at] == CONFIG:
            found = _below_config(parts[at + 1 :])
            if found is not None:
                return found
    return None


def _below_config(rest: list[str]) -> Resource | None:
    if len(rest) == 1:
        name = stem(rest[0])
        return lookup(FILE_RESOURCES.get(name, name), CONFIG_GROUP)
    if rest[0] == OPERATORS and len(rest) in (4, 5):
        return lookup(rest[2], rest[1])
    if len(rest) in (2, 3) and (found := lookup(rest[0])) is not None:
        return found
    return lookup(rest[-2]) if len(rest) == 3 else None


class Insights:
    name = "openshift-insights"

    def role(self, relative_path: str) -> Role | None:
        """Pod logs: ``config/pod/<ns>/logs/<pod>/<file>.log`` and
        ``namespaces/<ns>/pods/<pod>/containers/<container>/logs/<file>.log``."""
        parts = segments(relative_path)
        if not parts[-1:] or not parts[-1].endswith(".log"):
            return None
        if len(parts) >= 6 and parts[-6:-4] == [CONFIG, "pod"] and parts[-3] == "logs":
            return PodLog(parts[-4], parts[-2])
        container = len(parts) >= 8 and [parts[-8], parts[-6], parts[-4], parts[-2]] == CONTAINER_LOG
        if container:
            return PodLog(parts[-7], parts[-5])
        return None

    def listed(self, relative_path: str, value: Any) -> dict[str, Role] | None:
        return {}

    def kind(self, path: str) -> tuple[str, str] | None:
        found = _resource(path)
        return (found.api_version, found.kind) if found is not None else None

    def untyped(self, path: str) -> str | None:
        return None


INSIGHTS = Insights()
