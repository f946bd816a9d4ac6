"""Stage 6: renderers, pure functions from a Report (and RenderOptions) to text.

A renderer is ``render(report, options) -> str``, registered in :data:`RENDERERS` under the
name ``--format`` takes. A new format (SARIF, JUnit, ...) is one module here and one entry there.
"""

from __future__ import annotations

from collections.abc import Callable

from analyzer.report import json_report, text
from analyzer.report.model import RenderOptions, Report, RuleInfo

Renderer = Callable[[Report, RenderOptions], str]

RENDERERS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_report.render,
}


def _with_colour_flag(render: Renderer) -> Callable[[Report, bool], str]:
    def legacy(report: Report, color: bool = False) -> str:
        return render(report, RenderOptions(color=color))

    return legacy


FORMATS: dict[str, Callable[[Report, bool], str]] = {
    name: _with_colour_flag(render) for name, render in RENDERERS.items()
}
"""Deprecated: the renderers with their former ``(report, colour)`` signature, for the callers
outside the report stage that still use it (bench/run.py, tests/reliability/test_figures.py).
Use :data:`RENDERERS`."""

__all__ = ["FORMATS", "RENDERERS", "RenderOptions", "Renderer", "Report", "RuleInfo"]
