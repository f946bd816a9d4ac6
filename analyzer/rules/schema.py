"""RuleSpec: the pydantic model of one rule file (``rules/<category>/<id>.yaml``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from analyzer.rules.finding import Layer, Severity

ID_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Docs(Strict):
    what: str = Field(description="One sentence: what the rule checks.")
    why: str = Field(description="What breaks in a cluster when this is wrong.")
    example: str = Field(description="A manifest that must yield exactly one finding of the rule.")
    use_instead: str = Field(description="The same manifest, fixed: must yield no finding.")
    known_problems: str = ""
    references: list[str] = []


class Check(Strict):
    predicate: str
    params: dict[str, object] = {}


class Scope(Strict):
    namespaces: list[str] = Field(default=[], description="Only objects in these namespaces.")
    exclude_namespaces: list[str] = []


class SkipIf(Strict):
    field: str = Field(description="Dotted path in the object, e.g. spec.type.")
    equals: Any


class RuleSpec(Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: str
    category: str
    severity: Severity
    status: Literal["stable", "experimental", "deprecated"] = "stable"
    layer: Layer = Field(
        default=Layer.CONFIGURATION,
        description="Where its findings sit in a chain of causes: configuration, pod or aggregate.",
    )
    explained_by: list[str] = Field(
        default=[],
        description="Rules whose finding on the same object explains this rule's (a Service's "
        "selector matching nothing is explained by its drift from the Helm release).",
    )
    applies_to: list[str] = Field(min_length=1, description="Kinds checked: Kind or group/Kind; * is all.")
    requires: list[str] = Field(
        default=[], description="Kinds that must exist in the subject's namespace (coverage)."
    )
    scope: Scope = Scope()
    skip_if: list[SkipIf] = []
    check: Check
    message: str
    hint: str
    docs: Docs
