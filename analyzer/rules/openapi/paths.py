"""JSON paths of fields, as findings name them: ``spec.template.spec.containers[0].image``; a
key that is not a plain name is quoted (``metadata.labels["app.kubernetes.io/name"]``).

>>> join("metadata.labels", "app.kubernetes.io/name")
'metadata.labels["app.kubernetes.io/name"]'
>>> split('spec.containers[0].env["a.b"]')
['spec', 'containers', 0, 'env', 'a.b']
"""

from __future__ import annotations

import json
import re

_PLAIN = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$-]*$")
_STEP = re.compile(r'\.?([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]')


def join(path: str, key: str | int) -> str:
    """``path`` then the map key or list index ``key``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if _PLAIN.match(key):
        return f"{path}.{key}" if path else key
    return f"{path}[{json.dumps(key)}]"


def split(path: str) -> list[str | int] | None:
    """The keys and indexes of a path :func:`join` made; None for anything else."""
    steps: list[str | int] = []
    at = 0
    while at < len(path):
        found = _STEP.match(path, at)
        if found is None or found.end() == at:
            return None
        name, index, quoted = found.groups()
        steps.append(name if name is not None else int(index) if index is not None else json.loads(quoted))
        at = found.end()
    return steps
