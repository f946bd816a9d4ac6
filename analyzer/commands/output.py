"""Render a report in the format asked for and write it where asked."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from analyzer.errors import KubesnapError
from analyzer.report import RENDERERS, RenderOptions, Report


def colored(color: bool | None, output: Path | None) -> bool:
    """Colours when asked (``--color``), else on a terminal."""
    return (output is None and sys.stdout.isatty()) if color is None else color


def render(report: Report, fmt: str, color: bool, docs_base: str | None = None) -> str:
    """``report`` in format ``fmt`` (colours only in text, when ``color``; rule pages as links
    under ``docs_base`` where the format has links)."""
    return RENDERERS[fmt](report, RenderOptions(color=color, docs_base=docs_base))


def write(text: str, output: Path | None, color: bool = False) -> None:
    """``text`` to the file ``output``, or to standard output: with its colours when ``color``
    (``--color`` on a pipe too), else without any escape sequence (click strips them there)."""
    if output is not None:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise KubesnapError(f"{output}: cannot write the report: {exc.strerror or exc}") from None
    else:
        click.echo(text, nl=False, color=color or None)


def unwritable(path: Path) -> str | None:
    """Why a report cannot be written to ``path`` (asked before the analysis runs), or None."""
    folder = path.parent
    if path.is_dir():
        return f"{path} is a folder"
    if not folder.is_dir():
        return f"no such folder: {folder}"
    if path.exists() and not os.access(path, os.W_OK):
        return f"{path} is not writable"
    if not path.exists() and not os.access(folder, os.W_OK):
        return f"cannot create files in {folder}"
    return None
