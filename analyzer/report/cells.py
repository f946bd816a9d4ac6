"""The words the human-readable formats (text, markdown, HTML) share, so that they say the same
thing the same way: where a finding is, the health tables' rows, the ``--against`` line."""

from __future__ import annotations

from fractions import Fraction

from analyzer.findings import Finding
from analyzer.findings.health import NamespaceHealth, PoolHealth, Ratio
from analyzer.load.types import Skipped
from analyzer.model.quantity import format_quantity
from analyzer.report.model import Against

POOL_HEADER = ("node pool", "nodes ready", "pods / max", "cpu requested", "memory requested")
NAMESPACE_HEADER = (
    "namespace",
    "pods running",
    "pending",
    "failing",
    "restarts",
    "services ready",
    "workloads ready",
)
CLUSTER_SCOPED = "(cluster)"
"""The namespace cell of what belongs to no namespace."""


def where(finding: Finding) -> str:
    """``file:line``, the file alone, or ``<unknown>``."""
    loc = finding.location
    return f"{loc.file}:{loc.line}" if loc and loc.line else (loc.file if loc else "<unknown>")


def skipped_at(skip: Skipped) -> str:
    """Where an input that could not be read is: ``file:line`` or the file."""
    return f"{skip.file}:{skip.line}" if skip.line else skip.file


def pool_row(pool: PoolHealth) -> tuple[str, ...]:
    """A node pool's row under :data:`POOL_HEADER`."""
    return (
        pool.pool,
        ratio(pool.nodes),
        f"{pool.pods} / {pool.max_pods}",
        share("cpu", pool.cpu_requests, pool.cpu_allocatable),
        share("memory", pool.memory_requests, pool.memory_allocatable),
    )


def namespace_row(space: NamespaceHealth) -> tuple[str, ...]:
    """A namespace's row under :data:`NAMESPACE_HEADER`."""
    return (
        space.namespace or CLUSTER_SCOPED,
        str(space.running),
        str(space.pending),
        str(space.failing),
        str(space.restarts),
        ratio(space.services),
        ratio(space.workloads),
    )


def healthy(space: NamespaceHealth) -> bool:
    """Nothing pending or failing, every Service and workload ready."""
    return (
        not (space.pending or space.failing)
        and space.services.good == space.services.total
        and space.workloads.good == space.workloads.total
    )


def ratio(value: Ratio) -> str:
    return f"{value.good}/{value.total}"


def share(resource: str, requested: Fraction, allocatable: Fraction) -> str:
    """``800m of 3800m (21%)``; the request alone where nothing is allocatable; ``-`` for none."""
    if not allocatable:
        return format_quantity(resource, requested) if requested else "-"
    used, total = format_quantity(resource, requested), format_quantity(resource, allocatable)
    return f"{used} of {total} ({float(requested / allocatable):.0%})"


def against_line(against: Against) -> str:
    """One line: what the change did to which dump, and the dump's own findings, counted."""
    more = len(against.dump) - 3
    dump = ", ".join(against.dump[:3]) + (f" and {more} more" if more > 0 else "")
    line = f"against {dump}: {against.changed} object(s) changed, {against.replaced} replacing live ones"
    if against.superseded:
        line += f", {against.superseded} live pod(s)/ReplicaSet(s) of replaced workloads left out"
    return line + f"; pre-existing: {against.pre_existing} (findings of the dump the change does not touch)"
