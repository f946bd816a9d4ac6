"""The one exception type that reaches the command line (exit code 2)."""

from __future__ import annotations


class KubesnapError(Exception):
    """A usage or input problem the user must fix; its message is shown as is."""
