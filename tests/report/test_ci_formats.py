"""The CI formats from the command line: each is a --format choice, writes the same bytes
whatever the hash seed, keeps the exit code of --fail-on; and where a CI tool points: the file
and line of a finding, or none (standard input), the archive of a member, the template of a
chart folder rendered by kubesnap."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from ci_reports import BLUEOCEAN, REPO

from analyzer.findings import Finding, Severity
from analyzer.load.types import Location
from analyzer.model import ObjectRef
from analyzer.report.where import FileLine, file_of, template_of

CI_FORMATS = ["sarif", "junit", "codeclimate", "github"]


def run(fmt: str, seed: str, *extra: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    cmd = [sys.executable, "-m", "analyzer", "check", BLUEOCEAN, "--format", fmt, *extra]
    return subprocess.run(cmd, capture_output=True, env=env, cwd=REPO, timeout=120)


@pytest.mark.parametrize("fmt", CI_FORMATS)
def test_same_bytes_whatever_the_hash_seed_and_exit_code_one_on_errors(fmt: str) -> None:
    first, second = run(fmt, "1"), run(fmt, "4242")
    assert first.returncode == second.returncode == 1
    assert first.stdout == second.stdout and first.stdout
    assert first.stderr == b""


def test_fail_on_never_exits_zero_with_the_same_output() -> None:
    assert run("github", "0", "--fail-on", "never").returncode == 0


def finding_at(location: Location | None, template: Location | None = None) -> Finding:
    ref = ObjectRef("v1", "Service", "shop", "web")
    return Finding("r", Severity.ERROR, ref, "m", location, template=template)


@pytest.mark.parametrize(
    ("location", "template", "expected"),
    [
        (Location("k8s/app.yaml", 3), None, FileLine("k8s/app.yaml", 3)),
        (Location("<stdin>", 3), None, None),
        (None, None, None),
        (Location("dump.tgz:ns/pods.yaml", 7), None, FileLine("dump.tgz")),
        (
            Location("charts/shop (helm template)", 4),
            Location("shop/templates/svc.yaml"),
            FileLine("charts/shop/templates/svc.yaml"),
        ),
        # A near miss: a template that is not of that chart folder is not guessed at.
        (Location("charts/shop (helm template)", 4), Location("other/templates/svc.yaml"), None),
        # helm template output read from standard input: the template's folder is unknown.
        (Location("<stdin>", 4), Location("shop/templates/svc.yaml"), None),
    ],
)
def test_where_a_ci_tool_points(
    location: Location | None, template: Location | None, expected: FileLine | None
) -> None:
    assert file_of(finding_at(location, template)) == expected


def test_the_template_is_beside_the_chart_folder_or_as_its_source_comment_names_it() -> None:
    template = Location("shop/templates/svc.yaml")
    folder = finding_at(Location("charts/shop (helm template)", 4), template)
    piped = finding_at(Location("<stdin>", 4), template)
    assert template_of(folder) == FileLine("charts/shop/templates/svc.yaml")
    assert template_of(piped) == FileLine("shop/templates/svc.yaml")
    assert template_of(finding_at(Location("k8s/app.yaml", 3))) is None
