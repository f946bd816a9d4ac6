"""ONE driver for every rule: each ``rules/**/<id>[.<variant>].test.yaml`` and each rule's docs
example (exactly one finding) and use_instead (none). Adding a rule never means editing Python."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from analyzer import pipeline
from analyzer.config import Config
from analyzer.rules.catalog import builtin_rules_dir, load_catalog

RULES_DIR = builtin_rules_dir()
EVERY_RULE = Config(profile="all")  # opt-in rules are tested too: each case counts its own rule only
CASE_FILES = sorted(RULES_DIR.rglob("*.test.yaml"))
CATALOG = load_catalog()
EXPECT = re.compile(r"^# expect: (?P<object>\S+)(?: (?P<severity>error|warning|info))?\s*$")


def rule_id_of(case: Path) -> str:
    return case.name.removesuffix(".test.yaml").split(".")[0]


def expectations(case: Path) -> Counter[tuple[str, str | None]]:
    found: Counter[tuple[str, str | None]] = Counter()
    for line in case.read_text(encoding="utf-8").splitlines():
        match = EXPECT.match(line)
        if match:
            found[(match["object"], match["severity"])] += 1
    return found


@pytest.mark.parametrize("case", CASE_FILES, ids=[c.name for c in CASE_FILES])
def test_rule_case(case: Path) -> None:
    rule_id = rule_id_of(case)
    expected = expectations(case)
    assert expected, f"{case.name} has no '# expect:' line"
    report = pipeline.analyse([str(case)], config=EVERY_RULE).report
    assert not report.skipped, report.skipped
    got: Counter[tuple[str, str | None]] = Counter()
    for finding in report.findings:
        if finding.rule != rule_id:
            continue
        wants_severity = any(sev for (obj, sev) in expected if obj == finding.object.display())
        got[(finding.object.display(), finding.severity.value if wants_severity else None)] += 1
    assert got == expected, "\n".join(f.message for f in report.findings if f.rule == rule_id)


@pytest.mark.parametrize("rule", CATALOG, ids=[r.id for r in CATALOG])
def test_docs_example_fires_once(rule: object, tmp_path: Path) -> None:
    spec = rule.spec  # type: ignore[attr-defined]
    bad = tmp_path / "example.yaml"
    bad.write_text(spec.docs.example, encoding="utf-8")
    fired = [f for f in pipeline.analyse([str(bad)], config=EVERY_RULE).report.findings if f.rule == spec.id]
    assert len(fired) == 1, fired
    good = tmp_path / "use_instead.yaml"
    good.write_text(spec.docs.use_instead, encoding="utf-8")
    assert [
        f for f in pipeline.analyse([str(good)], config=EVERY_RULE).report.findings if f.rule == spec.id
    ] == []


@pytest.mark.parametrize("rule", CATALOG, ids=[r.id for r in CATALOG])
def test_every_rule_has_a_case_file_with_a_near_miss(rule: object) -> None:
    rule_id = rule.id  # type: ignore[attr-defined]
    cases = [c for c in CASE_FILES if rule_id_of(c) == rule_id]
    assert cases, f"rule {rule_id} has no {rule_id}.test.yaml beside it"
    text = "".join(c.read_text(encoding="utf-8") for c in cases)
    assert "near miss" in text, f"{rule_id}: mark at least one near-miss object with a '# near miss' comment"
