"""Stage 2: typed, indexed snapshot of the loaded objects."""

from __future__ import annotations

from analyzer.model.objects import K8sObject
from analyzer.model.refs import ObjectKey, ObjectRef
from analyzer.model.snapshot import AbsentController, KindKey, Snapshot, build_snapshot

__all__ = ["AbsentController", "K8sObject", "KindKey", "ObjectKey", "ObjectRef", "Snapshot", "build_snapshot"]
