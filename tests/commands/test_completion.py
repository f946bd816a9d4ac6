"""Shell completion through click (bash, zsh, fish): rule ids after ``rules show``, the formats of
each command; and the script ``_KUBESNAP_COMPLETE=bash_source kubesnap`` prints."""

from __future__ import annotations

import pytest
from click.shell_completion import ShellComplete
from click.testing import CliRunner

from analyzer.cli import cli
from analyzer.rules.catalog import load_catalog


def complete(args: list[str], incomplete: str) -> list[str]:
    completer = ShellComplete(cli, {}, "kubesnap", "_KUBESNAP_COMPLETE")
    return [item.value for item in completer.get_completions(args, incomplete)]


def test_rules_show_completes_rule_ids() -> None:
    ids = sorted(r.id for r in load_catalog())
    assert complete(["rules", "show"], "") == ids
    assert complete(["rules", "show"], "service-s") == ["service-selector-matches-nothing"]
    assert complete(["rules", "show"], "no-such-") == []


@pytest.mark.parametrize(
    ("command", "formats"),
    [
        (["check"], ["json", "text"]),
        (["diff"], ["json", "markdown", "text"]),
        (["explain"], ["json", "text"]),
        (["graph"], ["dot", "graphml", "json"]),
    ],
)
def test_formats_complete(command: list[str], formats: list[str]) -> None:
    found = complete([*command, "--format"], "")
    assert set(formats) <= set(found)  # check may gain formats (other parts of issue 13)
    assert complete([*command, "--format"], "zzz") == []


def test_commands_complete() -> None:
    assert {"check", "diff", "explain", "graph", "rules"} <= set(complete([], ""))
    assert complete(["rules"], "s") == ["show"]


@pytest.mark.parametrize(
    ("shell", "marker"), [("bash", "complete -o"), ("zsh", "compdef"), ("fish", "complete")]
)
def test_the_completion_scripts(shell: str, marker: str) -> None:
    result = CliRunner().invoke(cli, [], prog_name="kubesnap", env={"_KUBESNAP_COMPLETE": f"{shell}_source"})
    assert result.exit_code == 0
    assert "_KUBESNAP_COMPLETE" in result.output and marker in result.output


def test_the_completion_protocol_end_to_end() -> None:
    env = {
        "_KUBESNAP_COMPLETE": "bash_complete",
        "COMP_WORDS": "kubesnap rules show pod-cr",
        "COMP_CWORD": "3",
    }
    result = CliRunner().invoke(cli, [], prog_name="kubesnap", env=env)
    assert result.exit_code == 0
    assert result.output.splitlines() == ["plain,pod-crashloop"]


def test_the_format_choices_are_the_renderers() -> None:
    """The commands spell their formats out (their stages load only when they run): the same
    names as the renderers they call."""
    from analyzer.commands import diff, explain, graph
    from analyzer.graph.export import RENDER
    from analyzer.report import diff_render, explain_render

    assert tuple(sorted(RENDER)) == graph.FORMATS
    assert tuple(sorted(diff_render.RENDERERS)) == diff.FORMATS
    assert tuple(sorted(explain_render.RENDERERS)) == explain.FORMATS
