"""Baselines: the findings a team has accepted for now, so that a check shows only new ones.

A baseline file (``kubesnap baseline create``, read by ``kubesnap check --baseline``) lists
the findings' fingerprints (:mod:`analyzer.findings.fingerprint`: they survive moved lines,
renamed files and reordered documents), each with its rule, object and message for the person
reviewing the file. It is a multiset: two identical findings and one entry hide one of them.

.. code-block:: json

    {
      "version": 1,
      "findings": [
        {"fingerprint": "0c1f...", "rule": "service-selector-matches-nothing",
         "object": "Service/shop/web", "message": "..."}
      ]
    }
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from analyzer.errors import KubesnapError
from analyzer.findings.fingerprint import fingerprint
from analyzer.rules.finding import Finding

VERSION = 1
DEFAULT_FILE = ".kubesnap-baseline.json"


class Entry(BaseModel):
    """One accepted finding. Only the fingerprint counts; the rest is for the reader."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fingerprint: str = Field(pattern="^[0-9a-f]{16}$")
    rule: str
    object: str
    message: str


class BaselineFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1]
    findings: list[Entry]


def entry(finding: Finding) -> Entry:
    return Entry(
        fingerprint=fingerprint(finding),
        rule=finding.rule,
        object=finding.object.display(),
        message=finding.message,
    )


def dumps(findings: Sequence[Finding]) -> str:
    """The baseline of ``findings``: sorted by rule, object, message and fingerprint, so that
    the same findings always give the same bytes, and a review diff reads rule by rule."""
    entries = sorted((entry(f) for f in findings), key=lambda e: (e.rule, e.object, e.message, e.fingerprint))
    data = {"version": VERSION, "findings": [e.model_dump() for e in entries]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def read(path: Path) -> Counter[str]:
    """The fingerprints of the baseline file ``path``, each with how many findings it hides; a
    :class:`KubesnapError` naming the file (and the line or the entry) when it cannot be used."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise KubesnapError(f"{path}: cannot read the baseline: {reason}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise KubesnapError(f"{path}:{exc.lineno}: not a baseline (invalid JSON: {exc.msg})") from None
    try:
        baseline = BaselineFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        msg = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
        hint = " (made by kubesnap baseline create, version 1)" if where.startswith("version") else ""
        raise KubesnapError(f"{path}: not a baseline: {where}: {msg}{hint}") from None
    return Counter(e.fingerprint for e in baseline.findings)


def hide(findings: Sequence[Finding], baseline: Counter[str]) -> tuple[list[Finding], int]:
    """The findings the baseline does not hide, in order, and how many it hid. Each entry hides
    one finding: of two identical findings and one entry, the second is kept."""
    left = Counter(baseline)
    kept: list[Finding] = []
    for finding in findings:
        key = fingerprint(finding)
        if left[key] > 0:
            left[key] -= 1
        else:
            kept.append(finding)
    return kept, len(findings) - len(kept)
