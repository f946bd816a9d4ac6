"""The command line: parse flags, call the pipeline, write the output, choose the exit code.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage error, bad rule
file, or no readable input.
"""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from analyzer import __version__, pipeline
from analyzer.config import DEFAULT_FILE, load_config
from analyzer.errors import KubesnapError
from analyzer.findings.summary import FAIL_ON_CHOICES, fails
from analyzer.load.sources import MAX_ARCHIVE_BYTES, MAX_FILE_BYTES, MAX_MEMBERS, Limits
from analyzer.report import FORMATS
from analyzer.rules.catalog import load_catalog

F = TypeVar("F", bound=Callable[..., Any])

_KEPT: list[object] = []
"""What the analysis built, kept to the end of the process (see :func:`main`)."""


@contextmanager
def user_errors() -> Iterator[None]:
    """A problem the user must fix (bad rule file, bad config): its message, exit code 2."""
    try:
        yield
    except KubesnapError as exc:
        click.echo(f"kubesnap: {exc}", err=True)
        sys.exit(2)


def _limit(flag: str, default: int, text: str, metavar: str = "MIB") -> Callable[[F], F]:
    """An option that raises one of the limits of :class:`analyzer.load.sources.Limits`."""
    return click.option(
        flag, type=click.IntRange(min=1), default=default, show_default=True, metavar=metavar, help=text
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kubesnap")
def cli() -> None:
    """Offline analyzer of Kubernetes snapshots: dumps, manifests, helm renders."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text", show_default=True)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_CHOICES),
    default="error",
    show_default=True,
    help="Exit 1 when a finding is at or above this severity.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--namespace",
    "-n",
    default="default",
    show_default=True,
    help="Namespace of namespaced objects that name none (as kubectl apply -n).",
)
@click.option(
    "--rules",
    "rule_dirs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A folder of your own rule files (repeatable).",
)
@click.option("--color/--no-color", default=None, help="Colour the text report (default: on a terminal).")
@_limit("--max-file-size", MAX_FILE_BYTES >> 20, "Largest file read whole, in MiB (JSON is streamed).")
@_limit("--max-archive-size", MAX_ARCHIVE_BYTES >> 20, "Most uncompressed MiB read from one archive.")
@_limit("--max-archive-members", MAX_MEMBERS, "Most members looked at in one archive.", metavar="N")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Configuration file (default: {DEFAULT_FILE} in the current folder, if any).",
)
def check(
    paths: tuple[str, ...],
    fmt: str,
    fail_on: str,
    output: Path | None,
    namespace: str,
    rule_dirs: tuple[Path, ...],
    color: bool | None,
    max_file_size: int,
    max_archive_size: int,
    max_archive_members: int,
    config_file: Path | None,
) -> None:
    """Check PATHS (files, folders, .tar/.tgz archives, - for stdin)."""
    stdin = sys.stdin.buffer if "-" in paths else None
    # The collector stays off to the end: the graph's cycles would make its first pass after
    # the analysis walk every object of the dump again (20 s after 150,000 pods).
    with user_errors(), pipeline.without_cyclic_gc():
        config = load_config(config_file)
        limits = Limits(max_file_size << 20, max_archive_size << 20, max_archive_members)
        report = pipeline.run(
            paths,
            stdin=stdin,
            rule_dirs=rule_dirs,
            namespace=namespace,
            config=config,
            keep=_KEPT,
            limits=limits,
        )
        use_color = (output is None and sys.stdout.isatty()) if color is None else color
        text = FORMATS[fmt](report, use_color and fmt == "text")
    if output is not None:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    if pipeline.nothing_readable(report):
        click.echo("kubesnap: no readable Kubernetes object in the input", err=True)
        sys.exit(2)
    sys.exit(1 if fails(report.findings, fail_on) else 0)


@cli.group()
def rules() -> None:
    """The rule catalogue."""


@rules.command("list")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(path_type=Path))
def list_rules(rule_dirs: tuple[Path, ...]) -> None:
    """List every rule: id, severity, category, title."""
    with user_errors():
        catalog = load_catalog(rule_dirs)
    for rule in sorted(catalog, key=lambda r: r.id):
        spec = rule.spec
        click.echo(f"{spec.id:40} {spec.severity.value:8} {spec.category:15} {spec.title}")


@rules.command("docs")
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("docs/rules"), show_default=True
)
@click.option("--check", "check_only", is_flag=True, help="Fail if a page is missing or stale.")
def rule_docs(out: Path, check_only: bool) -> None:
    """Write docs/rules/<id>.md for every built-in rule (generated; do not edit by hand)."""
    from analyzer.rules.docs import write_docs  # jinja2 costs 70 ms of start-up: only here

    stale = write_docs(load_catalog(), out, check_only=check_only)
    for path in stale:
        click.echo(f"{'stale' if check_only else 'wrote'}: {path}")
    if check_only and stale:
        sys.exit(1)


def main() -> None:
    """Console entry point: no traceback ever reaches the user (KUBESNAP_DEBUG=1 shows one).

    The process ends without freeing its objects one by one: after a 150,000-pod dump that
    teardown alone takes longer than the analysis of a small one."""
    try:
        _main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        if isinstance(exc.code, str):
            click.echo(exc.code, err=True)
    else:
        code = 0
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: the reader has gone
            stream.flush()
    os._exit(code)


def _main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(2)
    except KubesnapError as exc:
        click.echo(f"kubesnap: {exc}", err=True)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:
        if os.environ.get("KUBESNAP_DEBUG"):
            traceback.print_exc()
        click.echo(f"kubesnap: internal error: {type(exc).__name__}: {exc} (please report it)", err=True)
        sys.exit(2)
