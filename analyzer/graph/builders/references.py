"""References by name from a pod spec, and a StatefulSet's governing Service.

Example: a Deployment whose template has ``volumes: [{name: t, configMap: {name: email}}]``
gets ``Deployment --references(via=volume t)--> ConfigMap/<ns>/email``. Covered: volumes
(configMap, secret, persistentVolumeClaim, projected sources), ``env[].valueFrom``
configMapKeyRef/secretKeyRef, ``envFrom``, ``imagePullSecrets`` and the ServiceAccount
(``default`` when unset). ``optional: true`` is kept on the edge.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from analyzer.graph.build import GraphBuilder
from analyzer.graph.edges import EdgeKind
from analyzer.model import KindKey, ObjectRef
from analyzer.model.objects import as_dict, as_list
from analyzer.model.workloads import TEMPLATE_PATHS, PodTemplate

# Every kind with a pod spec, and StatefulSet for its governing Service.
SOURCES: dict[EdgeKind, tuple[KindKey, ...] | None] = {
    EdgeKind.REFERENCES: tuple(dict.fromkeys([("", "Pod"), *TEMPLATE_PATHS, ("apps", "StatefulSet")]))
}


@dataclass(frozen=True, slots=True)
class NamedRef:
    kind: str  # ConfigMap | Secret | PersistentVolumeClaim | ServiceAccount
    name: str
    optional: bool
    via: str  # human-readable place, e.g. "volume email-templates"


def pod_spec_refs(template: PodTemplate) -> Iterator[NamedRef]:
    spec = template.spec
    volumes = spec.get("volumes")
    if isinstance(volumes, list):
        for vol in volumes:
            if isinstance(vol, dict):
                yield from _volume_refs(vol)
    for container in template.containers():
        cname = container.get("name", "?")
        env_list = container.get("env")
        for env in env_list if isinstance(env_list, list) else ():
            source = env.get("valueFrom") if isinstance(env, dict) else None
            if not isinstance(source, dict):  # most variables have a plain value
                continue
            for key, kind in KEY_REFS:
                ref = source.get(key)
                if isinstance(ref, dict) and ref.get("name"):
                    via = f"env {env.get('name')} of container {cname}"
                    yield NamedRef(kind, str(ref["name"]), ref.get("optional") is True, via)
        for env_from in as_list(container.get("envFrom")):
            for key, kind in SOURCE_REFS:
                ref = as_dict(as_dict(env_from).get(key))
                if ref.get("name"):
                    via = f"envFrom of container {cname}"
                    yield NamedRef(kind, str(ref["name"]), ref.get("optional") is True, via)
    for pull in as_list(spec.get("imagePullSecrets")):
        name = as_dict(pull).get("name")
        if name:
            # The kubelet pulls without a missing pull secret (and warns): not fatal, but broken.
            yield NamedRef("Secret", str(name), False, "imagePullSecrets")
    account = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
    yield NamedRef("ServiceAccount", str(account), False, "serviceAccountName")


KEY_REFS = (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret"))
SOURCE_REFS = (("configMapRef", "ConfigMap"), ("secretRef", "Secret"))
VOLUME_REFS = (
    ("configMap", "ConfigMap", "name"),
    ("secret", "Secret", "secretName"),
    ("persistentVolumeClaim", "PersistentVolumeClaim", "claimName"),
)
"""A volume's source key, the kind it names, and the field that names it."""


def _volume_refs(vol: dict[str, object]) -> Iterator[NamedRef]:
    # (Read with isinstance rather than as_dict: a pod has several volumes, each with one
    # source, and 150,000 pods would make millions of empty dicts for nothing.)
    for key, kind, field in VOLUME_REFS:
        source = vol.get(key)
        if isinstance(source, dict) and source.get(field):
            optional = kind != "PersistentVolumeClaim" and source.get("optional") is True
            yield NamedRef(kind, str(source[field]), optional, f"volume {vol.get('name')}")
    projected = vol.get("projected")
    sources = projected.get("sources") if isinstance(projected, dict) else None
    for item in sources if isinstance(sources, list) else ():
        if not isinstance(item, dict):
            continue
        for key, kind in (("configMap", "ConfigMap"), ("secret", "Secret")):
            ref = item.get(key)
            if isinstance(ref, dict) and ref.get("name"):
                via = f"volume {vol.get('name')}"
                yield NamedRef(kind, str(ref["name"]), ref.get("optional") is True, via)


def build(builder: GraphBuilder) -> None:
    # Thousands of pods name a few objects the same way: one target ref and one attributes
    # mapping each (edges' attributes are only read), not one per edge.
    targets: dict[tuple[str, str | None, str], ObjectRef] = {}
    attributes: dict[tuple[bool, str], dict[str, object]] = {}
    for template in builder.snapshot.templates:
        owner = template.owner
        edges = []
        for ref in pod_spec_refs(template):
            name = (ref.kind, owner.namespace, ref.name)
            target = targets.get(name)
            if target is None:
                target = targets[name] = ObjectRef("v1", ref.kind, owner.namespace, ref.name)
            attrs = attributes.get((ref.optional, ref.via))
            if attrs is None:
                attrs = attributes[(ref.optional, ref.via)] = {"optional": ref.optional, "via": ref.via}
            edges.append((target, attrs))
        builder.link_refs(owner, EdgeKind.REFERENCES, edges)
    for sts in builder.snapshot.of_kind("apps", "StatefulSet"):
        service = sts.spec.get("serviceName")
        if isinstance(service, str) and service:
            target = ObjectRef("v1", "Service", sts.namespace, service)
            builder.link_ref(sts, target, EdgeKind.REFERENCES, optional=False, via="serviceName")
