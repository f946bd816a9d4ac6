"""The comparison with kube-linter, kube-score and Polaris (analyzer/rules/equivalents.yaml): every
rule it names exists, or is marked pending; the model refuses what is half-written;
the rules index renders one table per tool."""

from __future__ import annotations

import dataclasses

import pytest

from analyzer.errors import KubesnapError
from analyzer.rules.catalog import load_catalog
from analyzer.rules.docs import index_page
from analyzer.rules.equivalents import load_equivalents, parse_equivalents

CATALOG = load_catalog()
EQUIVALENTS = load_equivalents()

# An entry naming a rule the catalogue does not hold yet (announced by an open issue) says
# `pending: true`; the test fails on one still pending once its rules exist.


def test_every_rule_named_exists_or_is_pending() -> None:
    ids = {r.id for r in CATALOG}
    for tool in EQUIVALENTS.tools:
        for entry in tool.checks:
            absent = [rule for rule in entry.ours if rule not in ids]
            where = f"{tool.tool} {entry.check}"
            assert entry.pending == bool(absent), (
                f"{where}: {absent} not in the catalogue: mark it pending"
                if absent
                else f"{where}: every rule it names exists now: remove `pending: true`"
            )


def test_each_tool_is_listed_with_its_checks_once() -> None:
    assert [t.tool for t in EQUIVALENTS.tools] == ["kube-linter", "kube-score", "Polaris"]
    kube_linter, kube_score, polaris = EQUIVALENTS.tools
    # kube-linter's default set as its generated list says (a sample of both sides).
    linter = {c.check: c for c in kube_linter.checks}
    assert linter["dangling-service"].default is True
    assert linter["no-liveness-probe"].default is False
    assert all(c.severity for c in polaris.checks)
    assert all(c.default is not None for c in kube_score.checks)


def _index() -> str:
    return index_page(CATALOG)


def test_the_index_has_one_table_per_tool_after_the_rules() -> None:
    page = _index()
    rules_at = page.index("| [service-selector-matches-nothing](service-selector-matches-nothing.md) |")
    section_at = page.index("## Compared with kube-linter, kube-score and Polaris")
    assert rules_at < section_at
    headers = [page.index(f"### {tool}\n") for tool in ("kube-linter", "kube-score", "Polaris")]
    assert section_at < headers[0] < headers[1] < headers[2]
    assert "| kube-linter check | in its default set | kubesnap |" in page
    assert "| kube-score check | enabled | kubesnap |" in page
    assert "| Polaris check | default severity | kubesnap |" in page


def test_a_covered_check_links_our_rule_and_an_uncovered_one_says_why() -> None:
    page = _index()
    link = "[service-selector-matches-nothing](service-selector-matches-nothing.md)"
    assert f"| `dangling-service` | yes | {link} |" in page
    assert "| `service-targets-pod` | default | [service-selector-matches-nothing]" in page
    assert "| `sorted-keys` | not stated | cosmetic |" in page
    assert "| `priorityClassNotSet` | warning | a site policy" in page


def test_a_rule_not_in_the_catalogue_is_named_without_a_link() -> None:
    ids = {r.id for r in CATALOG}
    page = _index()
    if "container-privileged" in ids:
        pytest.skip("container-privileged is in the catalogue: nothing is to come for privileged-container")
    assert "| `privileged-container` | yes | `container-privileged` (to come) |" in page
    assert "(container-privileged.md)" not in page


def test_a_rule_of_a_wider_profile_says_its_profile() -> None:
    text = """
tools:
  - tool: kube-linter
    checks:
      - {check: dangling-service, default: true, ours: service-selector-matches-nothing}
"""
    others = [r for r in CATALOG if r.id != "service-selector-matches-nothing"]
    target = next(r for r in CATALOG if r.id == "service-selector-matches-nothing")
    widened = dataclasses.replace(target, spec=target.spec.model_copy(update={"profile": "strict"}))
    page = index_page([*others, widened], parse_equivalents(text))
    assert (
        "| `dangling-service` | yes | [service-selector-matches-nothing](service-selector-matches-nothing.md)"
        " (strict) |" in page
    )
    assert "1 check: 1 covered by a kubesnap rule, 0 not." in page


def test_notes_and_pipes_stay_inside_their_cell() -> None:
    text = """
tools:
  - tool: Polaris
    checks:
      - {check: a, severity: warning, why_not: "x | y"}
      - {check: b, severity: danger, ours: missing-reference, note: "ours also reads envFrom"}
"""
    page = index_page(CATALOG, parse_equivalents(text))
    assert "| `a` | warning | x \\| y |" in page
    assert "| `b` | danger | [missing-reference](missing-reference.md) — ours also reads envFrom |" in page


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{check: a, default: true, ours: pvc-unbound, why_not: x}", "exactly one of ours and why_not"),
        ("{check: a, default: true}", "exactly one of ours and why_not"),
        ("{check: a, default: true, why_not: x, pending: true}", "pending and note go with ours"),
        ("{check: a, default: true, ours: Not_An_Id}", "not a rule id: Not_An_Id"),
        ("{check: a, default: true, ours: x, owner: me}", "tools.0.checks.0.owner: unknown key"),
        ("{check: a, severity: danger, ours: x}", "severity is for Polaris checks"),
        ("{check: a, ours: x}", "say whether it is on by default"),
    ],
)
def test_a_half_written_entry_is_refused_with_where(entry: str, message: str) -> None:
    text = f"tools:\n  - tool: kube-score\n    checks:\n      - {entry}\n"
    with pytest.raises(KubesnapError) as caught:
        parse_equivalents(text, "eq.yaml")
    assert str(caught.value).startswith("eq.yaml: tools.0")
    assert message in str(caught.value)


def test_a_check_listed_twice_is_refused() -> None:
    text = """
tools:
  - tool: Polaris
    checks:
      - {check: a, severity: warning, why_not: x}
      - {check: a, severity: warning, why_not: y}
"""
    with pytest.raises(KubesnapError, match="Polaris: checks listed twice: a"):
        parse_equivalents(text)
