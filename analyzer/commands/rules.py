"""``kubesnap rules``: the rule catalogue (``list``, ``show``, ``docs``)."""

from __future__ import annotations

import difflib
import textwrap
from pathlib import Path

import click
from click.shell_completion import CompletionItem

from analyzer.commands import options
from analyzer.errors import KubesnapError
from analyzer.rules.catalog import Rule, load_catalog


@click.group()
def rules() -> None:
    """The rule catalogue."""


@rules.command("list")
@options.rule_dirs_option(text=None)
def list_rules(rule_dirs: tuple[Path, ...]) -> None:
    """List every rule: id, severity, category, profile, title."""
    catalog = load_catalog(rule_dirs)
    for rule in sorted(catalog, key=lambda r: r.id):
        spec = rule.spec
        click.echo(f"{spec.id:40} {spec.severity.value:8} {spec.category:15} {spec.profile:8} {spec.title}")


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


def _complete_rule_id(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """``kubesnap rules show <TAB>``: the ids of the built-in rules (and of ``--rules`` folders
    given before), each with its title."""
    dirs = tuple(Path(d) for d in ctx.params.get("rule_dirs") or ())
    try:
        catalog = load_catalog(dirs)
    except KubesnapError:  # a broken rule folder: complete what the built-in catalogue holds
        catalog = load_catalog()
    return [
        CompletionItem(r.id, help=r.spec.title)
        for r in sorted(catalog, key=lambda r: r.id)
        if r.id.startswith(incomplete)
    ]


@rules.command("show")
@options.rule_dirs_option(text=None)
@click.argument("rule_id", metavar="ID", shell_complete=_complete_rule_id)
def show_rule(rule_dirs: tuple[Path, ...], rule_id: str) -> None:
    """Show one rule: what it checks and why, its params, an example that fires and one that passes."""
    catalog = {r.id: r for r in load_catalog(rule_dirs)}
    rule = catalog.get(rule_id)
    if rule is None:
        close = difflib.get_close_matches(rule_id, sorted(catalog), n=5, cutoff=0.5)
        known = f"; did you mean {', '.join(close)}?" if close else " (kubesnap rules list shows them all)"
        raise KubesnapError(f"no rule {rule_id!r}{known}")
    click.echo(describe(rule), nl=False)


def describe(rule: Rule) -> str:
    """The text ``rules show`` prints for ``rule``."""
    from analyzer.report.model import RuleInfo  # the report stage: only for this command
    from analyzer.rules.options import rule_options

    spec = rule.spec
    docs = RuleInfo.of(rule).docs or f"none (a rule of your own: {rule.path})"
    lines = [
        f"{spec.id}: {spec.title}",
        "",
        f"severity:   {spec.severity.value}",
        f"category:   {spec.category}",
        f"profile:    {spec.profile}",
        f"status:     {spec.status}",
        f"applies to: {', '.join(spec.applies_to)}",
        f"predicate:  {spec.check.predicate}",
        f"docs:       {docs}",
        "",
        "what it checks:",
        *_paragraph(spec.docs.what),
        "why it matters:",
        *_paragraph(spec.docs.why),
        "message:",
        *_paragraph(spec.message),
        "hint:",
        *_paragraph(spec.hint),
    ]
    params = rule_options(rule)
    if params:
        lines.append("params (in this rule; default):")
        for option in params:
            lines.append(f"  {option.name} = {option.value}  (default: {option.default})")
            if option.description:
                lines.extend(_paragraph(option.description, indent=6)[:-1])
        lines.append("")
    lines += ["fires on:", *_block(spec.docs.example), "passes:", *_block(spec.docs.use_instead)]
    return "\n".join(lines)


def _paragraph(text: str, indent: int = 2) -> list[str]:
    """``text`` re-wrapped at 100 columns, indented, then a blank line."""
    pad = " " * indent
    return [*textwrap.wrap(" ".join(text.split()), 100, initial_indent=pad, subsequent_indent=pad), ""]


def _block(text: str) -> list[str]:
    """A manifest as written, indented by two spaces, then a blank line."""
    return [f"  {line}".rstrip() for line in text.strip("\n").splitlines()] + [""]
