"""The command layer: parse flags, call the pipeline, write the output, choose the exit code.

    main.py      the ``kubesnap`` group: every command is registered there, and every command
                 runs through errors.py
    errors.py    the one error / exit-code handler (what a user sees when something fails)
    process.py   process-level speed measures: the collector off from the first import, the
                 analysis kept alive to the end, an exit without teardown
    options.py   options shared by commands (--format, --rules, --namespace, limits, ...)
    output.py    render a report and write it (standard output or --output)
    check.py     ``kubesnap check``
    rules.py     ``kubesnap rules list|docs``
    precommit.py ``kubesnap pre-commit``: the git pre-commit hook
    git.py       what the hook asks git (tracked files, staged files at HEAD)

A command is a click command in its own module that returns its exit code (0, 1 or 2) and
raises :class:`analyzer.errors.KubesnapError` for a problem the user must fix. This file
imports nothing: the ``kubesnap`` entry point imports process.py before anything else.
"""
