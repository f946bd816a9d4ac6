"""``kubectl cluster-info dump --output-directory``: its ``nodes.json`` and
``<namespace>/pods.json``, ``services.json``... are typed Lists (read like any manifest), and
each pod's log is ``<namespace>/<pod>/logs.txt``, of which the last lines are kept."""

from __future__ import annotations

from typing import Any

from analyzer.load.layouts.base import PodLog, Role

LOG_FILE = "logs.txt"
TAIL_LINES = 50
TAIL_BYTES = 256 * 1024
"""How much of the end of a log file is read: 50 lines of up to 5 KiB each."""


class ClusterDump:
    name = "cluster-info-dump"

    def role(self, relative_path: str) -> Role | None:
        """A pod's log at ``<namespace>/<pod>/logs.txt``; None for any other path."""
        parts = relative_path.replace("\\", "/").split("/")
        if len(parts) >= 3 and parts[-1] == LOG_FILE and parts[-2] and parts[-3]:
            return PodLog(parts[-3], parts[-2])
        return None

    def listed(self, relative_path: str, value: Any) -> dict[str, Role] | None:
        return {}

    def kind(self, path: str) -> tuple[str, str] | None:
        return None

    def untyped(self, path: str) -> str | None:
        return None


CLUSTER_DUMP = ClusterDump()


def tail(data: bytes, lines: int = TAIL_LINES) -> str:
    """The last ``lines`` lines, undecodable bytes replaced."""
    start = len(data)
    for _ in range(lines + 1):  # one more: the file usually ends with a newline
        start = data.rfind(b"\n", 0, start)
        if start < 0:
            break
    text = data[start + 1 :].decode("utf-8", errors="replace")
    return "\n".join(text.splitlines()[-lines:])
