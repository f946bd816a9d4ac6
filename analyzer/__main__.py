"""`python -m analyzer` and the `kubesnap` command."""

from __future__ import annotations

import gc


def run() -> None:
    """The kubesnap command. The cyclic collector is off from the first import: start-up is
    mostly imports, which build many objects it would walk for nothing, and the analysis keeps
    it off anyway (the process ends without a collection, see :func:`analyzer.cli.main`)."""
    gc.disable()
    from analyzer.cli import main

    main()


if __name__ == "__main__":
    run()
