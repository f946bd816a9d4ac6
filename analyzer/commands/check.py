"""``kubesnap check``: analyse the inputs, write the report, exit 1 on findings at --fail-on."""

from __future__ import annotations

from pathlib import Path

import click

from analyzer.commands import inputs, options
from analyzer.commands.errors import USAGE
from analyzer.commands.output import colored, render, unwritable, write
from analyzer.errors import KubesnapError
from analyzer.findings import baseline as baselines
from analyzer.findings.summary import fails


@click.command()
@options.paths_argument
@options.format_option
@options.fail_on_option
@options.output_option
@options.report_option
@options.namespace_option
@options.rule_dirs_option()
@options.policies_option
@options.color_option
@options.docs_base_option
@options.limit_options
@options.config_option
@options.selection_options
@options.strict_option
@options.against_option
@options.baseline_option
def check(
    paths: tuple[str, ...],
    fmt: str,
    fail_on: str,
    output: Path | None,
    reports: tuple[tuple[str, Path], ...],
    namespace: str,
    rule_dirs: tuple[Path, ...],
    policies: tuple[Path, ...],
    color: bool | None,
    docs_base: str | None,
    max_file_size: int,
    max_archive_size: int,
    max_archive_members: int,
    config_file: Path | None,
    profile: str | None,
    kube_version: str | None,
    strict: bool,
    against: tuple[str, ...],
    baseline: Path | None,
) -> int:
    """Check PATHS (files, folders, .tar/.tgz archives, - for stdin).

    With --against DUMP, PATHS is a change (manifests) checked against a live dump: the change
    replaces the live objects of the same identity, and the report keeps the findings it
    introduces or touches; those the dump already had are counted as pre-existing.

    With --baseline FILE, the findings it lists are hidden and counted as baselined; with
    --report FORMAT=FILE (repeatable), the report is also written in FORMAT to FILE."""
    _check_dump_paths(against)
    _check_output(output, reports)
    accepted = baselines.read(baseline) if baseline is not None else None
    report = inputs.analyse(
        paths,
        namespace=namespace,
        limits=options.limits(max_file_size, max_archive_size, max_archive_members),
        config_file=config_file,
        profile=profile,
        kube_version=kube_version,
        strict=strict,
        rule_dirs=rule_dirs,
        policies=policies,
        against=against,
        baseline=accepted,
        objects_required=False,
    ).report
    for report_fmt, file in reports:
        write(render(report, report_fmt, False, docs_base), file)
    use_color = colored(color, output)
    write(render(report, fmt, use_color, docs_base), output, use_color)
    if report.nothing_readable:
        click.echo(f"kubesnap: {inputs.NOTHING_READABLE}", err=True)
        return USAGE
    return 1 if fails(report.findings, fail_on) else 0


def _check_dump_paths(against: tuple[str, ...]) -> None:
    """Every --against path exists and is not standard input (a usage error otherwise)."""
    for path in against:
        if path == "-":
            raise KubesnapError("--against: the dump must be a file, folder or archive, not standard input")
        if not Path(path).exists():
            raise KubesnapError(f"--against {path}: no such file or folder")


def _check_output(output: Path | None, reports: tuple[tuple[str, Path], ...]) -> None:
    """--output can be written and is not also a --report file (a usage error otherwise)."""
    if output is None:
        return
    if (problem := unwritable(output)) is not None:
        raise KubesnapError(f"--output {output}: {problem}")
    if any(file == output for _, file in reports):
        raise KubesnapError(f"--output {output} is also named by --report")
