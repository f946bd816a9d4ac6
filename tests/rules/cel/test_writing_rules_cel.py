"""docs/writing-rules.md's CEL section is executable: its rule files and manifests are written
out, the CLI runs on them, and the findings (messages included) and the load error must be
exactly those the page announces."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from analyzer.cli import cli

DOC = Path(__file__).resolve().parents[3] / "docs" / "writing-rules.md"
FILE_BLOCK = re.compile(r"<!-- cel-file: (?P<path>\S+) -->\n```yaml\n(?P<body>.*?)```", re.S)
ERROR_BLOCK = re.compile(r"<!-- cel-error-file: (?P<path>\S+) -->\n```yaml\n(?P<body>.*?)```", re.S)
EXPECT = re.compile(r"<!-- cel-expect: (?P<rule>\S+) (?P<object>\S+) \| (?P<message>.*?) -->")
ANNOUNCED = re.compile(
    r"^\$ kubesnap check manifests/ --rules cel-rules/\n(?P<error>kubesnap: .*?)\n```", re.S | re.M
)


def write_blocks(pattern: re.Pattern[str], root: Path) -> list[str]:
    names = []
    for rel, body in pattern.findall(DOC.read_text(encoding="utf-8")):
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
        names.append(rel)
    return names


def run(root: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["check", str(root / "manifests"), "--rules", str(root / "cel-rules"), "--format", "json"]
    )
    return result.exit_code, result.output


def test_the_four_team_rules_give_the_announced_findings(tmp_path: Path) -> None:
    names = write_blocks(FILE_BLOCK, tmp_path)
    assert len([n for n in names if n.startswith("cel-rules/")]) == 4
    code, output = run(tmp_path)
    assert code == 1, output
    report = json.loads(output)
    ours = {Path(n).stem for n in names if n.startswith("cel-rules/")}
    got = sorted(
        (f["rule"], f"{f['object']['kind']}/{f['object']['namespace']}/{f['object']['name']}", f["message"])
        for f in report["findings"]
        if f["rule"] in ours
    )
    assert got == sorted(EXPECT.findall(DOC.read_text(encoding="utf-8")))
    assert not [c for c in report["coverage"] if c["rule"] in ours]


def test_the_announced_load_error(tmp_path: Path) -> None:
    write_blocks(FILE_BLOCK, tmp_path)
    write_blocks(ERROR_BLOCK, tmp_path)
    code, output = run(tmp_path)
    assert code == 2
    [announced] = [m["error"] for m in ANNOUNCED.finditer(DOC.read_text(encoding="utf-8"))]
    assert output.replace(str(tmp_path) + "/", "").strip() == announced.strip()
