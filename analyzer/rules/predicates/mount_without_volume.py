"""mount-without-volume: a container ``volumeMounts`` entry names a volume the pod spec does not
declare (for a StatefulSet, ``volumeClaimTemplates`` count as declared).

Used by: volume-mount-undeclared. Checked once per root workload.
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.objects import as_dict, as_list
from analyzer.rules.kinds import POD_SPEC_KINDS
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define


class Params(PredicateParams):
    pass


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    template = graph.template_of(subject)
    if template is None or graph.controller_of(subject) is not None:
        return
    volumes = template.volume_names()
    declared = ", ".join(sorted(volumes)) or "none"
    for container in template.containers():
        for mount in as_list(container.get("volumeMounts")):
            mount = as_dict(mount)
            name = mount.get("name")
            if name is not None and str(name) not in volumes:
                yield Hit(
                    {
                        "mount": str(name),
                        "container": str(container.get("name", "?")),
                        "mount_path": str(mount.get("mountPath", "?")),
                        "declared": declared,
                    }
                )


PREDICATE = define(
    "mount-without-volume",
    Params,
    evaluate,
    kinds=POD_SPEC_KINDS,
    facts=("mount", "container", "mount_path", "declared"),
)
