"""Reports the CI format tests share: the blueocean dump analysed once (paths relative to the
repository, as a CI job names them), and a small hand-made report with hostile text."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from analyzer import pipeline
from analyzer.findings import CoverageNote, Finding, Severity
from analyzer.load.types import Location, Skipped
from analyzer.model import ObjectRef
from analyzer.report import Report, RuleInfo
from analyzer.rules.finding import Evidence

REPO = Path(__file__).resolve().parents[2]
BLUEOCEAN = "fixtures/blueocean/before"
HOSTILE = "a <b> & \"c\" 'd' 100%\r\nline, two: \x00\x07\x1b[31m \ufffe end"


@cache
def blueocean() -> Report:
    """``kubesnap check fixtures/blueocean/before`` run from the repository, as its Report."""
    here = os.getcwd()
    os.chdir(REPO)
    try:
        return pipeline.analyse([BLUEOCEAN]).report
    finally:
        os.chdir(here)


def finding_on(report: Report, rule: str, display: str) -> Finding:
    """The one finding of ``rule`` on the object shown as ``display`` (``Kind/namespace/name``)."""
    (found,) = [f for f in report.findings if f.rule == rule and f.object.display() == display]
    return found


def hostile() -> Report:
    """Two findings whose object names, messages and hints hold markup, quotes, newlines, ``%``,
    ``:``, ``,`` and control characters; one read from standard input (no file), one from a file
    whose name holds a comma and a colon; a rule with no finding; a coverage gap."""
    svc = ObjectRef("v1", "Service", "ns", 'web<&>"x"')
    stdin_finding = Finding(
        "rule-a",
        Severity.ERROR,
        svc,
        HOSTILE,
        Location("<stdin>", 4),
        hint=HOSTILE,
        evidence=(Evidence("event", HOSTILE),),
    )
    node = ObjectRef("v1", "Node", None, "n1")
    file_finding = Finding("rule-b", Severity.INFO, node, "plain", Location("dir/a,b:c.yaml", 9))
    rules = [
        RuleInfo(
            "rule-a",
            "Rule A",
            "desired-state",
            Severity.ERROR,
            "Checks A.",
            "A breaks.",
            "docs/rules/rule-a.md",
        ),
        RuleInfo("rule-b", "Rule B", "observed-state", Severity.WARNING, "Checks B.", "B breaks."),
        RuleInfo("rule-c", "Rule C", "desired-state", Severity.WARNING, "Checks C.", "C breaks."),
    ]
    return Report(
        files=2,
        documents=3,
        objects=3,
        skipped=[Skipped("bad.yaml", 2, HOSTILE)],
        findings=[stdin_finding, file_finding],
        coverage=[CoverageNote("rule-c", "Secret", "shop", 2)],
        rules=rules,
    )
