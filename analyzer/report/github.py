"""GitHub Actions workflow commands (``--format github``): one ``::error``, ``::warning`` or
``::notice`` line per finding, which the Actions runner turns into an annotation on the file and
line of the pull request (as ruff and kube-linter offer).

``::error file=PATH,line=N,title=RULE::Kind/namespace/name: MESSAGE`` (the hint on a second line
of the annotation). The runner's escaping: ``%``, CR and LF in the message as ``%25``, ``%0D``,
``%0A``, and in a property ``:`` and ``,`` too (``%3A``, ``%2C``); other control characters
(a terminal escape in an object name) are dropped. A finding without a file
(standard input) gets a command without ``file=``: the annotation lands on the workflow run.
"""

from __future__ import annotations

from analyzer.findings import Finding, Severity
from analyzer.report.model import DEFAULT_OPTIONS, RenderOptions, Report
from analyzer.report.where import file_of

_CONTROL = dict.fromkeys(c for c in [*range(0x20), 0x7F] if chr(c) not in "\t\n\r")
COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    return "".join(command(finding) + "\n" for finding in report.findings)


def command(finding: Finding) -> str:
    properties: list[tuple[str, str]] = []
    place = file_of(finding)
    if place is not None:
        properties.append(("file", place.path))
        if place.line is not None:
            properties.append(("line", str(place.line)))
    properties.append(("title", finding.rule))
    message = f"{finding.object.display()}: {finding.message}"
    if finding.hint:
        message += f"\n{finding.hint}"
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{COMMANDS[finding.severity]} {props}::{escape_data(message)}"


def escape_data(text: str) -> str:
    text = text.translate(_CONTROL)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
