"""``kubectl cluster-info dump --output-directory``: its ``nodes.json`` and
``<namespace>/pods.json``, ``services.json``... are typed Lists (read like any manifest), and
each pod's log is ``<namespace>/<pod>/logs.txt``, of which the last lines are kept."""

from __future__ import annotations

LOG_FILE = "logs.txt"
TAIL_LINES = 50
TAIL_BYTES = 256 * 1024
"""How much of the end of a log file is read: 50 lines of up to 5 KiB each."""


def log_key(relative_path: str) -> tuple[str, str] | None:
    """(namespace, pod) for a path, relative to a folder given by the user, ending in
    ``<namespace>/<pod>/logs.txt``; None for any other path."""
    parts = relative_path.replace("\\", "/").split("/")
    if len(parts) >= 3 and parts[-1] == LOG_FILE and parts[-2] and parts[-3]:
        return parts[-3], parts[-2]
    return None


def tail(data: bytes, lines: int = TAIL_LINES) -> str:
    """The last ``lines`` lines, undecodable bytes replaced."""
    start = len(data)
    for _ in range(lines + 1):  # one more: the file usually ends with a newline
        start = data.rfind(b"\n", 0, start)
        if start < 0:
            break
    text = data[start + 1 :].decode("utf-8", errors="replace")
    return "\n".join(text.splitlines()[-lines:])
