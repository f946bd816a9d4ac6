"""Named-placeholder formatting for rule messages and hints.

Only ``{name}`` and ``{object.field}`` placeholders exist; values are plain strings looked up in
a flat mapping. No attribute access, no format specs, no code: a rule file cannot run anything.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)?)\}")
OBJECT_FIELDS = frozenset({"object", "object.kind", "object.name", "object.namespace", "object.api_version"})


def placeholders(template: str) -> set[str]:
    return set(PLACEHOLDER.findall(template))


def stray_braces(template: str) -> bool:
    """True when the template holds a brace that is not part of a valid placeholder."""
    return "{" in PLACEHOLDER.sub("", template) or "}" in PLACEHOLDER.sub("", template)


def render(template: str, values: Mapping[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)
