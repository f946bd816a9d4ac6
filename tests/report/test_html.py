"""The HTML report without a browser: the page parses, asks for nothing outside itself, holds
every finding, the health and release tables and one drawing per root cause, and escapes
untrusted text everywhere (a hostile object name with <script> and quotes). The browser test is
test_html_browser.py."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO
from test_packaging import wheel  # noqa: F401  (the fixture: the wheel built once, offline)

from analyzer import pipeline
from analyzer.findings import Finding, RootCause, Severity, fingerprint
from analyzer.load.types import Location
from analyzer.model import ObjectRef
from analyzer.report import RENDERERS, RenderOptions, Report, html
from analyzer.report.cause_drawing import MAX_NODES, draw

BEFORE = REPO / "fixtures" / "blueocean" / "before"
HANG_GUARD = 120
"""Seconds after which the interpreter started by a test counts as hung (it takes well under 1)."""


@pytest.fixture(scope="module")
def blueocean() -> Report:
    return pipeline.analyse([str(BEFORE)]).report


class Page(HTMLParser):
    """What the tests look at: every start tag with its attributes, the text of each script,
    and the rows of the findings table."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.texts: list[str] = []
        self._script: dict[str, str | None] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)
            self.scripts.append((self._script, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        else:
            self.texts.append(data)

    def rows(self) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.tags if tag == "tr" and "data-index" in attrs]

    def data(self) -> dict[str, list[dict[str, object]]]:
        [text] = [t for attrs, t in self.scripts if attrs.get("type") == "application/json"]
        loaded: dict[str, list[dict[str, object]]] = json.loads(text)
        return loaded


def test_the_page_holds_every_finding_and_asks_for_nothing_outside(blueocean: Report) -> None:
    text = html.render(blueocean, RenderOptions())
    page = Page(text)
    rows = page.rows()
    # the README's 38 failures and 77 risks (28 + 28 workloads without a securityContext, 19
    # without a readiness probe, 2 on the host network: tests/test_blueocean.py)
    assert len(rows) == len(blueocean.findings) == 115
    assert [r["data-severity"] for r in rows] == [f.severity.value for f in blueocean.findings]
    assert [r["data-rule"] for r in rows] == [f.rule for f in blueocean.findings]
    for tag, attrs in page.tags:
        for name in ("src", "href", "action", "data", "xlink:href", "srcset", "poster"):
            value = attrs.get(name) or ""
            assert not re.match(r"\s*([a-z]+:)?//", value), (tag, name, value)
            assert not value.strip().lower().startswith(("http:", "https:", "javascript:")), (tag, value)
    assert "@import" not in text and "url(http" not in text and "fetch(" not in text
    assert "XMLHttpRequest" not in text


def test_the_page_shows_the_health_releases_and_a_drawing_per_root_cause(blueocean: Report) -> None:
    page = Page(html.render(blueocean, RenderOptions()))
    texts = [t.strip() for t in page.texts if t.strip()]
    assert "monitoring-pool" in texts and "2100m of 11700m (18%)" in texts  # the pools table
    assert "5/13" in texts  # services ready in monitoring
    assert "monitoring/prometheus" in texts and "2 superseded, 3 deployed" in texts  # releases
    svgs = [attrs for tag, attrs in page.tags if tag == "svg"]
    assert len(svgs) == len(blueocean.root_causes) == 11
    assert "Root causes: fix 11 thing(s) to clear 37 finding(s)" in texts


def test_the_drawing_joins_the_service_to_the_workload_its_selector_misses(blueocean: Report) -> None:
    [root] = [
        r
        for r in blueocean.root_causes
        if r.finding.rule == "helm-release-drift" and r.finding.object.name == "prometheus-server"
    ]
    drawing = draw(root)
    boxes = {(b.kind.split(" ")[0], b.name): b for b in drawing.boxes}
    service = boxes[("Service", "monitoring/prometheus-server")]
    target = boxes[("Deployment", "monitoring/prometheus-server")]
    opencost = boxes[("Deployment", "monitoring/opencost")]
    assert service.css == "root" and target.css == "related" and opencost.css == "error"
    assert service.x < target.x and service.x < opencost.x  # causes left of what they explain
    labels = {label.text for arrow in drawing.arrows for label in arrow.labels}
    assert {"service-selector-matches-nothing", "dependency-unavailable", "helm-release-drift"} <= labels
    assert drawing == draw(root)  # deterministic


def test_a_lone_finding_has_no_drawing_and_no_root_cause_section() -> None:
    report = Report(files=1, documents=1, objects=1, skipped=[], findings=[hostile_finding()])
    page = Page(html.render(report, RenderOptions()))
    assert not [t for t, _ in page.tags if t == "svg"]
    assert len(page.rows()) == 1


HOSTILE = "x\"'><script>alert(1)</script><img src=x onerror=alert(2)>&amp;"


def hostile_finding(name: str = HOSTILE, severity: Severity = Severity.ERROR) -> Finding:
    return Finding(
        "duplicate-object",
        severity,
        ObjectRef("v1", "ConfigMap", f"ns-{name}", name),
        f"message </script><script>alert(3)</script> {name}",
        Location(f"dir/{name}.yaml", 4),
        related=(ObjectRef("apps/v1", "Deployment", f"ns-{name}", f"dep-{name}"),),
        hint=f"hint <b>{name}</b>",
    )


def hostile_report() -> Report:
    cause = hostile_finding()
    effect = Finding(
        "workload-unavailable",
        Severity.WARNING,
        ObjectRef("apps/v1", "Deployment", f"ns-{HOSTILE}", f"dep-{HOSTILE}"),
        f"down because of {HOSTILE}",
        Location("b.yaml", 1),
        because_of=(cause.object,),
        causes=(fingerprint(cause),),
    )
    return Report(
        files=1,
        documents=2,
        objects=2,
        skipped=[],
        findings=[cause, effect],
        root_causes=[RootCause(cause, fingerprint(cause), (effect,))],
    )


def test_a_hostile_name_is_text_everywhere() -> None:
    text = RENDERERS["html"](hostile_report(), RenderOptions())
    page = Page(text)
    assert [tag for tag, _ in page.tags if tag == "img"] == []
    scripts = [attrs for attrs, _ in page.scripts]
    assert scripts == [{"type": "application/json", "id": "kubesnap-data"}, {}]  # only the page's own
    assert "<script>alert" not in text and "onerror=alert(2)>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    joined = "".join(page.texts)
    assert f"ConfigMap/ns-{HOSTILE}/{HOSTILE}" in joined  # shown as the text it is
    assert f"{HOSTILE[:10]}" in joined
    svg_text = text[text.index("<svg") : text.index("</svg>")]
    assert "<script" not in svg_text and "&lt;script&gt;" in svg_text
    data = page.data()
    assert data["findings"][0]["object"] == f"ConfigMap/ns-{HOSTILE}/{HOSTILE}"  # JSON round trip
    [embedded] = [t for attrs, t in page.scripts if attrs.get("type") == "application/json"]
    assert "</" not in embedded and "<" not in embedded


def test_the_content_security_policy_allows_exactly_the_inline_script_and_style(blueocean: Report) -> None:
    text = html.render(blueocean, RenderOptions())
    page = Page(text)
    [policy] = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv")]
    assert policy is not None and "default-src 'none'" in policy
    [code] = [t for attrs, t in page.scripts if not attrs]
    style = text[text.index("<style>") + len("<style>") : text.index("</style>")]
    for source in (code, style):
        digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert "unsafe-inline" not in policy


def test_rule_pages_are_links_only_with_a_docs_base(blueocean: Report) -> None:
    plain = Page(html.render(blueocean, RenderOptions()))
    assert not [a for t, a in plain.tags if t == "a" and not (a.get("href") or "").startswith("#")]
    linked = Page(html.render(blueocean, RenderOptions(docs_base="https://example.org/kubesnap")))
    hrefs = [a["href"] for t, a in linked.tags if t == "a" and not (a.get("href") or "").startswith("#")]
    assert "https://example.org/kubesnap/docs/rules/helm-release-drift.md" in hrefs


def test_the_page_is_deterministic(blueocean: Report) -> None:
    assert html.render(blueocean, RenderOptions()) == html.render(blueocean, RenderOptions())


def test_jinja2_is_imported_only_when_a_page_is_rendered() -> None:
    """The command line's start-up does not pay for jinja2 (a fresh interpreter)."""
    import subprocess
    import sys

    code = "import sys, analyzer.report, analyzer.commands.main; print('jinja2' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=HANG_GUARD
    )
    assert out.stdout.strip() == "False"


def test_the_wheel_carries_the_templates(wheel: Path) -> None:  # noqa: F811  (the fixture)
    """hatchling packs every file under analyzer/: the page's templates are there, beside the
    module that loads them (tests/test_packaging.py builds the wheel offline)."""
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"analyzer/report/templates/{p.name}" for p in (REPO / "analyzer/report/templates").iterdir()}
    assert shipped and shipped <= names
    assert {"report.html.j2", "report.css", "report.js"} <= {p.rsplit("/", 1)[1] for p in shipped}


def test_a_big_root_cause_draws_the_first_objects_and_counts_the_rest() -> None:
    node = ObjectRef("v1", "Node", None, "node-1")
    cause = Finding("node-not-ready", Severity.ERROR, node, "Node node-1 is NotReady.", Location("n.yaml", 1))
    pods = [
        Finding(
            "pod-crashloop",
            Severity.ERROR,
            ObjectRef("v1", "Pod", "shop", f"pod-{i:02d}"),
            f"pod-{i:02d} crash-loops.",
            Location("p.yaml", i + 2),
            because_of=(node,),
            causes=(fingerprint(cause),),
        )
        for i in range(30)
    ]
    drawing = draw(RootCause(cause, fingerprint(cause), tuple(pods)))
    assert len(drawing.boxes) == MAX_NODES
    assert drawing.hidden == 31 - MAX_NODES
    assert [b.name for b in drawing.boxes[1:3]] == ["shop/pod-00", "shop/pod-01"]
    page = html.render(
        Report(
            files=2,
            documents=31,
            objects=31,
            skipped=[],
            findings=[cause, *pods],
            root_causes=[RootCause(cause, fingerprint(cause), tuple(pods))],
        ),
        RenderOptions(),
    )
    assert f"and {31 - MAX_NODES} more object(s) not drawn" in page


def test_a_finding_explained_on_its_own_object_stays_in_its_column() -> None:
    svc = ObjectRef("v1", "Service", "shop", "web")
    drift = Finding("helm-release-drift", Severity.WARNING, svc, "drifted", Location("s.yaml", 1))
    selector = Finding(
        "service-selector-matches-nothing",
        Severity.ERROR,
        svc,
        "selects nothing",
        Location("s.yaml", 1),
        related=(ObjectRef("apps/v1", "Deployment", "shop", "web"),),
        causes=(fingerprint(drift),),
    )
    drawing = draw(RootCause(drift, fingerprint(drift), (selector,)))
    [service, deployment] = drawing.boxes
    assert service.kind == "Service · 2 finding(s)" and service.css == "root"
    assert deployment.css == "related" and deployment.x > service.x and deployment.y == service.y
    [arrow] = drawing.arrows  # no arrow from the Service to itself
    assert arrow.dashed and [label.text for label in arrow.labels] == ["service-selector-matches-nothing"]
