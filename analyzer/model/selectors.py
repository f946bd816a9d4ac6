"""Label selector semantics, exactly as Kubernetes defines them, in one place.

Two shapes exist:

* a plain map (Service ``spec.selector``, ReplicationController ``spec.selector``): every pair
  must be present in the labels;
* a LabelSelector (``matchLabels`` + ``matchExpressions`` with In / NotIn / Exists /
  DoesNotExist): every requirement must hold (``NotIn`` also holds when the key is absent).

What an *empty* selector means depends on the kind, so callers say it with ``empty``:

=====================================  ======================  ========
where                                  empty or absent          ``empty``
=====================================  ======================  ========
Service ``spec.selector``              selects nothing (manual   NONE
                                       Endpoints/EndpointSlices)
NetworkPolicy ``podSelector``          every pod of namespace   ALL
PDB ``selector`` (policy/v1)           ``{}``: every pod         ALL
PDB ``selector`` (policy/v1beta1)      nothing                  NONE
ServiceMonitor/PodMonitor ``selector`` every object in scope    ALL
=====================================  ======================  ========
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from analyzer.model.objects import as_dict, as_list, str_map

OPERATORS = frozenset({"In", "NotIn", "Exists", "DoesNotExist"})


class Empty(Enum):
    """What an empty selector selects."""

    ALL = "all"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Requirement:
    key: str
    operator: str
    values: tuple[str, ...] = ()

    def matches(self, labels: Mapping[str, str]) -> bool:
        if self.operator == "In":
            return labels.get(self.key) in self.values
        if self.operator == "NotIn":
            return labels.get(self.key) not in self.values
        if self.operator == "Exists":
            return self.key in labels
        return self.key not in labels  # DoesNotExist

    def matches_any(self, values: frozenset[str]) -> bool:
        """Holds for a label that takes one of ``values`` (a controller-generated label)."""
        if self.operator == "In":
            return not values.isdisjoint(self.values)
        if self.operator == "NotIn":
            return bool(values - set(self.values))
        return self.operator == "Exists"

    def describe(self) -> str:
        if self.operator == "In" and len(self.values) == 1:
            return f"{self.key}={self.values[0]}"
        if self.operator == "NotIn" and len(self.values) == 1:
            return f"{self.key}!={self.values[0]}"
        if self.operator == "Exists":
            return self.key
        if self.operator == "DoesNotExist":
            return f"!{self.key}"
        word = "in" if self.operator == "In" else "notin"
        return f"{self.key} {word} ({','.join(self.values)})"


@dataclass(frozen=True, slots=True)
class Selector:
    """A parsed selector. ``error`` is set when it is malformed (then it selects nothing)."""

    requirements: tuple[Requirement, ...]
    empty: Empty
    error: str | None = None

    @property
    def is_empty(self) -> bool:
        return not self.requirements and self.error is None

    @property
    def selects_all(self) -> bool:
        return self.is_empty and self.empty is Empty.ALL

    @property
    def selects_none(self) -> bool:
        return self.error is not None or (self.is_empty and self.empty is Empty.NONE)

    def matches(self, labels: Mapping[str, str]) -> bool:
        if self.selects_none:
            return False
        return all(r.matches(labels) for r in self.requirements)

    def matches_template(self, labels: Mapping[str, str], generated: Mapping[str, frozenset[str]]) -> bool:
        """Does at least one pod made from a template match? ``generated`` holds the labels its
        controller adds per pod, with their possible values."""
        if not generated:
            return self.matches(labels)
        if self.selects_none:
            return False
        return all(
            r.matches(labels)
            if r.key in labels or r.key not in generated
            else r.matches_any(generated[r.key])
            for r in self.requirements
        )

    def equalities(self) -> dict[str, str]:
        """The ``key=value`` pairs the selector requires (single-valued In)."""
        return {r.key: r.values[0] for r in self.requirements if r.operator == "In" and len(r.values) == 1}

    def describe(self) -> str:
        if self.error is not None:
            return f"<invalid: {self.error}>"
        if not self.requirements:
            return "<everything>" if self.empty is Empty.ALL else "<nothing>"
        return ",".join(r.describe() for r in self.requirements)


def from_map(selector: object, empty: Empty = Empty.NONE) -> Selector:
    """A plain ``{key: value}`` selector (Service, ReplicationController)."""
    pairs = str_map(selector)
    reqs = tuple(Requirement(k, "In", (v,)) for k, v in sorted(pairs.items()))
    return Selector(reqs, empty)


def from_label_selector(selector: object, empty: Empty) -> Selector:
    """A ``metav1.LabelSelector``; ``None`` and ``{}`` both count as empty."""
    data = as_dict(selector)
    if selector is not None and not isinstance(selector, dict):
        return Selector((), empty, "selector is not a mapping")
    reqs = [Requirement(k, "In", (v,)) for k, v in sorted(str_map(data.get("matchLabels")).items())]
    for expr in as_list(data.get("matchExpressions")):
        expr = as_dict(expr)
        key, op = expr.get("key"), expr.get("operator")
        values = tuple(str(v) for v in as_list(expr.get("values")))
        if not isinstance(key, str) or op not in OPERATORS:
            return Selector((), empty, f"bad matchExpression {expr!r}")
        if op in ("In", "NotIn") and not values:
            return Selector((), empty, f"operator {op} on {key} needs values")
        if op in ("Exists", "DoesNotExist") and values:
            return Selector((), empty, f"operator {op} on {key} takes no values")
        reqs.append(Requirement(key, str(op), tuple(sorted(values))))
    return Selector(tuple(reqs), empty)


# Legacy hand-written label keys and the recommended key that replaced them.
RECOMMENDED_KEY = {
    "app": "app.kubernetes.io/name",
    "name": "app.kubernetes.io/name",
    "k8s-app": "app.kubernetes.io/name",
    "component": "app.kubernetes.io/component",
    "release": "app.kubernetes.io/instance",
    "instance": "app.kubernetes.io/instance",
    "version": "app.kubernetes.io/version",
    "part-of": "app.kubernetes.io/part-of",
}


def similar_value(have: str, want: str) -> bool:
    """Equal, or one contains the other (``node-exporter`` / ``prometheus-node-exporter``)."""
    return have == want or (len(want) >= 3 and len(have) >= 3 and (want in have or have in want))


def _counterpart(key: str, wanted: tuple[str, ...], labels: Mapping[str, str], taken: set[str]) -> str | None:
    """The label key that most likely plays the role of ``key`` among ``labels``."""
    candidates = [k for k, v in labels.items() if k not in taken and any(similar_value(v, w) for w in wanted)]
    if not candidates:
        return None
    suffix = key.rpartition("/")[2]
    preferred = {RECOMMENDED_KEY.get(key, ""), RECOMMENDED_KEY.get(suffix, "")}
    for name, replacement in RECOMMENDED_KEY.items():
        if replacement == key:
            preferred.add(name)

    def rank(k: str) -> tuple[int, int, int, str]:
        exact = any(labels[k] == w for w in wanted)
        return (k not in preferred, not exact, k.rpartition("/")[2] != suffix, k)

    return min(candidates, key=rank)


def label_diff(selector: Selector, labels: Mapping[str, str]) -> list[str]:
    """Why ``labels`` fail ``selector``, one short phrase per unmet requirement.

    A value found under another key is called out, since that is how Helm-style labels
    (``app.kubernetes.io/name=prometheus``) and hand-written ones (``app=prometheus``) diverge.
    """
    phrases: list[str] = []
    taken = {r.key for r in selector.requirements if r.matches(labels)}
    for req in selector.requirements:
        if req.matches(labels):
            continue
        if req.operator == "In":
            have = labels.get(req.key)
            if have is not None:
                phrases.append(f"{req.key}={have} instead of {req.describe()}")
                continue
            moved = _counterpart(req.key, req.values, labels, taken)
            if moved is not None:
                taken.add(moved)
                phrases.append(f"{moved}={labels[moved]} instead of {req.describe()}")
            else:
                phrases.append(f"no label {req.key}")
        else:
            phrases.append(f"fails {req.describe()}")
    return phrases


def object_selector(kind: tuple[str, str], api_version: str, spec: Mapping[str, object]) -> Selector | None:
    """The selector an object of ``kind`` (group, kind) selects pods or Services with, per kind.

    None when the kind does not select by label.
    """
    group, name = kind
    if kind == ("", "Service"):
        return from_map(spec.get("selector"), Empty.NONE)
    if kind == ("policy", "PodDisruptionBudget"):
        raw = spec.get("selector")
        if raw is None or api_version.endswith("v1beta1"):
            return from_label_selector(raw, Empty.NONE)
        return from_label_selector(raw, Empty.ALL)
    if kind == ("networking.k8s.io", "NetworkPolicy"):
        return from_label_selector(spec.get("podSelector"), Empty.ALL)
    if group == "monitoring.coreos.com" and name in ("ServiceMonitor", "PodMonitor"):
        return from_label_selector(spec.get("selector"), Empty.ALL)
    return None


def workload_selector(kind: tuple[str, str], spec: Mapping[str, object]) -> Selector | None:
    """A controller's own pod selector, or None where Kubernetes generates it.

    ReplicationController: a map, defaulted to the template labels when empty (so it cannot
    mismatch). Job: generated unless ``manualSelector: true``.
    """
    group, name = kind
    if kind == ("", "ReplicationController"):
        return from_map(spec.get("selector"), Empty.ALL) if spec.get("selector") else None
    if kind == ("batch", "Job"):
        return (
            from_label_selector(spec.get("selector"), Empty.ALL)
            if spec.get("manualSelector") is True
            else None
        )
    if group in ("apps", "extensions") and name in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"):
        if spec.get("selector") is None:
            return None
        return from_label_selector(spec.get("selector"), Empty.NONE)
    return None


def near_miss(selector: Selector, labels: Mapping[str, str], most: int = 2) -> list[str] | None:
    """Why ``labels`` nearly satisfy ``selector`` (:func:`label_diff`'s phrases), or None when
    they are no near miss: they match it, or fail more than ``most`` of its terms, or fail every
    term with no trace of any (no term's key carrying another value, no term's value found
    under another key). So a pod that carries ``app.kubernetes.io/name=prometheus`` is a near
    miss of ``app=prometheus``; a pod of an unrelated application is not."""
    if selector.selects_none or not selector.requirements:
        return None
    failed = [r for r in selector.requirements if not r.matches(labels)]
    if not failed or len(failed) > most:
        return None
    if len(failed) == len(selector.requirements):
        taken: set[str] = set()
        for req in failed:
            if req.operator != "In" or (
                req.key not in labels and _counterpart(req.key, req.values, labels, taken) is None
            ):
                return None
    return label_diff(selector, labels)
