"""The params of a rule as people read them: name, the value this rule gives, the predicate's
default and what it means. One table, two readers: the generated rule pages (docs.py) and
``kubesnap rules show``."""

from __future__ import annotations

import json
from dataclasses import dataclass

from analyzer.rules.catalog import Rule


@dataclass(frozen=True, slots=True)
class RuleOption:
    name: str
    value: str
    """As this rule sets it (JSON)."""
    default: str
    """The predicate's default (JSON), or ``required``."""
    description: str


def rule_options(rule: Rule) -> list[RuleOption]:
    """Every param of the rule's predicate, in the order its Params model declares them."""
    values = rule.params.model_dump(mode="json")
    found = []
    for name, field in type(rule.params).model_fields.items():
        default = "required" if field.is_required() else json.dumps(field.default, sort_keys=True)
        found.append(
            RuleOption(name, json.dumps(values[name], sort_keys=True), default, field.description or "")
        )
    return found
