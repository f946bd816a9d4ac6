"""How rule files name kinds: ``Service`` (a built-in Kubernetes kind), ``group/Kind`` (any
other group, e.g. ``monitoring.coreos.com/ServiceMonitor``), ``*`` (everything), and the
coverage-only name ``workloads`` (Pods or objects with a pod template); and :class:`Kinds`,
what a predicate can judge, against which a rule's ``applies_to`` is checked."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from analyzer.model import KindKey
from analyzer.model.workloads import TEMPLATE_PATHS

WORKLOADS = "workloads"


def is_builtin_group(group: str) -> bool:
    """Kubernetes' own API groups have no dot or end in ``.k8s.io``."""
    return "." not in group or group.endswith(".k8s.io")


def kind_matches(pattern: str, group: str, kind: str) -> bool:
    if pattern == "*":
        return True
    want_group, sep, want_kind = pattern.rpartition("/")
    if sep:
        return want_kind == kind and want_group == group
    return pattern == kind and is_builtin_group(group)


def kind_pattern(group: str, kind: str) -> str:
    """How a rule file names (group, kind): ``Service``, ``monitoring.coreos.com/ServiceMonitor``."""
    return kind if is_builtin_group(group) else f"{group}/{kind}"


@dataclass(frozen=True, slots=True)
class Kinds:
    """The kinds a predicate can judge: exact (group, kind) pairs, or every kind (``keys`` None)."""

    keys: frozenset[KindKey] | None = None

    @classmethod
    def of(cls, keys: Iterable[KindKey] | None) -> Kinds:
        return cls(None if keys is None else frozenset(keys))

    def judges(self, pattern: str) -> bool:
        """Can every kind ``pattern`` names be judged? A bare name (a built-in kind) can when one
        of its built-in groups can (Ingress: ``networking.k8s.io`` and ``extensions``)."""
        if self.keys is None:
            return True
        if pattern == "*":
            return False
        group, sep, kind = pattern.rpartition("/")
        if sep:
            return (group, kind) in self.keys
        return any(k == kind and is_builtin_group(g) for g, k in self.keys)

    def describe(self) -> str:
        """``*``, or the patterns a rule file would write, sorted."""
        if self.keys is None:
            return "*"
        return ", ".join(sorted({kind_pattern(g, k) for g, k in self.keys}))


ANY_KIND = Kinds()
POD_SPEC_KINDS = Kinds.of([("", "Pod"), *TEMPLATE_PATHS])
"""Pods and every kind that carries a pod template."""
