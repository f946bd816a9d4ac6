"""How rule files name kinds: ``Service`` (a built-in Kubernetes kind), ``group/Kind`` (any
other group, e.g. ``monitoring.coreos.com/ServiceMonitor``), ``*`` (everything), and the
coverage-only name ``workloads`` (Pods or objects with a pod template)."""

from __future__ import annotations

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
