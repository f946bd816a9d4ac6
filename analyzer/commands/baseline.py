"""``kubesnap baseline create``: write the findings of the inputs, as ``check`` reports them, to
a baseline file that ``kubesnap check --baseline FILE`` then hides
(:mod:`analyzer.findings.baseline`)."""

from __future__ import annotations

from pathlib import Path

import click

from analyzer.commands import inputs, options
from analyzer.commands.output import unwritable, write
from analyzer.errors import KubesnapError
from analyzer.findings import baseline as baselines


@click.group()
def baseline() -> None:
    """Baselines: accept today's findings, so that a check shows only new ones."""


@baseline.command()
@options.paths_argument
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=baselines.DEFAULT_FILE,
    show_default=True,
    help="The baseline file to write.",
)
@options.namespace_option
@options.rule_dirs_option()
@options.limit_options
@options.config_option
@options.selection_options
def create(
    paths: tuple[str, ...],
    output: Path,
    namespace: str,
    rule_dirs: tuple[Path, ...],
    max_file_size: int,
    max_archive_size: int,
    max_archive_members: int,
    config_file: Path | None,
    profile: str | None,
    kube_version: str | None,
) -> int:
    """Write the findings of PATHS (as kubesnap check reports them: configuration applied,
    suppressed findings left out) to a baseline file, sorted, one entry per finding with its
    fingerprint, rule, object and message. Commit it; kubesnap check --baseline FILE hides them."""
    if (problem := unwritable(output)) is not None:
        raise KubesnapError(f"--output {output}: {problem}")
    report = inputs.analyse(
        paths,
        namespace=namespace,
        limits=options.limits(max_file_size, max_archive_size, max_archive_members),
        config_file=config_file,
        profile=profile,
        kube_version=kube_version,
        rule_dirs=rule_dirs,
    ).report
    write(baselines.dumps(report.findings), output)
    click.echo(f"kubesnap: {len(report.findings)} finding(s) written to {output}", err=True)
    return 0
