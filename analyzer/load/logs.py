"""Pod log tails from ``kubectl cluster-info dump`` folders: ``<namespace>/<pod>/logs.txt``."""

from __future__ import annotations

TAIL_LINES = 50


def log_key(name: str) -> tuple[str, str] | None:
    """(namespace, pod) for a path ending in ``<namespace>/<pod>/logs.txt``."""
    parts = name.replace("\\", "/").split("/")
    if len(parts) >= 3 and parts[-1] == "logs.txt":
        return parts[-3], parts[-2]
    return None


def tail(data: bytes, lines: int = TAIL_LINES) -> str:
    text = data.decode("utf-8", errors="replace")
    return "\n".join(text.splitlines()[-lines:])
