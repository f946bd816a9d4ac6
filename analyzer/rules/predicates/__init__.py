"""The explicit registry of predicates: the only way a rule file reaches Python code."""

from __future__ import annotations

from analyzer.rules.predicates import (
    backend_missing,
    container_failing,
    daemonset_incomplete,
    dependency,
    duplicate_identity,
    edge_target_missing,
    governing_service_missing,
    helm_drift,
    helm_missing,
    helm_orphan,
    hpa_not_scaling,
    hpa_requests,
    job_failed,
    key_missing,
    label_conventions,
    label_missing,
    loadbalancer_pending,
    monitor_selects_nothing,
    mount_without_volume,
    node_condition,
    pdb_blocks,
    pod_unschedulable,
    pvc_unbound,
    reference_missing,
    scaled_to_zero,
    selector_matches_nothing,
    selector_misses_template,
    service_endpoints,
    target_port_undeclared,
    tls_secret_missing,
    workload_short,
)
from analyzer.rules.predicates.base import Gap, Hit, Outcome, Predicate, PredicateParams, Unjudged, define

PREDICATES: dict[str, Predicate] = {
    p.name: p
    for p in (
        backend_missing.PREDICATE,
        container_failing.PREDICATE,
        daemonset_incomplete.PREDICATE,
        dependency.PREDICATE,
        duplicate_identity.PREDICATE,
        edge_target_missing.PREDICATE,
        governing_service_missing.PREDICATE,
        helm_drift.PREDICATE,
        helm_missing.PREDICATE,
        helm_orphan.PREDICATE,
        hpa_not_scaling.PREDICATE,
        hpa_requests.PREDICATE,
        job_failed.PREDICATE,
        key_missing.PREDICATE,
        label_conventions.PREDICATE,
        label_missing.PREDICATE,
        loadbalancer_pending.PREDICATE,
        monitor_selects_nothing.PREDICATE,
        mount_without_volume.PREDICATE,
        node_condition.PREDICATE,
        pdb_blocks.PREDICATE,
        pod_unschedulable.PREDICATE,
        pvc_unbound.PREDICATE,
        reference_missing.PREDICATE,
        scaled_to_zero.PREDICATE,
        selector_matches_nothing.PREDICATE,
        selector_misses_template.PREDICATE,
        service_endpoints.PREDICATE,
        target_port_undeclared.PREDICATE,
        tls_secret_missing.PREDICATE,
        workload_short.PREDICATE,
    )
}

__all__ = ["PREDICATES", "Gap", "Hit", "Outcome", "Predicate", "PredicateParams", "Unjudged", "define"]
