"""The compact schemas of one Kubernetes minor version, read from ``data/k8s-1.N.json.gz`` the
first time a run asks for that version (about 2 ms; a run that never validates never reads them).

A schema node is a definition's name (a shared ``$ref``) or a dict: ``t`` type, ``p``
properties, ``r`` required, ``i`` items, ``a`` map values, ``o`` the types of a union
(``["integer", "string"]``: int-or-string; ``["number", "string"]``: a quantity), ``e`` an enum,
``k`` a kind's root; ``{}`` accepts anything (tools/schemas/build.py writes them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from analyzer.model.versions import KubeVersion
from analyzer.rules.openapi.validate import Check, Compiler

OLDEST = KubeVersion(1, 25)
NEWEST = KubeVersion(1, 37)
"""The versions whose schemas kubesnap ships; a target outside them is judged by the nearest."""


@dataclass(frozen=True, slots=True)
class KindSchemas:
    """The schemas of the kinds one Kubernetes version serves."""

    version: KubeVersion
    """The version these schemas are of (the target, or the nearest one shipped)."""
    kinds: dict[str, str]
    """``"apps/v1 Deployment"`` -> the name of its root definition."""
    defs: dict[str, Any]
    """Definition name -> schema node."""
    compiler: Compiler = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiler", Compiler(self.defs))

    def check(self, api_version: str, kind: str) -> Check | None:
        """The compiled check of ``kind`` in ``api_version`` (compiled on first use); None when
        this version does not serve it."""
        name = self.kinds.get(f"{api_version} {kind}")
        return None if name is None else self.compiler.definition(name)


def shipped(version: KubeVersion) -> KubeVersion:
    """The shipped version nearest to ``version`` (itself when shipped)."""
    if version.major != 1 or version < OLDEST:
        return OLDEST if version < OLDEST else NEWEST
    return min(version, NEWEST)


@cache
def schemas_for(version: KubeVersion) -> KindSchemas:
    """The schemas of ``version`` (of the nearest shipped version), read once per process."""
    import gzip  # imported by the first run that validates, not by every start-up
    from importlib import resources

    near = shipped(version)
    name = f"k8s-{near.major}.{near.minor}.json.gz"
    blob = resources.files(__package__).joinpath("data", name).read_bytes()
    data = json.loads(gzip.decompress(blob))
    return KindSchemas(near, data["kinds"], data["defs"])
