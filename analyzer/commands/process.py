"""Process-level speed measures of the ``kubesnap`` command, all here and nowhere else.

A dump is millions of containers that all live to the end of the run, so the command:

- turns the cyclic garbage collector off before anything else is imported, and never turns it
  back on. Start-up is mostly imports, which build many objects it would walk for nothing; each
  full collection during the analysis walks the whole dump again (``json.loads`` of a 300 MB
  dump: 5.2 s with it, 1.2 s without); and turning it back on after the analysis would start a
  full collection of the whole heap (20 s after 150,000 pods). Reference counting still frees
  what is dropped.
- keeps what the analysis built alive to the end (:func:`keep`), and
- ends with :func:`os._exit` once its output is flushed, without freeing the heap object by
  object: after a 150,000-pod dump that teardown alone takes longer than the analysis of a small
  one.

Only the ``kubesnap`` process (:func:`run`) does this. In-process callers (tests through
``CliRunner``, the library) keep a normal interpreter: :func:`keep` holds nothing for them, and
:func:`collector_paused` pauses the collector around a call of their own.

This module imports nothing but the standard library: it is imported before the rest.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Iterator
from typing import NoReturn

_kept: list[object] | None = None
"""What the command keeps alive; None outside the ``kubesnap`` process."""


def run() -> NoReturn:
    """The ``kubesnap`` process: collector off, the command line, an exit without teardown."""
    global _kept
    gc.disable()
    _kept = []
    from analyzer.commands.main import cli  # the whole program, imported with the collector off

    end(cli.main(standalone_mode=False))


def keep(*objects: object) -> None:
    """Keep ``objects`` alive to the end of the ``kubesnap`` process (nothing elsewhere)."""
    if _kept is not None:
        _kept.extend(objects)


def end(code: int) -> NoReturn:
    """Flush the output and end the process with ``code``, without freeing anything."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: the reader has gone
            stream.flush()
    os._exit(code)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector paused for the block, then as it was (for in-process callers that
    analyse a large dump: the benchmark, a test)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
