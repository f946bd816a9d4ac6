"""kubesnap never opens a socket: a whole CLI run is watched at the socket constructor."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.cli import cli

REPO = Path(__file__).resolve().parents[1]


def test_a_full_run_creates_no_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    created: list[tuple[object, ...]] = []
    real = socket.socket

    class Watched(real):  # type: ignore[misc,valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            created.append(args)
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "socket", Watched)
    result = CliRunner().invoke(cli, ["check", str(REPO / "rules"), "--format", "json", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    assert '"schema": "kubesnap/report/v1"' in result.output
    assert created == []
