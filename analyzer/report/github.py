"""GitHub Actions workflow commands (``--format github``): one ``::error``, ``::warning`` or
``::notice`` line per finding, which the Actions runner turns into an annotation on the file and
line of the pull request (as ruff and kube-linter offer).

``::error file=PATH,line=N,title=RULE::Kind/namespace/name: MESSAGE`` (the hint on a second line
of the annotation). The runner's escaping: ``%``, CR and LF in the message as ``%25``, ``%0D``,
``%0A``, and in a property ``:`` and ``,`` too (``%3A``, ``%2C``); other control characters
(a terminal escape in an object name) are dropped. A finding without a file
(standard input) gets a command without ``file=``: the annotation lands on the workflow run.
Each input that could not be read (a YAML error, ...) is a ``::warning`` titled ``not read``.
"""

from __future__ import annotations

from analyzer.findings import Finding, Severity
from analyzer.load.types import Location
from analyzer.report.model import DEFAULT_OPTIONS, RenderOptions, Report
from analyzer.report.where import FileLine, file_of, place

_CONTROL = dict.fromkeys(c for c in [*range(0x20), 0x7F] if chr(c) not in "\t\n\r")
COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    lines = [command(finding) for finding in report.findings]
    lines += [
        _command("warning", place(Location(s.file, s.line)), "not read", s.reason) for s in report.skipped
    ]
    return "".join(line + "\n" for line in lines)


def command(finding: Finding) -> str:
    message = f"{finding.object.display()}: {finding.message}"
    if finding.hint:
        message += f"\n{finding.hint}"
    return _command(COMMANDS[finding.severity], file_of(finding), finding.rule, message)


def _command(name: str, where: FileLine | None, title: str, message: str) -> str:
    properties: list[tuple[str, str]] = []
    if where is not None:
        properties.append(("file", where.path))
        if where.line is not None:
            properties.append(("line", str(where.line)))
    properties.append(("title", title))
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{name} {props}::{escape_data(message)}"


def escape_data(text: str) -> str:
    text = text.translate(_CONTROL)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
