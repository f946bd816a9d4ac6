"""Stage 6: renderers, pure functions from a Report to text."""

from __future__ import annotations

from collections.abc import Callable

from analyzer.report import json_report, text
from analyzer.report.model import Report

Renderer = Callable[[Report, bool], str]

FORMATS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_report.render,
}

__all__ = ["FORMATS", "Renderer", "Report"]
