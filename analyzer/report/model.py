"""Report: everything a renderer needs, gathered by the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field

from analyzer.findings import CoverageNote, Finding
from analyzer.findings.summary import count
from analyzer.load.types import Skipped


@dataclass(slots=True)
class Report:
    files: int
    documents: int
    objects: int
    skipped: list[Skipped]
    findings: list[Finding]
    suppressed: int = 0
    coverage: list[CoverageNote] = field(default_factory=list)
    templates: dict[tuple[str, int | None], str] = field(default_factory=dict)
    """(file, line) of a finding's object -> the Helm template it was rendered from."""

    def counts(self) -> dict[str, int]:
        return count(self.findings)
