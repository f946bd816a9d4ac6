"""Which objects a ValidatingAdmissionPolicy and its binding apply to, as the API server decides
it for a CREATE request: ``matchConstraints`` of the policy intersected with ``matchResources`` of
the binding (resourceRules with resource names, excludeResourceRules, namespaceSelector against
the snapshot's Namespaces, objectSelector, matchPolicy).

A question the snapshot cannot answer (the labels of a Namespace it lacks, the plural of a kind
no CRD of the input declares, a rule for UPDATE or DELETE only) gives :class:`Undecided` with the
reason, never a guess."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from analyzer.load.layouts.resources import BUILT_IN
from analyzer.model import K8sObject
from analyzer.model.objects import as_dict, as_list, str_map
from analyzer.model.refs import api_group
from analyzer.model.selectors import Empty, from_label_selector

NAME_LABEL = "kubernetes.io/metadata.name"
"""The label the API server sets on every Namespace: its name."""


@dataclass(frozen=True, slots=True)
class Undecided:
    """The snapshot cannot tell whether the policy applies: ``why``, in a few words."""

    why: str


Match = bool | Undecided


@dataclass(frozen=True, slots=True)
class Request:
    """A CREATE request for one object of the snapshot, as an admission policy sees it."""

    obj: K8sObject
    group: str
    version: str
    resource: str | None
    """The resource plural (``deployments``); None when the kind is not built in and no CRD of
    the input declares it."""
    namespace_labels: Mapping[str, str] | None
    """The labels of the object's Namespace (with ``kubernetes.io/metadata.name``); None when
    the object is namespaced and the snapshot lacks its Namespace."""

    @property
    def namespaced(self) -> bool:
        return self.obj.namespace is not None


def plurals(crds: Iterable[K8sObject]) -> dict[tuple[str, str], str]:
    """(group, kind) -> resource plural: the built-in kinds, and those the CRDs declare."""
    found = dict(_builtin_plurals())
    for crd in crds:
        names = as_dict(crd.spec.get("names"))
        group, kind, plural = crd.spec.get("group"), names.get("kind"), names.get("plural")
        if isinstance(group, str) and isinstance(kind, str) and isinstance(plural, str):
            found[(group, kind)] = plural
    return found


@functools.cache
def _builtin_plurals() -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for resource in BUILT_IN:
        found.setdefault((resource.group, resource.kind), resource.plural)
    return found


def request_for(
    obj: K8sObject, resources: Mapping[tuple[str, str], str], namespaces: Mapping[str, K8sObject]
) -> Request:
    """The CREATE request of ``obj``; ``namespaces`` are the snapshot's Namespaces by name."""
    version = obj.ref.api_version.rpartition("/")[2]
    group = api_group(obj.ref.api_version)
    labels: dict[str, str] | None
    if obj.kind == "Namespace" and group == "":
        labels = {**obj.labels, NAME_LABEL: obj.name}
    elif obj.namespace is None:
        labels = {}
    elif (ns := namespaces.get(obj.namespace)) is not None:
        labels = {**ns.labels, NAME_LABEL: obj.namespace}
    else:
        labels = None
    return Request(obj, group, version, resources.get((group, obj.kind)), labels)


@dataclass(frozen=True, slots=True)
class Candidates:
    """The groups and resources a policy's resourceRules name: a quick way to pass over the
    objects of other resources (most of a snapshot) before :func:`matches`."""

    groups: frozenset[str]
    resources: frozenset[str]

    @classmethod
    def of(cls, constraints: Mapping[str, Any]) -> Candidates:
        rules = [as_dict(rule) for rule in as_list(constraints.get("resourceRules"))]
        groups = {str(g) for rule in rules for g in as_list(rule.get("apiGroups"))}
        resources = {_split(str(r))[0] for rule in rules for r in as_list(rule.get("resources"))}
        return cls(frozenset(groups), frozenset(resources))

    def may_name(self, request: Request) -> bool:
        """False when no rule can select ``request`` (nor leave it undecided)."""
        if "*" not in self.groups and request.group not in self.groups:
            return False
        return request.resource is None or "*" in self.resources or request.resource in self.resources


def matches(constraints: Mapping[str, Any], request: Request, binding: bool = False) -> Match:
    """Whether ``constraints`` (a policy's ``matchConstraints`` or, with ``binding``, a
    binding's ``matchResources``, where no resourceRules means every resource) select
    ``request``. Resource rules decide first: an object no rule names is never Undecided."""
    rules = as_list(constraints.get("resourceRules"))
    exact = constraints.get("matchPolicy") == "Exact"
    if rules or not binding:
        chosen = _any_rule(rules, request, exact)
        if chosen is not True:
            return chosen
    excluded = _any_rule(as_list(constraints.get("excludeResourceRules")), request, exact)
    if excluded is True:
        return False
    if isinstance(excluded, Undecided):
        return excluded
    by_labels = _object_selector(constraints.get("objectSelector"), request)
    if by_labels is not True:
        return by_labels
    return _namespace_selector(constraints.get("namespaceSelector"), request)


def _any_rule(rules: list[Any], request: Request, exact: bool) -> Match:
    """True when a rule selects the request on CREATE; Undecided when none does and one would
    on another operation only, or cannot be compared (an unknown plural)."""
    undecided: Undecided | None = None
    for rule in rules:
        rule = as_dict(rule)
        resource = _resource(rule, request, exact)
        if resource is False:
            continue
        operations = [str(o) for o in as_list(rule.get("operations"))]
        if "*" not in operations and "CREATE" not in operations:
            undecided = undecided or Undecided(
                f"it applies to {request.obj.kind} on {', '.join(operations) or 'no operation'} only, "
                "not on CREATE: a snapshot holds no such request"
            )
            continue
        if isinstance(resource, Undecided):
            undecided = undecided or resource
            continue
        return True
    return undecided or False


def _resource(rule: Mapping[str, Any], request: Request, exact: bool) -> Match:
    """Whether one rule's groups, versions, resources, resource names and scope name the object."""
    groups = [str(g) for g in as_list(rule.get("apiGroups"))]
    if "*" not in groups and request.group not in groups:
        return False
    versions = [str(v) for v in as_list(rule.get("apiVersions"))]
    # With matchPolicy Equivalent (the default) the API server converts the object to a version the
    # rule names: the version of the snapshot's copy does not matter.
    if not versions or (exact and "*" not in versions and request.version not in versions):
        return False
    scope = rule.get("scope", "*")
    if (scope == "Cluster" and request.namespaced) or (scope == "Namespaced" and not request.namespaced):
        return False
    names = [str(n) for n in as_list(rule.get("resourceNames"))]
    if names and request.obj.name not in names:
        return False
    # A CREATE is of the resource itself: no subresource, which "*" after the slash also allows.
    split = [_split(str(r)) for r in as_list(rule.get("resources"))]
    wanted = [resource for resource, sub in split if sub in ("", "*")]
    if "*" in wanted or (request.resource is not None and request.resource in wanted):
        return True
    if request.resource is None and wanted:
        return Undecided(
            f"the resource name of {request.obj.ref.api_version} {request.obj.kind} is unknown "
            "(a kind no CRD of the input declares)"
        )
    return False


def _split(resource: str) -> tuple[str, str]:
    name, _, sub = resource.partition("/")
    return name, sub


def _object_selector(selector: object, request: Request) -> Match:
    if not selector:
        return True
    parsed = from_label_selector(selector, Empty.ALL)
    if parsed.error:
        return Undecided(f"its objectSelector is malformed: {parsed.error}")
    return parsed.matches(request.obj.labels)


def _namespace_selector(selector: object, request: Request) -> Match:
    """As the API server: a cluster-scoped object other than a Namespace always matches; a
    Namespace is matched on its own labels; any other object on its Namespace's."""
    if not selector or (request.obj.namespace is None and request.obj.kind != "Namespace"):
        return True
    parsed = from_label_selector(selector, Empty.ALL)
    if parsed.error:
        return Undecided(f"its namespaceSelector is malformed: {parsed.error}")
    labels = request.namespace_labels
    if labels is None:
        keys = {req.key for req in parsed.requirements}
        if keys and keys <= {NAME_LABEL}:  # only the name: known without the Namespace
            return parsed.matches({NAME_LABEL: request.obj.namespace or ""})
        return Undecided(
            f"its namespaceSelector needs the labels of Namespace {request.obj.namespace}, "
            "which the snapshot lacks"
        )
    return parsed.matches(labels)


def labels_of(value: object) -> dict[str, str]:
    """The string labels of a raw object (for ``paramRef.selector``)."""
    return str_map(as_dict(as_dict(value).get("metadata")).get("labels"))
