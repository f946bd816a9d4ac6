"""What a renderer receives: the Report the pipeline gathered (findings, inputs, coverage, the
rules that ran) and the RenderOptions the command chose."""

from __future__ import annotations

from dataclasses import dataclass, field

from analyzer.findings import CoverageNote, Finding, RootCause, Severity, Suppression
from analyzer.findings.health import Health
from analyzer.findings.summary import count
from analyzer.load.types import Skipped
from analyzer.model.helm_releases import HelmRelease
from analyzer.rules.catalog import Rule, builtin_rules_dir

DOCS_PAGE = "docs/rules/{id}.md"
"""Where the page of a built-in rule lives in the kubesnap repository (``kubesnap rules docs``)."""


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """A rule that ran, as a report describes it (SARIF's ``rules``, a JUnit test case, an HTML
    legend): the rule file's own words, never the example manifests."""

    id: str
    title: str
    category: str
    severity: Severity
    """As configured (``.kubesnap.yaml`` may change it); a predicate may still lower one finding."""
    what: str
    """One sentence: what the rule checks (``docs.what``)."""
    why: str
    """What breaks in a cluster when this is wrong (``docs.why``)."""
    docs: str | None = None
    """The rule's page, ``docs/rules/<id>.md``, relative to the kubesnap repository; None for a
    rule of your own (``--rules``), which has no page."""

    @classmethod
    def of(cls, rule: Rule) -> RuleInfo:
        spec = rule.spec
        builtin = rule.path.resolve().is_relative_to(builtin_rules_dir())
        return cls(
            id=spec.id,
            title=spec.title,
            category=spec.category,
            severity=spec.severity,
            what=spec.docs.what,
            why=spec.docs.why,
            docs=DOCS_PAGE.format(id=spec.id) if builtin else None,
        )

    @property
    def help(self) -> str:
        """What the rule checks and why it matters, in one paragraph."""
        return f"{self.what} {self.why}"

    def docs_uri(self, base: str | None = None) -> str | None:
        """The page's address: ``base`` (see :attr:`RenderOptions.docs_base`) joined with
        :attr:`docs`, or :attr:`docs` itself; None when the rule has no page."""
        if self.docs is None or base is None:
            return self.docs
        return f"{base.rstrip('/')}/{self.docs}"


@dataclass(frozen=True, slots=True)
class Against:
    """A change checked against a live dump: the report's findings are those the change
    introduces or touches; the dump's own are only counted."""

    dump: list[str]
    """The files of the dump (as :attr:`Report.files` counts them, by display path)."""
    pre_existing: int
    """Findings of the merged snapshot that the dump alone already gave and the change does not
    touch (suppressed ones not counted)."""
    changed: int
    """Objects in the change."""
    replaced: int
    """Of them, those that replaced a live object."""
    superseded: int = 0
    """Live pods and ReplicaSets left out: a replaced workload's rollout replaces them."""


@dataclass(frozen=True, slots=True)
class ReleaseInfo:
    """A Helm release the dump's records hold, as the report lists it: its counted revision
    (the latest deployed, else the latest) and every revision seen, oldest first."""

    name: str
    namespace: str
    chart: str
    chart_version: str
    app_version: str
    revision: int
    status: str
    objects: int
    """Objects in the counted revision's manifest."""
    revisions: tuple[tuple[int, str], ...]
    """(revision, status) of every revision the dump holds, oldest first."""

    @classmethod
    def of(cls, release: HelmRelease, history: list[HelmRelease]) -> ReleaseInfo:
        return cls(
            name=release.name,
            namespace=release.namespace,
            chart=release.chart,
            chart_version=release.chart_version,
            app_version=release.app_version,
            revision=release.revision,
            status=release.status,
            objects=len(release.objects),
            revisions=tuple((r.revision, r.status) for r in history),
        )


@dataclass(slots=True)
class Report:
    """Everything a renderer needs. Fields added later have a default, so that a renderer
    ignores what it does not show."""

    files: int
    documents: int
    objects: int
    skipped: list[Skipped]
    findings: list[Finding]
    """Ordered (:func:`analyzer.findings.order.order_key`); each carries its location and Helm template."""
    suppressed: int = 0
    """Findings dropped by the ``kubesnap.io/ignore`` annotation or a configuration ``ignore``."""
    coverage: list[CoverageNote] = field(default_factory=list)
    rules: list[RuleInfo] = field(default_factory=list)
    """The rules that ran, sorted by id (disabled and deprecated rules are not among them)."""
    root_causes: list[RootCause] = field(default_factory=list)
    """The findings that explain others (:mod:`analyzer.findings.causes`), most explaining first."""
    health: Health | None = None
    """The health and capacity summary of a live dump; None for an input without status."""
    releases: list[ReleaseInfo] = field(default_factory=list)
    """The Helm releases decoded from the dump's release records, by namespace and name."""
    against: Against | None = None
    """What ``check CHANGED --against DUMP`` laid over which dump (:mod:`analyzer.overlay`);
    None for a plain check."""
    suppressions: list[Suppression] = field(default_factory=list)
    """The suppressed findings (:attr:`suppressed` of them), with what dropped each and why."""
    baselined: int = 0
    """Findings hidden because the baseline file (``check --baseline``) lists them."""

    def counts(self) -> dict[str, int]:
        return count(self.findings)

    def rule(self, rule_id: str) -> RuleInfo | None:
        """What the report says about the rule of a finding (None for a report made by hand)."""
        return next((r for r in self.rules if r.id == rule_id), None)

    @property
    def nothing_readable(self) -> bool:
        """No object at all, and either no file or something that failed (exit code 2)."""
        return self.objects == 0 and (self.files == 0 or bool(self.skipped))


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """What a command tells a renderer beyond the report. A renderer ignores what it has no
    use for (JSON has no colour)."""

    color: bool = False
    """ANSI colours (the text report, on a terminal or when asked with ``--color``)."""
    docs_base: str | None = None
    """Prefix that turns a rule's page (``docs/rules/<id>.md``) into a link, e.g. the address
    of the kubesnap repository at the installed version; None keeps the relative path (no
    address is made up)."""


DEFAULT_OPTIONS = RenderOptions()
"""No colour, rule pages as relative paths."""
