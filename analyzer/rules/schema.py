"""RuleSpec: the pydantic model of one rule file (``rules/<category>/<id>.yaml``).

A rule has exactly one of ``check`` (a predicate with params) or ``validations`` (CEL
expressions, with optional ``match``, ``params``, ``matchConditions`` and ``variables``: see
docs/writing-rules.md). A CEL rule is given the ``check`` ``{predicate: cel}`` and the message
``{message}`` (each validation's own), and a rule without ``docs`` (allowed for rules of your
own only: :mod:`analyzer.rules.catalog`) its title as ``docs.what``, so that every rule reads
the same to the commands and renderers.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from analyzer.rules.finding import Layer, Severity

ID_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"

Profile = Literal["default", "strict", "all"]
PROFILES: tuple[Profile, ...] = ("default", "strict", "all")
"""Each profile holds the rules of the ones before it (as kube-linter's default set and
``addAllBuiltIn``)."""


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


CEL_PREDICATE = "cel"
"""The name a CEL rule's ``check`` is given (no predicate file has it)."""
CEL_MESSAGE = "{message}"
CEL_IDENTIFIER = r"^[A-Za-z_][A-Za-z0-9_]*$"
CEL_ONLY = ("match", "params", "matchConditions", "variables")


class SelectorRequirement(Strict):
    key: str
    operator: Literal["In", "NotIn", "Exists", "DoesNotExist"]
    values: list[str] = []


class LabelSelector(Strict):
    """A ``metav1.LabelSelector``: every requirement must hold; empty selects everything."""

    match_labels: dict[str, str] = Field(default={}, alias="matchLabels")
    match_expressions: list[SelectorRequirement] = Field(default=[], alias="matchExpressions")


class Match(Strict):
    """Which objects a CEL rule judges, besides ``applies_to`` (as a VAP's matchConstraints)."""

    namespace_selector: LabelSelector | None = Field(
        default=None,
        alias="namespaceSelector",
        description="Labels of the object's Namespace (the Namespace object of the snapshot).",
    )
    object_selector: LabelSelector | None = Field(default=None, alias="objectSelector")


class NamedExpression(Strict):
    """A variable: its name is a CEL identifier (``variables.<name>``)."""

    name: str = Field(pattern=CEL_IDENTIFIER)
    expression: str


class MatchCondition(Strict):
    """A match condition: its name is a qualified name, as in a VAP (``not-external``)."""

    name: str = Field(pattern=r"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", max_length=63)
    expression: str


class Validation(Strict):
    """One CEL expression that must be true; each false one is a finding."""

    expression: str
    message: str | None = None
    message_expression: str | None = Field(default=None, alias="messageExpression")
    reason: str | None = Field(
        default=None, description="As in a VAP (Invalid, Forbidden...): kept, not shown in findings."
    )
    severity: Severity | None = Field(default=None, description="Overrides the rule's severity.")


class RuleSpec(Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: str
    category: str = Field(default="custom", description="Required for built-in rules: their folder.")
    severity: Severity
    status: Literal["stable", "experimental", "deprecated"] = "stable"
    profile: Profile = Field(
        default="default",
        description="The smallest profile the rule is on in: default (always), strict, or all "
        "(opt-in: --profile, or enabled: true in the configuration).",
    )
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
    skip_controlled: bool = Field(
        default=False,
        description="Judge an object whose controller (the ownerReference with controller: true) "
        "is in the snapshot and of a kind this rule applies to through that controller, once: a "
        "Deployment, not also its ReplicaSets and Pods (a mirror Pod, controlled by its Node, is "
        "judged). The objects of a controller the snapshot lacks, of a kind this rule applies to, "
        "are judged once per controller and template revision, through the first of them by name.",
    )
    check: Check
    message: str
    hint: str = ""
    docs: Docs = Field(
        description="Required for built-in rules only: a rule of your own without it gets its title "
        "as docs.what and nothing else."
    )
    match: Match = Match()
    params: dict[str, Any] = Field(default={}, description="A CEL rule's params, as params.* in expressions.")
    match_conditions: list[MatchCondition] = Field(default=[], alias="matchConditions")
    variables: list[NamedExpression] = []
    validations: list[Validation] | None = Field(default=None, min_length=1)

    @property
    def is_cel(self) -> bool:
        return self.validations is not None

    @model_validator(mode="before")
    @classmethod
    def _one_form(cls, data: Any) -> Any:
        """Exactly one of ``check`` and ``validations``; a CEL rule's check and message filled."""
        if not isinstance(data, dict):
            return data
        if "docs" not in data and isinstance(data.get("title"), str):
            data = {**data, "docs": {"what": data["title"], "why": "", "example": "", "use_instead": ""}}
        if "check" in data and "validations" in data:
            raise ValueError("a rule has either 'check' or 'validations', not both")
        if "validations" not in data:
            # Without either, pydantic says that 'check' is required (after any unknown field).
            given = [k for k in CEL_ONLY if k in data]
            if given:
                raise ValueError(f"field {given[0]!r} belongs to rules with 'validations', not 'check'")
            return data
        if "message" in data:
            raise ValueError(
                "field 'message': a rule with 'validations' gives each validation its message "
                "or messageExpression"
            )
        return {**data, "check": {"predicate": CEL_PREDICATE}, "message": CEL_MESSAGE}
