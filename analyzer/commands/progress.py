"""Progress while the inputs are read: a counter of files and objects on standard error, drawn
only when standard error is a terminal and reading has taken more than a second (a quick run
shows nothing), and erased once every file is read. Never on standard output, never in a
report: machine formats and pipes see none of it."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from analyzer.load import Progress

DELAY = 1.0
"""Seconds of reading before the counter appears."""
INTERVAL = 0.1
"""Seconds between two drawings."""


def wanted(stream: TextIO) -> bool:
    """Whether progress may be drawn on ``stream``: only on a terminal."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty is not None and isatty())


def due(elapsed: float, since_drawn: float | None) -> bool:
    """Whether to draw now: after :data:`DELAY` seconds, then every :data:`INTERVAL`."""
    return elapsed >= DELAY and (since_drawn is None or since_drawn >= INTERVAL)


class Counter:
    """The :data:`analyzer.load.Progress` callback that draws ``reading N/M files, K objects``
    over itself on ``stream``, and erases it when the last file is read."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.start = clock()
        self.drawn_at: float | None = None
        self.width = 0

    def __call__(self, done: int, total: int, objects: int) -> None:
        now = self.clock()
        if done >= total:
            self.erase()
        elif due(now - self.start, None if self.drawn_at is None else now - self.drawn_at):
            self.draw(f"kubesnap: reading {done}/{total} files, {objects} objects")
            self.drawn_at = now

    def draw(self, text: str) -> None:
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def erase(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


@contextmanager
def reading_progress(stream: TextIO | None = None) -> Iterator[Progress | None]:
    """The callback to give the loader: a :class:`Counter` on standard error when it is a
    terminal, else None; the line is erased on the way out, whatever happened."""
    stream = stream if stream is not None else sys.stderr
    if not wanted(stream):
        yield None
        return
    counter = Counter(stream)
    try:
        yield counter
    finally:
        counter.erase()
