"""`python -m analyzer` and the `kubesnap` command (pyproject: ``kubesnap = "analyzer.__main__:run"``)."""

from __future__ import annotations


def run() -> None:
    """The kubesnap command: :func:`analyzer.commands.process.run` (imported first, before the
    rest of the program, so that the collector is off while it is imported)."""
    from analyzer.commands.process import run as kubesnap

    kubesnap()


if __name__ == "__main__":
    run()
