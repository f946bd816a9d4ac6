"""Helm chart source folders: a folder holding ``Chart.yaml`` is a chart; its ``templates/`` are
Go templates, not manifests, and its metadata and values files are no objects. Folders are
rendered or skipped whole by :mod:`analyzer.load.sources` (with :mod:`analyzer.load.render`);
this layout says why a chart file read on its own has no kind::

    CHART.untyped("web/values.yaml") -> "Helm chart values file: not an object"
"""

from __future__ import annotations

import posixpath
from typing import Any

from analyzer.load.layouts.base import Role, segments

CHART_FILE = "Chart.yaml"
TEMPLATES = "templates"
METADATA = {
    "Chart.yaml": "Helm chart metadata",
    "Chart.lock": "Helm chart dependency lock",
    "requirements.yaml": "Helm chart dependencies",
    "requirements.lock": "Helm chart dependency lock",
    "values.yaml": "Helm chart values file",
    "values.yml": "Helm chart values file",
    "values.schema.json": "Helm chart values schema",
}


def chart_reason(display: str) -> str:
    """The reason a chart folder is not read when helm cannot render it."""
    name = posixpath.basename(display.rstrip("/")) or "release"
    return (
        f"Helm chart source ({CHART_FILE}): templates are not manifests; install helm, "
        f"or pipe a render in: helm template {name} {display} | kubesnap check -"
    )


class Chart:
    name = "chart"

    def role(self, relative_path: str) -> Role | None:
        return None

    def kind(self, path: str) -> tuple[str, str] | None:
        return None

    def untyped(self, path: str) -> str | None:
        parts = segments(path)
        what = METADATA.get(parts[-1]) if parts else None
        return f"{what}: not an object" if what else None

    def listed(self, relative_path: str, value: Any) -> dict[str, Role] | None:
        return {}


CHART = Chart()
