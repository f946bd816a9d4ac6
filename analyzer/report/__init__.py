"""Stage 6: renderers, pure functions from a Report (and RenderOptions) to text.

A renderer is ``render(report, options) -> str``, registered in :data:`RENDERERS` under the
name ``--format`` takes. A new format (SARIF, JUnit, ...) is one module here and one entry there.
"""

from __future__ import annotations

from collections.abc import Callable

from analyzer.report import codeclimate, github, html, json_report, junit, markdown, sarif, text
from analyzer.report.model import RenderOptions, Report, RuleInfo

Renderer = Callable[[Report, RenderOptions], str]

RENDERERS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "codeclimate": codeclimate.render,
    "github": github.render,
    "markdown": markdown.render,
    "html": html.render,
}


__all__ = ["RENDERERS", "RenderOptions", "Renderer", "Report", "RuleInfo"]
