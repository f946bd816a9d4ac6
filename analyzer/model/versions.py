"""Kubernetes minor versions: the target a run judges against (``--kube-version X.Y``), for the
rules whose answer depends on it (deprecated API versions, schemas).

>>> parse_version("v1.29.4-eks-1")
KubeVersion(major=1, minor=29)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from analyzer.model.objects import as_dict


class KubeVersion(NamedTuple):
    major: int
    minor: int

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"


NEWEST = KubeVersion(1, 37)
"""The newest Kubernetes release kubesnap knows (its deprecation table and schemas)."""

_VERSION = re.compile(r"^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$")


def parse_version(text: str) -> KubeVersion | None:
    """``1.31``, ``v1.31.2`` or ``v1.31.2-gke.100`` -> (1, 31); None for anything else."""
    found = _VERSION.match(text.strip())
    return KubeVersion(int(found[1]), int(found[2])) if found else None


def kubelet_version(nodes: Iterable[dict[str, object]]) -> KubeVersion | None:
    """The newest ``status.nodeInfo.kubeletVersion`` of the Nodes of a live dump: the control
    plane is at least that version (kubelets may lag it, never lead it); None without nodes."""
    infos = (as_dict(as_dict(node.get("status")).get("nodeInfo")) for node in nodes)
    found = [parse_version(v) for info in infos if isinstance(v := info.get("kubeletVersion"), str)]
    known = [v for v in found if v is not None]
    return max(known) if known else None
