"""``kubesnap explain KIND/NAMESPACE/NAME PATH...``: one object, its relations both ways, its
findings and why, and the near misses of a selector that selects nothing."""

from __future__ import annotations

from pathlib import Path

import click

from analyzer.commands import inputs, options

FORMATS = ("json", "text")
"""The keys of :data:`analyzer.report.explain_render.RENDERERS` (the stages are imported when
the command runs, not when the command line starts)."""


@click.command()
@click.argument("target", metavar="KIND/NAMESPACE/NAME")
@options.paths_argument
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@options.output_option
@options.namespace_option
@options.rule_dirs_option()
@options.limit_options
@options.config_option
@options.selection_options
def explain(
    target: str,
    paths: tuple[str, ...],
    fmt: str,
    output: Path | None,
    namespace: str,
    rule_dirs: tuple[Path, ...],
    max_file_size: int,
    max_archive_size: int,
    max_archive_members: int,
    config_file: Path | None,
    profile: str | None,
    kube_version: str | None,
) -> int:
    """Explain one object of PATHS: where it is defined, who selects it and what it selects,
    what it references and what references it, owners, routes, the node it runs on; every
    finding on it with its evidence, causes and hint; and for a selector that selects nothing,
    the pods whose labels nearly match. KIND is case-insensitive and may be a short name
    (svc, deploy, cm); KIND/NAME names a cluster-scoped object, or a name unique across
    namespaces."""
    from analyzer.commands.output import write
    from analyzer.findings.explain import explain as explain_object
    from analyzer.graph.lookup import find_node
    from analyzer.report.explain_render import RENDERERS

    analysis = inputs.analyse(
        paths,
        namespace=namespace,
        limits=options.limits(max_file_size, max_archive_size, max_archive_members),
        config_file=config_file,
        profile=profile,
        kube_version=kube_version,
        rule_dirs=rule_dirs,
    )
    ref, obj = find_node(analysis.graph, target)
    report = analysis.report
    explained = explain_object(analysis.graph, ref, obj, report.findings, report.root_causes)
    write(RENDERERS[fmt](explained), output)
    return 0
