"""dependency: a workload names a Service by in-cluster DNS, and that Service is absent
(``problem: missing``) or has no ready endpoint (``problem: unavailable``).

Used by: dependency-missing, dependency-unavailable. Judged once per root workload (or a Pod no
object of the snapshot controls). Read: container env values, command and args, and the data of
the ConfigMaps the pod takes (``envFrom``, ``configMapKeyRef``, ``configMap`` and projected
volumes); never a Secret. Host names come from :mod:`analyzer.model.hostnames`; whether a
Service has a ready endpoint from :mod:`.endpoints`, as ``service-no-ready-endpoints`` says.

Example: Deployment ``monitoring/opencost`` with ``PROMETHEUS_SERVER_ENDPOINT=
http://prometheus-server.monitoring.svc.cluster.local:80`` while Service
``monitoring/prometheus-server`` selects no pod gives one ``unavailable`` hit, because of that
Service. Missing needs live evidence (the workload has a status, or the Service's namespace
running pods) and the namespace's Services in the snapshot: a render of one release often names
another's Service. A two-label ``svc.ns`` or a bare name counts only in a host position (URL,
``host:port``, the whole value of a key that says host).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal
from weakref import WeakKeyDictionary

from pydantic import Field

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject, ObjectKey, ObjectRef
from analyzer.model.hostnames import Host, hosts, in_cluster, mask_password
from analyzer.model.objects import as_dict, as_list
from analyzer.model.workloads import PodTemplate
from analyzer.rules.finding import Severity
from analyzer.rules.kinds import POD_SPEC_KINDS
from analyzer.rules.operators import live, name_origin
from analyzer.rules.predicates.base import Hit, Outcome, PredicateParams, define
from analyzer.rules.predicates.endpoints import State, availability
from analyzer.rules.predicates.evidence import trim
from analyzer.rules.predicates.reference_missing import finished

HOST_KEY = re.compile(r"HOST|ADDR|URL|URI|ENDPOINT|SERVER|DSN|BROKER|UPSTREAM|BACKEND", re.IGNORECASE)
"""A key whose value is a host: a whole-value ``svc.ns`` there may be reported missing."""
SHOWN = 160
ALWAYS = frozenset({("", "Service", "default", "kubernetes")})
"""The API server's Service exists in every cluster, whether the dump holds it or not."""


class Params(PredicateParams):
    problem: Literal["missing", "unavailable"] = Field(
        description="missing: the named Service does not exist; unavailable: it exists but has "
        "no ready endpoint (it selects no pod, or none of its pods is ready)."
    )


@dataclass(frozen=True, slots=True)
class Mention:
    """One host found in the pod spec or a ConfigMap it takes, and how to quote where."""

    host: Host
    where: str
    """``PROMETHEUS_SERVER_ENDPOINT=http://...``, ``args of container api: --db=...``, ..."""
    key: str = ""
    """The env variable or ConfigMap key whose value it is."""

    @property
    def hostlike(self) -> bool:
        """Written where only a host goes: a ``.svc`` form, a URL, ``host:port``, or the whole
        value of a key that says host (``REDIS_HOST=redis``; not ``MODE=redis``)."""
        host = self.host
        return host.cluster or host.placed != "value" or HOST_KEY.search(host.key or self.key) is not None


def evaluate(subject: K8sObject, graph: SnapshotGraph, params: Params) -> Iterator[Outcome]:
    template = graph.template_of(subject)
    if template is None or graph.controller_of(subject) is not None or finished(subject):
        return
    if params.problem == "unavailable" and (
        subject.spec.get("replicas") == 0 or subject.spec.get("suspend") is True
    ):
        return  # runs nothing: nothing fails for want of the Service
    own: set[ObjectKey] | None = None  # the Services that select the subject, when needed
    namespaces = graph.namespaces()
    seen: set[tuple[str | None, str]] = set()

    def exists(namespace: str | None, name: str) -> bool:
        return graph.get(("", "Service", namespace, name)) is not None

    for mention in hostlike_mentions(graph, template):
        target = in_cluster(mention.host, subject.namespace, namespaces, exists)
        if target is None or target in seen:
            continue
        seen.add(target)
        namespace, name = target
        ref = ObjectRef("v1", "Service", namespace, name)
        if own is None:
            own = {s.ref.key for s in graph.selected_by(subject) if s.kind == "Service"}
        if ref.key in own:
            continue  # a workload naming its own Service (a peer list, an advertised address)
        service = graph.get(ref.key)
        if params.problem == "missing":
            hit = _missing(graph, subject, mention, ref) if service is None else None
        else:
            hit = None if service is None else _unavailable(graph, mention, service)
        if hit is not None:
            yield hit


def _missing(graph: SnapshotGraph, subject: K8sObject, mention: Mention, ref: ObjectRef) -> Hit | None:
    if ref.key in ALWAYS or not graph.covers("", "Service", ref.namespace):
        return None  # the snapshot holds no Service there: it could be anywhere
    if not subject.has_status and not live(graph, ref.namespace):
        return None  # a render: another release may well provide it
    facts = {"reference": mention.where, "service": f"{ref.namespace}/{ref.name}"}
    origin = name_origin(graph, ref.name, ref.namespace, subject)
    if origin is not None:
        facts["problem"] = f"does not exist; {origin.describe()}"
        related = (ref,) if origin.resource is None else (ref, origin.resource.ref)
        return Hit(facts, related, Severity.INFO, because_of=(ref,))
    facts["problem"] = f"does not exist in namespace {ref.namespace}"
    return Hit(facts, (ref,), because_of=(ref,))


def _unavailable(graph: SnapshotGraph, mention: Mention, service: K8sObject) -> Hit | None:
    found = availability(graph, service)
    if not found.broken and found.state is not State.SCALED_TO_ZERO:
        return None
    facts = {
        "reference": mention.where,
        "service": f"{service.namespace}/{service.name}",
        "problem": f"has no ready endpoint ({found.detail()})",
    }
    severity = Severity.INFO if found.state is State.SCALED_TO_ZERO else None
    return Hit(facts, (service.ref,), severity, because_of=(service.ref,))


_MENTIONS: WeakKeyDictionary[SnapshotGraph, dict[int, list[Mention]]] = WeakKeyDictionary()


def hostlike_mentions(graph: SnapshotGraph, template: PodTemplate) -> list[Mention]:
    """The :attr:`~Mention.hostlike` mentions of a template, found once per graph (both rules of
    this predicate read them)."""
    known = _MENTIONS.setdefault(graph, {})
    found = known.get(id(template))
    if found is None:
        found = known[id(template)] = [m for m in mentions(graph, template) if m.hostlike]
    return found


def mentions(graph: SnapshotGraph, template: PodTemplate) -> Iterator[Mention]:
    """Hosts in env values, command and args, then in the ConfigMaps the pod takes, in order."""
    sources: list[tuple[str, str | None, str]] = []  # (ConfigMap, key or None for all, how)
    for container in template.containers():
        cname = str(container.get("name", "?"))
        for env in as_list(container.get("env")):
            env = as_dict(env)
            value, name = env.get("value"), str(env.get("name", "?"))
            if isinstance(value, str):
                for host in hosts(value):
                    yield Mention(host, _quote(f"{name}={value}"), name)
            ref = as_dict(as_dict(env.get("valueFrom")).get("configMapKeyRef"))
            if ref.get("name") and ref.get("key"):
                sources.append((str(ref["name"]), str(ref["key"]), f"env {name} of container {cname}"))
        for field in ("command", "args"):
            for arg in as_list(container.get(field)):
                if isinstance(arg, str):
                    for host in hosts(arg, whole=False):
                        yield Mention(host, _quote(f"{field} of container {cname}: {arg}"))
        for env_from in as_list(container.get("envFrom")):
            ref = as_dict(as_dict(env_from).get("configMapRef"))
            if ref.get("name"):
                sources.append((str(ref["name"]), None, f"envFrom of container {cname}"))
    for volume in as_list(template.spec.get("volumes")):
        volume = as_dict(volume)
        projected = [
            as_dict(as_dict(s).get("configMap"))
            for s in as_list(as_dict(volume.get("projected")).get("sources"))
        ]
        for ref in [as_dict(volume.get("configMap")), *projected]:
            if ref.get("name"):
                keys = [
                    str(as_dict(i).get("key")) for i in as_list(ref.get("items")) if as_dict(i).get("key")
                ]
                how = f"volume {volume.get('name')}"
                if keys:
                    sources.extend((str(ref["name"]), key, how) for key in keys)
                else:
                    sources.append((str(ref["name"]), None, how))
    namespace = template.owner.namespace
    for name, key, how in sources:
        config = graph.get(("", "ConfigMap", namespace, name))
        if config is None:
            continue
        for data_key, host, single in _config_hosts(graph, config):
            if key is None or data_key == key:
                where = f"ConfigMap {namespace}/{name}, {how}"
                if single:
                    shown = f"{data_key}={host.line} ({where})"
                else:
                    shown = f"{host.line} (key {data_key} of {where})"
                yield Mention(host, _quote(shown), data_key if single else "")


_CONFIG_CACHE: WeakKeyDictionary[SnapshotGraph, dict[ObjectKey, list[tuple[str, Host, bool]]]] = (
    WeakKeyDictionary()
)


def _config_hosts(graph: SnapshotGraph, config: K8sObject) -> list[tuple[str, Host, bool]]:
    """(data key, host, single-line value) of a ConfigMap's ``data``, read once per graph (many
    pods take one ConfigMap)."""
    known = _CONFIG_CACHE.setdefault(graph, {})
    found = known.get(config.ref.key)
    if found is None:
        found = known[config.ref.key] = [
            (str(key), host, "\n" not in value.strip())
            for key, value in as_dict(config.raw.get("data")).items()
            if isinstance(value, str)
            for host in hosts(value)
        ]
    return found


def _quote(text: str) -> str:
    return trim(mask_password(text), SHOWN)


PREDICATE = define(
    "dependency",
    Params,
    evaluate,
    kinds=POD_SPEC_KINDS,
    facts=("reference", "service", "problem"),
)
