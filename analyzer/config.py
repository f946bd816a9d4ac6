"""User configuration (``.kubesnap.yaml``): turn rules off, change their severity or params, and
ignore findings by object pattern. Strict: an unknown key, rule id or param is an error.

.. code-block:: yaml

    profile: strict             # default | strict | all: which rules are on
    kube_version: "1.30"        # what deprecations and schemas are judged against
    rules:
      duplicate-object: {enabled: false}
      missing-reference:
        severity: warning
        params: {implicit: {Secret: [argocd-redis]}}
    ignore:
      - {rule: service-selector-matches-nothing, namespace: kube-system}
      - {rule: "*", kind: Deployment, name: "legacy-*"}
      - {rule: missing-reference, name: vault-*, reason: "injected by the Vault agent"}
    helm:                       # how chart folders are rendered (when helm is on PATH)
      release: web
      values: [deploy/values-prod.yaml]
    precommit:                  # what kubesnap pre-commit reads besides the staged files
      context: [k8s/]
"""

from __future__ import annotations

import dataclasses
import os
from fnmatch import fnmatchcase
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from analyzer.errors import KubesnapError
from analyzer.model.versions import KubeVersion, parse_version
from analyzer.rules.catalog import Rule, check_instance
from analyzer.rules.finding import Finding, Severity
from analyzer.rules.schema import PROFILES, Profile

DEFAULT_FILE = ".kubesnap.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleConfig(_Strict):
    enabled: bool = True
    severity: Severity | None = None
    params: dict[str, object] = {}


class Ignore(_Strict):
    """Findings to drop (counted as suppressed, by :mod:`analyzer.findings.suppress`). Each
    field is a glob; absent fields match all."""

    rule: str = "*"
    kind: str = "*"
    namespace: str = "*"
    name: str = "*"
    file: str = "*"
    reason: str | None = None
    """Why (shown where suppressed findings are listed, e.g. the JSON report); optional."""

    def matches(self, finding: Finding) -> bool:
        obj = finding.object
        file = finding.location.file if finding.location else ""
        return all(
            fnmatchcase(value, pattern)
            for value, pattern in (
                (finding.rule, self.rule),
                (obj.kind, self.kind),
                (obj.namespace or "", self.namespace),
                (obj.name, self.name),
                (file, self.file),
            )
        )


class HelmConfig(_Strict):
    release: str | None = None
    """The release name ``helm template`` gets; by default the chart folder's name."""
    values: list[str] = []
    """Values files given after the chart's defaults, in order, relative to the configuration
    file's folder."""


class PrecommitConfig(_Strict):
    context: list[str] = []
    """What ``kubesnap pre-commit`` reads whole besides the staged files (files and folders,
    relative to the configuration file's folder); by default the tracked YAML and JSON files."""


class Config(_Strict):
    profile: Profile = "default"
    """Which rules are on: ``default``, ``strict`` (adds the opt-in checks most teams want) or
    ``all``; a rule of a wider profile is also on when ``rules.<id>.enabled`` is true."""
    kube_version: str | None = Field(default=None, pattern=r"^v?\d+\.\d+$")
    """The Kubernetes version (``X.Y``) deprecations and schemas are judged against; by default
    the newest kubelet of a live dump's Nodes, else the newest version kubesnap knows."""
    rules: dict[str, RuleConfig] = {}
    ignore: list[Ignore] = []
    helm: HelmConfig = HelmConfig()
    precommit: PrecommitConfig = PrecommitConfig()
    _source: str = PrivateAttr(default=DEFAULT_FILE)

    @property
    def source(self) -> str:
        """The file the configuration was read from (named in its errors)."""
        return self._source

    @field_validator("kube_version", mode="before")
    @classmethod
    def _quoted(cls, value: object) -> object:
        if isinstance(value, float | int) and not isinstance(value, bool):
            raise ValueError(
                f'write the version in quotes, kube_version: "{value}": YAML reads it as a number '
                "(1.30 is 1.3)"
            )
        return value

    def target_version(self) -> KubeVersion | None:
        """``kube_version`` parsed; None when not given."""
        return parse_version(self.kube_version) if self.kube_version else None

    def values_files(self) -> tuple[str, ...]:
        """``helm.values``, each relative to the configuration file's folder."""
        base = Path(self._source).parent
        return tuple(str(base / v) for v in self.helm.values)

    def precommit_context(self) -> tuple[str, ...]:
        """``precommit.context``, each relative to the configuration file's folder."""
        base = Path(self._source).parent
        return tuple(str(base / c) for c in self.precommit.context)


def find_config(start: Path | None = None) -> Path | None:
    """The ``.kubesnap.yaml`` nearest to ``start`` (default: the current folder), looked for in
    it and its parents up to the repository root (the first folder holding ``.git``), as ruff and
    yamllint do; outside a repository, up to the home folder or the filesystem root. Relative to
    the current folder (``../.kubesnap.yaml``) when ``start`` is not given; None when there is none."""
    folder = (start or Path.cwd()).resolve()
    try:
        home: Path | None = Path.home().resolve()
    except RuntimeError:  # no HOME and no password entry: stop at the filesystem root
        home = None
    while True:
        candidate = folder / DEFAULT_FILE
        if candidate.is_file():
            return Path(os.path.relpath(candidate)) if start is None else candidate
        if (folder / ".git").exists() or folder == home or folder.parent == folder:
            return None
        folder = folder.parent


def load_config(path: Path | None) -> Config:
    """``path``, or the ``.kubesnap.yaml`` :func:`find_config` finds, or the defaults."""
    if path is None:
        path = find_config()
        if path is None:
            return Config()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise KubesnapError(f"{path}: cannot read configuration: {' '.join(str(exc).split())}") from None
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        msg = "unknown option" if err["type"] == "extra_forbidden" else err["msg"]
        msg = msg.removeprefix("Value error, ")
        raise KubesnapError(f"{path}: {where}: {msg}") from None
    config._source = str(path)
    return config


def apply(config: Config, rules: list[Rule], source: str = DEFAULT_FILE) -> list[Rule]:
    """The catalogue as configured: the rules of the profile, plus those enabled by name, minus
    those disabled; severities and params overridden."""
    by_id = {r.id: r for r in rules}
    for rule_id in config.rules:
        if rule_id not in by_id:
            raise KubesnapError(f'{source}: unknown rule "{rule_id}" (kubesnap rules list shows them)')
    wanted = PROFILES.index(config.profile)
    configured = []
    for rule in rules:
        settings = config.rules.get(rule.id)
        opted_in = settings is not None and "enabled" in settings.model_fields_set and settings.enabled
        if PROFILES.index(rule.spec.profile) > wanted and not opted_in:
            continue
        if settings is None:
            configured.append(rule)
            continue
        if not settings.enabled:
            continue
        spec = rule.spec
        if settings.severity is not None:
            spec = spec.model_copy(update={"severity": settings.severity})
        params = rule.params
        if settings.params:
            merged = {**rule.params.model_dump(), **settings.params}
            try:
                params = type(rule.params).model_validate(merged)
            except ValidationError as exc:
                err = exc.errors()[0]
                name = ".".join(str(p) for p in err["loc"])
                msg = "unknown option" if err["type"] == "extra_forbidden" else err["msg"]
                raise KubesnapError(
                    f'{source}: rules.{rule.id}.params.{name}: {msg} for rule "{rule.id}"'
                ) from None
        changed = dataclasses.replace(rule, spec=spec, params=params)
        if settings.params:  # other params may judge other kinds or give other facts
            check_instance(f"{source}: rules.{rule.id}", changed)
        configured.append(changed)
    return configured
