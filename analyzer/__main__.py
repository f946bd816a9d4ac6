"""`python -m analyzer` runs the kubesnap command line."""

from __future__ import annotations

from analyzer.cli import main

if __name__ == "__main__":
    main()
