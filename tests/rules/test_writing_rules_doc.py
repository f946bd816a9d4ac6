"""docs/writing-rules.md is executable: its rule files and manifests are written out, the CLI
runs on them, and the findings of the user rules must be exactly those the page announces."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from analyzer.cli import cli

DOC = Path(__file__).resolve().parents[2] / "docs" / "writing-rules.md"
FILE_BLOCK = re.compile(r"<!-- file: (?P<path>\S+) -->\n```yaml\n(?P<body>.*?)```", re.S)
EXPECT = re.compile(r"<!-- expect: (?P<rule>\S+) (?P<object>\S+) -->")


def test_doc_example_runs_and_gives_the_announced_findings(tmp_path: Path) -> None:
    text = DOC.read_text(encoding="utf-8")
    blocks = FILE_BLOCK.findall(text)
    assert len(blocks) == 3
    for rel, body in blocks:
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["check", str(tmp_path / "manifests"), "--rules", str(tmp_path / "team-rules"), "--format", "json"],
    )
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    user_rules = {"prod-service-selects-pods", "deployment-team-label"}
    got = sorted(
        (f["rule"], f"{f['object']['kind']}/{f['object']['namespace']}/{f['object']['name']}")
        for f in report["findings"]
        if f["rule"] in user_rules
    )
    assert got == sorted(EXPECT.findall(text))
    messages = {f["rule"]: f["message"] for f in report["findings"] if f["rule"] in user_rules}
    assert messages["deployment-team-label"] == (
        "Deployment search-api has label team=<absent>; expected one of: payments, search, platform."
    )
