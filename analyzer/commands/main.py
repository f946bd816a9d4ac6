"""The ``kubesnap`` group: every command registered, every command run through the one error
handler (:mod:`analyzer.commands.errors`)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from analyzer import __version__
from analyzer.commands import errors
from analyzer.commands.baseline import baseline
from analyzer.commands.check import check
from analyzer.commands.diff import diff
from analyzer.commands.explain import explain
from analyzer.commands.graph import graph
from analyzer.commands.precommit import pre_commit
from analyzer.commands.rules import rules


class Kubesnap(click.Group):
    """A click group whose ``main`` (what the console script and ``CliRunner`` call) runs the
    command through :func:`errors.exit_code_of_run`: a command returns its exit code, raises
    :class:`~analyzer.errors.KubesnapError` for the user to fix, and never shows a traceback.
    In standalone mode (the default) it ends with ``sys.exit(code)``; otherwise it returns it."""

    def main(  # type: ignore[override]  # click's overloads only say what standalone mode returns
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> int:
        code = errors.exit_code_of_run(
            lambda: super(Kubesnap, self).main(args, prog_name, complete_var, standalone_mode=False, **extra)
        )
        if standalone_mode:
            sys.exit(code)
        return code


@click.group(cls=Kubesnap, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kubesnap")
def cli() -> None:
    """Offline analyzer of Kubernetes snapshots: dumps, manifests, helm renders."""


cli.add_command(check)
cli.add_command(baseline)
cli.add_command(pre_commit)
cli.add_command(rules)
cli.add_command(graph)
cli.add_command(diff)
cli.add_command(explain)
