"""``kubesnap diff BEFORE AFTER``: two snapshots (or JSON reports) compared: the health table with
its change, the findings fixed, new and remaining; exit 1 when AFTER brings a new finding at or
above --fail-on."""

from __future__ import annotations

from pathlib import Path

import click

from analyzer.commands import inputs, options
from analyzer.errors import KubesnapError
from analyzer.findings.summary import FAIL_ON_CHOICES

FORMATS = ("json", "markdown", "text")
"""The keys of :data:`analyzer.report.diff_render.RENDERERS` (the stages are imported when the
command runs, not when the command line starts)."""


@click.command()
@click.argument("before")
@click.argument("after")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_CHOICES),
    default="error",
    show_default=True,
    help="Exit 1 when AFTER has a new finding at or above this severity.",
)
@options.output_option
@options.namespace_option
@options.rule_dirs_option()
@options.limit_options
@options.config_option
def diff(
    before: str,
    after: str,
    fmt: str,
    fail_on: str,
    output: Path | None,
    namespace: str,
    rule_dirs: tuple[Path, ...],
    max_file_size: int,
    max_archive_size: int,
    max_archive_members: int,
    config_file: Path | None,
) -> int:
    """Compare BEFORE and AFTER: each a snapshot (file, folder, archive) or a JSON report written
    by `kubesnap check --format json`. Findings are matched by fingerprint (rule, object, related
    objects, message), so moved lines and renamed files are no change."""
    from analyzer.commands.output import write
    from analyzer.config import load_config
    from analyzer.report.diff import Side, compare, fails, read_report, side_of_json, side_of_report
    from analyzer.report.diff_render import RENDERERS

    config = load_config(config_file)
    limits = options.limits(max_file_size, max_archive_size, max_archive_members)

    def side(path: str) -> Side:
        if path == "-":
            raise KubesnapError(
                "diff: BEFORE and AFTER must be files, folders or archives, not standard input"
            )
        if not Path(path).exists():
            raise KubesnapError(f"diff: {path}: no such file or folder")
        report = read_report(Path(path))
        if report is not None:
            return side_of_json(report, path)
        analysis = inputs.analyse(
            [path],
            namespace=namespace,
            limits=limits,
            config=config,
            rule_dirs=rule_dirs,
            objects_required=False,
        )
        if analysis.report.nothing_readable:
            raise KubesnapError(f"diff: {path}: no readable Kubernetes object")
        return side_of_report(analysis.report, path)

    result = compare(side(before), side(after))
    write(RENDERERS[fmt](result), output)
    return 1 if fails(result, fail_on) else 0
