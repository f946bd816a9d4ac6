"""Options shared by commands: one declaration each, so that ``check`` and the commands to come
(``diff``, ``explain``, ``graph``, ``baseline``) spell, default and document them alike.

Each is a decorator; a command applies them in the order ``--help`` lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from analyzer.commands.output import unwritable
from analyzer.config import DEFAULT_FILE, Config, RuleConfig
from analyzer.findings.summary import FAIL_ON_CHOICES
from analyzer.load.sources import MAX_ARCHIVE_BYTES, MAX_FILE_BYTES, MAX_MEMBERS, Limits
from analyzer.report import RENDERERS
from analyzer.rules.finding import Severity

F = TypeVar("F", bound=Callable[..., Any])

paths_argument = click.argument("paths", nargs=-1, required=True)

format_option = click.option(
    "--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text", show_default=True
)

fail_on_option = click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_CHOICES),
    default="error",
    show_default=True,
    help="Exit 1 when a finding is at or above this severity.",
)

output_option = click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output.",
)

namespace_option = click.option(
    "--namespace",
    "-n",
    default="default",
    show_default=True,
    help="Namespace of namespaced objects that name none (as kubectl apply -n).",
)

against_option = click.option(
    "--against",
    "against",
    multiple=True,
    metavar="DUMP",
    help="Check PATHS as a change laid over this live dump (file, folder or archive; "
    "repeatable): report only the findings the change introduces or touches.",
)

docs_base_option = click.option(
    "--docs-base",
    metavar="URL",
    help="Address of the kubesnap repository the rule pages are read at (e.g. "
    "https://github.com/ORG/kubesnap/blob/v0.1.0): SARIF and HTML link each rule to "
    "URL/docs/rules/<id>.md. Without it no address is made up.",
)

color_option = click.option(
    "--color/--no-color", default=None, help="Colour the text report (default: on a terminal)."
)

config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Configuration file (default: the nearest {DEFAULT_FILE}, from the current folder up to "
    "the repository root).",
)


def _kube_version(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from analyzer.model.versions import parse_version

    if value is not None and (parse_version(value) is None or value.count(".") != 1):
        raise click.BadParameter(f"{value!r}: expected MAJOR.MINOR, e.g. 1.30", ctx, param)
    return value


def selection_options(command: F) -> F:
    """``--profile`` and ``--kube-version``: which rules run, and the version they judge against
    (both override the configuration file)."""
    command = click.option(
        "--kube-version",
        metavar="X.Y",
        callback=_kube_version,
        help="Kubernetes version deprecated APIs and schemas are judged against (default: the "
        "newest kubelet of a live dump's Nodes, else the newest version kubesnap knows).",
    )(command)
    return click.option(
        "--profile",
        type=click.Choice(["default", "strict", "all"]),
        help="Rules to run: default, strict (adds opt-in checks: probes, network policies, "
        "limits...) or all (default: the configuration's, else default).",
    )(command)


strict_option = click.option(
    "--strict",
    is_flag=True,
    help="Unknown fields are errors, not warnings (the same as rules: {schema-unknown-field: "
    "{severity: error}} in the configuration).",
)

STRICT_ERRORS = ("schema-unknown-field",)
"""The rules ``--strict`` makes errors."""


def configured(config: Config, profile: str | None, kube_version: str | None, strict: bool = False) -> Config:
    """``config`` with the command line's ``--profile``, ``--kube-version`` and ``--strict``
    laid over it."""
    update: dict[str, object] = {}
    if profile is not None:
        update["profile"] = profile
    if kube_version is not None:
        update["kube_version"] = kube_version
    if strict:
        rules = dict(config.rules)
        for rule_id in STRICT_ERRORS:
            rules[rule_id] = (rules.get(rule_id) or RuleConfig()).model_copy(
                update={"severity": Severity.ERROR}
            )
        update["rules"] = rules
    if not update:
        return config
    return config.model_copy(update=update)  # keeps the file it was read from


baseline_option = click.option(
    "--baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Hide the findings this baseline lists (made by kubesnap baseline create); "
    "they are counted as baselined.",
)


def _reports(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> tuple[tuple[str, Path], ...]:
    """``--report FORMAT=FILE`` values as (format, file), checked before anything is read: a
    known format, a file that can be written, no file named twice."""
    reports: list[tuple[str, Path]] = []
    for value in values:
        fmt, sep, file = value.partition("=")
        if not sep or not fmt or not file:
            raise click.BadParameter(f"{value!r}: expected FORMAT=FILE, e.g. json=kubesnap.json", ctx, param)
        if fmt not in RENDERERS:
            known = ", ".join(sorted(RENDERERS))
            raise click.BadParameter(f"{value!r}: unknown format {fmt!r} (one of: {known})", ctx, param)
        path = Path(file)
        if (problem := unwritable(path)) is not None:
            raise click.BadParameter(f"{value!r}: {problem}", ctx, param)
        if any(path == other for _, other in reports):
            raise click.BadParameter(f"{value!r}: {file} is named by another --report", ctx, param)
        reports.append((fmt, path))
    return tuple(reports)


report_option = click.option(
    "--report",
    "reports",
    multiple=True,
    metavar="FORMAT=FILE",
    callback=_reports,
    help="Also write the report in FORMAT to FILE (repeatable), e.g. --report json=kubesnap.json; "
    "the --format report still goes to standard output or --output.",
)


policies_option = click.option(
    "--policies",
    "policies",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    metavar="DIR",
    help="Also evaluate the ValidatingAdmissionPolicies and their bindings in this file or folder "
    "(repeatable) on the objects of PATHS, as the API server would on CREATE.",
)


def rule_dirs_option(text: str | None = "A folder of your own rule files (repeatable).") -> Callable[[F], F]:
    return click.option("--rules", "rule_dirs", multiple=True, type=click.Path(path_type=Path), help=text)


def _limit(flag: str, default: int, text: str, metavar: str = "MIB") -> Callable[[F], F]:
    """An option that raises one of the limits of :class:`analyzer.load.sources.Limits`."""
    return click.option(
        flag, type=click.IntRange(min=1), default=default, show_default=True, metavar=metavar, help=text
    )


def limit_options(command: F) -> F:
    """``--max-file-size``, ``--max-archive-size``, ``--max-archive-members``: see :func:`limits`."""
    command = _limit("--max-archive-members", MAX_MEMBERS, "Most members looked at in one archive.", "N")(
        command
    )
    command = _limit(
        "--max-archive-size", MAX_ARCHIVE_BYTES >> 20, "Most uncompressed MiB read from one archive."
    )(command)
    return _limit(
        "--max-file-size", MAX_FILE_BYTES >> 20, "Largest file read whole, in MiB (JSON is streamed)."
    )(command)


def limits(max_file_size: int, max_archive_size: int, max_archive_members: int) -> Limits:
    """The limits the three options of :func:`limit_options` set (sizes in MiB)."""
    return Limits(max_file_size << 20, max_archive_size << 20, max_archive_members)
