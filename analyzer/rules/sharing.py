"""The rules of a large snapshot over two cores: this process and a forked copy of it take units
of work (groups of rules) one at a time, each as it becomes free, and the copy sends back what
its units found.

A forked copy shares the snapshot and its graph with this process, page by page, until either
writes to a page: nothing is sent to it, and only what its rules find comes back (pickled
findings, a few megabytes at 150,000 pods). Each unit is run whole by one process, so the rules
of one predicate share its caches as they do in one process; the caches the copy builds are
lost with it (this process builds them again if a later stage needs them).

The units are handed out through a pipe holding their numbers: the kernel gives each read of
two bytes to one reader, so neither process takes a unit twice and neither waits on the other
while units are left. When the copy fails (a bug in a rule, killed, out of memory), this
process runs again every unit it did not run itself, so a failure is raised here as it would be
in one process.

Used only where it pays and is safe: :data:`SHARED_FROM` objects or more (forking a process of
several GB costs tens of milliseconds; the rules of 20,000 objects take seconds), with ``jobs``
above one, on Linux, and when the machine has as much memory available as this process holds:
each page the copy writes to (a reference count is a write) becomes its own. Measured at 15,000
pods: the copy made about 350 MB of the 550 MB its own, for rules 1.6 to 2 times faster.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
from collections.abc import Callable, Iterator
from typing import TypeVar

R = TypeVar("R")

SHARED_FROM = 20_000
"""Objects in the snapshot from which the rules are shared between two processes."""
_UNIT = 2
"""Bytes of a unit's number in the pipe."""
_MAX_UNITS = 2048
"""More units than this would not be written to the pipe in one atomic write: one process."""


def share(count: int, work: Callable[[Iterator[int]], R], objects: int, jobs: int | None = None) -> list[R]:
    """``work`` over the units ``0 .. count - 1``: called with an iterator of the units it is to
    run (each unit once, over all calls), it gives what they found. One call here, or two (here
    and in a forked copy) on a large snapshot; their results, in no particular order."""
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    if jobs < 2 or count < 2 or count > _MAX_UNITS or objects < SHARED_FROM or not _room_for_a_copy():
        return [work(iter(range(count)))]
    units_in, units_out = os.pipe()
    os.write(units_out, b"".join(unit.to_bytes(_UNIT, "little") for unit in range(count)))
    os.close(units_out)  # once the units are taken, each reader gets the end of the pipe
    found_in, found_out = os.pipe()
    child = os.fork()
    if child == 0:  # the copy: run units, send what they found, end without teardown
        os.close(found_in)
        _copy(work, units_in, found_out)
    os.close(found_out)
    mine: list[int] = []
    try:
        results = [work(_taken(units_in, mine))]
        with os.fdopen(found_in, "rb") as stream:
            sent = stream.read()
        found_in = -1
        _, status = os.waitpid(child, 0)
        child = 0
    finally:
        os.close(units_in)
        if found_in >= 0:
            os.close(found_in)
        if child:  # this process failed first: the copy's work is no longer wanted
            with contextlib.suppress(OSError):
                os.kill(child, signal.SIGKILL)
                os.waitpid(child, 0)
    if status == 0 and sent:
        results.append(pickle.loads(sent))
    else:  # the copy failed: what it took is run again here
        ran = set(mine)
        results.append(work(unit for unit in range(count) if unit not in ran))
    return results


def _room_for_a_copy() -> bool:
    """Linux (fork, ``/proc``), with as much memory available as this process's resident pages."""
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            available = next(int(line.split()[1]) * 1024 for line in info if line.startswith("MemAvailable:"))
        with open("/proc/self/statm", encoding="ascii") as statm:
            resident = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, StopIteration, ValueError, IndexError):
        return False
    return hasattr(os, "fork") and available >= resident


def _taken(units: int, into: list[int] | None = None) -> Iterator[int]:
    """The units this process takes from the pipe, one at a time, until none is left."""
    while data := os.read(units, _UNIT):
        unit = int.from_bytes(data, "little")
        if into is not None:
            into.append(unit)
        yield unit


def _copy(work: Callable[[Iterator[int]], object], units: int, out: int) -> None:
    """The forked copy's whole life: it never returns."""
    code = 1
    try:
        gc.disable()  # a collection would write to every page of the shared heap
        sent = pickle.dumps(work(_taken(units)), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(out, "wb") as stream:
            stream.write(sent)
        code = 0
    except BaseException:  # the parent runs the units again and reports what goes wrong
        pass
    finally:
        os._exit(code)
