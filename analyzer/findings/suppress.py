"""Per-object suppression: ``metadata.annotations["kubesnap.io/ignore"] = "rule-a,rule-b"`` or
``"all"``. Suppressed findings are counted in the summary, never silently lost."""

from __future__ import annotations

from analyzer.model import K8sObject

ANNOTATION = "kubesnap.io/ignore"


def is_suppressed(obj: K8sObject, rule_id: str) -> bool:
    value = obj.annotations.get(ANNOTATION)
    if not value:
        return False
    ids = {part.strip() for part in value.split(",")}
    return "all" in ids or rule_id in ids
