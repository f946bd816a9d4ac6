"""Render a report in the format asked for and write it where asked."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from analyzer.report import RENDERERS, RenderOptions, Report


def render(report: Report, fmt: str, color: bool | None, output: Path | None) -> str:
    """``report`` in format ``fmt``; colours when asked (``--color``), else on a terminal."""
    use_color = (output is None and sys.stdout.isatty()) if color is None else color
    return RENDERERS[fmt](report, RenderOptions(color=use_color))


def write(text: str, output: Path | None) -> None:
    """``text`` to the file ``output``, or to standard output."""
    if output is not None:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
