"""Could a node host a pod? The scheduler's filters that a snapshot can answer, as pure functions
over a pod spec and a node, each saying why a node is excluded.

Checked, in the scheduler's order: a cordoned node (``spec.unschedulable``, unless the pod
tolerates ``node.kubernetes.io/unschedulable``), untolerated ``NoSchedule``/``NoExecute`` taints,
``nodeSelector``, required node affinity (terms ORed, expressions ANDed; ``matchFields`` on
``metadata.name``), then resources: the pod's requests against what the node has free
(allocatable minus the requests of the non-terminal pods bound to it) or, for a workload already
running, against allocatable alone, and the pod count against allocatable ``pods``; a pod to be
placed now also needs its host ports free there.

Example: a pod without tolerations over 27 nodes, one tainted ``dedicated=infra:NoSchedule`` and
26 outside its affinity, gives ``judge(...).summary()`` ==
``"0 of 27 nodes can host it: 26 do not match node affinity (kubernetes.io/hostname In [x]),
1 has untolerated taint dedicated=infra:NoSchedule (pool infra-pool)"``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from analyzer.model.objects import K8sObject, as_dict, as_list, str_map
from analyzer.model.quantity import Resources, describe, pod_requests, read_resources, summed_requests

POOL_LABELS = (
    "doks.digitalocean.com/node-pool",
    "cloud.google.com/gke-nodepool",
    "eks.amazonaws.com/nodegroup",
    "kubernetes.azure.com/agentpool",
    "karpenter.sh/nodepool",
)
"""Labels naming a node's pool: DigitalOcean, GKE, EKS, AKS, Karpenter (first found wins)."""

BLOCKING = ("NoSchedule", "NoExecute")
UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable"
_INTEGER = re.compile(r"[+-]?\d+")
_ZERO = Fraction(0)
FINISHED = ("Succeeded", "Failed")
"""Phases of a pod that holds nothing on its node any more."""

DAEMONSET_TOLERATIONS: tuple[dict[str, str], ...] = (
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/disk-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/pid-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": UNSCHEDULABLE_TAINT, "operator": "Exists", "effect": "NoSchedule"},
)
"""Tolerations the DaemonSet controller adds to every pod it creates (and, with hostNetwork,
``node.kubernetes.io/network-unavailable``): its pods run on cordoned and pressured nodes."""
HOST_NETWORK_TOLERATION = {
    "key": "node.kubernetes.io/network-unavailable",
    "operator": "Exists",
    "effect": "NoSchedule",
}


def node_pool(labels: Mapping[str, str]) -> str | None:
    """The pool a node belongs to, from its labels (``{"doks.digitalocean.com/node-pool": "infra"}``
    -> ``"infra"``); None when no known pool label is set."""
    for key in POOL_LABELS:
        value = labels.get(key)
        if value:
            return value
    return None


@dataclass(frozen=True, slots=True)
class Taint:
    key: str
    value: str
    effect: str

    def describe(self) -> str:
        """``dedicated=infra:NoSchedule``, ``node-role.kubernetes.io/control-plane:NoSchedule``."""
        return f"{self.key}={self.value}:{self.effect}" if self.value else f"{self.key}:{self.effect}"


@dataclass(frozen=True, slots=True)
class NodeView:
    """What scheduling needs of a Node, read once."""

    name: str
    labels: dict[str, str]
    taints: tuple[Taint, ...]
    unschedulable: bool
    allocatable: Resources
    pool: str | None


def node_view(node: K8sObject | Mapping[str, Any]) -> NodeView:
    """Read a Node (an object of the snapshot or its raw mapping); wrong types read as absent."""
    raw = node.raw if isinstance(node, K8sObject) else as_dict(node)
    metadata, spec, status = (
        as_dict(raw.get("metadata")),
        as_dict(raw.get("spec")),
        as_dict(raw.get("status")),
    )
    labels = str_map(metadata.get("labels"))
    taints = []
    for item in as_list(spec.get("taints")):
        taint = as_dict(item)
        if taint.get("key"):
            taints.append(
                Taint(_text(taint.get("key")), _text(taint.get("value")), _text(taint.get("effect")))
            )
    return NodeView(
        name=_text(metadata.get("name")),
        labels=labels,
        taints=tuple(taints),
        unschedulable=spec.get("unschedulable") is True,
        allocatable=read_resources(status.get("allocatable")),
        pool=node_pool(labels),
    )


# The checks: each gives why the node is excluded, or None ---------------------------------------


@dataclass(frozen=True, slots=True)
class Exclusion:
    """Why a node cannot host the pod: the ``constraint`` (one of :data:`PHRASES`) and what of it
    (the taint, the selector, the resources short); nodes with equal exclusions are counted together."""

    constraint: str
    detail: str

    def phrase(self, count: int, notes: Sequence[str] = ()) -> str:
        """``26 do not match node affinity (metadata.name In [x]; pools a 14, b 12)``: the count,
        the constraint, and in one parenthesis the detail (for node affinity) and ``notes``."""
        singular, plural = PHRASES[self.constraint]
        text = (singular if count == 1 else plural).format(self.detail)
        extra = [self.detail] if self.constraint in ("node affinity", "pods") else []
        extra += notes
        return f"{count} {text}" + (f" ({'; '.join(extra)})" if extra else "")


PHRASES: dict[str, tuple[str, str]] = {
    "cordoned": ("is cordoned", "are cordoned"),
    "taint": ("has untolerated taint {}", "have untolerated taint {}"),
    "node selector": ("does not match nodeSelector {}", "do not match nodeSelector {}"),
    "node affinity": ("does not match node affinity", "do not match node affinity"),
    "host ports": ("has host port {} taken", "have host port {} taken"),
    "free": ("has too little free {}", "have too little free {}"),
    "allocatable": ("has too little allocatable {}", "have too little allocatable {}"),
    "pods": ("is full", "are full"),
}
"""Each constraint's phrase (singular, plural), in the scheduler's order of filters."""
ORDER = {name: i for i, name in enumerate(PHRASES)}


def tolerates(toleration: Mapping[str, Any], taint: Taint) -> bool:
    """Kubernetes' ToleratesTaint: an empty effect matches every effect, an empty key (operator
    Exists) every key; ``Exists`` ignores the value, ``Equal`` (the default) compares it."""
    effect = _text(toleration.get("effect"))
    if effect and effect != taint.effect:
        return False
    key = _text(toleration.get("key"))
    if key and key != taint.key:
        return False
    operator = _text(toleration.get("operator")) or "Equal"
    if operator == "Exists":
        return True
    return operator == "Equal" and _text(toleration.get("value")) == taint.value


def tolerations_of(spec: Mapping[str, Any], daemonset: bool = False) -> list[dict[str, Any]]:
    """The pod's tolerations, with the DaemonSet controller's own when ``daemonset``."""
    found = [t for t in as_list(spec.get("tolerations")) if isinstance(t, dict)]
    if daemonset:
        found.extend(DAEMONSET_TOLERATIONS)
        if spec.get("hostNetwork") is True:
            found.append(HOST_NETWORK_TOLERATION)
    return found


def untolerated(tolerations: Sequence[Mapping[str, Any]], taints: Iterable[Taint]) -> list[Taint]:
    """The taints that keep the pod off the node: NoSchedule or NoExecute, tolerated by none."""
    return [t for t in taints if t.effect in BLOCKING and not any(tolerates(x, t) for x in tolerations)]


def cordon_exclusion(tolerations: Sequence[Mapping[str, Any]], node: NodeView) -> Exclusion | None:
    if not node.unschedulable:
        return None
    marker = Taint(UNSCHEDULABLE_TAINT, "", "NoSchedule")
    return None if any(tolerates(t, marker) for t in tolerations) else Exclusion("cordoned", "")


def taint_exclusion(tolerations: Sequence[Mapping[str, Any]], node: NodeView) -> Exclusion | None:
    taints = [t for t in node.taints if not (node.unschedulable and t.key == UNSCHEDULABLE_TAINT)]
    blocking = untolerated(tolerations, taints)
    return Exclusion("taint", ", ".join(t.describe() for t in blocking)) if blocking else None


def selector_exclusion(spec: Mapping[str, Any], node: NodeView) -> Exclusion | None:
    wanted = str_map(spec.get("nodeSelector"))
    if all(node.labels.get(k) == v for k, v in wanted.items()):
        return None
    return Exclusion("node selector", ", ".join(f"{k}={v}" for k, v in sorted(wanted.items())))


def required_terms(spec: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    """The required node affinity's ``nodeSelectorTerms``; None when the pod has none (an empty
    or malformed list too: the API server refuses it, so it constrains nothing here)."""
    affinity = as_dict(as_dict(spec.get("affinity")).get("nodeAffinity"))
    required = as_dict(affinity.get("requiredDuringSchedulingIgnoredDuringExecution"))
    terms = [as_dict(t) for t in as_list(required.get("nodeSelectorTerms"))]
    return terms or None


def affinity_exclusion(spec: Mapping[str, Any], node: NodeView) -> Exclusion | None:
    terms = required_terms(spec)
    if terms is None or any(term_matches(t, node) for t in terms):
        return None
    return Exclusion("node affinity", describe_terms(terms))


def term_matches(term: Mapping[str, Any], node: NodeView) -> bool:
    """One node selector term: every expression and field requirement holds (an empty term
    matches no node)."""
    expressions = [as_dict(e) for e in as_list(term.get("matchExpressions"))]
    fields = [as_dict(e) for e in as_list(term.get("matchFields"))]
    if not expressions and not fields:
        return False
    return all(requirement_holds(e, node.labels) for e in expressions) and all(
        requirement_holds(f, {"metadata.name": node.name}) for f in fields
    )


def requirement_holds(requirement: Mapping[str, Any], values: Mapping[str, str]) -> bool:
    """In, NotIn, Exists, DoesNotExist, Gt, Lt (integers compared); an unknown operator or a
    value that does not parse matches nothing, as in Kubernetes."""
    key = _text(requirement.get("key"))
    operator = _text(requirement.get("operator"))
    wanted = [_text(v) for v in as_list(requirement.get("values"))]
    present = key in values
    actual = values.get(key, "")
    if operator == "In":
        return present and actual in wanted
    if operator == "NotIn":
        return not present or actual not in wanted
    if operator == "Exists":
        return present
    if operator == "DoesNotExist":
        return not present
    if operator in ("Gt", "Lt") and present and len(wanted) == 1:
        mine, bound = _integer(actual), _integer(wanted[0])
        if mine is None or bound is None:
            return False
        return mine > bound if operator == "Gt" else mine < bound
    return False


def describe_terms(terms: Sequence[Mapping[str, Any]], width: int = 160) -> str:
    """``kubernetes.io/hostname In [a, b] and gpu Exists or metadata.name In [x]``, cut at ``width``."""
    parts = []
    for term in terms:
        items = [*as_list(term.get("matchExpressions")), *as_list(term.get("matchFields"))]
        parts.append(" and ".join(_requirement(as_dict(i)) for i in items) or "an empty term")
    text = " or ".join(parts)
    return text if len(text) <= width else text[: width - 1] + "…"


def _requirement(item: Mapping[str, Any]) -> str:
    key, operator = _text(item.get("key")), _text(item.get("operator"))
    if operator in ("Exists", "DoesNotExist"):
        return f"{key} {operator}"
    values = [_text(v) for v in as_list(item.get("values"))]
    shown = ", ".join(values[:5]) + (f", … ({len(values)} values)" if len(values) > 5 else "")
    return f"{key} {operator} [{shown}]"


def resource_exclusion(requests: Resources, available: Resources, constraint: str) -> Exclusion | None:
    """Resources the pod requests (above zero) beyond what ``available`` offers; a resource the
    node does not list at all is short too (an extended resource: ``nvidia.com/gpu``)."""
    return _short(_wanted(requests), available, constraint)


def _wanted(requests: Resources) -> list[tuple[str, Fraction]]:
    return [(k, v) for k, v in sorted(requests.items()) if k != "pods" and v > 0]


def _short(wanted: list[tuple[str, Fraction]], available: Resources, constraint: str) -> Exclusion | None:
    short = [k for k, v in wanted if _more(v, available.get(k, _ZERO))]
    return Exclusion(constraint, ", ".join(short)) if short else None


def _more(amount: Fraction, than: Fraction) -> bool:
    """``amount > than``, exactly, compared as integers: Fraction's own comparison goes through
    several Python calls, and a large cluster compares each pending pod with each node."""
    return amount.numerator * than.denominator > than.numerator * amount.denominator


HostPort = tuple[str, str, int]
"""(host IP, protocol, port) a container claims on its node; "" for every address."""


def host_ports(spec: Mapping[str, Any]) -> set[HostPort]:
    """The host ports a pod claims: each ``hostPort``, and with ``hostNetwork`` each
    ``containerPort`` (the API server defaults one to the other)."""
    network = spec.get("hostNetwork") is True
    found: set[HostPort] = set()
    for key in ("initContainers", "containers"):
        for container in as_list(spec.get(key)):
            for port in as_list(as_dict(container).get("ports")):
                port = as_dict(port)
                number = port.get("hostPort") or (port.get("containerPort") if network else None)
                if isinstance(number, int) and not isinstance(number, bool) and number > 0:
                    address = _text(port.get("hostIP"))
                    found.add(
                        (
                            "" if address == "0.0.0.0" else address,
                            _text(port.get("protocol")) or "TCP",
                            number,
                        )
                    )
    return found


def port_exclusion(wanted: set[HostPort], taken: set[HostPort]) -> Exclusion | None:
    """The scheduler's NodePorts filter: a port and protocol taken on the same address, or on
    any address when either side listens on every one."""
    clash = sorted(
        f"{port}/{proto}"
        for ip, proto, port in wanted
        for other_ip, other_proto, other_port in taken
        if port == other_port and proto == other_proto and (not ip or not other_ip or ip == other_ip)
    )
    return Exclusion("host ports", ", ".join(dict.fromkeys(clash))) if clash else None


# A cluster, read once per run -------------------------------------------------------------------


class Cluster:
    """The nodes, what their bound pods already request (summed on first need, once), and
    placements cached by the part of a pod spec that decides them (many pods share one)."""

    def __init__(self, nodes: list[NodeView], pods_on: Callable[[str], Iterable[K8sObject]]) -> None:
        self.nodes = nodes
        self.by_name = {n.name: n for n in nodes}
        self.pools = {n.name: n.pool for n in nodes}
        self._pods_on = pods_on
        self._used: dict[str, tuple[Resources, int]] = {}
        self.placements: dict[str, Placement] = {}
        self.verdicts: dict[tuple[object, ...], Verdict] = {}
        self._free: dict[str, Resources] = {}
        self._ports: dict[str, set[HostPort]] = {}

    def used(self, node: NodeView) -> tuple[Resources, int]:
        """The summed requests and the number of the non-terminal pods bound to ``node``."""
        found = self._used.get(node.name)
        if found is None:
            running = (p.spec for p in self._pods_on(node.name) if p.status.get("phase") not in FINISHED)
            found = self._used[node.name] = summed_requests(running)
        return found

    def ports(self, node: NodeView) -> set[HostPort]:
        """The host ports the non-terminal pods bound to ``node`` claim."""
        found = self._ports.get(node.name)
        if found is None:
            found = set()
            for pod in self._pods_on(node.name):
                if pod.status.get("phase") not in FINISHED:
                    found |= host_ports(pod.spec)
            self._ports[node.name] = found
        return found

    def free(self, node: NodeView) -> Resources:
        """Allocatable minus the requests of the pods bound there (``pods``: the count left)."""
        left = self._free.get(node.name)
        if left is None:
            used, count = self.used(node)
            left = {k: v - used.get(k, Fraction(0)) for k, v in node.allocatable.items()}
            if "pods" in left:
                left["pods"] = node.allocatable["pods"] - count
            self._free[node.name] = left
        return left


def build_cluster(
    nodes: Iterable[K8sObject | Mapping[str, Any]], pods_on: Callable[[str], Iterable[K8sObject]]
) -> Cluster:
    """Read every node once; ``pods_on(node_name)`` gives the Pods whose ``spec.nodeName`` names
    it (asked once per node, when free capacity is first needed)."""
    return Cluster([node_view(n) for n in nodes], pods_on)


@dataclass(frozen=True, slots=True)
class Placement:
    """The nodes a pod spec's selectors and tolerations allow (``candidates``), and the others
    grouped by their first exclusion: shared by every pod of the same placement constraints."""

    candidates: list[NodeView]
    groups: dict[Exclusion, list[str]]
    """Exclusion -> the names of the nodes it excludes, in node order."""
    notes: dict[Exclusion, str] = field(default_factory=dict)
    """The pools of each group, as a summary says them (filled when first asked)."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """Which nodes can host a pod, and why the others cannot (each node under its first exclusion)."""

    total: int
    hosts: int
    """Nodes that can host it (at most 1 when judged with ``first_host_only``)."""
    groups: dict[Exclusion, list[str]]
    """Exclusion -> the names of the nodes it excludes (partial with ``first_host_only``)."""
    pools: dict[str, str | None]
    requests: Resources
    placement: Placement | None = None
    """Where the groups of excluded nodes came from (their pool notes are kept there)."""

    @property
    def excluded(self) -> dict[str, Exclusion]:
        """Node name -> its first exclusion."""
        return {name: exclusion for exclusion, names in self.groups.items() for name in names}

    def summary(self, groups: int = 4) -> str:
        """``0 of 27 nodes can host it: 26 do not match ..., 1 has untolerated taint ... (pool infra)``."""
        verb = "node can" if self.total == 1 else "nodes can"
        head = f"{self.hosts} of {self.total} {verb} host it"
        parts = self.reasons(groups)
        return f"{head}: {', '.join(parts)}" if parts else head

    def reasons(self, groups: int = 4) -> list[str]:
        """One phrase per exclusion, the most frequent first: ``26 do not match node affinity (...)``."""
        counted = sorted(
            ((e, names) for e, names in self.groups.items() if names),
            key=lambda item: (-len(item[1]), ORDER.get(item[0].constraint, 99), item[0].detail),
        )
        parts = []
        for exclusion, names in counted[:groups]:
            notes = []
            if exclusion.constraint in ("free", "allocatable"):
                wanted = {k: v for k, v in self.requests.items() if k in exclusion.detail.split(", ")}
                notes.append(f"requests {describe(wanted)}")
            pools = self._pool_note(exclusion, names)
            parts.append(exclusion.phrase(len(names), [*notes, pools] if pools else notes))
        rest = sum(len(names) for _, names in counted[groups:])
        if rest:
            parts.append(f"{rest} more for other reasons")
        return parts

    def _pool_note(self, exclusion: Exclusion, names: list[str]) -> str:
        shared = self.placement is not None and self.placement.groups.get(exclusion) is names
        if shared and self.placement is not None and exclusion in self.placement.notes:
            return self.placement.notes[exclusion]
        note = self._pools(names)
        if shared and self.placement is not None:
            self.placement.notes[exclusion] = note
        return note

    def _pools(self, names: list[str]) -> str:
        """``pool infra-pool``, ``pools a 14, b 3``; "" when a node has no pool or over 3 pools."""
        pools = Counter(self.pools.get(n) for n in names)
        if None in pools or not pools or len(pools) > 3:
            return ""
        if len(pools) == 1:
            return f"pool {next(iter(pools))}"
        ranked = sorted(pools.items(), key=lambda i: (-i[1], str(i[0])))
        return "pools " + ", ".join(f"{p} {c}" for p, c in ranked)


def judge(
    spec: Mapping[str, Any],
    cluster: Cluster,
    *,
    daemonset: bool = False,
    resources: str | None = "free",
    first_host_only: bool = False,
) -> Verdict:
    """Which nodes of ``cluster`` can host a pod of ``spec``. ``resources``: ``"free"`` (a pod
    to be placed now), ``"allocatable"`` (could any node ever hold it) or None (not judged).
    With ``first_host_only`` the judging stops at the first node that can host it.

    The cost is that of the nodes the pod's selectors and tolerations allow: the placement is
    computed once per distinct set of those constraints, and verdicts are cached."""
    signature, placement = _placement(spec, cluster, daemonset)
    requests = pod_requests(spec) if resources else {}
    ports = host_ports(spec) if resources == "free" else set()
    key = (signature, resources, first_host_only, tuple(sorted(requests.items())), tuple(sorted(ports)))
    cached = cluster.verdicts.get(key)
    if cached is not None:
        return cached
    wanted = _wanted(requests)
    short: dict[Exclusion, list[str]] = {}
    hosts = 0
    for node in placement.candidates:
        reason: Exclusion | None = None
        if resources == "free":
            available = cluster.free(node)
            reason = port_exclusion(ports, cluster.ports(node)) if ports else None
            reason = reason or _short(wanted, available, "free")
            if reason is None and "pods" in available and available["pods"] < 1:
                reason = Exclusion("pods", f"{cluster.used(node)[1]} pods bound")
        elif resources:
            reason = _short(wanted, node.allocatable, "allocatable")
        if reason is None:
            hosts += 1
            if first_host_only:
                break
        else:
            short.setdefault(reason, []).append(node.name)
    groups = {**placement.groups, **short}
    verdict = Verdict(len(cluster.nodes), hosts, groups, cluster.pools, requests, placement)
    cluster.verdicts[key] = verdict
    return verdict


def _placement(spec: Mapping[str, Any], cluster: Cluster, daemonset: bool) -> tuple[str, Placement]:
    """Each node's first non-resource exclusion, cached by the parts of ``spec`` it reads."""
    signature = json.dumps(
        [
            spec.get("nodeSelector"),
            as_dict(spec.get("affinity")).get("nodeAffinity"),
            spec.get("tolerations"),
            daemonset and spec.get("hostNetwork") is True,
            daemonset,
        ],
        sort_keys=True,
        default=str,
    )
    cached = cluster.placements.get(signature)
    if cached is None:
        tolerations = tolerations_of(spec, daemonset)
        cached = Placement([], {})
        for node in cluster.nodes:
            reasons = node_exclusions(spec, node, tolerations)
            if reasons:
                cached.groups.setdefault(reasons[0], []).append(node.name)
            else:
                cached.candidates.append(node)
        cluster.placements[signature] = cached
    return signature, cached


def node_exclusions(
    spec: Mapping[str, Any], node: NodeView, tolerations: Sequence[Mapping[str, Any]] | None = None
) -> list[Exclusion]:
    """Every non-resource reason ``node`` cannot host a pod of ``spec``, in the scheduler's order
    (cordon, taints, nodeSelector, node affinity); empty when it can."""
    tolerations = tolerations_of(spec) if tolerations is None else tolerations
    found = [
        cordon_exclusion(tolerations, node),
        taint_exclusion(tolerations, node),
        selector_exclusion(spec, node),
        affinity_exclusion(spec, node),
    ]
    return [f for f in found if f is not None]


def pinned_node(spec: Mapping[str, Any]) -> str | None:
    """The node a DaemonSet's pod is made for: its affinity's ``metadata.name In [node]``."""
    for term in required_terms(spec) or []:
        for item in as_list(term.get("matchFields")):
            item = as_dict(item)
            values = as_list(item.get("values"))
            if item.get("key") == "metadata.name" and item.get("operator") == "In" and len(values) == 1:
                return _text(values[0])
    return None


def _integer(text: str) -> int | None:
    """An int64 as Go's ParseInt reads it (no spaces, no underscores)."""
    if _INTEGER.fullmatch(text) is None:
        return None
    value = int(text)
    return value if -(2**63) <= value < 2**63 else None


def _text(value: object) -> str:
    return "" if value is None else str(value)
