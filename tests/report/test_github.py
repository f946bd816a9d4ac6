"""GitHub Actions workflow commands: one line per finding, the command by severity, file and
line of the object, and the runner's escaping, checked by unescaping as the runner does."""

from __future__ import annotations

import re

from ci_reports import BLUEOCEAN, HOSTILE, blueocean, finding_on, hostile

from analyzer.report import RenderOptions
from analyzer.report.github import render

PLAIN = RenderOptions()
COMMAND = re.compile(r"^::(?P<cmd>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<data>.*)$")


def unescape(text: str) -> str:
    """What the Actions runner does to a command's data and properties."""
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


def parse(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.match(line)
    assert match, line
    props = dict(p.split("=", 1) for p in (match["props"] or "").split(",") if p)
    return match["cmd"], {k: unescape(v) for k, v in props.items()}, unescape(match["data"])


def test_one_command_per_blueocean_finding_on_its_file_and_line() -> None:
    report = blueocean()
    lines = render(report, PLAIN).splitlines()
    assert len(lines) == len(report.findings)
    finding = finding_on(report, "service-selector-matches-nothing", "Service/monitoring/prometheus-server")
    assert finding.location is not None
    cmd, props, data = parse(lines[report.findings.index(finding)])
    assert cmd == "error"
    assert props == {
        "file": f"{BLUEOCEAN}/resources.yaml",
        "line": str(finding.location.line),
        "title": "service-selector-matches-nothing",
    }
    assert data == f"Service/monitoring/prometheus-server: {finding.message}\n{finding.hint}"
    commands = {parse(line)[0] for line in lines}
    assert commands == {"error", "warning", "notice"}


def test_a_hostile_message_cannot_break_out_of_its_command() -> None:
    report = hostile()
    lines = render(report, PLAIN).splitlines()
    assert len(lines) == 3  # two findings, one input not read: newlines made no more commands
    cmd, props, data = parse(lines[0])
    assert (cmd, props) == ("error", {"title": "rule-a"})  # standard input: no file=
    clean = HOSTILE.replace("\x00", "").replace("\x07", "").replace("\x1b", "")
    assert data == f'Service/ns/web<&>"x": {clean}\n{clean}'
    assert "\x1b" not in lines[0]  # no terminal escape reaches the log
    assert "\n" not in lines[0] and "\r" not in lines[0]
    cmd, props, data = parse(lines[2])
    assert (cmd, props) == ("warning", {"file": "bad.yaml", "line": "2", "title": "not read"})
    assert data == clean


def test_a_file_name_with_comma_and_colon_stays_one_property() -> None:
    cmd, props, data = parse(render(hostile(), PLAIN).splitlines()[1])
    assert cmd == "notice"
    assert props == {"file": "dir/a,b:c.yaml", "line": "9", "title": "rule-b"}
    assert data == "Node/n1: plain"
