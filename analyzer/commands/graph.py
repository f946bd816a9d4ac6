"""``kubesnap graph``: export the object graph (DOT, GraphML, node-link JSON), whole or around
one object (``--focus``)."""

from __future__ import annotations

from pathlib import Path

import click

from analyzer.commands import inputs, options

FORMATS = ("dot", "graphml", "json")
"""The keys of :data:`analyzer.graph.export.RENDER` (written here: the stages are imported when
the command runs, not when the command line starts)."""


@click.command()
@options.paths_argument
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="dot", show_default=True)
@click.option(
    "--focus",
    metavar="KIND/NS/NAME",
    help="Keep only this object's neighbourhood (KIND/NAME when cluster-scoped).",
)
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="With --focus: hops kept around the object, edges followed both ways.",
)
@options.output_option
@options.namespace_option
@options.limit_options
@options.config_option
def graph(
    paths: tuple[str, ...],
    fmt: str,
    focus: str | None,
    depth: int,
    output: Path | None,
    namespace: str,
    max_file_size: int,
    max_archive_size: int,
    max_archive_members: int,
    config_file: Path | None,
) -> int:
    """Export the object graph of PATHS: nodes Kind/namespace/name (kind, namespace, name, file,
    line, missing), edges with their kind (selects, references, owned-by, routes-to, ...)."""
    from analyzer.commands.output import write
    from analyzer.graph.export import RENDER, neighbourhood, object_graph
    from analyzer.graph.lookup import find_node

    analysis = inputs.analyse(
        paths,
        namespace=namespace,
        limits=options.limits(max_file_size, max_archive_size, max_archive_members),
        config_file=config_file,
    )
    exported, names = object_graph(analysis.graph)
    if focus is not None:
        ref, _ = find_node(analysis.graph, focus)
        exported = neighbourhood(exported, names[ref.key], depth)
    write(RENDER[fmt](exported), output)
    return 0
