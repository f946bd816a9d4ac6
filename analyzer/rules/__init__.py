"""Stage 4: the rule engine (the catalogue itself lives in the top-level ``rules/`` folder)."""

from __future__ import annotations

from analyzer.rules.catalog import Rule, builtin_rules_dir, load_catalog
from analyzer.rules.evaluate import Evaluation, evaluate

__all__ = ["Evaluation", "Rule", "builtin_rules_dir", "evaluate", "load_catalog"]
