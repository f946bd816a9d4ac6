"""The params a binding's ``paramRef`` names for one request, found in the snapshot: by name or
by label selector, in the paramRef's namespace or, for a namespaced paramKind without one, the
request's; ``parameterNotFoundAction`` when none is found where the snapshot holds that kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from analyzer.graph import SnapshotGraph
from analyzer.model import K8sObject
from analyzer.model.refs import CLUSTER_SCOPED, api_group
from analyzer.model.selectors import Empty, from_label_selector
from analyzer.rules.vap.matching import Undecided
from analyzer.rules.vap.policies import Binding, Policy


@dataclass(frozen=True, slots=True)
class ParamError:
    """The binding cannot be applied (no params where some are required, a misconfiguration):
    the API server then follows the policy's failurePolicy with this message."""

    message: str


Params = list[dict[str, Any] | None] | ParamError | Undecided


def params_for(policy: Policy, binding: Binding, obj: K8sObject, graph: SnapshotGraph) -> Params:
    """The params to evaluate ``policy`` with for ``obj``: ``[None]`` when it takes none, else
    each param found (a selector may find several, each judged on its own)."""
    if policy.param_kind is None:
        return [None]
    api_version, kind = policy.param_kind
    ref = binding.param_ref
    if ref is None:
        return ParamError(f"failed to configure binding: paramRef is required by paramKind {kind}")
    group = api_group(api_version)
    namespaced = _namespaced(group, kind, graph)
    namespace = ref.get("namespace") or None
    if namespaced and namespace is None:
        if obj.namespace is None:
            return ParamError(
                "failed to configure binding: paramRef names no namespace and the object is cluster-scoped"
            )
        namespace = obj.namespace
    elif not namespaced:
        namespace = None
    found = [p for p in graph.of_kind(group, kind) if p.namespace == namespace and graph.get(p.ref.key) is p]
    if "name" in ref:
        found = [p for p in found if p.name == ref["name"]]
        wanted = f"{kind} {namespace + '/' if namespace else ''}{ref['name']}"
    else:
        selector = from_label_selector(ref.get("selector"), Empty.ALL)
        if selector.error:
            return ParamError(f"failed to configure binding: paramRef.selector: {selector.error}")
        found = [p for p in found if selector.matches(p.labels)]
        wanted = f"{kind} objects matching {selector.describe()}" + (f" in {namespace}" if namespace else "")
    if found:
        return [p.raw for p in sorted(found, key=lambda p: p.name)]
    if not graph.covers(group, kind, namespace):
        where = f"namespace {namespace}" if namespace else "the snapshot"
        return Undecided(f"its params ({wanted}) are not in the snapshot, which holds no {kind} in {where}")
    if ref.get("parameterNotFoundAction", "Deny") == "Allow":
        return []
    return ParamError("no params found for policy binding with `Deny` parameterNotFoundAction")


def _namespaced(group: str, kind: str, graph: SnapshotGraph) -> bool:
    known = [o.namespace is not None for o in graph.of_kind(group, kind)[:1]]
    return known[0] if known else (group, kind) not in CLUSTER_SCOPED
