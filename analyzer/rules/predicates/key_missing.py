"""key-missing: a pod spec names a key of a ConfigMap or Secret that the object, present in the
snapshot, does not hold.

Used by: configmap-key-missing, secret-key-missing.

Read where the kubelet reads keys: ``env[].valueFrom.configMapKeyRef`` / ``secretKeyRef``
(a missing key: CreateContainerConfigError) and the ``items[].key`` of configMap and secret
volumes and of projected volume sources (a missing key: the volume is never set up, the pod stays
ContainerCreating). ``optional: true`` on the reference lets the pod run without the key.
``envFrom`` names no key and a missing object is ``missing-reference``'s finding.

A ConfigMap's keys are those of ``data`` and ``binaryData``; a Secret's those of ``data`` and
``stringData`` (values are redacted on load, keys stay), and a ``service-account-token`` Secret
also gets ``token``, ``ca.crt`` and ``namespace`` from the token controller. An object holding no
key at all is not judged (a coverage note): a placeholder another controller fills, or a dump
taken without its values. One hit per referenced object, listing every missing key and where it
is read; checked once per root workload, as ``reference-missing`` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal
from weakref import WeakKeyDictionary

from pydantic import Field

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject, ObjectRef
from analyzer.model.objects import as_dict, as_list
from analyzer.model.workloads import PodTemplate
from analyzer.rules.kinds import POD_SPEC_KINDS
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, Unjudged, define
from analyzer.rules.predicates.reference_missing import finished

# Keys the token controller writes into a Secret of this type.
TOKEN_KEYS = frozenset({"token", "ca.crt", "namespace"})
SHOWN_KEYS = 12


class Params(PredicateParams):
    kind: Literal["ConfigMap", "Secret"] = Field(description="The kind whose keys are checked.")


@dataclass(frozen=True, slots=True)
class KeyRef:
    name: str
    key: str
    via: str
    path: str


ENV_REFS = {"configMapKeyRef": "ConfigMap", "secretKeyRef": "Secret"}
VOLUMES = {"configMap": ("ConfigMap", "name"), "secret": ("Secret", "secretName")}


def key_refs(template: PodTemplate) -> dict[str, list[KeyRef]]:
    """The non-optional references to a key of a ConfigMap and of a Secret in ``template``'s pod
    spec, by kind (one walk for both rules)."""
    found: dict[str, list[KeyRef]] = {"ConfigMap": [], "Secret": []}
    prefix = _spec_path(template)
    for list_name in ("initContainers", "containers", "ephemeralContainers"):
        for i, container in enumerate(as_list(template.spec.get(list_name))):
            container = as_dict(container)
            for j, env in enumerate(as_list(container.get("env"))):
                value_from = as_dict(as_dict(env).get("valueFrom"))
                for env_key, kind in ENV_REFS.items():
                    ref = as_dict(value_from.get(env_key))
                    name, key = ref.get("name"), ref.get("key")
                    if not isinstance(name, str) or not name or not isinstance(key, str):
                        continue
                    if ref.get("optional") is not True:
                        via = f"env {as_dict(env).get('name')} of container {container.get('name', '?')}"
                        path = f"{prefix}.{list_name}[{i}].env[{j}].valueFrom.{env_key}.key"
                        found[kind].append(KeyRef(name, key, via, path))
    for i, volume in enumerate(as_list(template.spec.get("volumes"))):
        volume = as_dict(volume)
        projected = as_list(as_dict(volume.get("projected")).get("sources"))
        for volume_key, (kind, name_field) in VOLUMES.items():
            via = f"volume {volume.get('name')}"
            sources = [(as_dict(volume.get(volume_key)), name_field, f"{prefix}.volumes[{i}].{volume_key}")]
            for k, source in enumerate(projected):
                projected_source = as_dict(as_dict(source).get(volume_key))
                where = f"{prefix}.volumes[{i}].projected.sources[{k}].{volume_key}"
                sources.append((projected_source, "name", where))
            for source, field, path in sources:
                name = source.get(field)
                if not isinstance(name, str) or not name or source.get("optional") is True:
                    continue
                for n, item in enumerate(as_list(source.get("items"))):
                    key = as_dict(item).get("key")
                    if isinstance(key, str):
                        found[kind].append(KeyRef(name, key, via, f"{path}.items[{n}].key"))
    return found


_REFS: WeakKeyDictionary[SnapshotGraph, dict[int, dict[str, list[KeyRef]]]] = WeakKeyDictionary()


def _key_refs(graph: SnapshotGraph, template: PodTemplate, kind: str) -> list[KeyRef]:
    """:func:`key_refs` of ``kind``, found once per graph and template."""
    known = _REFS.setdefault(graph, {})
    found = known.get(id(template))
    if found is None:
        found = known[id(template)] = key_refs(template)
    return found[kind]


def _spec_path(template: PodTemplate) -> str:
    owner = template.owner
    if owner.kind == "Pod":
        return "spec"
    if owner.kind == "CronJob":
        return "spec.jobTemplate.spec.template.spec"
    if owner.kind == "PodTemplate":
        return "template.spec"
    return "spec.template.spec"


def held_keys(obj: K8sObject) -> frozenset[str]:
    """The keys a ConfigMap or Secret holds (values redacted or not)."""
    fields = ("data", "binaryData") if obj.kind == "ConfigMap" else ("data", "stringData")
    keys = {str(k) for f in fields for k in as_dict(obj.raw.get(f))}
    if obj.kind == "Secret" and obj.raw.get("type") == "kubernetes.io/service-account-token":
        keys |= TOKEN_KEYS
    return frozenset(keys)


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    if graph.controller_of(subject) is not None or finished(subject):
        return
    template = graph.template_of(subject)
    if template is None:
        return
    by_name: dict[str, list[KeyRef]] = {}
    for ref in _key_refs(graph, template, params.kind):
        by_name.setdefault(ref.name, []).append(ref)
    for name, refs in by_name.items():
        target = ObjectRef("v1", params.kind, subject.namespace, name)
        obj = graph.get(target.key)
        if obj is None:
            continue  # missing-reference's finding
        held = held_keys(obj)
        if not held:
            why = "a placeholder filled at run time, or its data was not dumped"
            yield Unjudged(f"{params.kind} {name} holds no key in the snapshot ({why})")
            continue
        missing = [r for r in refs if r.key not in held]
        if not missing:
            continue
        keys = list(dict.fromkeys(r.key for r in missing))
        distinct = {(r.key, r.via): r for r in missing}.values()
        places = _and([f"key {r.key} ({r.via})" for r in distinct])
        shown = sorted(held)[:SHOWN_KEYS]
        holds = ", ".join(shown) + (f" and {len(held) - len(shown)} more" if len(held) > len(shown) else "")
        facts = {
            "name": name,
            "keys": ", ".join(keys),
            "places": places,
            "held": holds,
            "count": str(len(keys)),
        }
        yield Hit(facts, (obj.ref,), because_of=(obj.ref,), path=missing[0].path)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


PREDICATE = define(
    "key-missing",
    Params,
    evaluate,
    kinds=POD_SPEC_KINDS,
    facts=("name", "keys", "places", "held", "count"),
)
