"""Stage 6: renderers, pure functions from a Report (and RenderOptions) to text.

A renderer is ``render(report, options) -> str`` in a module here, registered in :data:`RENDERERS`
under the name ``--format`` takes. A new format (SARIF, JUnit, ...) is one module here and one
entry in :data:`_MODULES`. A renderer's module is imported when its format is first asked for:
a run prints one format (the pre-commit hook's start-up pays for text alone).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping

from analyzer.report.model import RenderOptions, Report, RuleInfo

Renderer = Callable[[Report, RenderOptions], str]

_MODULES = {
    "text": "text",
    "json": "json_report",
    "sarif": "sarif",
    "junit": "junit",
    "codeclimate": "codeclimate",
    "github": "github",
    "markdown": "markdown",
    "html": "html",
}
"""``--format`` name -> the module of :mod:`analyzer.report` that renders it."""


class _Renderers(Mapping[str, Renderer]):
    """The formats, each renderer imported on first use."""

    def __getitem__(self, name: str) -> Renderer:
        render: Renderer = importlib.import_module(f"analyzer.report.{_MODULES[name]}").render
        return render

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


RENDERERS: Mapping[str, Renderer] = _Renderers()


__all__ = ["RENDERERS", "RenderOptions", "Renderer", "Report", "RuleInfo"]
