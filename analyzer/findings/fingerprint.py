"""A finding's identity without its location: the same broken thing keeps its fingerprint when
lines move, files are renamed or split, or the input is given in another order, so a baseline
or a diff between two runs can tell old findings from new ones.

It is made of the rule, the object (API group, kind, namespace, name), the related objects and
the message (two findings of one rule on one object differ by what they name: which ConfigMap
is missing). Messages never hold a file or a line.
"""

from __future__ import annotations

import hashlib

from analyzer.model import ObjectRef
from analyzer.rules.finding import Finding


def fingerprint(finding: Finding) -> str:
    """16 hexadecimal digits (64 bits of SHA-256)."""
    parts = [finding.rule, _ref(finding.object), *sorted(_ref(r) for r in finding.related), finding.message]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _ref(ref: ObjectRef) -> str:
    return "/".join((ref.group, ref.kind, ref.namespace or "", ref.name))
