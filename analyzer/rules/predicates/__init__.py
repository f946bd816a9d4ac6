"""The explicit registry of predicates: the only way a rule file reaches Python code."""

from __future__ import annotations

from analyzer.rules.predicates import (
    backend_missing,
    duplicate_identity,
    edge_target_missing,
    governing_service_missing,
    label_missing,
    monitor_selects_nothing,
    mount_without_volume,
    reference_missing,
    selector_matches_nothing,
    selector_misses_template,
    target_port_undeclared,
)
from analyzer.rules.predicates.base import Gap, Hit, Outcome, Predicate, PredicateParams

PREDICATES: dict[str, Predicate] = {
    "backend-missing": backend_missing,
    "duplicate-identity": duplicate_identity,
    "edge-target-missing": edge_target_missing,
    "governing-service-missing": governing_service_missing,
    "label-missing": label_missing,
    "monitor-selects-nothing": monitor_selects_nothing,
    "mount-without-volume": mount_without_volume,
    "reference-missing": reference_missing,
    "selector-matches-nothing": selector_matches_nothing,
    "selector-misses-template": selector_misses_template,
    "target-port-undeclared": target_port_undeclared,
}

__all__ = ["PREDICATES", "Gap", "Hit", "Outcome", "Predicate", "PredicateParams"]
