"""kubesnap's rules against the checks of kube-linter, kube-score and Polaris.

The data is ``equivalents.yaml`` beside this module (shipped in the wheel, since ``kubesnap rules
docs`` renders it into docs/rules/index.md): for each of their checks, the kubesnap rule(s) that
cover it, or why none does. The model refuses unknown keys and half-written entries.

>>> [tool.tool for tool in load_equivalents().tools]
['kube-linter', 'kube-score', 'Polaris']
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from analyzer.errors import KubesnapError
from analyzer.rules.schema import ID_PATTERN

DATA_FILE = "equivalents.yaml"

Tool = Literal["kube-linter", "kube-score", "Polaris"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Equivalent(_Strict):
    """One check of another tool and what kubesnap has for it."""

    check: str = Field(min_length=1, description="Their check's name, as the tool spells it.")
    default: bool | None = Field(
        default=None,
        description="kube-linter: in its default set; kube-score: enabled by default (else "
        "optional); None where the list read does not say.",
    )
    severity: Literal["danger", "warning"] | None = Field(
        default=None, description="Polaris: its default severity."
    )
    ours: tuple[str, ...] = Field(default=(), description="The kubesnap rule ids covering it.")
    pending: bool = Field(
        default=False, description="``ours`` names rules announced but not in the catalogue yet."
    )
    note: str = Field(default="", description="Where ours differs from theirs.")
    why_not: str = Field(default="", description="Why kubesnap has no rule for it, in one line.")

    @field_validator("ours", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value

    @field_validator("ours")
    @classmethod
    def _rule_ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [v for v in value if not re.match(ID_PATTERN, v)]
        if bad:
            raise ValueError(f"not a rule id: {', '.join(bad)}")
        if len(set(value)) != len(value):
            raise ValueError("a rule named twice")
        return value

    @model_validator(mode="after")
    def _ours_or_why_not(self) -> Equivalent:
        if bool(self.ours) == bool(self.why_not.strip()):
            raise ValueError("give exactly one of ours and why_not")
        if not self.ours and (self.pending or self.note):
            raise ValueError("pending and note go with ours")
        if "\n" in self.why_not or "\n" in self.note:
            raise ValueError("why_not and note are one line")
        return self


class ToolChecks(_Strict):
    """Every check of one tool, in the order of its own list."""

    tool: Tool
    checks: tuple[Equivalent, ...]

    @model_validator(mode="after")
    def _consistent(self) -> ToolChecks:
        names = [c.check for c in self.checks]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"{self.tool}: checks listed twice: {', '.join(twice)}")
        for c in self.checks:
            if (c.severity is None) != (self.tool != "Polaris"):
                raise ValueError(f"{self.tool} {c.check}: severity is for Polaris checks, and each has one")
            if self.tool == "kube-score" and c.default is None:
                raise ValueError(f"kube-score {c.check}: say whether it is on by default")
        return self


class Equivalents(_Strict):
    tools: tuple[ToolChecks, ...]

    @model_validator(mode="after")
    def _each_tool_once(self) -> Equivalents:
        tools = [t.tool for t in self.tools]
        if len(set(tools)) != len(tools):
            raise ValueError("a tool listed twice")
        return self

    def rule_ids(self) -> set[str]:
        """Every kubesnap rule id named by an entry."""
        return {rule for tool in self.tools for c in tool.checks for rule in c.ours}


def parse_equivalents(text: str, source: str = DATA_FILE) -> Equivalents:
    """The model of an equivalents file's text; a KubesnapError naming ``source`` and the entry."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise KubesnapError(f"{source}: {' '.join(str(exc).split())}") from None
    try:
        return Equivalents.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        msg = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        raise KubesnapError(f"{source}: {where}: {msg}") from None


@cache
def load_equivalents() -> Equivalents:
    """The shipped ``equivalents.yaml`` (read once)."""
    text = resources.files("analyzer.rules").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse_equivalents(text, f"analyzer/rules/{DATA_FILE}")
