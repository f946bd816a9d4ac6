"""The OpenShift Insights archive writes Pods and Nodes as bare objects (``metadata``/``spec``/
``status``, no ``kind`` nor ``apiVersion``) at ``config/pod/<namespace>/<name>.json`` and
``config/node/<name>.json``: there the kind is taken from the path, with ``apiVersion: v1``."""

from __future__ import annotations

import re
from typing import Any

from analyzer.load.layouts.base import Role

PATH = re.compile(r"(?:^|[/:])config/(?:(?P<pod>pod)/[^/]+|(?P<node>node))/[^/]+\.json$")


class Insights:
    name = "openshift-insights"

    def role(self, relative_path: str) -> Role | None:
        return None  # its files are manifests

    def listed(self, relative_path: str, value: Any) -> dict[str, Role] | None:
        return {}

    def kind(self, path: str) -> tuple[str, str] | None:
        found = PATH.search(path)
        if found is None:
            return None
        return "v1", "Pod" if found["pod"] else "Node"


INSIGHTS = Insights()
