"""Every JSON report validates against the kubesnap/report/v1 schema, which docs/report-schema.json
publishes; a report that breaks the contract does not validate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO
from pydantic import ValidationError

from analyzer import pipeline
from analyzer.report.json_report import render
from analyzer.report.schema import json_schema, validate

FIXTURE = REPO / "fixtures" / "blueocean"


def test_the_published_schema_is_the_one_in_the_code() -> None:
    assert (REPO / "docs" / "report-schema.json").read_text(encoding="utf-8") == json_schema(), (
        "regenerate: python -c 'from analyzer.report.schema import json_schema; "
        'open("docs/report-schema.json", "w").write(json_schema())\''
    )


@pytest.mark.parametrize(
    ("inputs", "errors"), [(["before"], 26), (["after"], 1), (["cluster-info-dump"], 19)]
)
def test_blueocean_reports_validate(inputs: list[str], errors: int) -> None:
    report = validate(render(pipeline.analyse([str(FIXTURE / name) for name in inputs]).report))
    assert (
        report["summary"]["error"]
        == errors
        == len([f for f in report["findings"] if f["severity"] == "error"])
    )
    assert report["health"] is not None and report["root_causes"]


def test_a_report_of_nothing_but_skipped_files_validates(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("a: [\n")
    report = validate(render(pipeline.analyse([str(tmp_path), str(tmp_path / "missing.yaml")]).report))
    assert [(s["file"].rsplit("/", 1)[-1], s["line"]) for s in report["inputs"]["skipped"]] == [
        ("x.yaml", 1),
        ("missing.yaml", None),
    ]


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(extra=1),
        lambda d: d["inputs"].pop("skipped"),
        lambda d: d["summary"].update(error="7"),
        lambda d: d.update(schema="kubesnap/report/v2"),
        lambda d: d["findings"][0].update(severity="fatal"),
        lambda d: d["findings"][0]["object"].update(name=None),
        lambda d: d["findings"][0]["location"].update(extra=1),
        lambda d: d["findings"][0].update(template="chart/templates/x.yaml"),
    ],
    ids=[
        "extra field",
        "missing field",
        "string count",
        "other schema",
        "unknown severity",
        "null name",
        "extra nested field",
        "template not a location",
    ],
)
def test_a_report_that_breaks_the_contract_does_not_validate(change: object) -> None:
    data = json.loads(render(pipeline.analyse([str(FIXTURE / "before")]).report))
    change(data)  # type: ignore[operator]
    with pytest.raises(ValidationError):
        validate(json.dumps(data))
