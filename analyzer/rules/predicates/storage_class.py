"""storage-class-missing: a PersistentVolumeClaim, or a StatefulSet's volumeClaimTemplates,
naming a StorageClass the snapshot does not hold, where the snapshot holds StorageClasses.

Used by: pvc-storage-class-missing. A claim's class is ``spec.storageClassName``, else the
``volume.beta.kubernetes.io/storage-class`` annotation; ``""`` asks for no class and an unset one
for the default class: neither is judged. Not judged either: a claim already Bound or pre-bound
to a volume (``volumeName``: the class only mattered to provision it), and a class that
PersistentVolumes of the snapshot carry (static provisioning needs no StorageClass object).
A snapshot without any StorageClass says nothing of the cluster's classes: not judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.objects import as_dict, as_list
from analyzer.rules.kinds import Kinds
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define

BETA_ANNOTATION = "volume.beta.kubernetes.io/storage-class"


class Params(PredicateParams):
    pass


def claim_class(claim: dict[str, object]) -> str | None:
    """The class a claim (or claim template) names; None for none, the default, or pre-bound."""
    spec = as_dict(claim.get("spec"))
    if spec.get("volumeName"):
        return None
    name = spec.get("storageClassName")
    if name is None:
        name = as_dict(as_dict(claim.get("metadata")).get("annotations")).get(BETA_ANNOTATION)
    return name if isinstance(name, str) and name else None


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    classes = sorted(c.name for c in graph.of_kind("storage.k8s.io", "StorageClass"))
    if not classes:
        return
    volumes = {as_dict(v.spec).get("storageClassName") for v in graph.of_kind("", "PersistentVolume")}
    known = set(classes) | {v for v in volumes if isinstance(v, str)}
    if subject.kind == "PersistentVolumeClaim":
        if subject.status.get("phase") == "Bound":
            return
        name = claim_class(subject.raw)
        if name is not None and name not in known:
            problem = f"PersistentVolumeClaim {subject.name} names StorageClass {name}, which is not in the"
            problem += " snapshot"
            yield Hit({"problem": problem, "classes": ", ".join(classes)}, path="spec.storageClassName")
        return
    missing = []
    for template in as_list(subject.spec.get("volumeClaimTemplates")):
        template = as_dict(template)
        name = claim_class(template)
        if name is not None and name not in known:
            missing.append(f"{as_dict(template.get('metadata')).get('name', '?')} ({name})")
    if missing:
        problem = (
            f"StatefulSet {subject.name}'s volumeClaimTemplates name a StorageClass that is not in the"
            f" snapshot: {', '.join(missing)}"
        )
        yield Hit({"problem": problem, "classes": ", ".join(classes)}, path="spec.volumeClaimTemplates")


PREDICATE = define(
    "storage-class-missing",
    Params,
    evaluate,
    kinds=Kinds.of([("", "PersistentVolumeClaim"), ("apps", "StatefulSet")]),
    facts=("problem", "classes"),
)
