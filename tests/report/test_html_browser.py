"""The HTML report in a real browser: Debian's chromium, driven by Playwright through its
``executable_path`` (no browser download). The blueocean report is written to a file and opened
from its file:// URL: no console or page error, no request but the file itself, one row per
finding, the filters and the sorting work, every root cause has its drawing, and with scripting
off every finding is still there. A screenshot is saved to build/test-artifacts/html-report.png.

Skipped, with the reason, only when no chromium binary exists or Playwright cannot start it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO

from analyzer import pipeline
from analyzer.report import RenderOptions, Report, html

BEFORE = REPO / "fixtures" / "blueocean" / "before"
ARTIFACTS = REPO / "build" / "test-artifacts"
CHROMIUM = os.environ.get("KUBESNAP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HANG_GUARD_MS = 60_000
"""Playwright's timeout for any one step (each takes well under a second)."""

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).is_file(), reason=f"no chromium binary at {CHROMIUM} (.ci/run installs Debian's)"
)


@pytest.fixture(scope="module")
def report() -> Report:
    return pipeline.analyse([str(BEFORE)]).report


@pytest.fixture(scope="module")
def page_url(report: Report, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(html.render(report, RenderOptions()), encoding="utf-8")
    return path.as_uri()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (in the test extras)")
    try:
        manager = sync_api.sync_playwright().start()
    except Exception as error:  # the driver itself did not start
        pytest.skip(f"playwright cannot start: {error}")
    try:
        launched = manager.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=HANG_GUARD_MS)
    except Exception as error:
        manager.stop()
        pytest.skip(f"playwright cannot start {CHROMIUM}: {str(error).splitlines()[0]}")
    yield launched
    launched.close()
    manager.stop()


class Visit:
    """A page opened on the report, with every console error, page error, request and dialog
    seen."""

    def __init__(self, browser: Any, url: str, javascript: bool = True) -> None:
        viewport = {"width": 1400, "height": 900}
        self.context = browser.new_context(java_script_enabled=javascript, viewport=viewport)
        self.context.set_default_timeout(HANG_GUARD_MS)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.dialogs: list[str] = []  # an alert() a hostile name would open
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(url)
        self.page.wait_for_load_state("load")

    def visible(self, attribute: str) -> list[str]:
        """``attribute`` of each findings row shown, top to bottom."""
        rows = self.page.locator("#findings-table tbody tr:visible")
        return [rows.nth(i).get_attribute(attribute) or "" for i in range(rows.count())]


@pytest.fixture
def visit(browser: Any, page_url: str) -> Iterator[Visit]:
    opened = Visit(browser, page_url)
    yield opened
    opened.context.close()


def test_the_report_renders_offline_without_errors(visit: Visit, report: Report, page_url: str) -> None:
    page = visit.page
    assert page.locator("#findings-table tbody tr").count() == len(report.findings)
    assert len(visit.visible("data-index")) == len(report.findings)
    assert page.locator("#shown").inner_text() == f"{len(report.findings)} of {len(report.findings)} shown"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "html-report.png"), full_page=True)
    assert visit.errors == []
    assert visit.requests == [page_url]


def test_choosing_a_severity_shows_exactly_its_rows(visit: Visit, report: Report) -> None:
    visit.page.select_option("select[name=severity]", "error")
    shown = visit.visible("data-severity")
    assert shown == ["error"] * report.counts()["error"]
    assert 0 < len(shown) < len(report.findings)
    visit.page.select_option("select[name=severity]", "")
    assert len(visit.visible("data-severity")) == len(report.findings)
    assert visit.errors == []


def test_choosing_a_namespace_and_a_rule_filters(visit: Visit, report: Report) -> None:
    visit.page.select_option("select[name=namespace]", "saas-dev")
    expected = [str(i) for i, f in enumerate(report.findings) if f.object.namespace == "saas-dev"]
    assert visit.visible("data-index") == expected and 0 < len(expected) < len(report.findings)
    visit.page.select_option("select[name=rule]", "service-no-ready-endpoints")
    assert set(visit.visible("data-rule")) == {"service-no-ready-endpoints"}
    assert set(visit.visible("data-namespace")) == {"saas-dev"}
    visit.page.select_option("select[name=namespace]", "")
    visit.page.select_option("select[name=rule]", "")
    visit.page.fill("input[name=text]", "prometheus-server")
    wanted = [
        str(i)
        for i, f in enumerate(report.findings)
        if "prometheus-server" in f"{f.object.display()} {f.rule} {f.message}".lower()
    ]
    assert visit.visible("data-index") == wanted and wanted
    assert visit.page.locator("#shown").inner_text() == f"{len(wanted)} of {len(report.findings)} shown"


def test_clicking_a_header_sorts(visit: Visit, report: Report) -> None:
    rules = [f.rule for f in report.findings]
    assert visit.visible("data-rule") == rules != sorted(rules)  # report order first
    header = visit.page.locator("th[data-key=rule] button")
    header.click()
    assert visit.visible("data-rule") == sorted(rules)
    assert visit.page.locator("th[data-key=rule]").get_attribute("aria-sort") == "ascending"
    header.click()
    assert visit.visible("data-rule") == sorted(rules, reverse=True)
    visit.page.locator("th[data-key=location] button").click()
    lines = [(f.location.file, f.location.line or 0) for f in report.findings if f.location]
    indexes = [int(i) for i in visit.visible("data-index")]
    located = [report.findings[i].location for i in indexes]
    assert [(loc.file, loc.line or 0) for loc in located if loc] == sorted(lines)
    assert visit.errors == []


def test_every_root_cause_has_its_drawing(visit: Visit, report: Report) -> None:
    drawings = visit.page.locator("#root-causes svg.drawing")
    assert drawings.count() == len(report.root_causes) == 11
    first = drawings.nth(0)
    assert first.is_visible()
    box = first.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 30
    names = first.locator("text").all_text_contents()
    assert "monitoring/prometheus-server" in names
    assert "service-selector-matches-nothing" in names


def test_without_javascript_every_finding_shows(browser: Any, page_url: str, report: Report) -> None:
    visit = Visit(browser, page_url, javascript=False)
    try:
        assert len(visit.visible("data-index")) == len(report.findings)
        assert not visit.page.locator("#filters").is_visible()
        assert visit.errors == [] and visit.requests == [page_url]
    finally:
        visit.context.close()


def test_a_hostile_name_runs_nothing(browser: Any, tmp_path: Path) -> None:
    from test_html import HOSTILE, hostile_report

    path = tmp_path / "hostile.html"
    path.write_text(html.render(hostile_report(), RenderOptions()), encoding="utf-8")
    visit = Visit(browser, path.as_uri())
    try:
        visit.page.fill("input[name=text]", "alert")
        assert visit.page.locator("img").count() == 0
        assert visit.dialogs == [] and visit.errors == [] and visit.requests == [path.as_uri()]
        assert f"ConfigMap/ns-{HOSTILE}/{HOSTILE}" in visit.page.locator("#findings-table").inner_text()
        assert len(visit.visible("data-index")) == 2  # the search matched the names as text
    finally:
        visit.context.close()


def test_a_report_without_findings_loads_cleanly(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    empty = Report(files=1, documents=1, objects=1, skipped=[], findings=[])
    path.write_text(html.render(empty, RenderOptions()), encoding="utf-8")
    visit = Visit(browser, path.as_uri())
    try:
        assert visit.page.locator("#findings").inner_text().endswith("No finding.")
        assert visit.errors == []
    finally:
        visit.context.close()
