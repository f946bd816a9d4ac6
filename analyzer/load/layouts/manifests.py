"""Plain manifests: every ``.yaml``, ``.yml`` and ``.json`` file holds documents."""

from __future__ import annotations

from typing import Any

from analyzer.load.layouts.base import MANIFEST, Role

SUFFIXES = (".yaml", ".yml", ".json")


class Manifests:
    name = "manifests"

    def role(self, relative_path: str) -> Role | None:
        return MANIFEST if relative_path.lower().endswith(SUFFIXES) else None

    def listed(self, relative_path: str, value: Any) -> dict[str, Role] | None:
        return {}

    def kind(self, path: str) -> tuple[str, str] | None:
        return None

    def untyped(self, path: str) -> str | None:
        return None


MANIFESTS = Manifests()
