"""docs/writing-rules.md is executable: its rule files and manifests are written out, the CLI
runs on them, and the findings of the user rules must be exactly those the page announces."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.cli import cli
from analyzer.errors import KubesnapError
from analyzer.rules.catalog import load_catalog
from analyzer.rules.predicates import PREDICATES

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


ROW = re.compile(r"^\| `(?P<name>[a-z-]+)` \| (?P<kinds>.*?) \| (?P<facts>.*?) \| (?P<params>.*?) \|$", re.M)


def _names(cell: str) -> set[str]:
    return set(re.findall(r"`([^`]+)`", cell))


def test_predicate_table_is_the_registry() -> None:
    section = DOC.read_text(encoding="utf-8").split("## Predicates", 1)[1]
    rows = {m["name"]: m for m in ROW.finditer(section)}
    assert set(rows) == set(PREDICATES)
    for name, predicate in PREDICATES.items():
        row = rows[name]
        sample = predicate.params.model_construct()  # every built-in predicate's facts are fixed
        assert _names(row["facts"]) == predicate.facts_for(sample), name
        assert _names(row["params"]) == set(predicate.params.model_fields), name
        try:
            kinds = set(predicate.kinds_for(sample).describe().split(", "))
        except AttributeError:  # the kinds follow from a required param: the row names it
            assert _names(row["kinds"]) & set(predicate.params.model_fields), name
        else:
            assert _names(row["kinds"]) == kinds, name


def test_announced_error_for_a_kind_the_predicate_cannot_judge(tmp_path: Path) -> None:
    [announced] = re.findall(
        r"^kubesnap: (team-rules/web-selects-pods\.yaml: .*)$", DOC.read_text(encoding="utf-8"), re.M
    )
    rules = tmp_path / "team-rules"
    rules.mkdir()
    rule = (
        "id: web-selects-pods\ntitle: T\ncategory: team\nseverity: error\napplies_to: [Deployment]\n"
        "check: {predicate: selector-matches-nothing}\nmessage: M.\nhint: H.\n"
        "docs: {what: W., why: Y, example: E, use_instead: U}\n"
    )
    (rules / "web-selects-pods.yaml").write_text(rule, encoding="utf-8")
    with pytest.raises(KubesnapError) as caught:
        load_catalog([rules], builtin=False)
    assert str(caught.value).replace(str(tmp_path) + "/", "") == announced
