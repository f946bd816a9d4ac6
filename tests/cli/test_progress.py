"""Reading progress: drawn on standard error only, only on a terminal, only after a second of
reading, erased when reading ends; the loader tells a callback of each file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.cli import cli
from analyzer.commands import progress
from analyzer.commands.progress import Counter, due, reading_progress, wanted
from analyzer.load import load_inputs


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_only_on_a_terminal() -> None:
    assert wanted(FakeTerminal())
    assert not wanted(io.StringIO())


def test_only_after_a_second_then_every_tenth() -> None:
    assert not due(0.99, None)
    assert due(1.0, None)
    assert not due(5.0, 0.05)
    assert due(5.0, 0.1)


def test_counter_draws_late_over_itself_and_erases() -> None:
    stream, clock = FakeTerminal(), Clock()
    counter = Counter(stream, clock)
    counter(1, 4, 10)
    clock.now += 0.5
    counter(2, 4, 20)
    assert stream.getvalue() == ""  # a quick read shows nothing
    clock.now += 0.6
    counter(3, 4, 30)
    assert stream.getvalue() == "\rkubesnap: reading 3/4 files, 30 objects"
    counter(4, 4, 40)
    assert stream.getvalue().endswith("\r" + " " * len("kubesnap: reading 3/4 files, 30 objects") + "\r")


def test_nothing_when_not_a_terminal() -> None:
    with reading_progress(io.StringIO()) as callback:
        assert callback is None
    with reading_progress(FakeTerminal()) as callback:
        assert isinstance(callback, Counter)


def test_the_loader_tells_each_file(tmp_path: Path) -> None:
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.yaml").write_text(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}}}\n---\n"
            f"apiVersion: v1\nkind: Secret\nmetadata: {{name: {name}}}\n",
            encoding="utf-8",
        )
    (tmp_path / "broken.yaml").write_text("a: [\n", encoding="utf-8")
    calls: list[tuple[int, int, int]] = []
    result = load_inputs([str(tmp_path)], progress=lambda *args: calls.append(args))
    assert calls == [(1, 4, 2), (2, 4, 4), (3, 4, 4), (4, 4, 6)]
    assert len(result.objects) == 6


def test_progress_goes_to_stderr_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.yaml").write_text(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}, namespace: shop}}\n",
            encoding="utf-8",
        )
    args = ["check", str(tmp_path), "--format", "json"]
    quiet = CliRunner().invoke(cli, args)
    monkeypatch.setattr(progress, "wanted", lambda stream: True)  # standard error is a terminal
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "INTERVAL", 0.0)
    shown = CliRunner().invoke(cli, args)
    assert shown.exit_code == quiet.exit_code == 0
    assert shown.stdout == quiet.stdout
    assert "kubesnap: reading" not in shown.stdout
    assert quiet.stderr == ""
    assert shown.stderr.startswith("\rkubesnap: reading 1/3 files, 1 objects\rkubesnap: reading 2/3 files")
    assert shown.stderr.endswith(" \r")  # erased before the report is written
