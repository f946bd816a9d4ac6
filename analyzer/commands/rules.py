"""``kubesnap rules``: the rule catalogue (``list``, ``docs``)."""

from __future__ import annotations

from pathlib import Path

import click

from analyzer.commands import options
from analyzer.rules.catalog import load_catalog


@click.group()
def rules() -> None:
    """The rule catalogue."""


@rules.command("list")
@options.rule_dirs_option(text=None)
def list_rules(rule_dirs: tuple[Path, ...]) -> None:
    """List every rule: id, severity, category, title."""
    catalog = load_catalog(rule_dirs)
    for rule in sorted(catalog, key=lambda r: r.id):
        spec = rule.spec
        click.echo(f"{spec.id:40} {spec.severity.value:8} {spec.category:15} {spec.title}")


@rules.command("docs")
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("docs/rules"), show_default=True
)
@click.option("--check", "check_only", is_flag=True, help="Fail if a page is missing or stale.")
def rule_docs(out: Path, check_only: bool) -> int:
    """Write docs/rules/<id>.md for every built-in rule (generated; do not edit by hand)."""
    from analyzer.rules.docs import write_docs  # jinja2 costs 70 ms of start-up: only here

    stale = write_docs(load_catalog(), out, check_only=check_only)
    for path in stale:
        click.echo(f"{'stale' if check_only else 'wrote'}: {path}")
    return 1 if check_only and stale else 0
