"""The differential kit for parsers (analyzer.load.parsers.Parser): two parsers that read the
same language must give the same documents (values with their types, lines, item lines) and the
same failures (lines, reasons). Used by test_fast_yaml.py (rapidyaml against PyYAML) and
test_parsers.py (JSON against YAML, which JSON is part of); any new parser plugs in the same way.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from analyzer.load.parsers import ParsedDoc, ParseFailure, Parser

Outcome = list[tuple[Any, ...]]


def same(a: Any, b: Any) -> bool:
    """Equal and of the same types all the way down (dict keys and order too); NaN equals NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return len(a) == len(b) and all(
            same(ka, kb) and same(va, vb) for (ka, va), (kb, vb) in zip(a.items(), b.items(), strict=True)
        )
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def outcome(docs: Iterable[ParsedDoc | ParseFailure], failures: bool = True) -> Outcome:
    """What must agree: (value, line, item lines) of each non-empty document, (line, reason) of
    each failure (left out with ``failures=False``: parsers of two languages word them apart).
    Start and end lines may differ."""
    out: Outcome = []
    for doc in docs:
        if isinstance(doc, ParseFailure):
            if failures:
                out.append(("failure", doc.line, doc.reason))
        elif doc.value is not None:
            out.append(("document", doc.value, doc.line, doc.item_lines))
    return out


def agree(a: Outcome, b: Outcome) -> bool:
    return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))


def disagreement(text: str, first: Parser, second: Parser, failures: bool = True) -> str | None:
    """None when both parsers read ``text`` the same; else both readings, for the message."""
    try:
        a, b = outcome(first(text), failures), outcome(second(text), failures)
    except Exception as exc:  # a parser never raises: a crash is a mismatch too
        return f"{text!r}\nraised {exc!r}"
    if agree(a, b):
        return None
    return f"{text!r}\n  first:  {a!r}\n  second: {b!r}"
