"""The one error / exit-code handler: what the user sees when a command fails, and its code.

Every command runs through :func:`exit_code_of_run`, called by the ``kubesnap`` group itself
(:class:`analyzer.commands.main.Kubesnap`), so the console script and in-process callers
(``CliRunner``) get the same messages and codes. No traceback ever reaches the user, unless
``KUBESNAP_DEBUG`` is set.

    0   nothing at or above --fail-on (or --help, --version)
    1   findings at or above --fail-on (a command returns it)
    2   usage error, a problem the user must fix (KubesnapError: bad rule file, bad
        configuration), no readable input, or an internal error
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable

import click

from analyzer.errors import KubesnapError

USAGE = 2
"""Exit code of every failure that is not a finding."""


def debugging() -> bool:
    """``KUBESNAP_DEBUG`` is set (and not to 0): internal errors show their traceback."""
    return os.environ.get("KUBESNAP_DEBUG", "") not in ("", "0")


def exit_code_of_run(call: Callable[[], object]) -> int:
    """Run ``call`` (click's non-standalone ``main``, which returns the command's return value
    or the code of a ``ctx.exit``); its exit code, its error message written to stderr."""
    try:
        result = call()
    except SystemExit as exc:
        if isinstance(exc.code, str):
            click.echo(exc.code, err=True)
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else USAGE)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:  # a usage error: click's own message
        exc.show()
        return USAGE
    except click.exceptions.Abort:  # Ctrl-C
        click.echo("aborted", err=True)
        return USAGE
    except KubesnapError as exc:
        click.echo(f"kubesnap: {exc}", err=True)
        return USAGE
    except BrokenPipeError:  # the reader has gone: nothing to say, to no one
        return 0
    except Exception as exc:
        if debugging():
            traceback.print_exc(file=sys.stderr)
        click.echo(f"kubesnap: internal error: {type(exc).__name__}: {exc} (please report it)", err=True)
        return USAGE
    return result if isinstance(result, int) and not isinstance(result, bool) else 0
