"""Where the command line used to live; kept so that ``analyzer.cli:cli`` (the tests, scripts)
and ``analyzer.cli:main`` still work. The commands are in :mod:`analyzer.commands`."""

from __future__ import annotations

from analyzer.commands.main import cli
from analyzer.commands.process import run as main

__all__ = ["cli", "main"]
